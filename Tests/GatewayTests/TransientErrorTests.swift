import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Postgres
import Synchronization
import TestSupport
import Testing

/// A deadlock or serialization failure inside a request's transaction is retried, else a 503 the client
/// can wait out; a foreign-key violation that escapes a handler is a 409. None is a 500.
@Suite("Transient database errors")
struct TransientErrorTests {
    static let database = SuiteDatabase("transient")

    struct Echo: Gateway.RequestBody {
        static let fields: Set<String> = ["email"]
        var email: String
        func validate() -> [Problem.FieldError] { FieldCheck.email(email, field: "email") }
    }

    /// The gateway with extra `/api/v1/test/…` routes, as a plugin would mount them.
    private func application(
        _ routes: (RouterGroup<GatewayRequestContext>) -> Void
    ) async throws -> some ApplicationProtocol {
        let database = try await Self.database.get()
        let pool = PostgresConnectionPool(
            configuration: .init(connection: database.appConfiguration, maximumConnections: 4),
            logger: TestLogger.make("transient")
        )
        let environment = GatewayEnvironment(
            pool: pool, readiness: NeverChecked(), logger: TestLogger.make("transient"))
        let router = buildRouter(environment: environment)
        routes(apiRoutes(router, environment: environment))
        return buildApplication(
            environment: environment, router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    static func failure(_ state: SQLState) -> PostgresError {
        PostgresError(code: .server, sqlState: state, reason: "injected")
    }

    @Test(
        "a request whose transaction deadlocks twice is tried again and succeeds",
        arguments: [
            SQLState.deadlockDetected, .serializationFailure,
        ])
    func retriedUntilItSucceeds(_ state: SQLState) async throws {
        let user = try await TestTenant.create(in: try await Self.database.get(), slug: "ronse")
        let attempts = Atomic(0)
        let app = try await application { api in
            api.get("test/flaky") { _, context -> String in
                _ = try await context.requireConnection().query("SELECT 1")
                if attempts.add(1, ordering: .relaxed).newValue < 3 { throw Self.failure(state) }
                return "ok"
            }
        }
        try await app.test(.router) { client in
            let response = try await client.execute(
                uri: "/api/v1/test/flaky", method: .get, headers: [.authorization: user.authorization])
            #expect(response.status == .ok)
            #expect(String(buffer: response.body) == "ok")
        }
        #expect(attempts.load(ordering: .relaxed) == 3)
    }

    @Test("a retried POST reads its streamed body again, and the failed attempt's writes are rolled back")
    func retriedPostReplaysItsBody() async throws {
        let database = try await Self.database.get()
        let user = try await TestTenant.create(in: database, slug: "geraardsbergen")
        let attempts = Atomic(0)
        let app = try await application { api in
            api.post("test/users") { request, context -> Response in
                let body = try await request.decodeBody(Echo.self, context: context)
                let identity = try context.requireIdentity()
                // The unique index on (tenant, e-mail) fails the second attempt unless the first rolled back.
                try await context.requireConnection().query(
                    """
                    INSERT INTO platform.users (tenant_id, email, name, role, locale, time_zone)
                    VALUES (\(identity.tenantID!), \(body.email), 'Retried', 'viewer', 'nl', 'Europe/Brussels')
                    """
                )
                if attempts.add(1, ordering: .relaxed).newValue == 1 { throw Self.failure(.deadlockDetected) }
                return Response(status: .created)
            }
        }
        let email = "retried-\(UUID().uuidString.prefix(8))@geraardsbergen.be"
        try await app.test(.live) { client in
            let body = #"{"email": "\#(email)"}"#
            let response = try await client.execute(
                uri: "/api/v1/test/users", method: .post,
                headers: [
                    .authorization: user.authorization, .contentType: "application/json",
                    .contentLength: String(body.utf8.count),
                ],
                body: ByteBuffer(string: body))
            #expect(response.status == .created)
        }
        #expect(attempts.load(ordering: .relaxed) == 2)
        let admin = try await database.connectAsAdmin()
        let count = try await admin.query("SELECT count(*) FROM platform.users WHERE email = \(email)")[0]
            .decode(Int.self, column: 0)
        await admin.close()
        #expect(count == 1)
    }

    @Test("a request that keeps deadlocking is a 503 problem with Retry-After after a bounded number of tries")
    func givesUpWith503() async throws {
        let user = try await TestTenant.create(in: try await Self.database.get(), slug: "zottegem")
        let attempts = Atomic(0)
        let app = try await application { api in
            api.get("test/deadlock") { _, _ -> String in
                attempts.add(1, ordering: .relaxed)
                throw Self.failure(.deadlockDetected)
            }
        }
        try await app.test(.router) { client in
            let response = try await client.execute(
                uri: "/api/v1/test/deadlock", method: .get, headers: [.authorization: user.authorization])
            #expect(response.status == .serviceUnavailable)
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(response.headers[.retryAfter] == "1")
            let problem = try JSONDecoder().decode(ProblemBody.self, from: response.body)
            #expect(problem.type == "/problems/transaction-conflict")
            #expect(!problem.detail.contains("injected"))
        }
        #expect(attempts.load(ordering: .relaxed) == AuthenticationMiddleware.defaultMaximumAttempts)
    }

    @Test("a chunked body is read whole before the transaction, so its request is retried with the same body")
    func chunkedBodyIsReplayed() async throws {
        let user = try await TestTenant.create(in: try await Self.database.get(), slug: "oudenaarde")
        let attempts = Atomic(0)
        let bodies = Mutex<[String]>([])
        let app = try await application { api in
            api.post("test/stream") { request, _ -> String in
                let body = String(buffer: try await request.body.collect(upTo: 1 << 20))
                bodies.withLock { $0.append(body) }
                if attempts.add(1, ordering: .relaxed).newValue == 1 { throw Self.failure(.serializationFailure) }
                return "ok"
            }
        }
        try await app.test(.router) { client in
            let response = try await client.execute(
                uri: "/api/v1/test/stream", method: .post,
                headers: [.authorization: user.authorization, .transferEncoding: "chunked"],
                body: ByteBuffer(string: "data"))
            #expect(response.status == .ok)
        }
        #expect(attempts.load(ordering: .relaxed) == 2)
        #expect(bodies.withLock { $0 } == ["data", "data"])
    }

    @Test("a foreign-key violation that escapes a handler is a 409 problem, not a 500")
    func foreignKeyViolationIs409() async throws {
        let user = try await TestTenant.create(in: try await Self.database.get(), slug: "brakel")
        let app = try await application { api in
            api.post("test/dangling") { _, context -> String in
                let identity = try context.requireIdentity()
                // A token for a user that does not exist: platform.tokens references platform.users.
                try await Tenancy.insertToken(
                    APIToken.generate(), tenantID: identity.tenantID, userID: UUID(), name: "dangling",
                    on: try context.requireConnection())
                return "unreachable"
            }
        }
        try await app.test(.router) { client in
            let response = try await client.execute(
                uri: "/api/v1/test/dangling", method: .post, headers: [.authorization: user.authorization])
            #expect(response.status == .conflict)
            #expect(response.headers[.contentType] == "application/problem+json")
            let problem = try JSONDecoder().decode(ProblemBody.self, from: response.body)
            #expect(problem.type == "/problems/conflict")
            #expect(!problem.detail.contains("tokens"))
        }
    }
}
