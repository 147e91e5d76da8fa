import Foundation
import Postgres
import TestSupport
import Testing

@testable import Migrations

@Suite("The schema the first migration makes")
struct SchemaTests {
    static let database = SuiteDatabase("schema")

    @Test("the app role owns nothing, cannot bypass row-level security, and is not a superuser")
    func appRoleIsPowerless() async throws {
        let connection = try await Self.database.get().connectAsAdmin()
        let role = try await connection.query(
            "SELECT rolsuper, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = 'stedenband_app'"
        )
        let (superuser, bypass, login) = try role[0].decode((Bool, Bool, Bool).self)
        #expect(!superuser && !bypass && !login)
        let owned = try await connection.query(
            """
            SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = 'stedenband_app'
            """
        )
        #expect(try owned[0].decode(Int.self, column: 0) == 0)
        let tenantsOwner = try await connection.query(
            "SELECT tableowner FROM pg_tables WHERE schemaname = 'platform' AND tablename = 'tenants'"
        )
        #expect(try tenantsOwner[0].decode(String.self, column: 0) == MigrationRunner.ownerRole)
    }

    @Test("as the app role, tenants are invisible without a tenant, and only one's own with one")
    func tenantsAreIsolated() async throws {
        let database = try await Self.database.get()
        let admin = try await database.connectAsAdmin()
        let rows = try await admin.query(
            """
            INSERT INTO platform.tenants (slug, name) VALUES ('sint-niklaas', 'Sint-Niklaas'), ('roeselare', 'Roeselare')
            RETURNING id
            """
        )
        let ids = try rows.map { try $0.decode(UUID.self, column: 0) }
        let app = try await PostgresConnection.connect(to: database.appConfiguration, logger: TestLogger.make("app"))
        let unscoped = try await app.query("SELECT count(*) FROM platform.tenants")
        #expect(try unscoped[0].decode(Int.self, column: 0) == 0)
        let scoped = try await app.withTransaction(tenantID: ids[0]) { connection in
            try await connection.query("SELECT slug FROM platform.tenants")
        }
        #expect(try scoped.map { try $0.decode(String.self, column: 0) } == ["sint-niklaas"])
        let write = await #expect(throws: PostgresError.self) {
            try await app.query("INSERT INTO platform.tenants (slug, name) VALUES ('x', 'X')")
        }
        #expect(write?.sqlState == .insufficientPrivilege)
    }

    @Test("the app role can read the migration history, for /readyz")
    func appRoleReadsHistory() async throws {
        let database = try await Self.database.get()
        let app = try await PostgresConnection.connect(to: database.appConfiguration, logger: TestLogger.make("app"))
        let status = try await MigrationRunner.status(
            of: try MigrationSet.load(directory: TestPaths.migrations),
            on: app
        )
        #expect(status.isUpToDate)
    }
}

@Suite("Splitting SQL for files that run outside a transaction")
struct SQLScriptTests {
    @Test func splitsOnlyAtTopLevelSemicolons() {
        let sql = """
            CREATE TABLE a (note text DEFAULT 'x;y');
            -- comment; not a statement
            /* block; /* nested; */ still comment; */
            CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;
            SELECT E'it\\'s; fine', "odd;name" FROM a;;
            SELECT $1
            """
        let statements = SQLScript.statements(in: sql)
        #expect(statements.count == 4)
        #expect(statements[0] == "CREATE TABLE a (note text DEFAULT 'x;y')")
        #expect(statements[1].hasSuffix("LANGUAGE sql"))
        #expect(statements[2].hasPrefix("SELECT E'it\\'s; fine'"))
        #expect(statements[3] == "SELECT $1")
    }
}
