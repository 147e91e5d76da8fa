import Foundation
import Gateway
import Kernel
import Messaging
import Postgres
import ResultsContracts
import Vocabulary

/// The two-sided reporting: either side reports a period's value, a coordinator approves it or returns it.
///
/// Each step is one of ``PeriodStatus/after(_:)``'s; a step the status does not allow is a 409 naming the
/// status. The answers keep the service's order: the period in scope (404), the role (403), the body (422),
/// `If-Match` (412), the status (409).
extension ResultsService {
    /// Reports a period's value: administrators, coordinators, and partner coordinators of the partnership.
    /// The period waits for review (`submitted`); a value not yet reviewed may be reported again, an approved
    /// one must be returned first.
    public func report(
        _ input: @autoclosure () async throws -> (value: ActualInput, expectedVersion: Int?),
        for id: UUID,
        access: TenantAccess,
        on connection: PostgresConnection
    ) async throws -> PeriodRecord {
        let (current, indicator) = try await lockedPeriod(id, access: access, on: connection)
        guard access.canPostUpdates else { throw Problem.forbidden("viewers do not report values") }
        let (body, expectedVersion) = try await input()
        let actual = try body.checked()
        let errors = ResultRules.actual(actual, measure: indicator.measure)
        if !errors.isEmpty { throw Problem.validation(errors) }
        try Self.require(expectedVersion, current)
        guard current.status.after(.report) != nil else {
            throw Self.stateConflict(current.status, "the value is approved: a coordinator returns it first")
        }
        try await repository.report(
            id, value: actual.value.flatMap(IndicatorValue.init), comment: actual.comment ?? "", by: access.userID,
            on: connection)
        let record = try await period(id, access: access, on: connection)
        let reporter = try await repository.reporter(access.userID, of: record.partnershipId, on: connection)
        // The partner's side: a partner coordinator, or whoever the partnership names as its partner's
        // coordinator.
        let side: ReporterSide =
            access.identity.role == .partnerCoordinator || reporter.role == PartnershipRole.partnerCoordinator.rawValue
            ? .partner : .municipality
        try await publisher.publish(
            record.reported(of: indicator, by: side, partnerName: reporter.partnerName), as: access, in: connection)
        return record
    }

    /// Approves a submitted value (administrators and coordinators, who may approve what they reported
    /// themselves): from then on it counts in reports, charts and the IATI file.
    public func approve(
        _ id: UUID,
        with input: @autoclosure () async throws -> (approval: ApprovalInput, expectedVersion: Int?),
        access: TenantAccess,
        on connection: PostgresConnection
    ) async throws -> PeriodRecord {
        let (current, indicator) = try await lockedPeriod(id, access: access, on: connection)
        try access.requireWrite("results")
        let (body, expectedVersion) = try await input()
        let approval = try body.checked()
        try Self.require(expectedVersion, current)
        guard let next = current.status.after(.approve) else {
            throw Self.stateConflict(current.status, "only a submitted value can be approved")
        }
        try await repository.review(
            id, status: next, comment: approval.comment ?? "", by: access.userID, on: connection)
        let record = try await period(id, access: access, on: connection)
        try await publisher.publish(record.approved(of: indicator), as: access, in: connection)
        return record
    }

    /// Returns a submitted value to be reported again, or reopens an approved one, saying why (administrators
    /// and coordinators).
    func returnValue(
        _ id: UUID,
        with input: @autoclosure () async throws -> (comment: ReturnInput, expectedVersion: Int?),
        access: TenantAccess,
        on connection: PostgresConnection
    ) async throws -> PeriodRecord {
        let (current, indicator) = try await lockedPeriod(id, access: access, on: connection)
        try access.requireWrite("results")
        let (body, expectedVersion) = try await input()
        let comment = try body.checked().comment
        try Self.require(expectedVersion, current)
        guard let next = current.status.after(.return) else {
            throw Self.stateConflict(current.status, "only a submitted or approved value can be returned")
        }
        try await repository.review(id, status: next, comment: comment, by: access.userID, on: connection)
        let record = try await period(id, access: access, on: connection)
        try await publisher.publish(record.returned(of: indicator), as: access, in: connection)
        return record
    }

    /// 412 when `If-Match` named another version than the period's.
    static func require(_ expectedVersion: Int?, _ current: PeriodRecord) throws {
        if let expectedVersion, expectedVersion != current.version {
            throw Problem.preconditionFailed(current: current.version)
        }
    }
}
