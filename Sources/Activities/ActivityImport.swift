import ActivitiesContracts
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import Kernel
import NIOCore
import Postgres
import Vocabulary

/// `POST /api/v1/imports/activities`: activities from a spreadsheet, all or nothing.
///
/// The columns are documented in docs/activity-import.md. A bad file imports nothing and answers a problem
/// listing every bad row, column and reason.
extension ActivitiesController {
    /// The largest file accepted: 16 MiB, about 100,000 rows.
    static let maximumImportSize = maximumImportRequestBodySize

    /// The columns, in lower case; `partnership`, `title`, `kind` and `direction` are required.
    static let importColumns = [
        "partnership", "title", "kind", "status", "startson", "endson", "direction", "sdgtargets", "themes",
        "budgetplanned", "budgetspent", "currency", "fundingsource", "participants", "description", "results",
    ]

    struct Imported: ResponseEncodable {
        var imported: Int
        var ids: [UUID]
    }

    func importCSV(_ request: Request, _ context: GatewayRequestContext) async throws -> EditedResponse<Imported> {
        let access = try TenantAccess(context)
        try access.requireWrite("activities")
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: Self.maximumImportSize)
        } catch {
            throw Problem.payloadTooLarge(limit: Self.maximumImportSize)
        }
        let ids = try await ActivityImporter(controller: self).run(
            csv: Data(buffer.readableBytesView),
            access: access,
            on: try context.requireConnection()
        )
        return EditedResponse(status: .created, response: Imported(imported: ids.count, ids: ids))
    }

    /// Stands in the import's table of partnerships for a title that several partnerships share (the nil
    /// UUID, which no partnership has).
    static let sharedTitle = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

    /// One row as an activity, or the reasons it is not one (fields named by their column).
    static func activity(from values: [String: String], partnerships: [String: UUID]) -> (
        (UUID, NewActivity)?, [Problem.FieldError]
    ) {
        var errors: [Problem.FieldError] = []
        var partnership = values["partnership"].flatMap { partnerships[$0.lowercased()] }
        if partnership == sharedTitle {
            partnership = nil
            errors.append(
                .init(field: "partnership", message: "several partnerships have this title: give the partnership's id"))
        } else if partnership == nil {
            errors.append(
                .init(field: "partnership", message: "no partnership of this municipality has this title or id"))
        }
        func date(_ column: String) -> CalendarDate? {
            guard let text = values[column] else { return nil }
            if let date = CalendarDate(text) { return date }
            let parts = text.split(separator: "/")
            if parts.count == 3, let day = Int(parts[0]), let month = Int(parts[1]), let year = Int(parts[2]),
                let date = CalendarDate(year: year, month: month, day: day)
            {
                return date
            }
            errors.append(
                .init(
                    field: column == "startson" ? "startsOn" : "endsOn",
                    message: "must be a date as YYYY-MM-DD or DD/MM/YYYY")
            )
            return nil
        }
        func list(_ column: String) -> [String]? {
            values[column].map { $0.split(whereSeparator: { $0 == "|" || $0 == " " || $0 == "," }).map(String.init) }
        }
        /// Belgian spreadsheets write 12.500,50 or 12 500,50 (often with a no-break space); programs write
        /// 12500.50. Spaces go; with a decimal comma, points group thousands and go too.
        func amount(_ column: String) -> String? {
            guard let text = values[column] else { return nil }
            let decimalComma = text.utf8.contains(UInt8(ascii: ","))
            var amount = ""
            for scalar in text.unicodeScalars where !scalar.properties.isWhitespace {
                if decimalComma && scalar == "." { continue }
                amount.unicodeScalars.append(scalar == "," ? "." : scalar)
            }
            return amount
        }
        var participants: Int?
        if let text = values["participants"] {
            participants = Int(text)
            if participants == nil { errors.append(.init(field: "participants", message: "must be a whole number")) }
        }
        var budget: BudgetInput?
        if let planned = amount("budgetplanned") {
            budget = BudgetInput(planned: planned, spent: amount("budgetspent"), currency: values["currency"] ?? "EUR")
        } else if values["budgetspent"] != nil {
            errors.append(.init(field: "budgetPlanned", message: "is required when budgetSpent is given"))
        }
        let activity = NewActivity(
            title: values["title"] ?? "",
            description: values["description"],
            kind: values["kind"] ?? "",
            status: values["status"],
            startsOn: date("startson"),
            endsOn: date("endson"),
            direction: values["direction"] ?? "",
            sdgTargets: list("sdgtargets"),
            themes: list("themes"),
            budget: budget,
            fundingSource: values["fundingsource"],
            participants: participants,
            results: values["results"]
        )
        let columns = [
            "budget.planned": "budgetPlanned", "budget.spent": "budgetSpent", "budget.currency": "currency",
        ]
        errors += activity.validate().map { .init(field: columns[$0.field] ?? $0.field, message: $0.message) }
        guard let partnership, errors.isEmpty else { return (nil, errors) }
        return ((partnership, activity), [])
    }
}

/// Imports activities from CSV, all or nothing, in the caller's transaction: for the HTTP route and for
/// `stedenband import activities`.
public struct ActivityImporter: Sendable {
    let controller: ActivitiesController

    /// An importer that publishes through `publisher`.
    public init(publisher: EventPublisher) {
        self.controller = ActivitiesController(publisher: publisher)
    }

    init(controller: ActivitiesController) {
        self.controller = controller
    }

    /// Rows recorded per statement.
    static let batchSize = 1_000
    /// A file with more bad rows than this answers the first ones only.
    static let maximumReportedErrors = 200

    /// Rows turned into activities, or the reasons they are not.
    struct CheckedRows: Sendable {
        var activities: [(UUID, NewActivity)] = []
        var errors: [Problem.FieldError] = []
    }

    /// Checks rows of the file; stops once it has found as many errors as a report shows.
    static func check(
        _ rows: ArraySlice<(line: Int, cells: [String])>,
        header: [String],
        partnerships: [String: UUID]
    ) -> CheckedRows {
        var result = CheckedRows()
        result.activities.reserveCapacity(rows.count)
        for (line, cells) in rows {
            var values: [String: String] = [:]
            for (index, column) in header.enumerated() where index < cells.count {
                let value = cells[index].trimmedCell
                if !value.isEmpty { values[column] = value }
            }
            let (row, rowErrors) = ActivitiesController.activity(from: values, partnerships: partnerships)
            result.errors += rowErrors.map { .init(field: "row \(line): \($0.field)", message: $0.message) }
            if let row { result.activities.append(row) }
            if result.errors.count >= maximumReportedErrors { break }
        }
        return result
    }

    /// Checks every row, then records them; `progress` hears (done, total) as rows are recorded.
    ///
    /// - Throws: a 422 ``Problem`` listing every bad row, column and reason, before anything is written.
    public func run(
        csv: Data,
        access: TenantAccess,
        on connection: PostgresConnection,
        progress: @Sendable (Int, Int) -> Void = { _, _ in }
    ) async throws -> [UUID] {
        let table: CSVTable
        do {
            table = try CSVTable(data: csv)
        } catch .empty {
            throw Problem.validation([.init(field: "file", message: "the file has no header row")])
        } catch .notUTF8 {
            throw Problem.validation([.init(field: "file", message: "the file is not UTF-8 text")])
        } catch .unterminatedQuote(let line) {
            throw Problem.validation([.init(field: "line \(line)", message: "a quoted field is never closed")])
        }
        let header = table.header.map { $0.lowercased() }
        var errors: [Problem.FieldError] = []
        for required in ["partnership", "title", "kind", "direction"] where !header.contains(required) {
            errors.append(.init(field: "header", message: "the column \(required) is missing"))
        }
        for column in header where !ActivitiesController.importColumns.contains(column) {
            errors.append(.init(field: "header", message: "unknown column \(column)"))
        }
        if !errors.isEmpty { throw Problem.validation(errors) }

        let partnerships = try await connection.query(
            """
            SELECT p.id, lower(p.title) FROM activities.partnerships p
            WHERE \(fragment: access.scope.activities(partnership: "p.id"))
            """
        )
        // A title that two partnerships share names neither: such rows must name the partnership by its id.
        var byName: [String: UUID] = [:]
        var sharedTitles: Set<String> = []
        for row in partnerships {
            let (id, title) = try row.decode((UUID, String).self)
            if byName.updateValue(id, forKey: title) != nil { sharedTitles.insert(title) }
            byName[id.uuidString.lowercased()] = id
        }
        for title in sharedTitles { byName[title] = ActivitiesController.sharedTitle }
        // The rows are checked in as many slices as there are processors: the database has nothing to do yet.
        // The slices run on Swift's global executor: this task runs on its connection's single thread.
        let rows = table.rows
        let partnershipsByName = byName
        let slices = max(1, min(ProcessInfo.processInfo.activeProcessorCount, rows.count / 2_000))
        let sliceSize = (rows.count + slices - 1) / max(slices, 1)
        let checked = await withTaskGroup(of: (Int, CheckedRows).self) { group in
            for slice in 0..<slices {
                let range = min(slice * sliceSize, rows.count)..<min((slice + 1) * sliceSize, rows.count)
                group.addTask(executorPreference: globalConcurrentExecutor) {
                    (slice, Self.check(rows[range], header: header, partnerships: partnershipsByName))
                }
            }
            var results = [CheckedRows](repeating: CheckedRows(), count: slices)
            for await (slice, result) in group { results[slice] = result }
            return results
        }
        let parsed = checked.flatMap(\.activities)
        errors = Array(checked.flatMap(\.errors).prefix(Self.maximumReportedErrors))
        if !errors.isEmpty { throw Problem.validation(errors) }
        let batches = stride(from: 0, to: parsed.count, by: Self.batchSize).map {
            Array(parsed[$0..<min($0 + Self.batchSize, parsed.count)])
        }
        var ids: [UUID] = []
        ids.reserveCapacity(parsed.count)
        guard let first = batches.first else { return [] }
        var prepared = try controller.prepare(first, access: access)
        for index in batches.indices {
            // While the database writes this batch (on the connection's thread), this task prepares the next one
            // on another thread, so the two processes work at once. If preparing fails, the write is awaited
            // before the error rolls everything back.
            let current = prepared
            async let written: Void = controller.write(current, on: connection)
            let next =
                index + 1 < batches.count
                ? try await withTaskExecutorPreference(globalConcurrentExecutor) {
                    try controller.prepare(batches[index + 1], access: access)
                } : nil
            try await written
            ids += current.ids
            progress(ids.count, parsed.count)
            if let next { prepared = next }
        }
        return ids
    }

}
