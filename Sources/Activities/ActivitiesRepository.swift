import ActivitiesContracts
import Foundation
import Gateway
import Postgres
import Vocabulary

/// Every SQL statement against the `activities` schema: the activities, their progress updates and our own
/// copy of the partnerships. Each runs in the caller's transaction; reads are limited to what `scope` may see.
struct ActivitiesRepository: Sendable {
    // MARK: Partnerships (our copy)

    /// Whether the partnership exists and the caller may see it.
    func partnershipExists(_ id: UUID, scope: ReadScope, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query(
            """
            SELECT status FROM activities.partnerships p
            WHERE p.id = \(id) AND \(fragment: scope.activities(partnership: "p.id"))
            """
        )
        return !rows.isEmpty
    }

    /// The partnerships the caller may see, by id and lowercased title.
    func partnershipTitles(scope: ReadScope, on connection: PostgresConnection) async throws
        -> [(id: UUID, title: String)]
    {
        try await connection.query(
            """
            SELECT p.id, lower(p.title) FROM activities.partnerships p
            WHERE \(fragment: scope.activities(partnership: "p.id"))
            """
        ).map { row in
            let (id, title) = try row.decode((UUID, String).self)
            return (id, title)
        }
    }

    /// The title of the partnership, if the caller may see it.
    func partnershipTitle(_ id: UUID, scope: ReadScope, on connection: PostgresConnection) async throws -> String? {
        let rows = try await connection.query(
            """
            SELECT p.title FROM activities.partnerships p
            WHERE p.id = \(id) AND \(fragment: scope.activities(partnership: "p.id"))
            """
        )
        return try rows.first?.decode(String.self, column: 0)
    }

    /// The partnerships the caller may see, by id and title as written, sorted by title (the pages' choices).
    func partnerships(scope: ReadScope, on connection: PostgresConnection) async throws -> [(id: UUID, title: String)] {
        try await connection.query(
            """
            SELECT p.id, p.title FROM activities.partnerships p
            WHERE \(fragment: scope.activities(partnership: "p.id"))
            ORDER BY lower(p.title), p.id
            """
        ).map { row in
            let (id, title) = try row.decode((UUID, String).self)
            return (id, title)
        }
    }

    // MARK: Activities

    /// The activity if the caller may see it; `FOR UPDATE` when about to change it.
    func activity(_ id: UUID, scope: ReadScope, lock: Bool = false, on connection: PostgresConnection)
        async throws -> ActivityRecord?
    {
        let rows = try await connection.query(
            """
            SELECT \(unsafeSQL: ActivityRecord.columns) FROM activities.activities a
            WHERE a.id = \(id) AND \(fragment: scope.activities(partnership: "a.partnership_id"))
            \(unsafeSQL: lock ? "FOR UPDATE OF a" : "")
            """
        )
        return try rows.first.map(ActivityRecord.init(row:))
    }

    /// A page of the activities the caller may see, oldest first: `limit + 1` rows, so the caller knows whether
    /// there is a next page.
    ///
    /// The statement names only the filters asked for, so each combination is a statement of its own
    /// (prepared once per connection): a catch-all `($n IS NULL OR …)` statement is planned once for every
    /// combination, and PostgreSQL's generic plan for it cannot use the partnership's index, so after five runs
    /// a partnership's page walked the municipality's activities in creation order until it had found 51.
    func activities(
        _ filter: ActivityFilter,
        scope: ReadScope,
        limit: Int,
        after: (date: Date, id: UUID)?,
        on connection: PostgresConnection
    ) async throws -> [ActivityRecord] {
        var condition = scope.activities(partnership: "a.partnership_id")
        if let id = filter.partnershipID { condition = "\(fragment: condition) AND a.partnership_id = \(id)" }
        if let status = filter.status { condition = "\(fragment: condition) AND a.status = \(status)" }
        if let kind = filter.kind { condition = "\(fragment: condition) AND a.kind = \(kind)" }
        if let direction = filter.direction { condition = "\(fragment: condition) AND a.direction = \(direction)" }
        if let goal = filter.goal { condition = "\(fragment: condition) AND \(goal)::smallint = ANY(a.sdg_goals)" }
        if let target = filter.target { condition = "\(fragment: condition) AND \(target)::text = ANY(a.sdg_targets)" }
        if let theme = filter.theme { condition = "\(fragment: condition) AND \(theme)::text = ANY(a.themes)" }
        if let year = filter.year, let start = CalendarDate(year: year, month: 1, day: 1),
            let end = CalendarDate(year: year, month: 12, day: 31)
        {
            condition =
                "\(fragment: condition) AND a.starts_on <= \(end)::date AND coalesce(a.ends_on, a.starts_on) >= \(start)::date"
        }
        if let search = filter.search {
            condition = "\(fragment: condition) AND a.search @@ plainto_tsquery('simple', \(search))"
        }
        if let after {
            condition =
                "\(fragment: condition) AND (a.created_at, a.id) > (\(after.date)::timestamptz, \(after.id)::uuid)"
        }
        return try await connection.query(
            """
            SELECT \(unsafeSQL: ActivityRecord.columns) FROM activities.activities a
            WHERE \(fragment: condition)
            ORDER BY a.created_at, a.id
            LIMIT \(limit + 1)
            """
        ).map(ActivityRecord.init(row:))
    }

    /// Up to `limit` of the municipality's activities that have a description, by id after `after`: what
    /// ``ActivitiesService/restateDescriptions(access:batchSize:on:)`` states again.
    func describedActivities(after: UUID?, limit: Int, on connection: PostgresConnection) async throws
        -> [ActivityRecord]
    {
        try await connection.query(
            """
            SELECT \(unsafeSQL: ActivityRecord.columns) FROM activities.activities a
            WHERE a.description <> '' AND (\(after)::uuid IS NULL OR a.id > \(after)::uuid)
            ORDER BY a.id
            LIMIT \(limit)
            """
        ).map(ActivityRecord.init(row:))
    }

    /// Inserts a batch of checked `(partnership, activity)` pairs in one statement and hands back the stored
    /// rows (``ActivityRecord/columns``) in the same round trip, for ``ActivityRecord/stored(_:)``.
    /// `created_at` grows by a microsecond per row so the batch's order is the list's order.
    ///
    /// With a `scope`, a row is inserted only when its partnership exists and the caller may see it (the check
    /// of ``partnershipExists(_:scope:on:)`` folded into the insert): no rows back means none was.
    func insert(
        _ batch: [(UUID, NewActivity)], tenant: UUID, visibleIn scope: ReadScope? = nil,
        on connection: PostgresConnection
    ) async throws -> PostgresRows {
        let now = Date()
        let ids = batch.map { _ in UUID.timeOrdered(at: now) }
        let rows = batch.map(\.1)
        func text(_ value: String?) -> String { value ?? "" }
        return try await connection.query(
            """
            INSERT INTO activities.activities AS a (tenant_id, id, partnership_id, title, description, kind, status,
                starts_on, ends_on, direction, sdg_targets, sdg_goals, themes, budget_planned, budget_spent,
                budget_currency, funding_source, participants, results, created_at, updated_at, dac_sectors)
            SELECT \(tenant), r.id, r.partnership, r.title, r.description, r.kind, r.status,
                nullif(r.starts, '')::date, nullif(r.ends, '')::date, r.direction, r.targets::text[],
                r.goals::smallint[], r.themes::text[], nullif(r.planned, '')::numeric, nullif(r.spent, '')::numeric,
                nullif(r.currency, ''), nullif(r.funding, ''), nullif(r.participants, '')::int, r.results,
                \(now)::timestamptz + (r.n * interval '1 microsecond'), \(now), r.sectors::text[]
            FROM unnest(
                \(ids)::uuid[], \(batch.map(\.0))::uuid[], \(rows.map(\.title))::text[],
                \(rows.map { text($0.description) })::text[], \(rows.map(\.kind))::text[],
                \(rows.map { $0.status ?? ActivityStatus.initial.rawValue })::text[], \(rows.map { text($0.startsOn?.description) })::text[],
                \(rows.map { text($0.endsOn?.description) })::text[], \(rows.map(\.direction))::text[],
                \(rows.map { ($0.sdgTargets ?? []).postgresText })::text[],
                \(rows.map { ActivityRules.goals(of: $0.sdgTargets ?? []).postgresText })::text[],
                \(rows.map { ($0.themes ?? []).postgresText })::text[], \(rows.map { text($0.budget?.planned) })::text[],
                \(rows.map { $0.budget.map { $0.spent ?? "0" } ?? "" })::text[],
                \(rows.map { text($0.budget?.currency) })::text[], \(rows.map { text($0.fundingSource) })::text[],
                \(rows.map { $0.participants.map(String.init) ?? "" })::text[], \(rows.map { text($0.results) })::text[],
                \(rows.map { ($0.dacSectors ?? []).postgresText })::text[]
            ) WITH ORDINALITY AS r(id, partnership, title, description, kind, status, starts, ends, direction, targets,
                goals, themes, planned, spent, currency, funding, participants, results, sectors, n)
            \(fragment: scope.map { visible($0) } ?? "")
            RETURNING \(unsafeSQL: ActivityRecord.columns)
            """
        )
    }

    /// The condition that a row's partnership (`r.partnership`) is one the caller may see.
    private func visible(_ scope: ReadScope) -> PostgresQuery {
        """
        WHERE EXISTS (SELECT FROM activities.partnerships p
            WHERE p.id = r.partnership AND \(fragment: scope.activities(partnership: "p.id")))
        """
    }

    /// Writes every field of `activity` to the activity with its id and moves it to the next version (the
    /// goals follow from the targets).
    func update(_ activity: ActivityRecord, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            UPDATE activities.activities SET
                title = \(activity.title), description = \(activity.description),
                kind = \(activity.kind), status = \(activity.status),
                starts_on = \(activity.startsOn), ends_on = \(activity.endsOn),
                direction = \(activity.direction), sdg_targets = \(activity.sdgTargets)::text[],
                sdg_goals = \(ActivityRules.goals(of: activity.sdgTargets))::smallint[],
                themes = \(activity.themes)::text[],
                budget_planned = \(activity.budget?.planned)::numeric, budget_spent = \(activity.budget?.spent)::numeric,
                budget_currency = \(activity.budget?.currency), funding_source = \(activity.fundingSource),
                participants = \(activity.participants), results = \(activity.results),
                dac_sectors = \(activity.dacSectors)::text[], version = version + 1,
                updated_at = \(Date())
            WHERE id = \(activity.id)
            """
        )
    }

    func delete(_ id: UUID, on connection: PostgresConnection) async throws {
        try await connection.query("DELETE FROM activities.activities WHERE id = \(id)")
    }

    // MARK: Progress updates

    func insert(_ update: ProgressUpdate, on activity: UUID, tenant: UUID, on connection: PostgresConnection)
        async throws
    {
        try await connection.query(
            """
            INSERT INTO activities.updates (tenant_id, id, activity_id, author_id, body, posted_at)
            VALUES (\(tenant), \(update.id), \(activity), \(update.authorId), \(update.body), \(update.postedAt))
            """
        )
    }

    /// A page of the activity's updates, newest first: `limit + 1` rows, so the caller knows whether there is
    /// a next page.
    func updates(
        of activity: UUID,
        limit: Int,
        before: (date: Date, id: UUID)?,
        on connection: PostgresConnection
    ) async throws -> [ProgressUpdate] {
        try await connection.query(
            """
            SELECT id, author_id, body, posted_at FROM activities.updates
            WHERE activity_id = \(activity)
              AND (\(before?.date)::timestamptz IS NULL
                   OR (posted_at, id) < (\(before?.date)::timestamptz, \(before?.id)::uuid))
            ORDER BY posted_at DESC, id DESC
            LIMIT \(limit + 1)
            """
        ).map { row in
            let (id, author, body, posted) = try row.decode((UUID, UUID, String, Date).self)
            return ProgressUpdate(id: id, authorId: author, body: body, postedAt: posted)
        }
    }
}

extension ReadScope {
    /// The scope as a condition on our own copy of the members, given the column that holds the partnership's
    /// id: every read of activities, their partnerships and their updates goes through it.
    func activities(partnership column: StaticString) -> PostgresQuery {
        condition(partnership: column, members: "activities.partnership_members")
    }
}
