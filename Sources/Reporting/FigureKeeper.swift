import Foundation
import Postgres

/// Keeps `reporting.figures`, `reporting.figure_partnerships` and `reporting.figure_reach` in step with the
/// read model, in the transaction that applies an event: the old row's contribution out, the new one in.
///
/// Every event's writer first takes locks, so the old row it reads is the last committed one: an activity's
/// events take the activity's lock, and its partnership's lock shared; a partnership's events take the
/// partnership's lock alone (a new country or a deletion moves all its activities' figures). So the events of
/// one activity, and a partnership's change with its activities' events, are applied one at a time, while
/// different activities' events run at once: their `+ delta` upserts of the shared figure rows add up under
/// the rows' own locks, taken in one sorted order, and a partnership count's passage through zero is read
/// from the upsert that made it. Every writer holds its municipality's lock shared; the rebuild holds it alone.
/// (An activity's partnership never changes.)
enum FigureKeeper {
    /// Names the lock spaces of `pg_advisory_xact_lock(int, int)`: a municipality's read model, a partnership
    /// in it, an activity in it.
    static let lockSpace: Int32 = 0x5245_5054  // "REPT"
    static let partnershipLockSpace: Int32 = 0x5245_5050  // "REPP"
    static let activityLockSpace: Int32 = 0x5245_5041  // "REPA"

    /// Takes the municipality's read-model lock alone until the transaction ends: no event is applied meanwhile.
    static func lock(tenant: UUID, on connection: PostgresConnection) async throws {
        try await connection.query(
            "SELECT pg_advisory_xact_lock(\(Int(lockSpace))::int, hashtext(\(tenant.uuidString.lowercased())))")
    }

    /// For a partnership's event: the municipality's lock shared and the partnership's alone, in one round
    /// trip, until the transaction ends.
    static func lock(tenant: UUID, partnership: UUID, on connection: PostgresConnection) async throws {
        try await connection.query(lockQuery(tenant: tenant, partnership: partnership))
    }

    /// The statement of ``lock(tenant:partnership:on:)``, to send with the statement it guards.
    static func lockQuery(tenant: UUID, partnership: UUID) -> PostgresQuery {
        """
        SELECT pg_advisory_xact_lock_shared(\(Int(lockSpace))::int, hashtext(\(key(tenant)))),
            pg_advisory_xact_lock(\(Int(partnershipLockSpace))::int, hashtext(\(key(tenant, partnership))))
        """
    }

    /// For an activity's event: the municipality's and the partnership's locks shared and the activity's alone,
    /// in that order (every writer takes them in that order), until the transaction ends.
    static func lock(tenant: UUID, partnership: UUID, activity: UUID, on connection: PostgresConnection)
        async throws
    {
        try await connection.query(lockQuery(tenant: tenant, partnership: partnership, activity: activity))
    }

    /// The statement of ``lock(tenant:partnership:activity:on:)``, to send with the statement it guards.
    static func lockQuery(tenant: UUID, partnership: UUID, activity: UUID) -> PostgresQuery {
        """
        SELECT pg_advisory_xact_lock_shared(\(Int(lockSpace))::int, hashtext(\(key(tenant)))),
            pg_advisory_xact_lock_shared(\(Int(partnershipLockSpace))::int, hashtext(\(key(tenant, partnership)))),
            pg_advisory_xact_lock(\(Int(activityLockSpace))::int, hashtext(\(key(tenant, activity))))
        """
    }

    /// For a batch of activity events: the municipality's lock shared, then each partnership's shared and each
    /// activity's alone, each set in one sorted order, in one statement, until the transaction ends. All locks come
    /// before any statement that needs them, in the order every writer takes them.
    static func lock(tenant: UUID, partnerships: [UUID], activities: [UUID], on connection: PostgresConnection)
        async throws
    {
        let partnershipKeys = Set(partnerships.map { key(tenant, $0) }).sorted()
        let activityKeys = Set(activities.map { key(tenant, $0) }).sorted()
        // A function scan returns the array's elements in order, and the aggregate calls the lock function on
        // each as it comes.
        try await connection.query(
            """
            SELECT pg_advisory_xact_lock_shared(\(Int(lockSpace))::int, hashtext(\(key(tenant)))),
                (SELECT count(pg_advisory_xact_lock_shared(\(Int(partnershipLockSpace))::int, hashtext(k)))
                 FROM unnest(\(partnershipKeys)::text[]) AS k),
                (SELECT count(pg_advisory_xact_lock(\(Int(activityLockSpace))::int, hashtext(k)))
                 FROM unnest(\(activityKeys)::text[]) AS k)
            """)
    }

    private static func key(_ ids: UUID...) -> String {
        ids.map { $0.uuidString.lowercased() }.joined(separator: "/")
    }

    /// What one event moves: figures and partnership counts, each by how much.
    struct Change: Sendable {
        var tallies: [Figures.Key: Figures.Tally] = [:]
        var partnerships: [PartnershipFigure: Int] = [:]

        struct PartnershipFigure: Sendable, Hashable {
            var reach: Figures.Reach
            var partnershipID: UUID
        }

        mutating func add(_ activity: ReportedActivity) { move(activity, by: 1) }

        /// Adds another change to this one: a batch's events are written together.
        mutating func add(_ other: Change) {
            for (key, tally) in other.tallies { tallies[key, default: Figures.Tally()] += tally }
            for (key, count) in other.partnerships { partnerships[key, default: 0] += count }
        }

        mutating func remove(_ activity: ReportedActivity) { move(activity, by: -1) }

        private mutating func move(_ activity: ReportedActivity, by sign: Int) {
            for (key, tally) in Figures.contribution(of: activity) {
                tallies[key, default: Figures.Tally()] += sign > 0 ? tally : -tally
            }
            for reach in Figures.reachedFigures(of: activity) {
                partnerships[PartnershipFigure(reach: reach, partnershipID: activity.partnershipID), default: 0] += sign
            }
        }

        /// Without the parts that cancel out (an event that leaves the figures as they were moves nothing).
        var net: Change {
            Change(tallies: tallies.filter { !$0.value.isZero }, partnerships: partnerships.filter { $0.value != 0 })
        }
    }

    /// Adds `change` to the municipality's figures in one statement; a partnership count that reaches or
    /// leaves zero moves its figure's distinct partnerships.
    static func write(_ change: Change, tenant: UUID, on connection: PostgresConnection) async throws {
        let change = change.net
        guard !change.tallies.isEmpty || !change.partnerships.isEmpty else { return }
        // Sorted, so that writers meet the rows in one order.
        let tallies = change.tallies.sorted {
            ($0.key.dimension, $0.key.value, $0.key.currency) < ($1.key.dimension, $1.key.value, $1.key.currency)
        }
        let partnerships = change.partnerships.sorted {
            ($0.key.reach.dimension, $0.key.reach.value, $0.key.partnershipID.uuidString.lowercased())
                < ($1.key.reach.dimension, $1.key.reach.value, $1.key.partnershipID.uuidString.lowercased())
        }
        try await connection.query(
            """
            WITH summed AS (
                INSERT INTO reporting.figures AS f (tenant_id, dimension, value, currency, activities, planned_cents,
                    spent_cents)
                SELECT \(tenant), * FROM unnest(\(tallies.map(\.key.dimension))::text[], \(tallies.map(\.key.value))::text[],
                    \(tallies.map(\.key.currency))::text[], \(tallies.map(\.value.activities))::int8[],
                    \(tallies.map { Int($0.value.planned) })::int8[], \(tallies.map { Int($0.value.spent) })::int8[])
                ON CONFLICT (tenant_id, dimension, value, currency) DO UPDATE SET
                    activities = f.activities + excluded.activities,
                    planned_cents = f.planned_cents + excluded.planned_cents,
                    spent_cents = f.spent_cents + excluded.spent_cents),
            moved (dimension, value, partnership_id, activities) AS (
                SELECT * FROM unnest(\(partnerships.map(\.key.reach.dimension))::text[],
                    \(partnerships.map(\.key.reach.value))::text[], \(partnerships.map(\.key.partnershipID))::uuid[],
                    \(partnerships.map(\.value))::int8[])),
            counted AS (
                INSERT INTO reporting.figure_partnerships AS c (tenant_id, dimension, value, partnership_id, activities)
                SELECT \(tenant), dimension, value, partnership_id, activities FROM moved
                ON CONFLICT (tenant_id, dimension, value, partnership_id) DO UPDATE SET
                    activities = c.activities + excluded.activities
                RETURNING c.dimension, c.value, c.partnership_id, c.activities AS now),
            reached AS (
                SELECT counted.dimension, counted.value,
                    sum((now > 0)::int - (now - moved.activities > 0)::int) AS partnerships
                FROM counted JOIN moved USING (dimension, value, partnership_id)
                GROUP BY 1, 2)
            INSERT INTO reporting.figure_reach AS r (tenant_id, dimension, value, partnerships)
            SELECT \(tenant), dimension, value, partnerships FROM reached WHERE partnerships <> 0
            ORDER BY dimension, value
            ON CONFLICT (tenant_id, dimension, value) DO UPDATE SET partnerships = r.partnerships + excluded.partnerships
            """)
    }
}

extension ReportedActivity {
    /// The same activity under a partnership in `country`.
    func `in`(_ country: String) -> ReportedActivity {
        var moved = self
        moved.country = country
        return moved
    }
}
