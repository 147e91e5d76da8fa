import Foundation
import Gateway
import Postgres
import ResultsContracts
import Vocabulary

extension ResultsRepository {
    // MARK: Periods

    /// The periods of the indicators, earliest first: what an indicator nests.
    func periods(of indicators: [UUID], on connection: PostgresConnection) async throws -> [PeriodRecord] {
        guard !indicators.isEmpty else { return [] }
        return try await connection.query(
            """
            SELECT \(unsafeSQL: PeriodRecord.columns) FROM \(unsafeSQL: PeriodRecord.tables)
            WHERE p.indicator_id = ANY(\(indicators)::uuid[])
            ORDER BY p.starts_on, p.id
            """
        ).map(PeriodRecord.init(row:))
    }

    /// The submitted values in `scope` waiting for a coordinator, oldest report first, each with its indicator's
    /// title and measure, its partnership's title and its activity's.
    func submitted(scope: ReadScope, limit: Int, on connection: PostgresConnection) async throws -> [(
        period: PeriodRecord, indicator: String, measure: String, partnership: String, activity: String?
    )] {
        try await connection.query(
            """
            SELECT \(unsafeSQL: PeriodRecord.columns), i.title, i.measure, pa.title, a.title
            FROM \(unsafeSQL: PeriodRecord.tables)
            JOIN results.partnerships pa ON pa.tenant_id = p.tenant_id AND pa.id = p.partnership_id
            LEFT JOIN results.activities a ON a.tenant_id = r.tenant_id AND a.id = r.activity_id
            WHERE p.status = 'submitted' AND \(fragment: scope.results(partnership: "p.partnership_id"))
            ORDER BY p.reported_at, p.id
            LIMIT \(limit)
            """
        ).map { row in
            (
                try PeriodRecord(row: row), try row.decode(String.self, column: 20),
                try row.decode(String.self, column: 21), try row.decode(String.self, column: 22),
                try row.decode(String?.self, column: 23)
            )
        }
    }

    /// The periods in `scope` whose value is still to report or may still be revised: returned ones first, then by
    /// the soonest end; each with its indicator's title, its partnership's and its activity's.
    func toReport(scope: ReadScope, limit: Int, on connection: PostgresConnection) async throws -> [(
        period: PeriodRecord, indicator: String, partnership: String, activity: String?
    )] {
        try await connection.query(
            """
            SELECT \(unsafeSQL: PeriodRecord.columns), i.title, pa.title, a.title
            FROM \(unsafeSQL: PeriodRecord.tables)
            JOIN results.partnerships pa ON pa.tenant_id = p.tenant_id AND pa.id = p.partnership_id
            LEFT JOIN results.activities a ON a.tenant_id = r.tenant_id AND a.id = r.activity_id
            WHERE p.status IN ('draft', 'returned', 'submitted')
              AND \(fragment: scope.results(partnership: "p.partnership_id"))
            ORDER BY p.status <> 'returned', p.ends_on, p.id
            LIMIT \(limit)
            """
        ).map { row in
            (
                try PeriodRecord(row: row), try row.decode(String.self, column: 20),
                try row.decode(String.self, column: 21), try row.decode(String?.self, column: 22)
            )
        }
    }

    /// How many values in `scope` are to report (draft or returned) and the soonest end among them, and how many
    /// wait for review: the dashboard's one statement.
    func counts(scope: ReadScope, on connection: PostgresConnection) async throws -> (
        toReport: Int, soonest: CalendarDate?, toReview: Int
    ) {
        let row = try await connection.query(
            """
            SELECT count(*) FILTER (WHERE p.status IN ('draft', 'returned')),
                min(p.ends_on) FILTER (WHERE p.status IN ('draft', 'returned')),
                count(*) FILTER (WHERE p.status = 'submitted')
            FROM results.periods p
            WHERE \(fragment: scope.results(partnership: "p.partnership_id"))
            """
        )[0]
        return try row.decode((Int, CalendarDate?, Int).self)
    }

    /// The period if the caller may see it; `FOR UPDATE` when about to change it (its indicator locked first,
    /// with ``indicator(ofPeriod:scope:on:)``, so every writer takes the locks in one order).
    func period(_ id: UUID, scope: ReadScope, lock: Bool = false, on connection: PostgresConnection) async throws
        -> PeriodRecord?
    {
        try await connection.query(
            """
            SELECT \(unsafeSQL: PeriodRecord.columns) FROM \(unsafeSQL: PeriodRecord.tables)
            WHERE p.id = \(id) AND \(fragment: scope.results(partnership: "p.partnership_id"))
            \(unsafeSQL: lock ? "FOR UPDATE OF p" : "")
            """
        ).first.map(PeriodRecord.init(row:))
    }

    /// The indicator of a period the caller may see, locked `FOR UPDATE`: every change to a period takes its
    /// indicator's lock first, so periods of one indicator are checked against each other (overlaps) and
    /// against the indicator's measure one writer at a time.
    func indicator(ofPeriod id: UUID, scope: ReadScope, on connection: PostgresConnection) async throws
        -> IndicatorRecord?
    {
        try await connection.query(
            """
            SELECT \(unsafeSQL: IndicatorRecord.columns)
            FROM results.indicators i JOIN results.results r ON r.tenant_id = i.tenant_id AND r.id = i.result_id
            WHERE i.id = (SELECT p.indicator_id FROM results.periods p WHERE p.id = \(id))
                AND \(fragment: scope.results(partnership: "i.partnership_id"))
            FOR UPDATE OF i
            """
        ).first.map(IndicatorRecord.init(row:))
    }

    /// The first period of the indicator, other than `except`, sharing a day with `start`…`end`.
    func overlapping(
        indicator: UUID, start: CalendarDate, end: CalendarDate, except: UUID?, on connection: PostgresConnection
    ) async throws -> (start: CalendarDate, end: CalendarDate)? {
        try await connection.query(
            """
            SELECT p.starts_on, p.ends_on FROM results.periods p
            WHERE p.indicator_id = \(indicator) AND p.starts_on <= \(end) AND p.ends_on >= \(start)
                AND p.id IS DISTINCT FROM \(except)::uuid
            ORDER BY p.starts_on
            LIMIT 1
            """
        ).first.map { (try $0.decode(CalendarDate.self, column: 0), try $0.decode(CalendarDate.self, column: 1)) }
    }

    /// Defines a checked period of a locked indicator the caller may see.
    func insert(
        _ period: NewPeriod, of indicator: IndicatorRecord, tenant: UUID, on connection: PostgresConnection
    ) async throws -> PeriodRecord {
        let now = Date()
        let rows = try await connection.query(
            """
            WITH p AS (
                INSERT INTO results.periods (tenant_id, id, indicator_id, partnership_id, starts_on, ends_on,
                    target_value, target_comment, created_at, updated_at)
                VALUES (\(tenant), \(UUID.timeOrdered(at: now)), \(indicator.id), \(indicator.partnershipId),
                    \(period.start), \(period.end), \(period.target?.value)::numeric, \(period.target?.comment ?? ""),
                    \(now), \(now))
                RETURNING *)
            SELECT \(unsafeSQL: PeriodRecord.columns)
            FROM p JOIN results.indicators i ON i.tenant_id = p.tenant_id AND i.id = p.indicator_id
                JOIN results.results r ON r.tenant_id = i.tenant_id AND r.id = i.result_id
            """)
        guard let row = rows.first else { throw Problem.notFound("no such indicator") }
        return try PeriodRecord(row: row)
    }

    /// Writes a period's dates and target and moves it to the next version.
    func update(_ period: PeriodRecord, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            UPDATE results.periods SET starts_on = \(period.start), ends_on = \(period.end),
                target_value = \(period.target?.value?.description)::numeric,
                target_comment = \(period.target?.comment ?? ""), version = version + 1, updated_at = \(Date())
            WHERE id = \(period.id)
            """)
    }

    /// Records a reported value: the period waits for review, and a review of an earlier value is cleared
    /// (the events keep it).
    func report(
        _ period: UUID, value: IndicatorValue?, comment: String, by user: UUID, on connection: PostgresConnection
    ) async throws {
        let now = Date()
        try await connection.query(
            """
            UPDATE results.periods SET status = 'submitted', actual_value = \(value?.description)::numeric,
                actual_comment = \(comment), reported_by = \(user), reported_at = \(now), reviewed_by = NULL,
                reviewed_at = NULL, review_comment = '', version = version + 1, updated_at = \(now)
            WHERE id = \(period)
            """)
    }

    /// Records a review: the value approved or returned, by whom, and what they said.
    func review(
        _ period: UUID, status: PeriodStatus, comment: String, by user: UUID, on connection: PostgresConnection
    ) async throws {
        let now = Date()
        try await connection.query(
            """
            UPDATE results.periods SET status = \(status.rawValue), reviewed_by = \(user), reviewed_at = \(now),
                review_comment = \(comment), version = version + 1, updated_at = \(now)
            WHERE id = \(period)
            """)
    }

    /// Deletes a period.
    func deletePeriod(_ id: UUID, on connection: PostgresConnection) async throws {
        try await connection.query("DELETE FROM results.periods WHERE id = \(id)")
    }

    /// Locks the result's indicators (a period's writer locks its indicator first, so none changes a period
    /// of the result until the caller's transaction ends) and answers the statuses of their periods.
    func lockIndicators(of result: UUID, on connection: PostgresConnection) async throws -> [PeriodStatus] {
        try await connection.query(
            """
            SELECT p.status FROM results.indicators i
                LEFT JOIN results.periods p ON p.tenant_id = i.tenant_id AND p.indicator_id = i.id
            WHERE i.result_id = \(result)
            ORDER BY i.id
            FOR UPDATE OF i
            """
        ).compactMap { row in
            try row.decode(String?.self, column: 0).flatMap(PeriodStatus.init(rawValue:))
        }
    }

    /// The partner municipality's name and the user's role in the partnership (none when not a member): who
    /// a reported value came from.
    func reporter(_ user: UUID, of partnership: UUID, on connection: PostgresConnection) async throws
        -> (partnerName: String, role: String?)
    {
        let row = try await connection.query(
            """
            SELECT p.partner_name, m.role FROM results.partnerships p
                LEFT JOIN results.partnership_members m
                    ON m.tenant_id = p.tenant_id AND m.partnership_id = p.id AND m.user_id = \(user)
            WHERE p.id = \(partnership)
            """
        ).first
        guard let row else { return ("", nil) }
        return (try row.decode(String.self, column: 0), try row.decode(String?.self, column: 1))
    }
}
