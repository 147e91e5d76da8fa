import Foundation
import Gateway
import Kernel
import Messaging
import Postgres
import ReferenceData
import ResultsContracts
import Vocabulary

/// Every operation on results and their indicators, for the HTTP routes (and later the pages and the import)
/// alike: each checks the caller's access and the rules, writes through ``ResultsRepository`` in the caller's
/// transaction, and publishes its events.
///
/// The answers keep the order of ``ActivitiesService``'s: the resource (or its parent) in the caller's scope,
/// else 404; then the permission (403); then the body (422); then `If-Match` (412). A body is read once the
/// caller's access is checked (`@autoclosure`).
public struct ResultsService: Sendable {
    let publisher: EventPublisher
    let repository = ResultsRepository()

    /// A service that publishes through `publisher`.
    public init(publisher: EventPublisher) {
        self.publisher = publisher
    }

    // MARK: Results

    /// A result the caller may see, with its indicators.
    func result(_ id: UUID, access: TenantAccess, on connection: PostgresConnection) async throws -> ResultRecord {
        var record = try await lockedResult(id, access: access, lock: false, on: connection)
        record.indicators = try await withPeriods(
            try await repository.indicators(of: [id], on: connection), on: connection)
        return record
    }

    /// The indicators, each with its periods (one statement for all of them).
    func withPeriods(_ indicators: [IndicatorRecord], on connection: PostgresConnection) async throws
        -> [IndicatorRecord]
    {
        let periods = Dictionary(
            grouping: try await repository.periods(of: indicators.map(\.id), on: connection), by: \.indicatorId)
        return indicators.map { indicator in
            var indicator = indicator
            indicator.periods = periods[indicator.id] ?? []
            return indicator
        }
    }

    private func lockedResult(_ id: UUID, access: TenantAccess, lock: Bool, on connection: PostgresConnection)
        async throws -> ResultRecord
    {
        guard let record = try await repository.result(id, scope: access.scope, lock: lock, on: connection) else {
            throw Problem.notFound("no such result")
        }
        return record
    }

    /// A page of an activity's or a partnership's results, oldest first, each with its indicators.
    func results(
        of parent: ResultParent, limit: Int, after: (date: Date, id: UUID)?, access: TenantAccess,
        on connection: PostgresConnection
    ) async throws -> ResultPage {
        guard try await repository.parentExists(parent, scope: access.scope, on: connection) else {
            throw Problem.notFound("no such \(parent.name)")
        }
        let rows = try await repository.results(
            of: parent, scope: access.scope, limit: limit, after: after, on: connection)
        let page = Pagination.page(rows, limit: limit) { ($0.createdAt, $0.id) }
        var items = page.items
        let indicators = Dictionary(
            grouping: try await withPeriods(
                try await repository.indicators(of: items.map(\.id), on: connection), on: connection),
            by: \.resultId)
        for index in items.indices { items[index].indicators = indicators[items[index].id] ?? [] }
        return ResultPage(items: items, nextCursor: page.nextCursor)
    }

    /// Defines a result of an activity or a partnership the caller may see and write.
    public func define(
        _ input: @autoclosure () async throws -> NewResult,
        in parent: ResultParent,
        access: TenantAccess,
        on connection: PostgresConnection
    ) async throws -> ResultRecord {
        let result: NewResult
        do {
            try access.requireWrite("results")
            result = try await input().checked()
        } catch {
            guard try await repository.parentExists(parent, scope: access.scope, on: connection) else {
                throw Problem.notFound("no such \(parent.name)")
            }
            throw error
        }
        guard
            let record = try await repository.insert(
                result, in: parent, tenant: access.tenantID, scope: access.scope, on: connection)
        else { throw Problem.notFound("no such \(parent.name)") }
        try await publisher.publish(record.defined, as: access, in: connection)
        return record
    }

    /// Changes a result's fields and announces which; changing nothing answers the result as it is.
    func change(
        _ id: UUID,
        with edit: @autoclosure () async throws -> (changes: ResultChanges, expectedVersion: Int?),
        access: TenantAccess,
        on connection: PostgresConnection
    ) async throws -> ResultRecord {
        let current = try await lockedResult(id, access: access, lock: true, on: connection)
        try access.requireWrite("results")
        let (edit, expectedVersion) = try await edit()
        let body = try edit.checked()
        if let expectedVersion, expectedVersion != current.version {
            throw Problem.preconditionFailed(current: current.version)
        }
        var next = current
        next.title = body.title ?? current.title
        next.type = try body.type.map { try FieldCheck.word($0, field: "type") } ?? current.type
        next.description = body.description ?? current.description
        next.aggregates = body.aggregates ?? current.aggregates
        var changed: [String] = []
        if next.title != current.title { changed.append("title") }
        if next.type != current.type { changed.append("type") }
        if next.description != current.description { changed.append("description") }
        if next.aggregates != current.aggregates { changed.append("aggregates") }
        guard !changed.isEmpty else { return try await result(id, access: access, on: connection) }
        try await repository.update(next, on: connection)
        let record = try await result(id, access: access, on: connection)
        try await publisher.publish(record.updated(changed), as: access, in: connection)
        return record
    }

    /// Deletes a result with its indicators; only the result's deletion is announced (subscribers drop its
    /// indicators by the result's id). A result holding an approved value is kept until that value is
    /// returned (409).
    func deleteResult(_ id: UUID, access: TenantAccess, on connection: PostgresConnection) async throws {
        let current = try await lockedResult(id, access: access, lock: true, on: connection)
        try access.requireWrite("results")
        if try await repository.lockIndicators(of: id, on: connection).contains(.approved) {
            throw Self.stateConflict(.approved, "a period of the result holds an approved value: return it first")
        }
        try await repository.deleteResult(id, on: connection)
        try await publisher.publish(current.deleted, as: access, in: connection)
    }

    // MARK: Indicators

    /// An indicator the caller may see, with its periods (read after the lock when `lock`: every change to a
    /// period takes its indicator's lock first, so they stay as read).
    func indicator(_ id: UUID, access: TenantAccess, lock: Bool = false, on connection: PostgresConnection)
        async throws -> IndicatorRecord
    {
        guard let record = try await repository.indicator(id, scope: access.scope, lock: lock, on: connection) else {
            throw Problem.notFound("no such indicator")
        }
        return try await withPeriods([record], on: connection)[0]
    }

    /// Defines an indicator of a result the caller may see and write.
    public func define(
        _ input: @autoclosure () async throws -> NewIndicator,
        of result: UUID,
        access: TenantAccess,
        on connection: PostgresConnection
    ) async throws -> IndicatorRecord {
        let indicator: NewIndicator
        do {
            try access.requireWrite("results")
            indicator = try await input().checked()
        } catch {
            _ = try await lockedResult(result, access: access, lock: false, on: connection)
            throw error
        }
        guard
            let record = try await repository.insert(
                indicator, in: result, tenant: access.tenantID, scope: access.scope, on: connection)
        else { throw Problem.notFound("no such result") }
        try await publisher.publish(record.defined, as: access, in: connection)
        return record
    }

    /// Changes an indicator's fields and announces which; changing nothing answers it as it is. The baseline
    /// is checked against the measure the indicator ends up with (a percentage baseline of 120 is refused
    /// whether the measure or the baseline changes).
    func change(
        _ id: UUID,
        with edit: @autoclosure () async throws -> (changes: IndicatorChanges, expectedVersion: Int?),
        access: TenantAccess,
        on connection: PostgresConnection
    ) async throws -> IndicatorRecord {
        let current = try await indicator(id, access: access, lock: true, on: connection)
        try access.requireWrite("results")
        let (edit, expectedVersion) = try await edit()
        let body = try edit.checked()
        if let expectedVersion, expectedVersion != current.version {
            throw Problem.preconditionFailed(current: current.version)
        }
        var next = current
        next.title = body.title ?? current.title
        next.description = body.description ?? current.description
        next.measure = try body.measure.map { try FieldCheck.word($0, field: "measure") } ?? current.measure
        next.ascending = body.ascending ?? current.ascending
        next.sdgTarget = body.sdgTarget.applied(to: current.sdgTarget?.rawValue).flatMap(SDGCatalogue.targetID)
        switch body.baseline {
        case .absent: break
        case .cleared: next.baseline = nil
        case .set(let baseline): next.baseline = baseline.checked
        }
        if let baseline = next.baseline {
            let input = BaselineInput(
                year: baseline.year, value: baseline.value?.description, comment: baseline.comment)
            let errors = ResultRules.baseline(input, measure: next.measure)
            if !errors.isEmpty { throw Problem.validation(errors) }
        }
        var changed: [String] = []
        if next.title != current.title { changed.append("title") }
        if next.description != current.description { changed.append("description") }
        if next.measure != current.measure { changed.append("measure") }
        if next.ascending != current.ascending { changed.append("ascending") }
        if next.sdgTarget != current.sdgTarget { changed.append("sdgTarget") }
        if !Self.sameBaseline(next.baseline, current.baseline) { changed.append("baseline") }
        guard !changed.isEmpty else { return current }
        // A target or a reported value was written for the measure it had: a percentage's 90 means nothing as
        // a count, and a qualitative report has no number.
        if changed.contains("measure")
            && current.periods.contains(where: { $0.target?.value != nil || $0.actual != nil })
        {
            throw Problem.conflict(
                "periods of the indicator hold values for its measure: clear their targets or delete those periods first",
                errors: [.init(field: "measure", message: "periods hold values")])
        }
        try await repository.update(next, on: connection)
        let record = try await indicator(id, access: access, on: connection)
        try await publisher.publish(record.updated(changed), as: access, in: connection)
        return record
    }

    /// Compares baselines by what their values are worth: `"61"` and `"61.0"` are the same baseline.
    static func sameBaseline(_ new: Baseline?, _ old: Baseline?) -> Bool {
        guard let new, let old else { return new == nil && old == nil }
        let sameValue =
            switch (new.value, old.value) {
            case (let a?, let b?): a.hasSameValue(as: b)
            case (nil, nil): true
            default: false
            }
        return new.year == old.year && new.comment == old.comment && sameValue
    }

    /// Deletes an indicator with its periods; only the indicator's deletion is announced. An indicator holding
    /// an approved value is kept until that value is returned (409).
    func deleteIndicator(_ id: UUID, access: TenantAccess, on connection: PostgresConnection) async throws {
        let current = try await indicator(id, access: access, lock: true, on: connection)
        try access.requireWrite("results")
        if current.periods.contains(where: { $0.status == .approved }) {
            throw Self.stateConflict(.approved, "a period of the indicator holds an approved value: return it first")
        }
        try await repository.deleteIndicator(id, on: connection)
        try await publisher.publish(current.deleted, as: access, in: connection)
    }
}
