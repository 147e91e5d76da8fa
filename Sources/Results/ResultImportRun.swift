import Foundation
import Gateway
import HTTPTypes
import Postgres
import ResultsContracts
import Vocabulary

/// One import of results, row by row, in the caller's transaction: each row's result, indicator and period are
/// matched with what is stored (or what an earlier row defined) and defined or changed through
/// ``ResultsService``, so the rules, permissions and events are the API's.
///
/// Matching makes a re-import change nothing: a result by its activity or partnership and its title ignoring
/// case, an indicator by its result and title ignoring case, a period by its indicator and dates. A matched
/// one is changed only where a cell gives another value; an empty cell keeps what is stored. An actual is
/// recorded as reported and approved by the importer. Every refusal is kept as a row problem and the run goes
/// on, so one answer lists them all; the caller then refuses the whole file and its transaction rolls back.
struct ResultImportRun {
    let service: ResultsService
    let access: TenantAccess
    let connection: PostgresConnection

    /// Titles (lower case) and ids (lower case) to the activity or partnership they name; ``shared`` for a
    /// title several share.
    var activities: [String: UUID] = [:]
    var partnerships: [String: UUID] = [:]

    struct ResultKey: Hashable {
        var parent: ResultParent
        var title: String
    }
    struct IndicatorKey: Hashable {
        var result: UUID
        var title: String
    }
    struct PeriodKey: Hashable {
        var indicator: UUID
        var start: CalendarDate
        var end: CalendarDate
    }

    var results: [ResultKey: ResultRecord] = [:]
    var indicators: [IndicatorKey: IndicatorRecord] = [:]
    var periods: [PeriodKey: PeriodRecord] = [:]
    /// The first row naming each result and indicator, with its cells: later rows must agree with it.
    var firstResultRows: [ResultKey: ResultImporter.Row] = [:]
    var firstIndicatorRows: [IndicatorKey: ResultImporter.Row] = [:]

    /// What the run defined or changed, by id.
    var touched: (results: Set<UUID>, indicators: Set<UUID>, periods: Set<UUID>) = ([], [], [])
    var problems: [ResultImportProblem] = []

    /// Stands for a title that several activities or partnerships share (the nil UUID, which none has).
    static let shared = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

    /// The columns of a result's, an indicator's, a period's and a value's fields, as the service names them.
    static let resultColumns = ["title": "result", "type": "resultType", "description": "resultDescription"]
    static let indicatorColumns = [
        "title": "indicator", "measure": "measure", "ascending": "ascending", "sdgTarget": "sdgTarget",
        "baseline": "baselineYear", "baseline.year": "baselineYear", "baseline.value": "baselineValue",
        "baseline.comment": "baselineComment",
    ]
    static let periodColumns = [
        "start": "periodStart", "end": "periodEnd", "target": "target", "target.value": "target",
        "target.comment": "targetComment",
    ]
    static let valueColumns = ["value": "actual", "comment": "actualComment", "status": "actual"]

    /// A run that matches against everything in the caller's scope.
    init(service: ResultsService, access: TenantAccess, connection: PostgresConnection) async throws {
        self.service = service
        self.access = access
        self.connection = connection
        let repository = service.repository
        let parents = try await repository.parents(scope: access.scope, on: connection)
        activities = Self.names(parents.activities)
        partnerships = Self.names(parents.partnerships)
        let stored = try await repository.allResults(scope: access.scope, on: connection)
        for result in stored {
            let parent: ResultParent = result.activityId.map { .activity($0) } ?? .partnership(result.partnershipId)
            results[ResultKey(parent: parent, title: result.title.lowercased())] = result
        }
        let storedIndicators = try await service.withPeriods(
            try await repository.indicators(of: stored.map(\.id), on: connection), on: connection)
        for indicator in storedIndicators {
            indicators[IndicatorKey(result: indicator.resultId, title: indicator.title.lowercased())] = indicator
            for period in indicator.periods {
                periods[PeriodKey(indicator: indicator.id, start: period.start, end: period.end)] = period
            }
        }
    }

    /// Titles and ids to what they name; a title that several share names none of them.
    static func names(_ list: [(id: UUID, title: String)]) -> [String: UUID] {
        var byName: [String: UUID] = [:]
        var sharedTitles: Set<String> = []
        for (id, title) in list {
            if byName.updateValue(id, forKey: title.lowercased()) != nil { sharedTitles.insert(title.lowercased()) }
        }
        for title in sharedTitles { byName[title] = shared }
        for (id, _) in list { byName[id.uuidString.lowercased()] = id }
        return byName
    }

    /// What the run wrote, as the API answers it.
    var imported: ImportedResults {
        ImportedResults(
            results: touched.results.count, indicators: touched.indicators.count, periods: touched.periods.count)
    }

    // MARK: A row

    /// Checks a row's cells, then defines or changes its result, indicator, period and value; every refusal
    /// becomes a problem of the row.
    mutating func apply(_ row: ResultImporter.Row) async throws {
        let before = problems.count
        let cells = ResultImporter.cells(of: row)
        for (column, reason) in cells.problems { note(row, column, reason) }
        let parent = self.parent(of: row)
        guard let title = row["result"] else {
            note(row, "result", .required)
            return
        }
        let type = cells.resultType.map { ResultType(rawValue: $0) }
        if type == .some(nil) { note(row, "resultType", .oneOf(ResultType.rawValues)) }
        let measure = row["measure"].map { IndicatorMeasure(rawValue: $0.lowercased()) }
        if measure == .some(nil) { note(row, "measure", .oneOf(IndicatorMeasure.rawValues)) }
        if row["indicator"] == nil {
            for column in ["measure", "ascending", "sdgTarget", "baselineYear", "periodStart"] where row[column] != nil
            {
                note(row, "indicator", .required)
                break
            }
        }
        guard let parent, problems.count == before else { return }
        let resultKey = ResultKey(parent: parent, title: title.lowercased())
        let firstResultRow = firstResultRows[resultKey, default: row]
        firstResultRows[resultKey] = firstResultRow
        agree(row, with: firstResultRow, in: ["resultType", "resultDescription"])
        guard problems.count == before,
            let result = try await self.result(resultKey, row, title: title, type: type ?? nil),
            let indicatorTitle = row["indicator"]
        else { return }
        let indicatorKey = IndicatorKey(result: result.id, title: indicatorTitle.lowercased())
        let firstIndicatorRow = firstIndicatorRows[indicatorKey, default: row]
        firstIndicatorRows[indicatorKey] = firstIndicatorRow
        agree(
            row, with: firstIndicatorRow,
            in: ["measure", "ascending", "sdgTarget", "baselineYear", "baselineValue", "baselineComment"])
        guard problems.count == before,
            let indicator = try await self.indicator(
                indicatorKey, row, cells, title: indicatorTitle, measure: measure ?? nil),
            let dates = cells.period
        else { return }
        let periodKey = PeriodKey(indicator: indicator.id, start: dates.start, end: dates.end)
        guard let period = try await self.period(periodKey, row, cells, of: indicator) else { return }
        if row["actual"] != nil || row["actualComment"] != nil {
            try await value(periodKey, period, row, cells, of: indicator)
        }
    }

    /// The activity or partnership the row names, or `nil` with its problem noted.
    mutating func parent(of row: ResultImporter.Row) -> ResultParent? {
        switch (row["activity"], row["partnership"]) {
        case (nil, nil):
            note(row, "activity", .noParent)
        case (_?, _?):
            note(row, "activity", .bothParents)
        case (let name?, nil):
            switch activities[name.lowercased()] {
            case nil: note(row, "activity", .unknownActivity)
            case Self.shared?: note(row, "activity", .sharedActivityTitle)
            case let id?: return .activity(id)
            }
        case (nil, let name?):
            switch partnerships[name.lowercased()] {
            case nil: note(row, "partnership", .unknownPartnership)
            case Self.shared?: note(row, "partnership", .sharedPartnershipTitle)
            case let id?: return .partnership(id)
            }
        }
        return nil
    }

    /// Notes a problem of the row in each of `columns` where it differs from `earlier`, the first row naming the
    /// same result or indicator (compared as written, ignoring case).
    mutating func agree(_ row: ResultImporter.Row, with earlier: ResultImporter.Row, in columns: [String]) {
        guard earlier.line != row.line else { return }
        for column in columns {
            guard let mine = row[column], let theirs = earlier[column] else { continue }
            if mine.lowercased() != theirs.lowercased() { note(row, column, .differs(row: earlier.line)) }
        }
    }

    // MARK: Writing through the service

    /// The row's result: defined when new, changed where the row's cells differ.
    mutating func result(_ key: ResultKey, _ row: ResultImporter.Row, title: String, type: ResultType?)
        async throws -> ResultRecord?
    {
        let (service, access, connection) = (self.service, self.access, self.connection)
        let description = row["resultDescription"]
        guard let current = results[key] else {
            let new = NewResult(title: title, type: type ?? .outcome, description: description)
            guard
                let record = try await attempt(
                    row, Self.resultColumns,
                    {
                        try await service.define(new, in: key.parent, access: access, on: connection)
                    })
            else { return nil }
            results[key] = record
            touched.results.insert(record.id)
            return record
        }
        var changes = ResultChanges()
        if let type, type != current.type { changes.type = type.rawValue }
        if let description, description != current.description { changes.description = description }
        guard changes.type != nil || changes.description != nil else { return current }
        guard
            let record = try await attempt(
                row, Self.resultColumns,
                {
                    try await service.change(current.id, with: (changes, nil), access: access, on: connection)
                })
        else { return nil }
        results[key] = record
        touched.results.insert(record.id)
        return record
    }

    /// The row's indicator: defined when new (its measure then required), changed where the row's cells differ.
    /// A baseline's empty cells keep the stored baseline's value and comment.
    mutating func indicator(
        _ key: IndicatorKey, _ row: ResultImporter.Row, _ cells: ResultImporter.Cells, title: String,
        measure: IndicatorMeasure?
    ) async throws -> IndicatorRecord? {
        let (service, access, connection) = (self.service, self.access, self.connection)
        guard let current = indicators[key] else {
            guard let measure else {
                note(row, "measure", .required)
                return nil
            }
            let baseline = cells.baselineYear.map {
                BaselineInput(year: $0, value: cells.baselineValue, comment: row["baselineComment"])
            }
            let new = NewIndicator(
                title: title, measure: measure, ascending: cells.ascending, sdgTarget: row["sdgTarget"],
                baseline: baseline)
            guard
                let record = try await attempt(
                    row, Self.indicatorColumns,
                    {
                        try await service.define(new, of: key.result, access: access, on: connection)
                    })
            else { return nil }
            indicators[key] = record
            touched.indicators.insert(record.id)
            return record
        }
        var changes = IndicatorChanges(sdgTarget: .absent, baseline: .absent)
        if let measure, measure != current.measure { changes.measure = measure.rawValue }
        if let ascending = cells.ascending, ascending != current.ascending { changes.ascending = ascending }
        if let target = row["sdgTarget"], target != current.sdgTarget?.rawValue { changes.sdgTarget = .set(target) }
        if let year = cells.baselineYear {
            let baseline = BaselineInput(
                year: year, value: cells.baselineValue ?? current.baseline?.value?.description,
                comment: row["baselineComment"] ?? current.baseline?.comment)
            // A value that does not read is told by the service's check, so it counts as a change here.
            let same =
                IndicatorValue.reads(baseline.value)
                && ResultsService.sameBaseline(baseline.checked, current.baseline)
            if !same { changes.baseline = .set(baseline) }
        }
        guard
            changes.measure != nil || changes.ascending != nil || changes.sdgTarget.newValue != nil
                || changes.baseline.newValue != nil
        else { return current }
        guard
            let record = try await attempt(
                row, Self.indicatorColumns,
                {
                    try await service.change(current.id, with: (changes, nil), access: access, on: connection)
                })
        else { return nil }
        indicators[key] = record
        touched.indicators.insert(record.id)
        return record
    }

    /// The row's period: defined when new, its target changed where the row's cells differ. A target's empty
    /// cells keep the stored target's value and comment.
    mutating func period(
        _ key: PeriodKey, _ row: ResultImporter.Row, _ cells: ResultImporter.Cells, of indicator: IndicatorRecord
    ) async throws -> PeriodRecord? {
        let (service, access, connection) = (self.service, self.access, self.connection)
        let targetGiven = cells.target != nil || row["targetComment"] != nil
        guard let current = periods[key] else {
            let target = targetGiven ? TargetInput(value: cells.target, comment: row["targetComment"]) : nil
            let new = NewPeriod(start: key.start, end: key.end, target: target)
            guard
                let record = try await attempt(
                    row, Self.periodColumns,
                    {
                        try await service.define(new, ofIndicator: indicator.id, access: access, on: connection)
                    })
            else { return nil }
            periods[key] = record
            touched.periods.insert(record.id)
            return record
        }
        guard targetGiven else { return current }
        let target = TargetInput(
            value: cells.target ?? current.target?.value?.description,
            comment: row["targetComment"] ?? current.target?.comment)
        if IndicatorValue.reads(target.value) && ResultsService.sameValue(target.checked, current.target) {
            return current
        }
        let changes = PeriodChanges(start: nil, end: nil, target: .set(target))
        guard
            let record = try await attempt(
                row, Self.periodColumns,
                {
                    try await service.change(current.id, with: (changes, nil), access: access, on: connection)
                })
        else { return nil }
        periods[key] = record
        touched.periods.insert(record.id)
        return record
    }

    /// The row's actual, reported and approved by the importer; an approved value the row repeats is left as it
    /// is, one with another value is a problem of the row (a coordinator returns it first).
    mutating func value(
        _ key: PeriodKey, _ current: PeriodRecord, _ row: ResultImporter.Row, _ cells: ResultImporter.Cells,
        of indicator: IndicatorRecord
    ) async throws {
        let (service, access, connection) = (self.service, self.access, self.connection)
        let input = ActualInput(
            value: cells.actual ?? current.actual?.value?.description,
            comment: row["actualComment"] ?? current.actual?.comment)
        // The service's own checks, before the status is looked at: a value that does not read is told as such.
        var errors = ResultRules.actual(input, measure: indicator.measure)
        if !indicator.measure.isQualitative {
            errors += FieldCheck.text(input.comment, field: "comment", maximum: ResultRules.commentLength)
        }
        guard errors.isEmpty else {
            for error in errors {
                note(row, Self.valueColumns[error.field] ?? error.field, ResultImportReason(message: error.message))
            }
            return
        }
        let wanted = PeriodValue(value: input.value.flatMap(IndicatorValue.init), comment: input.comment ?? "")
        let same = ResultsService.sameValue(wanted, current.actual)
        switch current.status {
        case .approved:
            if !same { note(row, "actual", .approvedWith(current.actual?.value?.description)) }
            return
        case .submitted where same:
            break
        default:
            guard
                try await attempt(
                    row, Self.valueColumns,
                    {
                        try await service.report((input, nil), for: current.id, access: access, on: connection)
                    }) != nil
            else { return }
        }
        guard
            let approved = try await attempt(
                row, Self.valueColumns,
                {
                    try await service.approve(current.id, with: (ApprovalInput(), nil), access: access, on: connection)
                })
        else { return }
        periods[key] = approved
        touched.periods.insert(approved.id)
    }

    // MARK: Problems

    mutating func note(_ row: ResultImporter.Row, _ column: String, _ reason: ResultImportReason) {
        problems.append(ResultImportProblem(row: row.line, column: column, reason: reason))
    }

    /// The service's answer, or `nil` with its refusal noted as problems of the row (each field named by its
    /// column in `columns`). A refusal leaves the transaction as it was: the service refuses before it writes.
    mutating func attempt<Answer>(
        _ row: ResultImporter.Row, _ columns: [String: String], _ body: () async throws -> Answer
    ) async throws -> Answer? {
        do {
            return try await body()
        } catch let problem as Problem where problem.status.code < 500 {
            let errors = problem.errors ?? []
            if errors.isEmpty {
                note(row, columns["title"] ?? "result", .other(problem.detail ?? problem.title))
            }
            for error in errors {
                note(row, columns[error.field] ?? error.field, ResultImportReason(message: error.message))
            }
            return nil
        }
    }
}

extension IndicatorValue {
    /// Whether `text` is absent or reads as a value.
    fileprivate static func reads(_ text: String?) -> Bool {
        text.map { IndicatorValue($0) != nil } ?? true
    }
}

/// What an import of results defined or changed: how many results, indicators and periods (a period whose value
/// was recorded counts as changed).
public struct ImportedResults: Codable, Sendable, Equatable {
    /// Results defined or changed.
    public var results: Int
    /// Indicators defined or changed.
    public var indicators: Int
    /// Periods defined, changed, or given a value.
    public var periods: Int
}
