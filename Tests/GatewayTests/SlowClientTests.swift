import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Postgres
import TestSupport
import Testing

@Suite("No client holds the server: body and idle timeouts, statement timeouts")
struct SlowClientTests {
    static let database = SuiteDatabase("slowclients")

    /// A live server on a pool of two connections, with short timeouts.
    private func application(
        settings: GatewaySettings,
        timeouts: DatabaseTimeouts = DatabaseTimeouts(),
        extraRoutes: (RouterGroup<GatewayRequestContext>) -> Void = { _ in }
    ) async throws -> some ApplicationProtocol {
        let database = try await Self.database.get()
        let pool = PostgresConnectionPool(
            configuration: .init(
                connection: timeouts.applied(to: database.appConfiguration), maximumConnections: 2,
                acquireTimeout: .seconds(5)),
            logger: TestLogger.make("slowclients")
        )
        let environment = GatewayEnvironment(
            pool: pool, readiness: NeverChecked(), logger: TestLogger.make("slowclients"), settings: settings)
        let router = buildRouter(environment: environment)
        extraRoutes(apiRoutes(router, environment: environment))
        return buildApplication(
            environment: environment, router: router,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)))
    }

    @Test(
        "thirty clients sending two bytes a second, chunked and with a length, do not slow GET /api/v1/me; each gets a 408"
    )
    func slowBodiesHoldNoConnection() async throws {
        // An administrator, whose POST /api/v1/users reads its body (a partner coordinator is refused first).
        let user = try await TestTenant.create(in: try await Self.database.get(), slug: "slow-aalst")
        var settings = GatewaySettings()
        // A byte every half second against a 10 s pause: a sender late by seconds on a busy machine (the whole
        // suite runs in parallel on two cores) still keeps its body alive, so the whole-body timeout (15 s) is
        // what cuts every one of them.
        settings.bodyTimeouts = BodyReadTimeouts(whole: .seconds(15), betweenBytes: .seconds(10))
        try await application(settings: settings).test(.live) { client in
            let port = try #require(client.port)
            // Before the first head is sent: each body's clock starts after this.
            let started = ContinuousClock.now
            let head = """
                POST /api/v1/users HTTP/1.1\r
                Host: localhost\r
                Authorization: \(user.authorization)\r
                Content-Type: application/json\r

                """
            var slow: [RawConnection] = []
            for index in 0..<30 {
                let connection = try await RawConnection.open(port: port)
                let framing = index % 2 == 0 ? "Transfer-Encoding: chunked\r\n" : "Content-Length: 200\r\n"
                try await connection.send(head + framing + "\r\n")
                slow.append(connection)
            }
            // Each client sends one byte every half second until it is answered.
            let clients = slow
            let senders = Task {
                for tick in 0..<120 {
                    for (index, connection) in clients.enumerated()
                    where connection.status == nil && !connection.isClosed {
                        try? await connection.send(index % 2 == 0 ? "1\r\n\(tick == 0 ? "{" : " ")\r\n" : " ")
                    }
                    try await Task.sleep(for: .milliseconds(500))
                }
            }
            defer { senders.cancel() }
            var answered = 0
            var answeredWhileSlow = 0
            while slow.contains(where: { $0.status == nil && !$0.isClosed }),
                ContinuousClock.now < started + .seconds(60)
            {
                let me = try await client.execute(
                    uri: "/api/v1/me", method: .get, headers: [.authorization: user.authorization])
                #expect(me.status == .ok)
                // Were the slow clients holding connections, it would wait the pool's 5 s acquire timeout, then
                // answer 503. No bound on its time here: the whole suite runs in parallel on two cores; the
                // live "under a second" is measured as docs/security.md says.
                answered += 1
                // Answered 200 (not the pool's 503 after its 5 s acquire timeout) while bodies were still coming.
                if slow.contains(where: { $0.status == nil && !$0.isClosed }) { answeredWhileSlow += 1 }
                // A person's pace, well within the token's own rate limit.
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(
                answeredWhileSlow >= 1,
                "GET /api/v1/me was answered \(answered) times, none while the clients were still sending")
            for connection in slow {
                #expect(try await connection.waitUntil(timeout: .seconds(30)) { $0.isClosed })
                #expect(connection.status == 408, "\(connection.response.prefix(200))")
                #expect(connection.response.contains("application/problem+json"))
                #expect(connection.response.contains("/problems/request-timeout"))
            }
            // Cut by the whole-body timeout (15 s), not sooner: each sent a byte every half second.
            #expect(ContinuousClock.now - started >= .seconds(15))
        }
    }

    @Test("a body that stops is cut after the pause between bytes, before the whole-body timeout")
    func stalledBodyIsCut() async throws {
        let user = try await TestTenant.create(in: try await Self.database.get(), slug: "slow-boom")
        var settings = GatewaySettings()
        settings.bodyTimeouts = BodyReadTimeouts(whole: .seconds(30), betweenBytes: .seconds(1))
        try await application(settings: settings).test(.live) { client in
            let connection = try await RawConnection.open(port: try #require(client.port))
            let started = ContinuousClock.now
            try await connection.send(
                "PATCH /api/v1/users/\(user.userID) HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: \(user.authorization)\r\nContent-Length: 50\r\n\r\n{")
            #expect(try await connection.waitUntil(timeout: .seconds(15)) { $0.status != nil && $0.isClosed })
            #expect(connection.status == 408)
            #expect(ContinuousClock.now - started < .seconds(15))
            // The user's row is not locked: another request changes it at once.
            let patched = try await client.execute(
                uri: "/api/v1/users/\(user.userID)", method: .patch,
                headers: [.authorization: user.authorization, .contentType: "application/json"],
                body: ByteBuffer(string: #"{"name": "Not Locked"}"#))
            #expect(patched.status == .ok)
        }
    }

    @Test("a chunked body over the limit is a 413, and the connection is closed rather than read on")
    func chunkedBodyOverLimit() async throws {
        let user = try await TestTenant.create(in: try await Self.database.get(), slug: "slow-gent")
        try await application(settings: GatewaySettings()).test(.live) { client in
            let connection = try await RawConnection.open(port: try #require(client.port))
            try await connection.send(
                "POST /api/v1/users HTTP/1.1\r\nHost: localhost\r\nAuthorization: \(user.authorization)\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n")
            let chunk = String(repeating: " ", count: 64 * 1024)
            let size = String(chunk.utf8.count, radix: 16)
            for _ in 0..<17 where connection.status == nil {
                try? await connection.send("\(size)\r\n\(chunk)\r\n")
            }
            #expect(try await connection.waitUntil(timeout: .seconds(10)) { $0.status != nil })
            #expect(connection.status == 413)
            // The server does not read on to the end of the body: it closes the connection.
            #expect(try await connection.waitUntil(timeout: .seconds(10)) { $0.isClosed })
        }
    }

    @Test("an idle keep-alive connection is closed after the idle timeout, and so is one whose head never ends")
    func idleConnectionsAreClosed() async throws {
        // Long enough that a busy machine (parallel tests) sends between opening and writing in time.
        var settings = GatewaySettings()
        settings.idleTimeout = .seconds(3)
        try await application(settings: settings).test(.live) { client in
            let port = try #require(client.port)
            let keptAlive = try await RawConnection.open(port: port)
            // The idle clock starts no earlier than the request is sent: timed from there, not from when a busy
            // machine got round to noticing the answer (which made a full timeout look 2.5 s long).
            let sent = ContinuousClock.now
            try await keptAlive.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
            #expect(try await keptAlive.waitUntil(timeout: .seconds(10)) { $0.status == 200 })
            #expect(try await keptAlive.waitUntil(timeout: .seconds(20)) { $0.isClosed })
            #expect(ContinuousClock.now - sent >= .seconds(3))

            let halfHead = try await RawConnection.open(port: port)
            // If the machine is so busy that the idle timeout closed it first, it is closed all the same.
            try? await halfHead.send("GET /healthz HTTP/1.1\r\nHo")
            #expect(try await halfHead.waitUntil(timeout: .seconds(20)) { $0.isClosed })
            #expect(halfHead.status == nil)
        }
    }

    @Test("a query over statement_timeout is cancelled (57014) and answered 503 with Retry-After")
    func statementTimeout() async throws {
        let user = try await TestTenant.create(in: try await Self.database.get(), slug: "slow-ieper")
        let app = try await application(
            settings: GatewaySettings(), timeouts: DatabaseTimeouts(statement: .milliseconds(300))
        ) { api in
            api.get("test/sleep") { _, context -> String in
                _ = try await context.requireConnection().query("SELECT pg_sleep(30)")
                return "slept"
            }
        }
        try await app.test(.live) { client in
            let started = ContinuousClock.now
            let response = try await client.execute(
                uri: "/api/v1/test/sleep", method: .get, headers: [.authorization: user.authorization])
            #expect(response.status == .serviceUnavailable)
            #expect(response.headers[.retryAfter] == "5")
            #expect(
                try JSONDecoder().decode(ProblemBody.self, from: response.body).type == "/problems/statement-timeout")
            // Cancelled at 300 ms, not after the 30 s sleep; the margin is for a busy machine.
            #expect(ContinuousClock.now - started < .seconds(20))
            // The connection went back clean: the next request is served. On a machine busy enough to take the
            // 300 ms timeout, that request's own statements may take it too: that is a 503 again, never another
            // error from a connection left mid-transaction; it is asked again, up to five times.
            var me = try await client.execute(
                uri: "/api/v1/me", method: .get, headers: [.authorization: user.authorization])
            for _ in 1..<5 where me.status == .serviceUnavailable {
                #expect(
                    try JSONDecoder().decode(ProblemBody.self, from: me.body).type == "/problems/statement-timeout")
                try await Task.sleep(for: .milliseconds(200))
                me = try await client.execute(
                    uri: "/api/v1/me", method: .get, headers: [.authorization: user.authorization])
            }
            #expect(me.status == .ok)
        }
    }

    @Test("app connections carry the timeouts; an idle transaction is ended by the database")
    func connectionTimeouts() async throws {
        let database = try await Self.database.get()
        let defaults = try await PostgresConnection.connect(
            to: DatabaseTimeouts().applied(to: database.appConfiguration), logger: TestLogger.make("slowclients"))
        let shown = try await defaults.query(
            "SELECT current_setting('statement_timeout'), current_setting('idle_in_transaction_session_timeout')")
        let (statement, idle) = try shown[0].decode((String, String).self)
        #expect(statement == "30s")
        #expect(idle == "1min")
        await defaults.close()

        let short = try await PostgresConnection.connect(
            to: DatabaseTimeouts(idleInTransaction: .milliseconds(300)).applied(to: database.appConfiguration),
            logger: TestLogger.make("slowclients"))
        // The pid before BEGIN: on a busy machine 300 ms can pass between two statements of the test, and the
        // database must end only the transaction left idle, not one the test is still using.
        let pid = try await short.query("SELECT pg_backend_pid()::bigint")[0].decode(Int.self, column: 0)
        _ = try await short.query("BEGIN")
        let admin = try await database.connectAsAdmin()
        let deadline = ContinuousClock.now + .seconds(10)
        var alive = true
        while alive, ContinuousClock.now < deadline {
            alive =
                try await admin.query("SELECT count(*) FROM pg_stat_activity WHERE pid = \(pid)")[0]
                .decode(Int.self, column: 0) > 0
            if alive { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(!alive, "the idle transaction's session was not ended")
        await #expect(throws: PostgresError.self) { _ = try await short.query("SELECT 1") }
        await admin.close()
        await short.close()
    }

    @Test("timeouts and limits are read from the environment, and a bad value is refused")
    func settingsFromEnvironment() throws {
        let settings = try GatewaySettings.load(from: [
            "HTTP_BODY_TIMEOUT": "12", "HTTP_BODY_BYTE_TIMEOUT": "2.5", "HTTP_IDLE_TIMEOUT": "5",
            "TRUSTED_PROXIES": "10.0.0.0/8, 2001:db8::1", "METRICS_PORT": "9464", "METRICS_TOKEN": "0123456789abcdef",
        ])
        #expect(settings.bodyTimeouts == BodyReadTimeouts(whole: .seconds(12), betweenBytes: .milliseconds(2500)))
        #expect(settings.idleTimeout == .seconds(5))
        #expect(settings.trustedProxies.networks.count == 2)
        #expect(settings.metricsListener?.host == "127.0.0.1" && settings.metricsListener?.port == 9464)
        #expect(settings.metricsToken == "0123456789abcdef")
        #expect(try GatewaySettings.load(from: [:]) == GatewaySettings())
        #expect(GatewaySettings().bodyTimeouts == BodyReadTimeouts(whole: .seconds(30), betweenBytes: .seconds(10)))
        for (name, value) in [
            ("HTTP_BODY_TIMEOUT", "0"), ("HTTP_IDLE_TIMEOUT", "soon"), ("TRUSTED_PROXIES", "10.0.0.0/33"),
            ("METRICS_PORT", "70000"), ("METRICS_TOKEN", "short"),
        ] {
            #expect(throws: GatewaySettingError.self, "\(name)=\(value)") {
                try GatewaySettings.load(from: [name: value])
            }
        }
        let timeouts = try DatabaseTimeouts.load(from: ["DATABASE_STATEMENT_TIMEOUT": "0"])
        #expect(timeouts == DatabaseTimeouts(statement: .zero, idleInTransaction: .seconds(60)))
        #expect(throws: GatewaySettingError.self) {
            try DatabaseTimeouts.load(from: ["DATABASE_IDLE_IN_TRANSACTION_TIMEOUT": "-1"])
        }
    }
}
