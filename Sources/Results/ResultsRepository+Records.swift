import Foundation
import Gateway
import Postgres
import ResultsContracts
import Vocabulary

extension ResultsRepository {
    // MARK: Parents (our copies)

    /// Whether the activity or partnership exists in our copies and the caller may see it.
    func parentExists(_ parent: ResultParent, scope: ReadScope, on connection: PostgresConnection) async throws
        -> Bool
    {
        let rows: PostgresRows
        switch parent {
        case .activity(let id):
            rows = try await connection.query(
                """
                SELECT FROM results.activities a
                WHERE a.id = \(id) AND \(fragment: scope.results(partnership: "a.partnership_id"))
                """)
        case .partnership(let id):
            rows = try await connection.query(
                """
                SELECT FROM results.partnerships p
                WHERE p.id = \(id) AND \(fragment: scope.results(partnership: "p.id"))
                """)
        }
        return !rows.isEmpty
    }

    // MARK: Results

    /// The result if the caller may see it (without its indicators); `FOR UPDATE` when about to change it.
    func result(_ id: UUID, scope: ReadScope, lock: Bool = false, on connection: PostgresConnection) async throws
        -> ResultRecord?
    {
        try await connection.query(
            """
            SELECT \(unsafeSQL: ResultRecord.columns) FROM results.results r
            WHERE r.id = \(id) AND \(fragment: scope.results(partnership: "r.partnership_id"))
            \(unsafeSQL: lock ? "FOR UPDATE OF r" : "")
            """
        ).first.map(ResultRecord.init(row:))
    }

    /// A page of a parent's results, oldest first (without their indicators): `limit + 1` rows, so the caller
    /// knows whether there is a next page. A partnership's are its own long-term results, not its activities'.
    func results(
        of parent: ResultParent, scope: ReadScope, limit: Int, after: (date: Date, id: UUID)?,
        on connection: PostgresConnection
    ) async throws -> [ResultRecord] {
        var condition = scope.results(partnership: "r.partnership_id")
        switch parent {
        case .activity(let id): condition = "\(fragment: condition) AND r.activity_id = \(id)"
        case .partnership(let id):
            condition = "\(fragment: condition) AND r.partnership_id = \(id) AND r.activity_id IS NULL"
        }
        if let after {
            condition =
                "\(fragment: condition) AND (r.created_at, r.id) > (\(after.date)::timestamptz, \(after.id)::uuid)"
        }
        return try await connection.query(
            """
            SELECT \(unsafeSQL: ResultRecord.columns) FROM results.results r
            WHERE \(fragment: condition)
            ORDER BY r.created_at, r.id
            LIMIT \(limit + 1)
            """
        ).map(ResultRecord.init(row:))
    }

    /// Defines a checked result under its parent, when the parent exists and the caller may see it (the check
    /// folded into the insert): `nil` when it does not.
    func insert(
        _ result: NewResult, in parent: ResultParent, tenant: UUID, scope: ReadScope,
        on connection: PostgresConnection
    ) async throws -> ResultRecord? {
        let now = Date()
        let source: PostgresQuery
        switch parent {
        case .activity(let id):
            source = """
                SELECT a.partnership_id, a.id FROM results.activities a
                WHERE a.id = \(id) AND \(fragment: scope.results(partnership: "a.partnership_id"))
                """
        case .partnership(let id):
            source = """
                SELECT p.id, NULL::uuid FROM results.partnerships p
                WHERE p.id = \(id) AND \(fragment: scope.results(partnership: "p.id"))
                """
        }
        return try await connection.query(
            """
            INSERT INTO results.results AS r (tenant_id, id, partnership_id, activity_id, title, type, description,
                aggregates, created_at, updated_at)
            SELECT \(tenant), \(UUID.timeOrdered(at: now)), parent.partnership, parent.activity, \(result.title),
                \(result.type), \(result.description ?? ""), \(result.aggregates ?? true), \(now), \(now)
            FROM (\(fragment: source)) AS parent(partnership, activity)
            RETURNING \(unsafeSQL: ResultRecord.columns)
            """
        ).first.map(ResultRecord.init(row:))
    }

    /// Writes a result's fields and moves it to the next version.
    func update(_ result: ResultRecord, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            UPDATE results.results SET title = \(result.title), type = \(result.type.rawValue),
                description = \(result.description), aggregates = \(result.aggregates), version = version + 1,
                updated_at = \(Date())
            WHERE id = \(result.id)
            """)
    }

    /// Deletes a result; its indicators and their periods go with it (cascades).
    func deleteResult(_ id: UUID, on connection: PostgresConnection) async throws {
        try await connection.query("DELETE FROM results.results WHERE id = \(id)")
    }

    // MARK: Indicators

    /// The indicators of the results, oldest first: what a list or a result nests.
    func indicators(of results: [UUID], on connection: PostgresConnection) async throws -> [IndicatorRecord] {
        guard !results.isEmpty else { return [] }
        return try await connection.query(
            """
            SELECT \(unsafeSQL: IndicatorRecord.columns)
            FROM results.indicators i JOIN results.results r ON r.tenant_id = i.tenant_id AND r.id = i.result_id
            WHERE i.result_id = ANY(\(results)::uuid[])
            ORDER BY i.created_at, i.id
            """
        ).map(IndicatorRecord.init(row:))
    }

    /// The indicator if the caller may see it; `FOR UPDATE` when about to change it.
    func indicator(_ id: UUID, scope: ReadScope, lock: Bool = false, on connection: PostgresConnection)
        async throws -> IndicatorRecord?
    {
        try await connection.query(
            """
            SELECT \(unsafeSQL: IndicatorRecord.columns)
            FROM results.indicators i JOIN results.results r ON r.tenant_id = i.tenant_id AND r.id = i.result_id
            WHERE i.id = \(id) AND \(fragment: scope.results(partnership: "i.partnership_id"))
            \(unsafeSQL: lock ? "FOR UPDATE OF i" : "")
            """
        ).first.map(IndicatorRecord.init(row:))
    }

    /// Defines a checked indicator of a result, when the result exists and the caller may see it: `nil` when
    /// it does not.
    func insert(
        _ indicator: NewIndicator, in result: UUID, tenant: UUID, scope: ReadScope,
        on connection: PostgresConnection
    ) async throws -> IndicatorRecord? {
        let now = Date()
        let baseline = indicator.baseline?.checked
        return try await connection.query(
            """
            WITH i AS (
                INSERT INTO results.indicators (tenant_id, id, result_id, partnership_id, title, description, measure,
                    ascending, sdg_target, baseline_year, baseline_value, baseline_comment, created_at, updated_at)
                SELECT \(tenant), \(UUID.timeOrdered(at: now)), r.id, r.partnership_id, \(indicator.title),
                    \(indicator.description ?? ""), \(indicator.measure), \(indicator.ascending ?? true),
                    \(indicator.sdgTarget), \(baseline?.year), \(baseline?.value?.description)::numeric,
                    \(baseline?.comment ?? ""), \(now), \(now)
                FROM results.results r
                WHERE r.id = \(result) AND \(fragment: scope.results(partnership: "r.partnership_id"))
                RETURNING *)
            SELECT \(unsafeSQL: IndicatorRecord.columns)
            FROM i JOIN results.results r ON r.tenant_id = i.tenant_id AND r.id = i.result_id
            """
        ).first.map(IndicatorRecord.init(row:))
    }

    /// Writes an indicator's fields and moves it to the next version.
    func update(_ indicator: IndicatorRecord, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            UPDATE results.indicators SET title = \(indicator.title), description = \(indicator.description),
                measure = \(indicator.measure.rawValue), ascending = \(indicator.ascending),
                sdg_target = \(indicator.sdgTarget?.rawValue), baseline_year = \(indicator.baseline?.year),
                baseline_value = \(indicator.baseline?.value?.description)::numeric,
                baseline_comment = \(indicator.baseline?.comment ?? ""), version = version + 1,
                updated_at = \(Date())
            WHERE id = \(indicator.id)
            """)
    }

    /// Deletes an indicator; its periods go with it (cascade).
    func deleteIndicator(_ id: UUID, on connection: PostgresConnection) async throws {
        try await connection.query("DELETE FROM results.indicators WHERE id = \(id)")
    }

    // MARK: Reading stored words

    /// A word stored as text (a type, a measure), read back as the vocabulary's case.
    static func word<Word: RawRepresentable>(_ row: PostgresRow, column: Int) throws -> Word
    where Word.RawValue == String {
        let text = try row.decode(String.self, column: column)
        guard let word = Word(rawValue: text) else {
            throw PostgresDecodingFailure.invalidValue("not a \(Word.self): \(text)")
        }
        return word
    }

    /// A value stored as `numeric` and read as its text, exactly as written (`74.50` stays `"74.50"`).
    static func value(_ row: PostgresRow, column: Int) throws -> IndicatorValue? {
        guard let text = try row.decode(String?.self, column: column) else { return nil }
        guard let value = IndicatorValue(text) else {
            throw PostgresDecodingFailure.invalidValue("not an indicator value: \(text)")
        }
        return value
    }
}

extension ReadScope {
    /// The scope as a condition on our own copy of the members, given the column that holds the partnership's
    /// id: every read of results and indicators, and every lock before a change, goes through it.
    func results(partnership column: StaticString) -> PostgresQuery {
        condition(partnership: column, members: "results.partnership_members")
    }
}
