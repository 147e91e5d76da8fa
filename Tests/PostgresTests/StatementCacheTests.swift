import Foundation
import Postgres
import TestSupport
import Testing

// One at a time: "after a migration" forgets every statement prepared on this suite's database, which
// would empty the cache another test of the suite is counting.
@Suite("Prepared statements are cached per connection", .serialized)
struct StatementCacheTests {
    static let database = SuiteDatabase("statements")

    private func connect(cacheSize: Int? = nil) async throws -> PostgresConnection {
        var configuration = try await Self.database.get().adminConfiguration
        if let cacheSize { configuration.statementCacheSize = cacheSize }
        return try await PostgresConnection.connect(to: configuration, logger: TestLogger.make("statements"))
    }

    /// The statements the server holds prepared for this connection, by name.
    private func serverStatements(_ connection: PostgresConnection) async throws -> [String: String] {
        let rows = try await connection.query("SELECT name, statement FROM pg_prepared_statements")
        var statements: [String: String] = [:]
        for row in rows {
            let (name, statement) = try row.decode((String, String).self)
            statements[name] = statement
        }
        return statements
    }

    private func table(_ connection: PostgresConnection) async throws -> String {
        let name = "s_\(UUID().uuidString.prefix(8).lowercased())"
        try await connection.query("CREATE TABLE \(identifier: name) (id int PRIMARY KEY, label text)")
        try await connection.query("INSERT INTO \(identifier: name) VALUES (1, 'one'), (2, 'two')")
        return name
    }

    @Test("a statement with parameters is prepared once and then run by name")
    func preparedOnce() async throws {
        let connection = try await connect()
        for value in 0..<6 {
            let rows = try await connection.query("SELECT \(value)::int + 1")
            #expect(try rows[0].decode(Int.self, column: 0) == value + 1)
        }
        let prepared = try await serverStatements(connection)
        #expect(prepared.count == 1)
        #expect(prepared.values.first == "SELECT $1::int + 1")
        #expect(await connection.preparedStatementCount == 1)
        // In a pipeline too: the same text runs by the same name, a new one is prepared in the same round trip.
        let results = try await connection.pipeline([
            "SELECT \(41)::int + 1", "SELECT \(2)::int * 3", "SELECT \(5)::int * 3",
        ])
        #expect(try results.map { try $0[0].decode(Int.self, column: 0) } == [42, 6, 15])
        let after = try await serverStatements(connection)
        #expect(after.count == 2)
        #expect(Set(prepared.keys).isSubset(of: Set(after.keys)))
        await connection.close()
    }

    @Test("statements without parameters run unprepared")
    func unboundStatementsAreNotPrepared() async throws {
        let connection = try await connect()
        try await connection.query("SELECT 1")
        try await connection.query("BEGIN")
        try await connection.query("COMMIT")
        #expect(try await serverStatements(connection).isEmpty)
        await connection.close()
    }

    @Test("DISCARD ALL empties the cache; the next run prepares again")
    func discardAllClears() async throws {
        let connection = try await connect()
        try await connection.query("SELECT \(1)::int")
        #expect(await connection.preparedStatementCount == 1)
        try await connection.query("DISCARD ALL")
        #expect(await connection.preparedStatementCount == 0)
        #expect(try await serverStatements(connection).isEmpty)
        #expect(try await connection.query("SELECT \(2)::int")[0].decode(Int.self, column: 0) == 2)
        #expect(try await serverStatements(connection).count == 1)
        // A script that discards, too.
        try await connection.runScript("DISCARD ALL")
        #expect(await connection.preparedStatementCount == 0)
        #expect(try await connection.query("SELECT \(3)::int")[0].decode(Int.self, column: 0) == 3)
        #expect(try await serverStatements(connection).count == 1)
        await connection.close()
    }

    @Test("the pool's reset (DISCARD ALL after a SET) leaves the next borrower a working cache")
    func poolResetClears() async throws {
        let pool = PostgresConnectionPool(
            configuration: .init(connection: try await Self.database.get().adminConfiguration, maximumConnections: 1),
            logger: TestLogger.make("statements")
        )
        try await pool.withConnection { connection async throws in
            try await connection.query("SELECT \(1)::int")
            try await connection.query("SET work_mem = '8MB'")
        }
        try await pool.withConnection { connection async throws in
            #expect(await connection.preparedStatementCount == 0)
            #expect(try await connection.query("SELECT \(4)::int")[0].decode(Int.self, column: 0) == 4)
            #expect(try await serverStatements(connection).count == 1)
        }
        // Without session state left behind there is no reset, and the statement stays prepared.
        try await pool.withConnection { connection async throws in
            #expect(await connection.preparedStatementCount == 1)
        }
        await pool.close()
    }

    @Test("after ALTER TABLE changes a statement's result, it is prepared again outside a transaction")
    func resultTypeChangeOutsideTransaction() async throws {
        let connection = try await connect()
        let table = try await table(connection)
        let select: PostgresQuery = "SELECT * FROM \(identifier: table) WHERE id = \(1)"
        #expect(try await connection.query(select).columns.count == 2)
        try await connection.query("ALTER TABLE \(identifier: table) ADD COLUMN extra int")
        let rows = try await connection.query(select)
        #expect(rows.columns.count == 3)
        #expect(try rows[0].decode(String.self, column: 1) == "one")
        // In a pipeline too.
        try await connection.query("ALTER TABLE \(identifier: table) ADD COLUMN more int")
        let results = try await connection.pipeline([select, "SELECT \(9)::int"])
        #expect(results[0].columns.count == 4)
        // The stale copies were deallocated (before the next new statement was prepared): each text is held once.
        try await connection.query("SELECT \(10)::int + 0")
        let held = try await serverStatements(connection)
        #expect(held.count == 3, Comment(rawValue: "\(held)"))
        #expect(Set(held.values) == [select.sql, "SELECT $1::int", "SELECT $1::int + 0"])
        await connection.close()
    }

    @Test("inside a transaction, a statement whose result changed fails transient and works on the next try")
    func resultTypeChangeInsideTransaction() async throws {
        let connection = try await connect()
        let table = try await table(connection)
        let select: PostgresQuery = "SELECT * FROM \(identifier: table) WHERE id = \(2)"
        try await connection.query(select)
        try await connection.query("ALTER TABLE \(identifier: table) ADD COLUMN extra int")
        let error = await #expect(throws: PostgresError.self) {
            try await connection.withTransaction { connection in try await connection.query(select) }
        }
        #expect(error?.sqlState == .featureNotSupported)
        #expect(error?.sqlState?.isTransient == true)
        // What a request's retry does: the transaction again.
        let rows = try await connection.withTransaction { connection in try await connection.query(select) }
        #expect(rows.columns.count == 3)
        // The same code from elsewhere keeps its meaning.
        #expect(SQLState(rawValue: "0A000").isTransient == false)
        #expect(SQLState(rawValue: "26000").isTransient == false)
        // In a pipeline that begins the transaction (a request's first round trip).
        try await connection.query("ALTER TABLE \(identifier: table) ADD COLUMN more int")
        let pipelined = await #expect(throws: PostgresError.self) {
            try await connection.pipeline(["BEGIN", select])
        }
        #expect(pipelined?.sqlState?.isTransient == true)
        try await connection.query("ROLLBACK")
        #expect(try await connection.pipeline(["BEGIN", select, "COMMIT"])[1].columns.count == 4)
        await connection.close()
    }

    @Test("a statement the server deallocated (26000) is prepared again; inside a transaction it fails transient")
    func deallocatedStatementRecovers() async throws {
        let connection = try await connect()
        let select: PostgresQuery = "SELECT \(5)::int * 2"
        try await connection.query(select)
        let name = try #require(try await serverStatements(connection).keys.first)
        try await connection.query(PostgresQuery(unsafeSQL: "DEALLOCATE \(PostgresQuery.quoteIdentifier(name))"))
        #expect(try await connection.query(select)[0].decode(Int.self, column: 0) == 10)
        let again = try #require(try await serverStatements(connection).keys.first)
        try await connection.query(PostgresQuery(unsafeSQL: "DEALLOCATE \(PostgresQuery.quoteIdentifier(again))"))
        let error = await #expect(throws: PostgresError.self) {
            try await connection.withTransaction { connection in try await connection.query(select) }
        }
        #expect(error?.sqlState == .invalidSQLStatementName)
        #expect(error?.sqlState?.isTransient == true)
        #expect(try await connection.query(select)[0].decode(Int.self, column: 0) == 10)
        await connection.close()
    }

    @Test("the cache holds at most its bound, evicting the least recently used")
    func evictionAtTheBound() async throws {
        let connection = try await connect(cacheSize: 2)
        try await connection.query("SELECT \(1)::int AS a")
        try await connection.query("SELECT \(1)::int AS b")
        try await connection.query("SELECT \(1)::int AS a")  // a is now the most recently used
        try await connection.query("SELECT \(1)::int AS c")  // evicts b
        #expect(await connection.preparedStatementCount == 2)
        try await connection.query("SELECT \(1)::int AS d")  // deallocates b first, evicts a
        let held = Set(try await serverStatements(connection).values)
        #expect(!held.contains("SELECT $1::int AS b"))
        #expect(held.contains("SELECT $1::int AS c") && held.contains("SELECT $1::int AS d"))
        #expect(held.count <= 3)
        // An evicted statement still runs: it is prepared again.
        #expect(try await connection.query("SELECT \(7)::int AS b")[0].decode(Int.self, column: 0) == 7)
        await connection.close()

        let off = try await connect(cacheSize: 0)
        try await off.query("SELECT \(1)::int")
        #expect(try await serverStatements(off).isEmpty)
        await off.close()
    }

    @Test("after a migration, the connections prepare their statements again")
    func forgottenAfterMigration() async throws {
        let connection = try await connect()
        let select: PostgresQuery = "SELECT \(3)::int"
        try await connection.query(select)
        let before = try await serverStatements(connection)
        PostgresConnection.forgetPreparedStatements(database: try await Self.database.get().name)
        try await connection.query(select)
        let after = try await serverStatements(connection)
        #expect(after.count == 1)
        #expect(Set(after.keys).isDisjoint(with: before.keys))
        await connection.close()
    }

    @Test("a prepared statement sees each tenant's rows only: row-level security holds across executions")
    func rowLevelSecurityHolds() async throws {
        let database = try await Self.database.get()
        let admin = try await database.connectAsAdmin()
        let schema = "rls_\(UUID().uuidString.prefix(8).lowercased())"
        let table = "\(schema).probe"
        try await admin.runScript(
            PostgresQuery(
                unsafeSQL: """
                    CREATE SCHEMA \(schema);
                    GRANT USAGE ON SCHEMA \(schema) TO stedenband_app;
                    CREATE TABLE \(table) (tenant text NOT NULL, value int NOT NULL);
                    INSERT INTO \(table) VALUES ('a', 1), ('a', 2), ('b', 3);
                    ALTER TABLE \(table) ENABLE ROW LEVEL SECURITY;
                    ALTER TABLE \(table) FORCE ROW LEVEL SECURITY;
                    CREATE POLICY tenant ON \(table) USING (tenant = current_setting('app.tenant_id', true));
                    GRANT SELECT ON \(table) TO stedenband_app;
                    """))
        let app = try await PostgresConnection.connect(
            to: database.appConfiguration, logger: TestLogger.make("statements"))
        // More than five runs: PostgreSQL may switch to a generic plan after five.
        for round in 0..<8 {
            let tenant = round % 2 == 0 ? "a" : "b"
            let values = try await app.withTransaction { connection in
                try await connection.query("SELECT set_config('app.tenant_id', \(tenant), true)")
                return try await connection.query(
                    "SELECT value FROM \(unsafeSQL: table) WHERE value > \(0) ORDER BY value"
                )
                .map { try $0.decode(Int.self, column: 0) }
            }
            #expect(values == (tenant == "a" ? [1, 2] : [3]), "round \(round)")
        }
        await app.close()
        await admin.close()
    }
}
