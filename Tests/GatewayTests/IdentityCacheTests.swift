import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Postgres
import Synchronization
import TestSupport
import Testing

/// Issue 15 item 1: an authenticated read in one round trip, with identities cached and forgotten at once.
@Suite("Identity cache: reads in one round trip, invalidated through LISTEN/NOTIFY", .serialized)
struct IdentityCacheTests {
    static let database = SuiteDatabase("identitycache")

    /// One server process: its own pool (one connection, so a test can read the request's), cache and listener.
    struct Process {
        let pool: PostgresConnectionPool
        let cache: IdentityCache
        let environment: GatewayEnvironment
        let listening: Task<Void, Never>?

        static func start(
            _ database: TestDatabase,
            listens: Bool = true,
            reconnectDelay: Duration = .milliseconds(100)
        ) async throws -> Process {
            let pool = PostgresConnectionPool(
                configuration: .init(connection: database.appConfiguration, maximumConnections: 1),
                logger: TestLogger.make("identitycache"))
            // Long-lived entries: what is counted must not depend on how long a loaded machine takes between two
            // requests. Expiry is tested with a clock of its own (`expiryAndOff`).
            let cache = IdentityCache(ttl: 3_600)
            let environment = GatewayEnvironment(
                pool: pool, readiness: NeverChecked(), logger: TestLogger.make("identitycache"),
                identityCache: cache)
            var listening: Task<Void, Never>?
            if listens {
                let listener = PostgresListener(
                    configuration: database.appConfiguration, channels: [], reconnectDelay: reconnectDelay,
                    maximumReconnectDelay: reconnectDelay, logger: TestLogger.make("identitycache"))
                listening = Task { await cache.listen(listener) }
                try await poll("the listener listens") { cache.isActive }
            }
            return Process(pool: pool, cache: cache, environment: environment, listening: listening)
        }

        func application() -> some ApplicationProtocol {
            let router = buildRouter(environment: environment)
            // A read that tries to write, to show the read-only switch holds without BEGIN READ ONLY.
            apiRoutes(router, environment: environment).get("test/write") { _, context -> String in
                do {
                    try await context.requireConnection().query("UPDATE platform.users SET name = name")
                    return "wrote"
                } catch let error as PostgresError {
                    return error.sqlState?.rawValue ?? "\(error)"
                }
            }
            return Application(router: router)
        }

        /// The round trips of the pool's one connection so far.
        func roundTrips() async throws -> Int {
            try await pool.withConnection { $0.roundTrips }
        }

        func stop() async {
            listening?.cancel()
            await listening?.value
            await pool.close()
        }
    }

    /// Waits until `condition` holds; as long as a loaded machine may need (a full CI run beside a release build
    /// took more than 10 seconds to start a listener), since a condition that holds sooner ends the wait.
    static func poll(_ what: String, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while try await !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("timed out waiting until \(what)")
                return
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    static func status(
        _ client: some TestClientProtocol, _ uri: String, _ user: TestTenant
    ) async throws -> HTTPResponse.Status {
        try await status(client, uri, authorization: user.authorization)
    }

    static func status(
        _ client: some TestClientProtocol, _ uri: String, authorization: String
    ) async throws -> HTTPResponse.Status {
        try await client.execute(uri: uri, method: .get, headers: [.authorization: authorization]).status
    }

    @Test("a cached GET by id costs one round trip, leaves no tenant and no transaction, and cannot write")
    func oneRoundTrip() async throws {
        let database = try await Self.database.get()
        let user = try await TestTenant.create(in: database, slug: "lokeren")
        let process = try await Process.start(database)
        let uncached = try await Process.start(database, listens: false)
        try await process.cache.settle(database)
        try await process.application().test(.router) { client in
            #expect(try await Self.status(client, "/api/v1/users/\(user.userID)", user) == .ok)  // fills the cache
            let before = try await process.roundTrips()
            let lookups = process.environment.authenticationStatistics.lookups
            #expect(try await Self.status(client, "/api/v1/users/\(user.userID)", user) == .ok)
            #expect(try await process.roundTrips() - before == 1)
            #expect(process.environment.authenticationStatistics.lookups == lookups)

            let (tenant, inTransaction) = try await process.pool.withConnection { connection in
                let tenant = try await connection.query("SELECT current_setting('app.tenant_id', true)")[0]
                    .decode(String?.self, column: 0)
                // A SAVEPOINT outside a transaction block fails (25P01): the request left none open.
                do {
                    try await connection.query("SAVEPOINT probe")
                    try await connection.query("ROLLBACK")
                    return (tenant, true)
                } catch let error as PostgresError where error.sqlState?.rawValue == "25P01" {
                    return (tenant, false)
                }
            }
            #expect(tenant ?? "" == "")
            #expect(!inTransaction)

            let wrote = try await client.execute(
                uri: "/api/v1/test/write", method: .get, headers: [.authorization: user.authorization])
            #expect(String(buffer: wrote.body) == "25006")  // read_only_sql_transaction
        }
        // Without the listener the same GET is as before: BEGIN with the lookup, the SELECT, COMMIT.
        try await uncached.application().test(.router) { client in
            let before = try await uncached.roundTrips()
            #expect(try await Self.status(client, "/api/v1/users/\(user.userID)", user) == .ok)
            #expect(try await uncached.roundTrips() - before == 3)
        }
        await process.stop()
        await uncached.stop()
    }

    /// Creates a user through the API; answers the round trips it cost.
    static func createUser(
        _ process: Process, _ client: some TestClientProtocol, _ admin: TestTenant
    ) async throws -> Int {
        let before = try await process.roundTrips()
        let response = try await client.execute(
            uri: "/api/v1/users", method: .post,
            headers: [.authorization: admin.authorization, .contentType: "application/json"],
            body: ByteBuffer(
                string: #"{"email":"\#(UUID().uuidString.prefix(8))@eeklo.be","name":"New","role":"viewer"}"#))
        #expect(response.status == .created)
        return try await process.roundTrips() - before
    }

    @Test("a write's BEGIN and settings travel with its first statement: one round trip fewer than uncached")
    func writeSavesARoundTrip() async throws {
        let database = try await Self.database.get()
        let admin = try await TestTenant.create(in: database, slug: "eeklo")
        let cached = try await Process.start(database)
        let uncached = try await Process.start(database, listens: false)
        try await cached.cache.settle(database)
        let withCache = try await cached.application().test(.router) { client in
            #expect(try await Self.status(client, "/api/v1/me", admin) == .ok)  // fills the cache
            let count = try await Self.createUser(cached, client, admin)
            // The user was written and committed: a later read sees it.
            #expect(try await Self.status(client, "/api/v1/users", admin) == .ok)
            return count
        }
        let without = try await uncached.application().test(.router) { client in
            try await Self.createUser(uncached, client, admin)
        }
        #expect(without == 3)  // BEGIN + lookup, the INSERT, COMMIT
        #expect(withCache == 2)  // BEGIN + settings + the INSERT, COMMIT

        // On the connection: the prelude and the statement in one round trip, the transaction open after it.
        try await cached.pool.withConnection { connection in
            let before = connection.roundTrips
            await connection.setPrelude(
                ["BEGIN", "SELECT set_config('app.tenant_id', \(admin.tenantID.postgresText), true)"],
                everyStatement: false)
            let tenant = try await connection.query("SELECT current_setting('app.tenant_id')")[0]
                .decode(String.self, column: 0)
            #expect(tenant == admin.tenantID.uuidString.lowercased())
            #expect(connection.roundTrips - before == 1)
            try await connection.query("SAVEPOINT inside")  // fails outside a transaction block
            try await connection.query("ROLLBACK")
            #expect(await connection.clearPrelude() == false)
        }
        await cached.stop()
        await uncached.stop()
    }

    @Test("revoked, disabled, demoted or closed: refused or changed at once, in this process and another")
    func invalidation() async throws {
        let database = try await Self.database.get()
        let admin = try await TestTenant.create(in: database, slug: "ronse")
        let viewer = try await TestTenant.create(in: database, slug: "ronse", role: .coordinator)
        let first = try await Process.start(database)
        let second = try await Process.start(database)
        let owner = try await database.connectAsAdmin()
        try await first.application().test(.router) { one in
            try await second.application().test(.router) { two in
                // Both processes cache the coordinator's token: the second request costs no lookup.
                for (process, client) in [(first, one as any TestClientProtocol), (second, two)] {
                    #expect(try await Self.status(client, "/api/v1/me", viewer) == .ok)
                    let lookups = process.environment.authenticationStatistics.lookups
                    #expect(try await Self.status(client, "/api/v1/me", viewer) == .ok)
                    #expect(process.environment.authenticationStatistics.lookups == lookups)
                }

                // A role changed through the first process: both answer with the new role.
                let demoted = try await one.execute(
                    uri: "/api/v1/users/\(viewer.userID)", method: .patch,
                    headers: [.authorization: admin.authorization, .contentType: "application/json"],
                    body: ByteBuffer(string: #"{"role":"viewer"}"#))
                #expect(demoted.status == .ok)
                for client in [one as any TestClientProtocol, two] {
                    try await Self.poll("the new role is seen") {
                        let me = try await client.execute(
                            uri: "/api/v1/me", method: .get, headers: [.authorization: viewer.authorization])
                        return String(buffer: me.body).contains(#""role":"viewer""#)
                    }
                }

                // The token revoked through the first process: refused by both.
                let tokenID = try await owner.query(
                    "SELECT id FROM platform.tokens WHERE user_id = \(viewer.userID)")[0].decode(UUID.self, column: 0)
                let revoked = try await one.execute(
                    uri: "/api/v1/tokens/\(tokenID)", method: .delete, headers: [.authorization: admin.authorization])
                #expect(revoked.status == .noContent)
                for client in [one as any TestClientProtocol, two] {
                    try await Self.poll("the revoked token is refused") {
                        try await Self.status(client, "/api/v1/me", viewer) == .unauthorized
                    }
                }

                // A user disabled, then the municipality disabled, from the command line (the owner).
                let other = try await TestTenant.create(in: database, slug: "ronse", role: .viewer)
                for client in [one as any TestClientProtocol, two] {
                    #expect(try await Self.status(client, "/api/v1/me", other) == .ok)
                }
                try await owner.query("UPDATE platform.users SET disabled_at = now() WHERE id = \(other.userID)")
                for client in [one as any TestClientProtocol, two] {
                    try await Self.poll("the disabled user is refused") {
                        try await Self.status(client, "/api/v1/me", other) == .unauthorized
                    }
                }
                for client in [one as any TestClientProtocol, two] {
                    #expect(try await Self.status(client, "/api/v1/me", admin) == .ok)
                }
                try await owner.query("UPDATE platform.tenants SET disabled_at = now() WHERE id = \(admin.tenantID)")
                for client in [one as any TestClientProtocol, two] {
                    try await Self.poll("the disabled municipality's token is refused") {
                        try await Self.status(client, "/api/v1/me", admin) == .unauthorized
                    }
                }
            }
        }
        await owner.close()
        await first.stop()
        await second.stop()
    }

    @Test("a refused hash is kept, and forgotten as soon as a token with it is made")
    func negativeCache() async throws {
        let database = try await Self.database.get()
        let user = try await TestTenant.create(in: database, slug: "tielt")
        let process = try await Process.start(database)
        try await process.application().test(.router) { client in
            let token = APIToken.generate()
            let unknown = "Bearer \(token.value)"
            #expect(try await Self.status(client, "/api/v1/me", authorization: unknown) == .unauthorized)
            let lookups = process.environment.authenticationStatistics.lookups
            #expect(try await Self.status(client, "/api/v1/me", authorization: unknown) == .unauthorized)
            #expect(process.environment.authenticationStatistics.lookups == lookups)  // from the cache
            #expect(process.cache.count.refused == 1)

            // A token made afterwards works at once, and one with that very hash once its notification arrived.
            let fresh = try await TestTenant.create(in: database, slug: "tielt", role: .viewer)
            #expect(try await Self.status(client, "/api/v1/me", fresh) == .ok)
            let owner = try await database.connectAsAdmin()
            try await Tenancy.insertToken(token, tenantID: user.tenantID, userID: user.userID, name: "t", on: owner)
            await owner.close()
            try await Self.poll("the new token is accepted") {
                try await Self.status(client, "/api/v1/me", authorization: unknown) == .ok
            }
        }
        await process.stop()
    }

    @Test("while the listener is down the cache is bypassed: every request looks its token up")
    func listenerDown() async throws {
        let database = try await Self.database.get()
        let user = try await TestTenant.create(in: database, slug: "diest")
        // It reconnects only after a minute: long enough to see the cache unused meanwhile.
        let process = try await Process.start(database, reconnectDelay: .seconds(60))
        let owner = try await database.connectAsAdmin()
        try await process.application().test(.router) { client in
            #expect(try await Self.status(client, "/api/v1/me", user) == .ok)
            #expect(process.cache.count.granted == 1)
            try await owner.query(
                """
                SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                WHERE datname = current_database() AND query LIKE 'LISTEN %stedenband_identity%'
                """)
            try await Self.poll("the cache knows its listener is down") { !process.cache.isActive }
            #expect(process.cache.count.granted == 0)
            let lookups = process.environment.authenticationStatistics.lookups
            #expect(try await Self.status(client, "/api/v1/me", user) == .ok)
            #expect(try await Self.status(client, "/api/v1/me", user) == .ok)
            #expect(process.environment.authenticationStatistics.lookups == lookups + 2)
            // No notification can arrive now, and the revocation is still seen at the next request.
            try await owner.query("UPDATE platform.tokens SET revoked_at = now() WHERE user_id = \(user.userID)")
            #expect(try await Self.status(client, "/api/v1/me", user) == .unauthorized)
        }
        await owner.close()
        await process.stop()
    }

    @Test("a token past its expiry is never served from the cache, and a time to live of 0 turns it off")
    func expiryAndOff() async throws {
        let identity = Identity(tokenID: UUID(), tenantID: UUID(), userID: UUID(), platformAdminID: nil, role: .viewer)
        let now = Date()
        let clock = ManualSeconds()
        let cache = IdentityCache(ttl: 10, capacity: 2, clock: { clock.now })
        #expect(cache.answer(for: "a", at: now).isUnavailable)  // not listening yet
        let database = try await Self.database.get()
        let listener = PostgresListener(
            configuration: database.appConfiguration, channels: [], logger: TestLogger.make("identitycache"))
        let listening = Task { await cache.listen(listener) }
        try await Self.poll("the listener listens") { cache.isActive }
        guard case .unknown(let generation) = cache.answer(for: "a", at: now) else {
            Issue.record("an empty cache knows nothing")
            return
        }
        cache.store(.init(identity: identity, expiresAt: now.addingTimeInterval(5)), for: "a", generation: generation)
        guard case .granted = cache.answer(for: "a", at: now) else {
            Issue.record("a stored grant is served")
            return
        }
        guard case .unknown = cache.answer(for: "a", at: now.addingTimeInterval(5)) else {
            Issue.record("a token at its expiry is not served")
            return
        }
        // The time to live: a refusal kept 10 seconds, then asked again.
        guard case .unknown(let next) = cache.answer(for: "b", at: now) else { return }
        cache.store(nil, for: "b", generation: next)
        guard case .refused = cache.answer(for: "b", at: now) else {
            Issue.record("a refusal is kept")
            return
        }
        clock.advance(by: 10)
        guard case .unknown(let later) = cache.answer(for: "b", at: now) else {
            Issue.record("a refusal is kept no longer than the time to live")
            return
        }
        // A lookup that began before an invalidation does not fill the cache after it.
        cache.invalidate()
        cache.store(nil, for: "b", generation: later)
        #expect(cache.count.refused == 0)
        // Bounded: never more than its capacity.
        for key in ["c", "d", "e"] {
            guard case .unknown(let generation) = cache.answer(for: key, at: now) else { continue }
            cache.store(nil, for: key, generation: generation)
        }
        #expect(cache.count.refused <= 2)
        listening.cancel()
        await listening.value
        #expect(!cache.isActive)

        let off = IdentityCache(ttl: 0)
        #expect(off.answer(for: "a", at: now).isUnavailable)
        #expect(try GatewaySettings.load(from: ["IDENTITY_CACHE_TTL_SECONDS": "0"]).identityCacheTTL == 0)
        #expect(GatewaySettings().identityCacheTTL == 10)
        #expect(throws: GatewaySettingError.self) {
            try GatewaySettings.load(from: ["IDENTITY_CACHE_TTL_SECONDS": "-1"])
        }
    }
}

/// A clock the test moves, in seconds.
private final class ManualSeconds: Sendable {
    private let value = Mutex(1000.0)
    var now: Double { value.withLock { $0 } }
    func advance(by seconds: Double) { value.withLock { $0 += seconds } }
}
