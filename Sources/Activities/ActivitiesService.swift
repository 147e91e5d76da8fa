import ActivitiesContracts
import Foundation
import Gateway
import Kernel
import Messaging
import Postgres
import Vocabulary

/// Every operation on activities and their progress updates, for the HTTP routes, the CSV import and the
/// command line alike: each checks the caller's access and the rules, writes through
/// ``ActivitiesRepository`` in the caller's transaction, and publishes its events.
///
/// Inputs that a request carries are read once the caller's access is checked (`@autoclosure`), so a caller
/// who may not write hears 403 whatever body they send, as before.
public struct ActivitiesService: Sendable {
    let publisher: EventPublisher
    let repository = ActivitiesRepository()

    /// A service that publishes through `publisher`.
    public init(publisher: EventPublisher) {
        self.publisher = publisher
    }

    /// Activities recorded per statement by a batch.
    static let batchSize = 1_000

    // MARK: Reading

    func activity(_ id: UUID, access: TenantAccess, lock: Bool = false, on connection: PostgresConnection)
        async throws -> ActivityRecord
    {
        guard let record = try await repository.activity(id, scope: access.scope, lock: lock, on: connection) else {
            throw Problem.notFound("no such activity")
        }
        return record
    }

    func list(
        _ filter: ActivityFilter,
        limit: Int,
        after: (date: Date, id: UUID)?,
        access: TenantAccess,
        on connection: PostgresConnection
    ) async throws -> ActivityPage {
        let rows = try await repository.activities(
            filter, scope: access.scope, limit: limit, after: after, on: connection)
        let (items, next) = Pagination.page(rows, limit: limit) { ($0.createdAt, $0.id) }
        return ActivityPage(items: items, nextCursor: next)
    }

    /// The partnerships the caller may see, by title: what the pages offer to choose from.
    func partnerships(access: TenantAccess, on connection: PostgresConnection) async throws
        -> [(id: UUID, title: String)]
    {
        try await repository.partnerships(scope: access.scope, on: connection)
    }

    /// The title of a partnership the caller may see.
    ///
    /// - Throws: 404 when there is none, or the caller may not see it.
    func partnershipTitle(_ id: UUID, access: TenantAccess, on connection: PostgresConnection) async throws -> String {
        guard let title = try await repository.partnershipTitle(id, scope: access.scope, on: connection) else {
            throw Problem.notFound("no such partnership")
        }
        return title
    }

    /// Newest first; the cursor walks back in time, so notes posted while a client pages come at the top of
    /// the next first page, never in the middle of the pages it is reading.
    func updates(
        of id: UUID,
        limit: Int,
        before: (date: Date, id: UUID)?,
        access: TenantAccess,
        on connection: PostgresConnection
    ) async throws -> ProgressUpdatePage {
        _ = try await activity(id, access: access, on: connection)
        let rows = try await repository.updates(of: id, limit: limit, before: before, on: connection)
        let (items, next) = Pagination.page(rows, limit: limit) { ($0.postedAt, $0.id) }
        return ProgressUpdatePage(items: items, nextCursor: next)
    }

    // MARK: Recording

    /// Records one activity of a partnership the caller may see and write.
    ///
    /// In two round trips with the request's transaction (issue 15 item 4): the insert checks the partnership
    /// itself (no rows back: 404), and the event, its jobs and the in-transaction subscribers' statements
    /// travel with the `COMMIT`. The answers keep their order: a partnership the caller may not see is a 404
    /// before a refused write (403) or a bad body (422), which therefore look the partnership up first.
    public func create(
        _ input: @autoclosure () async throws -> NewActivity,
        in partnership: UUID,
        access: TenantAccess,
        on connection: PostgresConnection
    ) async throws -> ActivityRecord {
        let activity: NewActivity
        do {
            try access.requireWrite("activities")
            activity = try await input().checked()
        } catch {
            guard try await repository.partnershipExists(partnership, scope: access.scope, on: connection) else {
                throw Problem.notFound("no such partnership")
            }
            throw error
        }
        let stored = try await repository.insert(
            [(partnership, activity)], tenant: access.tenantID, visibleIn: access.scope, on: connection)
        guard !stored.isEmpty else { throw Problem.notFound("no such partnership") }
        let records = try ActivityRecord.stored(stored)
        try await publisher.publish(records.map(\.recorded), as: access, in: connection)
        return records[0]
    }

    /// Imports activities from a CSV file, all or nothing, in the caller's transaction; `progress` hears
    /// (done, total) as rows are recorded.
    ///
    /// - Throws: a 422 ``Problem`` listing every bad row, column and reason, before anything is written.
    public func importCSV(
        _ csv: @autoclosure () async throws -> Data,
        access: TenantAccess,
        on connection: PostgresConnection,
        progress: @Sendable (Int, Int) -> Void = { _, _ in }
    ) async throws -> [UUID] {
        try access.requireWrite("activities")
        do {
            return try await importCheckedCSV(try await csv(), access: access, on: connection, progress: progress)
        } catch let refused as ImportRefused {
            throw refused.problem
        }
    }

    /// Records checked activities in batches of ``batchSize``, announcing each from its rows as stored.
    ///
    /// While the database inserts one batch (on the connection's thread), this task turns the rows of the
    /// previous one into encoded events on another thread, so the two processes work at once. If that fails,
    /// the insert is awaited before the error rolls everything back.
    func recordBatches(
        _ activities: [(UUID, NewActivity)],
        access: TenantAccess,
        on connection: PostgresConnection,
        progress: @Sendable (Int, Int) -> Void
    ) async throws -> [UUID] {
        try access.requireWrite("activities")
        var ids: [UUID] = []
        ids.reserveCapacity(activities.count)
        func announce(_ prepared: PreparedEvents<ActivityRecorded>, of recorded: [UUID]) async throws {
            try await publisher.publish(prepared, in: connection)
            ids += recorded
            progress(ids.count, activities.count)
        }
        var stored: PostgresRows?
        for start in stride(from: 0, to: activities.count, by: Self.batchSize) {
            let batch = Array(activities[start..<min(start + Self.batchSize, activities.count)])
            async let inserted = repository.insert(batch, tenant: access.tenantID, on: connection)
            var previous: (events: PreparedEvents<ActivityRecorded>, ids: [UUID])?
            if let stored {
                previous = try await withTaskExecutorPreference(globalConcurrentExecutor) {
                    try prepareRecorded(stored, access: access)
                }
            }
            let rows = try await inserted
            if let previous { try await announce(previous.events, of: previous.ids) }
            stored = rows
        }
        if let stored {
            let last = try prepareRecorded(stored, access: access)
            try await announce(last.events, of: last.ids)
        }
        return ids
    }

    /// The recorded events of stored rows, encoded for publishing, and the activities' ids in order.
    private func prepareRecorded(_ rows: PostgresRows, access: TenantAccess) throws -> (
        events: PreparedEvents<ActivityRecorded>, ids: [UUID]
    ) {
        let records = try ActivityRecord.stored(rows)
        return (try publisher.prepare(records.map(\.recorded), as: access), records.map(\.id))
    }

    // MARK: Restating

    /// Publishes, for each of the municipality's activities with a description, an ``ActivityUpdated`` that
    /// changes nothing (`changedFields` empty, the activity's current version): the events published before
    /// activities carried their description stated none, so subscribers (the read model, and through it the
    /// IATI file) learn it from this one, and a rebuild replays it. Digests ignore an update that names no
    /// field. Answers how many were restated; running it again states them again, harmlessly.
    public func restateDescriptions(access: TenantAccess, batchSize: Int = 1_000, on connection: PostgresConnection)
        async throws -> Int
    {
        try access.requireWrite("activities")
        var restated = 0
        var after: UUID?
        while true {
            let batch = try await repository.describedActivities(after: after, limit: batchSize, on: connection)
            guard let last = batch.last else { break }
            try await publisher.publish(batch.map { $0.updated([]) }, as: access, in: connection)
            restated += batch.count
            after = last.id
        }
        return restated
    }

    // MARK: Changing

    /// Changes an activity's fields; announces the change, and its status or budget change when there is one.
    /// Changing nothing answers the activity as it is and announces nothing.
    func update(
        _ id: UUID,
        with edit: @autoclosure () async throws -> (changes: ActivityChanges, expectedVersion: Int?),
        access: TenantAccess,
        on connection: PostgresConnection
    ) async throws -> ActivityRecord {
        let current = try await activity(id, access: access, lock: true, on: connection)
        try access.requireWrite("activities")
        let (changes, expectedVersion) = try await edit()
        let body = try changes.checked()
        if let expectedVersion, expectedVersion != current.version {
            throw Problem.preconditionFailed(current: current.version)
        }
        let startsOn = body.startsOn.applied(to: current.startsOn)
        let endsOn = body.endsOn.applied(to: current.endsOn)
        let dateErrors = ActivityRules.dates(startsOn, endsOn)
        if !dateErrors.isEmpty { throw Problem.validation(dateErrors) }
        // A budget without `spent` keeps what was spent (a coordinator raising the plan has not spent nothing).
        let money = try body.budget.applied(to: nil).map {
            Budget(
                planned: try FieldCheck.amount($0.planned, field: "budget.planned"),
                spent: try $0.spent.map { try FieldCheck.amount($0, field: "budget.spent") } ?? current.budget?.spent
                    ?? Amount(units: 0, scale: 0),
                currency: Currency($0.currency))
        }
        let budget = body.budget == .absent ? current.budget : money
        let fundingSource = body.fundingSource.applied(to: current.fundingSource)
        let participants = body.participants.applied(to: current.participants)
        var changed: [String] = []
        func note<Value: Equatable>(_ new: Value?, _ old: Value, _ name: String) {
            if let new, new != old { changed.append(name) }
        }
        note(body.title, current.title, "title")
        note(body.description, current.description, "description")
        note(body.kind, current.kind.rawValue, "kind")
        note(body.status, current.status.rawValue, "status")
        note(startsOn, current.startsOn, "startsOn")
        note(endsOn, current.endsOn, "endsOn")
        note(body.direction, current.direction.rawValue, "direction")
        note(body.sdgTargets, current.sdgTargets, "sdgTargets")
        note(body.dacSectors, current.dacSectors, "dacSectors")
        note(body.themes, current.themes, "themes")
        note(fundingSource, current.fundingSource, "fundingSource")
        note(participants, current.participants, "participants")
        note(body.results, current.results, "results")
        if !Self.sameMoney(budget, current.budget) { changed.append("budget") }
        guard !changed.isEmpty else { return current }
        var next = current
        next.title = body.title ?? current.title
        next.description = body.description ?? current.description
        next.kind = try body.kind.map { try FieldCheck.word($0, field: "kind") } ?? current.kind
        next.status = try body.status.map { try FieldCheck.word($0, field: "status") } ?? current.status
        next.startsOn = startsOn
        next.endsOn = endsOn
        next.direction = try body.direction.map { try FieldCheck.word($0, field: "direction") } ?? current.direction
        next.sdgTargets = body.sdgTargets ?? current.sdgTargets
        next.dacSectors = body.dacSectors ?? current.dacSectors
        next.themes = body.themes ?? current.themes
        next.budget = budget
        next.fundingSource = fundingSource
        next.participants = participants
        next.results = body.results ?? current.results
        try await repository.update(next, on: connection)
        let record = try await activity(id, access: access, on: connection)
        try await publisher.publish(record.updated(changed), as: access, in: connection)
        if record.status != current.status {
            try await publisher.publish(record.statusChanged(from: current.status), as: access, in: connection)
        }
        if changed.contains("budget") {
            try await publisher.publish(record.budgetChanged(from: current.budget), as: access, in: connection)
        }
        return record
    }

    /// Compares amounts as numbers: "400" and "400.00" are the same money; no budget equals no budget.
    static func sameMoney(_ new: Budget?, _ old: Budget?) -> Bool {
        guard let new, let old else { return new == nil && old == nil }
        return new.hasSameValue(as: old)
    }

    func delete(_ id: UUID, access: TenantAccess, on connection: PostgresConnection) async throws {
        let current = try await activity(id, access: access, lock: true, on: connection)
        try access.requireWrite("activities")
        try await repository.delete(id, on: connection)
        try await publisher.publish(current.deleted, as: access, in: connection)
    }

    /// Posts a progress update: coordinators and partner coordinators of a partnership the caller may see.
    public func postUpdate(
        _ input: @autoclosure () async throws -> NewProgressUpdate,
        on id: UUID,
        access: TenantAccess,
        on connection: PostgresConnection
    ) async throws -> ProgressUpdate {
        let current = try await activity(id, access: access, on: connection)
        guard access.canPostUpdates else {
            throw Problem.forbidden("viewers do not post updates")
        }
        let body = try await input().checked()
        let update = ProgressUpdate(id: UUID.timeOrdered(), authorId: access.userID, body: body.body, postedAt: Date())
        try await repository.insert(update, on: id, tenant: access.tenantID, on: connection)
        try await publisher.publish(current.updatePosted(update), as: access, in: connection)
        return update
    }
}
