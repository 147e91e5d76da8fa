import ActivitiesContracts
import CSV
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import Kernel
import NIOCore
import Postgres
import Vocabulary

/// Activities from a spreadsheet: reading the CSV file and checking its rows, for
/// ``ActivitiesService/importCSV(_:access:on:progress:)`` (the HTTP route and `stedenband import activities`).
///
/// The columns are documented in docs/activity-import.md. A bad file imports nothing and is refused with
/// every bad row, column and reason (``ImportRefused``: reasons as keys, for the page to word in the person's
/// language; the API answers them as a problem in English).
enum ActivityImporter {
    /// The largest file accepted: 16 MiB, about 100,000 rows.
    static let maximumImportSize = maximumImportRequestBodySize

    /// The columns, in lower case; `partnership`, `title`, `kind` and `direction` are required.
    static let importColumns = [
        "partnership", "title", "kind", "status", "startson", "endson", "direction", "sdgtargets", "themes",
        "budgetplanned", "budgetspent", "currency", "fundingsource", "participants", "description", "results",
        "dacsectors",
    ]

    /// Stands in the import's table of partnerships for a title that several partnerships share (the nil
    /// UUID, which no partnership has).
    static let sharedTitle = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

    /// One row as an activity, or the reasons it is not one (fields named by their column).
    static func activity(from values: [String: String], partnerships: [String: UUID]) -> (
        (UUID, NewActivity)?, [ImportProblem]
    ) {
        var errors: [ImportProblem] = []
        var partnership = values["partnership"].flatMap { partnerships[$0.lowercased()] }
        if partnership == sharedTitle {
            partnership = nil
            errors.append(.init(column: "partnership", reason: .sharedPartnershipTitle))
        } else if partnership == nil {
            errors.append(.init(column: "partnership", reason: .unknownPartnership))
        }
        func date(_ column: String) -> CalendarDate? {
            guard let text = values[column] else { return nil }
            if let date = SpreadsheetValues.date(text) { return date }
            errors.append(.init(column: column == "startson" ? "startsOn" : "endsOn", reason: .badDate))
            return nil
        }
        func list(_ column: String) -> [String]? {
            values[column].map { $0.split(whereSeparator: { $0 == "|" || $0 == " " || $0 == "," }).map(String.init) }
        }
        /// Belgian spreadsheets write 12.500,50 or 12 500,50; programs write 12500.50.
        func amount(_ column: String) -> String? {
            values[column].map(SpreadsheetValues.decimal)
        }
        var participants: Int?
        if let text = values["participants"] {
            participants = Int(text)
            if participants == nil { errors.append(.init(column: "participants", reason: .notWholeNumber)) }
        }
        var budget: BudgetInput?
        if let planned = amount("budgetplanned") {
            budget = BudgetInput(planned: planned, spent: amount("budgetspent"), currency: values["currency"] ?? "EUR")
        } else if values["budgetspent"] != nil {
            errors.append(.init(column: "budgetPlanned", reason: .plannedMissing))
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
            results: values["results"],
            dacSectors: list("dacsectors")
        )
        let columns = [
            "budget.planned": "budgetPlanned", "budget.spent": "budgetSpent", "budget.currency": "currency",
        ]
        errors += activity.validate().map { error in
            let column = columns[error.field] ?? error.field
            return ImportProblem(
                column: column, reason: ImportReason(checked: column, message: error.message), message: error.message)
        }
        guard let partnership, errors.isEmpty else { return (nil, errors) }
        return ((partnership, activity), [])
    }
}

extension ActivityImporter {
    /// A file with more bad rows than this answers the first ones only.
    static let maximumReportedErrors = 200

    /// Rows turned into activities, or the reasons they are not.
    struct CheckedRows: Sendable {
        var activities: [(UUID, NewActivity)] = []
        var errors: [ImportProblem] = []
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
            let (row, rowErrors) = activity(from: values, partnerships: partnerships)
            result.errors += rowErrors.map {
                ImportProblem(row: line, column: $0.column, reason: $0.reason, message: $0.message)
            }
            if let row { result.activities.append(row) }
            if result.errors.count >= maximumReportedErrors { break }
        }
        return result
    }

    /// The file as a table whose header names only known columns and every required one.
    ///
    /// - Throws: ``ImportRefused`` naming what is wrong with the file or its header.
    static func table(_ csv: Data) throws(ImportRefused) -> (header: [String], table: CSVTable) {
        let table: CSVTable
        do {
            table = try CSVTable(data: csv)
        } catch {
            switch error {
            case .empty: throw ImportRefused(problems: [.init(column: "file", reason: .noHeader)])
            case .notUTF8: throw ImportRefused(problems: [.init(column: "file", reason: .notUTF8)])
            case .unterminatedQuote(let line):
                throw ImportRefused(problems: [.init(column: "line \(line)", reason: .unclosedQuote)])
            }
        }
        let header = table.header.map { $0.lowercased() }
        var errors: [ImportProblem] = []
        for required in ["partnership", "title", "kind", "direction"] where !header.contains(required) {
            errors.append(.init(column: "header", reason: .missingColumn(required)))
        }
        for column in header where !importColumns.contains(column) {
            errors.append(.init(column: "header", reason: .unknownColumn(column)))
        }
        if !errors.isEmpty { throw ImportRefused(problems: errors) }
        return (header, table)
    }

    /// Every row of the table as an activity of one of `partnerships` (id and lowercased title, as the caller
    /// may see them).
    ///
    /// - Throws: ``ImportRefused`` listing every bad row, column and reason.
    static func activities(
        of table: CSVTable,
        header: [String],
        partnerships: [(id: UUID, title: String)]
    ) async throws -> [(UUID, NewActivity)] {
        // A title that two partnerships share names neither: such rows must name the partnership by its id.
        var byName: [String: UUID] = [:]
        var sharedTitles: Set<String> = []
        for (id, title) in partnerships {
            if byName.updateValue(id, forKey: title) != nil { sharedTitles.insert(title) }
            byName[id.uuidString.lowercased()] = id
        }
        for title in sharedTitles { byName[title] = sharedTitle }
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
        let errors = Array(checked.flatMap(\.errors).prefix(Self.maximumReportedErrors))
        if !errors.isEmpty { throw ImportRefused(problems: errors) }
        return checked.flatMap(\.activities)
    }
}

extension ActivitiesService {
    /// ``importCSV(_:access:on:progress:)`` with the refusal as keys: the `/import` page words each reason in the
    /// person's language.
    ///
    /// - Throws: ``ImportRefused`` listing every bad row, column and reason, before anything is written.
    func importCheckedCSV(
        _ csv: Data,
        access: TenantAccess,
        on connection: PostgresConnection,
        progress: @Sendable (Int, Int) -> Void = { _, _ in }
    ) async throws -> [UUID] {
        try access.requireWrite("activities")
        let (header, table) = try ActivityImporter.table(csv)
        let partnerships = try await repository.partnershipTitles(scope: access.scope, on: connection)
        let activities = try await ActivityImporter.activities(of: table, header: header, partnerships: partnerships)
        return try await recordBatches(activities, access: access, on: connection, progress: progress)
    }
}
