import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Postgres
import TestSupport
import Testing

@Suite("One municipality never sees another's data")
struct IsolationTests {
    static let database = SuiteDatabase("isolation")

    @Test("every table with a tenant_id has row-level security enabled and forced, or is the documented exception")
    func everyTenantTableIsProtected() async throws {
        let admin = try await Self.database.get().connectAsAdmin()
        let rows = try await admin.query(
            """
            SELECT n.nspname || '.' || c.relname, c.relrowsecurity, c.relforcerowsecurity
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
            WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
            ORDER BY 1
            """
        )
        // The queue is claimed across tenants and holds no tenant's texts; tokens are found by hash before the
        // tenant is known, by the owner-run authenticate(), so their policy is enabled but not forced. The same
        // holds for unsubscribe tokens (found from an e-mail's link), and for digest settings, whose owner-run
        // due_tenants() answers which tenants have a digest due, and nothing else.
        let exceptions: [String: (Bool, Bool)] = [
            "messaging.jobs": (false, false), "platform.tokens": (true, false),
            "notifications.unsubscribe_tokens": (true, false), "notifications.settings": (true, false),
        ]
        #expect(rows.count >= 5)
        for row in rows {
            let (table, enabled, forced) = try row.decode((String, Bool, Bool).self)
            let expected = exceptions[table] ?? (true, true)
            #expect(enabled == expected.0 && forced == expected.1, "\(table): enabled \(enabled), forced \(forced)")
        }
    }

    @Test("as the app role: no tenant, no rows; tenant A, A's rows only; writing B's row while A is set fails")
    func rawSQLAsTheAppRole() async throws {
        let database = try await Self.database.get()
        let a = try await TestTenant.create(in: database, slug: "aalst")
        let b = try await TestTenant.create(in: database, slug: "brugge")
        let app = try await PostgresConnection.connect(to: database.appConfiguration, logger: TestLogger.make("rls"))
        #expect(try await app.query("SELECT count(*) FROM platform.users")[0].decode(Int.self, column: 0) == 0)
        #expect(try await app.query("SELECT count(*) FROM platform.tokens")[0].decode(Int.self, column: 0) == 0)
        let seen = try await app.withTransaction(tenantID: a.tenantID) { connection in
            try await connection.query("SELECT DISTINCT tenant_id FROM platform.users").map {
                try $0.decode(UUID.self, column: 0)
            }
        }
        #expect(seen == [a.tenantID])
        let error = await #expect(throws: PostgresError.self) {
            try await app.withTransaction(tenantID: a.tenantID) { connection in
                try await connection.query(
                    """
                    INSERT INTO platform.users (tenant_id, email, name, role, locale, time_zone)
                    VALUES (\(b.tenantID), 'intruder@aalst.be', 'Intruder', 'admin', 'nl', 'Europe/Brussels')
                    """
                )
            }
        }
        #expect(error?.sqlState == .insufficientPrivilege)
        let hashes = await #expect(throws: PostgresError.self) {
            try await app.withTransaction(tenantID: a.tenantID) { connection in
                try await connection.query("SELECT token_hash FROM platform.tokens")
            }
        }
        #expect(hashes?.sqlState == .insufficientPrivilege)
    }

    @Test("1,000 requests with tenant A's token at tenant B's ids: every answer is the same 404")
    func crossTenantFuzz() async throws {
        let database = try await Self.database.get()
        let a = try await TestTenant.create(in: database, slug: "antwerpen")
        let b = try await TestTenant.create(in: database, slug: "bierbeek")
        let bOther = try await TestTenant.create(in: database, slug: "bierbeek", role: .viewer)
        let admin = try await database.connectAsAdmin()
        let bTokens = try await admin.query("SELECT id FROM platform.tokens WHERE tenant_id = \(b.tenantID)").map {
            try $0.decode(UUID.self, column: 0)
        }
        let pool = PostgresConnectionPool(
            configuration: .init(connection: database.appConfiguration, maximumConnections: 4),
            logger: TestLogger.make("fuzz")
        )
        let environment = GatewayEnvironment(
            pool: pool,
            readiness: NeverChecked(),
            logger: TestLogger.make("fuzz"),
            rateLimiter: RateLimiter(rate: 1_000_000, burst: 1_000_000)
        )
        let userIDs = [b.userID, bOther.userID]
        let json: HTTPFields = [.authorization: a.authorization, .contentType: "application/json"]
        try await Application(router: buildRouter(environment: environment)).test(.router) { client in
            var generator = SystemRandomNumberGenerator()
            for _ in 0..<1_000 {
                let user = userIDs.randomElement(using: &generator)!
                let (uri, method, body): (String, HTTPRequest.Method, String?) =
                    switch Int.random(in: 0..<5, using: &generator) {
                    case 0: ("/api/v1/users/\(user)", .get, nil)
                    case 1: ("/api/v1/users/\(user)", .patch, #"{"role": "admin"}"#)
                    case 2: ("/api/v1/users/\(user)", .delete, nil)
                    case 3: ("/api/v1/users/\(user)/tokens", .post, #"{"name": "stolen"}"#)
                    default: ("/api/v1/tokens/\(bTokens.randomElement(using: &generator)!)", .delete, nil)
                    }
                let response = try await client.execute(
                    uri: uri,
                    method: method,
                    headers: json,
                    body: body.map { ByteBuffer(string: $0) }
                )
                // The same request at an id that exists nowhere: B's resource must look exactly like it.
                let missing = try await client.execute(
                    uri: uri.replacingOccurrences(
                        of: uri.contains("/tokens/") ? uri.components(separatedBy: "/").last! : user.uuidString,
                        with: UUID().uuidString),
                    method: method,
                    headers: json,
                    body: body.map { ByteBuffer(string: $0) }
                )
                #expect(response.status == .notFound, "\(method) \(uri)")
                #expect(String(buffer: response.body) == String(buffer: missing.body), "\(method) \(uri)")
            }
        }
        // Nothing of B's changed.
        let users = try await admin.query(
            "SELECT count(*) FROM platform.users WHERE tenant_id = \(b.tenantID) AND disabled_at IS NULL AND role <> 'admin'"
        )
        #expect(try users[0].decode(Int.self, column: 0) == 1)
        let tokens = try await admin.query(
            "SELECT count(*) FROM platform.tokens WHERE tenant_id = \(b.tenantID) AND revoked_at IS NULL"
        )
        #expect(try tokens[0].decode(Int.self, column: 0) == 2)
        await pool.close()
    }
}
