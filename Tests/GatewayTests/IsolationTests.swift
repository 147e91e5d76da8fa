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

    /// Every relation with a `tenant_id` column, from the catalogue, and whether it is protected: row-level
    /// security enabled and forced (and no TRUNCATE for the app role, which row-level security does not
    /// cover), or no privilege at all for the app role, on the table or any of its columns, which then
    /// reaches it only through SECURITY DEFINER functions.
    static let tenantRelations: PostgresQuery = """
        SELECT n.nspname || '.' || c.relname,
            (c.relkind IN ('r', 'p') AND c.relrowsecurity AND c.relforcerowsecurity
                AND NOT has_table_privilege('stedenband_app', c.oid, 'TRUNCATE'))
            OR NOT (has_table_privilege('stedenband_app', c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
                OR has_any_column_privilege('stedenband_app', c.oid, 'SELECT, INSERT, UPDATE, REFERENCES')),
            format('kind %s, row-level security %s, forced %s, app role privileges %s', c.relkind,
                c.relrowsecurity, c.relforcerowsecurity,
                coalesce((SELECT string_agg(DISTINCT g.privilege_type, ', ')
                          FROM information_schema.role_table_grants g
                          WHERE g.table_schema = n.nspname AND g.table_name = c.relname
                            AND g.grantee IN ('stedenband_app', 'PUBLIC')), 'none'))
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
        WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
          AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
        ORDER BY 1
        """

    /// The unprotected relations among those with a `tenant_id`, each with what the catalogue says of it.
    static func unprotectedTenantRelations(on connection: PostgresConnection) async throws -> [String: String] {
        var unprotected: [String: String] = [:]
        let rows = try await connection.query(tenantRelations)
        for row in rows {
            let (name, protected, detail) = try row.decode((String, Bool, String).self)
            if !protected { unprotected[name] = detail }
        }
        return unprotected
    }

    @Test("every table with a tenant_id has row-level security enabled and forced, or grants the app role nothing")
    func everyTenantTableIsProtected() async throws {
        let admin = try await Self.database.get().connectAsAdmin()
        let tables = try await admin.query(Self.tenantRelations).map { try $0.decode(String.self, column: 0) }
        // The catalogue query finds the tables, the former exceptions among them.
        #expect(tables.count >= 20)
        #expect(
            Set(["messaging.jobs", "platform.tokens", "notifications.unsubscribe_tokens", "notifications.settings"])
                .isSubset(of: tables))
        let unprotected = try await Self.unprotectedTenantRelations(on: admin)
        for (table, detail) in unprotected.sorted(by: { $0.key < $1.key }) {
            Issue.record("\(table) is neither forced nor closed to the app role: \(detail)")
        }
    }

    @Test("the catalogue check flags a planted tenant table that is neither forced nor closed to the app role")
    func catalogueCheckFlagsAPlantedTable() async throws {
        let admin = try await Self.database.get().connectAsAdmin()
        // Planted in a transaction that rolls back: the other tests never see it.
        try await admin.query("BEGIN")
        try await admin.query("CREATE TABLE public.planted (tenant_id uuid, secret text)")
        try await admin.query("GRANT SELECT ON public.planted TO stedenband_app")
        #expect(try await Self.unprotectedTenantRelations(on: admin).keys.sorted() == ["public.planted"])
        // Enabled, not forced: the owner (and every function it runs) reads across tenants.
        try await admin.query("ALTER TABLE public.planted ENABLE ROW LEVEL SECURITY")
        #expect(try await Self.unprotectedTenantRelations(on: admin).keys.sorted() == ["public.planted"])
        try await admin.query("ALTER TABLE public.planted FORCE ROW LEVEL SECURITY")
        #expect(try await Self.unprotectedTenantRelations(on: admin) == [:])
        // TRUNCATE ignores row-level security.
        try await admin.query("GRANT TRUNCATE ON public.planted TO stedenband_app")
        #expect(try await Self.unprotectedTenantRelations(on: admin).keys.sorted() == ["public.planted"])
        // No row-level security, but nothing granted: reached through functions only. One column granted is
        // a grant, and so is a grant to PUBLIC.
        try await admin.query("ALTER TABLE public.planted NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY")
        try await admin.query("REVOKE ALL ON public.planted FROM stedenband_app")
        #expect(try await Self.unprotectedTenantRelations(on: admin) == [:])
        try await admin.query("GRANT SELECT (secret) ON public.planted TO stedenband_app")
        #expect(try await Self.unprotectedTenantRelations(on: admin).keys.sorted() == ["public.planted"])
        try await admin.query("REVOKE ALL ON public.planted FROM stedenband_app")
        try await admin.query("GRANT SELECT ON public.planted TO PUBLIC")
        #expect(try await Self.unprotectedTenantRelations(on: admin).keys.sorted() == ["public.planted"])
        // A view runs as its owner, whose policies let it read across tenants: granted, it is a hole.
        try await admin.query("REVOKE ALL ON public.planted FROM PUBLIC")
        try await admin.query("CREATE VIEW public.planted_view AS SELECT tenant_id FROM public.planted")
        try await admin.query("GRANT SELECT ON public.planted_view TO stedenband_app")
        #expect(try await Self.unprotectedTenantRelations(on: admin).keys.sorted() == ["public.planted_view"])
        try await admin.query("ROLLBACK")
    }

    @Test("every SECURITY DEFINER function is the owner's, pins its search_path, and is not executable by PUBLIC")
    func securityDefinerFunctionsArePinned() async throws {
        let admin = try await Self.database.get().connectAsAdmin()
        let rows = try await admin.query(
            """
            SELECT p.oid::regprocedure::text, pg_get_userbyid(p.proowner),
                coalesce((SELECT substr(c, 13) FROM unnest(p.proconfig) c WHERE c LIKE 'search\\_path=%'), ''),
                p.proacl IS NULL OR EXISTS (
                    SELECT FROM aclexplode(p.proacl) x WHERE x.grantee = 0 AND x.privilege_type = 'EXECUTE')
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE p.prosecdef AND n.nspname NOT IN ('pg_catalog', 'information_schema')
            ORDER BY 1
            """
        )
        let functions = try rows.map { try $0.decode((String, String, String, Bool).self) }
        #expect(functions.contains { $0.0.hasPrefix("messaging.claim_jobs(") })
        #expect(functions.contains { $0.0.hasPrefix("platform.authenticate(") })
        for (function, owner, searchPath, publicExecutes) in functions {
            #expect(owner == "stedenband_owner", "\(function) is owned by \(owner)")
            // pg_temp last: a temporary table the caller made cannot stand in for one of the function's.
            let schemas = searchPath.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(
                schemas.last == "pg_temp" && !schemas.contains("public") && !schemas.contains("\"$user\""),
                "\(function): search_path \(searchPath)")
            #expect(!publicExecutes, "\(function) is executable by PUBLIC")
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
