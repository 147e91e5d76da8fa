import Foundation
import Gateway
import IATI
import Postgres
import Vocabulary

/// The reports' reads of the read model (`reporting` schema): what the reports and the IATI export are
/// drawn from. The read model's writes are ``ReadModel``'s and ``FigureKeeper``'s.
struct ReportsRepository: Sendable {
    /// The activities that pass `filter` and lie in `scope`: a partner coordinator's reports count only the
    /// partnerships they are a member of (``ReadScope/condition(partnership:members:)`` on our own copy of the
    /// members).
    func activities(_ filter: ReportFilter, scope: ReadScope, tenant: UUID?, on connection: PostgresConnection)
        async throws -> [ReportedActivity]
    {
        var condition: PostgresQuery =
            "\(fragment: filter.condition) AND \(fragment: scope.condition(partnership: "a.partnership_id", members: "reporting.members"))"
        if let tenant { condition = "\(fragment: condition) AND a.tenant_id = \(tenant)" }
        return try await connection.query(
            """
            SELECT \(fragment: ReportedActivity.columns)
            FROM reporting.activities a
            JOIN reporting.partnerships p ON p.tenant_id = a.tenant_id AND p.id = a.partnership_id
            WHERE \(fragment: condition)
            """
        ).map { row in try ReportedActivity(row, from: 0) }
    }

    /// The current municipality's kept figures of `dimensions` (``FigureKeeper``'s `reporting.figures` and
    /// `reporting.figure_reach`, rows that count): its unfiltered reports, without reading an activity. One
    /// statement, so the figures and the reach are of one snapshot; the keeper writes them in the transaction
    /// that changes the activities, so they are the figures of the activities that snapshot holds.
    func keptFigures(_ dimensions: [String], tenant: UUID, on connection: PostgresConnection) async throws -> Figures {
        var figures = Figures()
        for row in try await connection.query(
            """
            SELECT dimension, value, currency, activities, planned_cents, spent_cents, NULL::integer
            FROM reporting.figures
            WHERE tenant_id = \(tenant) AND dimension = ANY(\(dimensions)::text[]) AND activities <> 0
            UNION ALL
            SELECT dimension, value, NULL, NULL, NULL, NULL, partnerships FROM reporting.figure_reach
            WHERE tenant_id = \(tenant) AND dimension = ANY(\(dimensions)::text[]) AND partnerships <> 0
            """)
        {
            try Self.add(row, to: &figures)
        }
        return figures
    }

    /// The SDG figures (`goal`, `target`, `sdg`, `no-goal` and their distinct partnerships) of the activities
    /// that pass `filter` and lie in `scope`, summed by PostgreSQL with `Figures`' split (as
    /// `reporting.recount_figures()` sums them): a few rows per goal and target instead of every activity.
    func sdgFigures(_ filter: ReportFilter, scope: ReadScope, tenant: UUID, on connection: PostgresConnection)
        async throws -> Figures
    {
        let condition: PostgresQuery =
            "\(fragment: filter.condition) AND \(fragment: scope.condition(partnership: "a.partnership_id", members: "reporting.members")) AND a.tenant_id = \(tenant)"
        var figures = Figures()
        for row in try await connection.query(
            """
            WITH live AS MATERIALIZED (
                SELECT a.partnership_id, a.sdg_goals, a.sdg_targets,
                    coalesce((a.budget_planned * 100)::int8, 0) AS planned,
                    coalesce((a.budget_spent * 100)::int8, 0) AS spent, coalesce(a.budget_currency, '') AS currency
                FROM reporting.activities a
                JOIN reporting.partnerships p ON p.tenant_id = a.tenant_id AND p.id = a.partnership_id
                WHERE \(fragment: condition)),
            goals AS MATERIALIZED (
                SELECT l.partnership_id, l.currency, l.sdg_targets, g.goal,
                    l.planned / n + (g.i <= l.planned - (l.planned / n) * n)::int AS planned,
                    l.spent / n + (g.i <= l.spent - (l.spent / n) * n)::int AS spent
                FROM (SELECT live.*, ARRAY(SELECT DISTINCT x FROM unnest(live.sdg_goals) x ORDER BY x) AS list
                    FROM live) l,
                    cardinality(l.list) n, unnest(l.list) WITH ORDINALITY g(goal, i)),
            targets AS MATERIALIZED (
                SELECT g.partnership_id, g.currency, t.target,
                    g.planned / m + (t.j <= g.planned - (g.planned / m) * m)::int AS planned,
                    g.spent / m + (t.j <= g.spent - (g.spent / m) * m)::int AS spent
                FROM goals g,
                    LATERAL (SELECT ARRAY(
                        SELECT u.target FROM unnest(g.sdg_targets) WITH ORDINALITY u(target, position)
                        WHERE split_part(u.target, '.', 1) = g.goal::text ORDER BY u.position) AS list) l,
                    cardinality(l.list) m, unnest(l.list) WITH ORDINALITY t(target, j))
            SELECT 'goal', goal::text, currency, count(*)::int, sum(planned)::int8, sum(spent)::int8, NULL::integer
            FROM goals GROUP BY goal, currency
            UNION ALL
            SELECT 'target', target, currency, count(*)::int, sum(planned)::int8, sum(spent)::int8, NULL FROM targets
            GROUP BY target, currency
            UNION ALL
            SELECT CASE WHEN cardinality(sdg_goals) > 0 THEN 'sdg' ELSE 'no-goal' END, '', currency, count(*)::int,
                sum(planned)::int8, sum(spent)::int8, NULL
            FROM live GROUP BY cardinality(sdg_goals) > 0, currency
            UNION ALL
            SELECT 'goal', goal::text, NULL, NULL, NULL, NULL, count(DISTINCT partnership_id)::int FROM goals
            GROUP BY goal
            UNION ALL
            SELECT 'target', target, NULL, NULL, NULL, NULL, count(DISTINCT partnership_id)::int FROM targets
            GROUP BY target
            UNION ALL
            SELECT 'sdg', '', NULL, NULL, NULL, NULL, count(DISTINCT partnership_id)::int FROM live
            WHERE cardinality(sdg_goals) > 0 HAVING count(*) > 0
            """)
        {
            try Self.add(row, to: &figures)
        }
        return figures
    }

    /// Adds one row of `dimension, value, currency, activities, planned, spent, partnerships` to `figures`:
    /// a tally, or (with `partnerships` set) a figure's distinct partnerships.
    private static func add(_ row: PostgresRow, to figures: inout Figures) throws {
        let (dimension, value) = try row.decode((String, String).self)
        if let partnerships = try row.decode(Int?.self, column: 6) {
            figures.reach[Figures.Reach(dimension: dimension, value: value)] = partnerships
        } else {
            figures.tallies[
                Figures.Key(dimension: dimension, value: value, currency: try row.decode(String.self, column: 2))] =
                Figures.Tally(
                    activities: try row.decode(Int.self, column: 3), planned: try row.decode(Int64.self, column: 4),
                    spent: try row.decode(Int64.self, column: 5))
        }
    }

    /// Partnerships per status, of those that pass `filter` and lie in `scope`.
    func partnershipStatuses(_ filter: ReportFilter, scope: ReadScope, on connection: PostgresConnection)
        async throws -> [String: Int]
    {
        var statuses: [String: Int] = [:]
        var condition: PostgresQuery =
            "NOT p.deleted AND \(fragment: scope.condition(partnership: "p.id", members: "reporting.members"))"
        if let id = filter.partnershipID { condition = "\(fragment: condition) AND p.id = \(id)" }
        if let country = filter.country { condition = "\(fragment: condition) AND p.partner_country = \(country)" }
        for row in try await connection.query(
            "SELECT p.status, count(*) FROM reporting.partnerships p WHERE \(fragment: condition) GROUP BY 1")
        {
            let (status, count) = try row.decode((String, Int).self)
            statuses[status] = count
        }
        return statuses
    }

    /// The partnerships (not deleted) in `scope`, by title.
    func partnerships(scope: ReadScope, on connection: PostgresConnection) async throws -> [(id: UUID, title: String)] {
        try await connection.query(
            """
            SELECT p.id, p.title FROM reporting.partnerships p
            WHERE NOT p.deleted AND \(fragment: scope.condition(partnership: "p.id", members: "reporting.members"))
            ORDER BY lower(p.title), p.id
            """
        ).map { row in
            let (id, title) = try row.decode((UUID, String).self)
            return (id: id, title: title)
        }
    }

    /// The kept figures of `dimensions`, per municipality.
    func figures(_ dimensions: [String], on connection: PostgresConnection) async throws -> [UUID: Figures] {
        // Tens of thousands of rows, a few hundred municipalities: each id is parsed once, not once a row.
        var byTenant: [String: Figures] = [:]
        for row in try await connection.query(
            """
            SELECT tenant_id::text, dimension, value, currency, activities, planned_cents, spent_cents, partnerships
            FROM reporting.platform_figures(\(dimensions)::text[])
            """)
        {
            let (tenant, dimension, value) = try row.decode((String, String, String).self)
            if let partnerships = try row.decode(Int?.self, column: 7) {
                byTenant[tenant, default: Figures()].reach[Figures.Reach(dimension: dimension, value: value)] =
                    partnerships
            } else {
                let key = Figures.Key(
                    dimension: dimension, value: value, currency: try row.decode(String.self, column: 3))
                byTenant[tenant, default: Figures()].tallies[key] = Figures.Tally(
                    activities: try row.decode(Int.self, column: 4), planned: try row.decode(Int64.self, column: 5),
                    spent: try row.decode(Int64.self, column: 6))
            }
        }
        return Dictionary(
            uniqueKeysWithValues: byTenant.compactMap { id, figures in UUID(uuidString: id).map { ($0, figures) } })
    }

    /// The figures of the activities that pass `filter`, per municipality.
    func figures(_ filter: ReportFilter, on connection: PostgresConnection) async throws -> [UUID: Figures] {
        let rows = try await connection.query(
            """
            SELECT * FROM reporting.platform_activities(\(filter.year)::int, \(filter.partnershipID)::uuid,
                \(filter.country)::text, \(filter.status)::text, \(filter.theme)::text)
            """)
        var byTenant: [UUID: [ReportedActivity]] = [:]
        for row in rows {
            let tenant = try row.decode(UUID.self, column: 0)
            byTenant[tenant, default: []].append(
                ReportedActivity(
                    partnershipID: try row.decode(UUID.self, column: 1), status: try row.decode(String.self, column: 2),
                    kind: try row.decode(String.self, column: 3), direction: try row.decode(String.self, column: 4),
                    themes: try row.decode([String].self, column: 5), goals: try row.decode([Int].self, column: 6),
                    targets: try row.decode([String].self, column: 7), planned: try row.decode(Int64.self, column: 8),
                    spent: try row.decode(Int64.self, column: 9), currency: try row.decode(String?.self, column: 10),
                    startYear: try row.decode(Int?.self, column: 11), country: try row.decode(String.self, column: 12)))
        }
        return byTenant.mapValues(Figures.init)
    }

    /// Partnerships per status and municipality, of those that pass `filter`.
    func partnershipStatuses(_ filter: ReportFilter, on connection: PostgresConnection) async throws -> [UUID: [String:
        Int]]
    {
        var statuses: [UUID: [String: Int]] = [:]
        for row in try await connection.query(
            "SELECT * FROM reporting.platform_partnership_statuses(\(filter.partnershipID)::uuid, \(filter.country)::text)"
        ) {
            let (tenant, status, count) = try row.decode((UUID, String, Int).self)
            statuses[tenant, default: [:]][status] = count
        }
        return statuses
    }

    /// The municipality's activities that pass `filter`, as the IATI export describes them, with their spending
    /// ledger (migration 0044) and their results (``iatiResults(of:on:)``): two statements, whatever the number
    /// of activities.
    func iatiActivities(_ filter: ReportFilter, on connection: PostgresConnection) async throws -> [IATIActivity] {
        let activities = try await connection.query(
            """
            SELECT a.id, a.title, a.status, a.starts_on, a.ends_on, p.partner_name, p.partner_country, a.sdg_goals,
                a.sdg_targets, a.budget_planned::text, a.budget_spent::text, a.budget_currency, a.updated_at,
                coalesce((
                    SELECT json_agg(json_build_object('year', s.year, 'spent', s.spent::text, 'currency', s.currency,
                            'recordedOn', s.recorded_on) ORDER BY s.year)
                    FROM reporting.activity_spending s
                    WHERE s.tenant_id = a.tenant_id AND s.activity_id = a.id), '[]')::text,
                coalesce(a.description, ''), coalesce(a.dac_sectors, '{}')
            FROM reporting.activities a
            JOIN reporting.partnerships p ON p.tenant_id = a.tenant_id AND p.id = a.partnership_id
            WHERE \(fragment: filter.condition)
            ORDER BY a.id
            """
        ).map { row in
            let spending = try Self.spendingDecoder.decode(
                [LedgerRow].self, from: Data(try row.decode(String.self, column: 13).utf8))
            var activity = IATIActivity(
                id: try row.decode(UUID.self, column: 0), title: try row.decode(String.self, column: 1),
                // The description the activity's events carry (IATIActivity puts the title in its place when it
                // is empty: before `stedenband activities restate`, and for an activity described by none).
                description: try row.decode(String.self, column: 14), status: try row.decode(String.self, column: 2),
                startsOn: try row.decode(CalendarDate?.self, column: 3),
                endsOn: try row.decode(CalendarDate?.self, column: 4),
                partnerName: try row.decode(String.self, column: 5),
                partnerCountry: try row.decode(String.self, column: 6), sdgGoals: try row.decode([Int].self, column: 7),
                sdgTargets: try row.decode([String].self, column: 8),
                budgetPlanned: try row.decode(String?.self, column: 9),
                budgetSpent: try row.decode(String?.self, column: 10),
                currency: try row.decode(String?.self, column: 11), updatedAt: try row.decode(Date.self, column: 12),
                spending: spending.map {
                    IATISpending(year: $0.year, spent: $0.spent, currency: $0.currency, recordedOn: $0.recordedOn)
                })
            activity.dacSectors = try row.decode([String].self, column: 15)
            return activity
        }
        let results = try await iatiResults(of: activities.map(\.id), on: connection)
        return activities.map { activity in
            var activity = activity
            activity.results = results[activity.id] ?? []
            return activity
        }
    }

    private static let spendingDecoder = JSONDecoder()

    /// A year of ``SpendingLedger``'s, as the export reads it.
    private struct LedgerRow: Decodable {
        var year: Int
        var spent: String
        var currency: String
        var recordedOn: CalendarDate
    }
}
