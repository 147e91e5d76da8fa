import Foundation
import Gateway
import Kernel
import Messaging
import Postgres
import ResultsContracts
import Vocabulary

/// Defining an indicator's reporting periods, changing their dates and targets, and deleting them.
///
/// Every change takes the indicator's lock first, then the period's (``ResultsRepository/indicator(ofPeriod:scope:on:)``):
/// periods of one indicator are checked against each other, and against its measure, one writer at a time.
extension ResultsService {
    /// A period the caller may see.
    func period(_ id: UUID, access: TenantAccess, on connection: PostgresConnection) async throws -> PeriodRecord {
        guard let record = try await repository.period(id, scope: access.scope, on: connection) else {
            throw Problem.notFound("no such period")
        }
        return record
    }

    /// A period the caller may see and its indicator, both locked for a change; 404 when out of scope.
    func lockedPeriod(_ id: UUID, access: TenantAccess, on connection: PostgresConnection) async throws
        -> (period: PeriodRecord, indicator: IndicatorRecord)
    {
        guard let indicator = try await repository.indicator(ofPeriod: id, scope: access.scope, on: connection),
            let period = try await repository.period(id, scope: access.scope, lock: true, on: connection)
        else { throw Problem.notFound("no such period") }
        return (period, indicator)
    }

    /// Defines a period of an indicator the caller may see and write: its dates must not overlap another
    /// period's, and its target must suit the indicator's measure.
    public func define(
        _ input: @autoclosure () async throws -> NewPeriod,
        ofIndicator id: UUID,
        access: TenantAccess,
        on connection: PostgresConnection
    ) async throws -> PeriodRecord {
        let indicator = try await self.indicator(id, access: access, lock: true, on: connection)
        try access.requireWrite("results")
        let period = try await input().checked()
        let errors = ResultRules.target(period.target, measure: indicator.measure)
        if !errors.isEmpty { throw Problem.validation(errors) }
        try await refuseOverlap(indicator: id, start: period.start, end: period.end, except: nil, on: connection)
        let record = try await repository.insert(period, of: indicator, tenant: access.tenantID, on: connection)
        try await publisher.publish(record.defined(of: indicator), as: access, in: connection)
        return record
    }

    /// Changes a period's dates or target and announces which; changing nothing answers it as it is. A target
    /// may change after approval (targets are the plan), the dates of an approved period may not (409).
    func change(
        _ id: UUID,
        with edit: @autoclosure () async throws -> (changes: PeriodChanges, expectedVersion: Int?),
        access: TenantAccess,
        on connection: PostgresConnection
    ) async throws -> PeriodRecord {
        let (current, indicator) = try await lockedPeriod(id, access: access, on: connection)
        try access.requireWrite("results")
        let (edit, expectedVersion) = try await edit()
        let body = try edit.checked()
        var next = current
        next.start = body.start ?? current.start
        next.end = body.end ?? current.end
        var errors = ResultRules.dates(next.start, next.end)
        if case .set(let target) = body.target {
            errors += ResultRules.target(target, measure: indicator.measure)
        }
        if !errors.isEmpty { throw Problem.validation(errors) }
        if next.start != current.start || next.end != current.end {
            try await refuseOverlap(
                indicator: indicator.id, start: next.start, end: next.end, except: id, on: connection)
        }
        if let expectedVersion, expectedVersion != current.version {
            throw Problem.preconditionFailed(current: current.version)
        }
        switch body.target {
        case .absent: break
        case .cleared: next.target = nil
        case .set(let target): next.target = target.checked
        }
        var changed: [String] = []
        if next.start != current.start { changed.append("start") }
        if next.end != current.end { changed.append("end") }
        if !Self.sameValue(next.target, current.target) { changed.append("target") }
        guard !changed.isEmpty else { return current }
        if current.status == .approved && (changed.contains("start") || changed.contains("end")) {
            throw Self.stateConflict(current.status, "an approved period keeps its dates: return its value first")
        }
        try await repository.update(next, on: connection)
        let record = try await period(id, access: access, on: connection)
        try await publisher.publish(record.updated(changed, of: indicator), as: access, in: connection)
        return record
    }

    /// Deletes a period; one holding an approved value is kept until that value is returned (409).
    func deletePeriod(_ id: UUID, access: TenantAccess, on connection: PostgresConnection) async throws {
        let (current, indicator) = try await lockedPeriod(id, access: access, on: connection)
        try access.requireWrite("results")
        if current.status == .approved {
            throw Self.stateConflict(current.status, "the period holds an approved value: return it first")
        }
        try await repository.deletePeriod(id, on: connection)
        try await publisher.publish(current.deleted(of: indicator), as: access, in: connection)
    }

    /// 422 on `start` when another period of the indicator shares a day with `start`…`end`.
    func refuseOverlap(
        indicator: UUID, start: CalendarDate, end: CalendarDate, except: UUID?, on connection: PostgresConnection
    ) async throws {
        guard
            let other = try await repository.overlapping(
                indicator: indicator, start: start, end: end, except: except, on: connection)
        else { return }
        throw Problem.validation([.init(field: "start", message: "overlaps \(other.start) to \(other.end)")])
    }

    /// Compares targets by what their values are worth: `"70"` and `"70.0"` are the same target.
    static func sameValue(_ new: PeriodValue?, _ old: PeriodValue?) -> Bool {
        guard let new, let old else { return new == nil && old == nil }
        let sameNumber =
            switch (new.value, old.value) {
            case (let a?, let b?): a.hasSameValue(as: b)
            case (nil, nil): true
            default: false
            }
        return new.comment == old.comment && sameNumber
    }

    /// 409 for an action the period's status does not allow, naming the status as the field.
    static func stateConflict(_ status: PeriodStatus, _ detail: String) -> Problem {
        Problem.conflict(detail, errors: [.init(field: "status", message: "is \(status.rawValue)")])
    }
}
