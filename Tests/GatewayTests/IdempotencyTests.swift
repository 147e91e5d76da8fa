import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Postgres
import TestSupport
import Testing

@Suite("Idempotency-Key makes a POST safe to send again")
struct IdempotencyTests {
    static let database = SuiteDatabase("idempotency")

    private func application() async throws -> some ApplicationProtocol {
        let database = try await Self.database.get()
        let pool = PostgresConnectionPool(
            configuration: .init(connection: database.appConfiguration, maximumConnections: 4),
            logger: TestLogger.make("idempotency")
        )
        let environment = GatewayEnvironment(
            pool: pool, readiness: NeverChecked(), logger: TestLogger.make("idempotency"))
        return Application(router: buildRouter(environment: environment))
    }

    private func headers(_ user: TestTenant, key: String?) -> HTTPFields {
        var headers: HTTPFields = [.authorization: user.authorization, .contentType: "application/json"]
        if let key { headers[HTTPField.Name("Idempotency-Key")!] = key }
        return headers
    }

    private func users(named email: String, tenant: TestTenant) async throws -> Int {
        let connection = try await Self.database.get().connectAsAdmin()
        return try await connection.query(
            "SELECT count(*) FROM platform.users WHERE tenant_id = \(tenant.tenantID) AND lower(email) = \(email)"
        )[0].decode(Int.self, column: 0)
    }

    @Test("the same POST with the same key is carried out once and answered the same, marked as a replay")
    func replaysTheFirstAnswer() async throws {
        let admin = try await TestTenant.create(in: try await Self.database.get(), slug: "zoersel")
        let body = #"{"email": "bohicon@zoersel.example", "name": "Partner", "role": "partner_coordinator"}"#
        try await application().test(.router) { client in
            let first = try await client.execute(
                uri: "/api/v1/users", method: .post, headers: headers(admin, key: "k-1"), body: ByteBuffer(string: body)
            )
            #expect(first.status == .created)
            #expect(first.headers[HTTPField.Name("Idempotency-Replayed")!] == nil)
            let again = try await client.execute(
                uri: "/api/v1/users", method: .post, headers: headers(admin, key: "k-1"), body: ByteBuffer(string: body)
            )
            #expect(again.status == .created)
            #expect(again.headers[HTTPField.Name("Idempotency-Replayed")!] == "true")
            #expect(String(buffer: again.body) == String(buffer: first.body))
            #expect(again.headers[.location] == first.headers[.location] && first.headers[.location] != nil)
            #expect(again.headers[.contentType] == first.headers[.contentType])

            // Without a key a second POST is a second request (here: the e-mail is taken).
            let unkeyed = try await client.execute(
                uri: "/api/v1/users", method: .post, headers: headers(admin, key: nil), body: ByteBuffer(string: body))
            #expect(unkeyed.status == .conflict)
        }
        #expect(try await users(named: "bohicon@zoersel.example", tenant: admin) == 1)
    }

    @Test("a key sent again with another body is a 422 naming the header, and changes nothing")
    func refusesAnotherRequestUnderTheKey() async throws {
        let admin = try await TestTenant.create(in: try await Self.database.get(), slug: "edegem")
        try await application().test(.router) { client in
            let first = try await client.execute(
                uri: "/api/v1/users", method: .post, headers: headers(admin, key: "same"),
                body: ByteBuffer(string: #"{"email": "a@edegem.example", "name": "A", "role": "viewer"}"#))
            #expect(first.status == .created)
            let other = try await client.execute(
                uri: "/api/v1/users", method: .post, headers: headers(admin, key: "same"),
                body: ByteBuffer(string: #"{"email": "b@edegem.example", "name": "B", "role": "viewer"}"#))
            #expect(other.status == .unprocessableContent)
            #expect(other.headers[.contentType] == "application/problem+json")
            #expect(String(buffer: other.body).contains(#""field":"Idempotency-Key""#))
            let malformed = try await client.execute(
                uri: "/api/v1/users", method: .post, headers: headers(admin, key: "has space"),
                body: ByteBuffer(string: #"{"email": "c@edegem.example", "name": "C", "role": "viewer"}"#))
            #expect(malformed.status == .unprocessableContent)
        }
        #expect(try await users(named: "b@edegem.example", tenant: admin) == 0)
        #expect(try await users(named: "c@edegem.example", tenant: admin) == 0)
    }

    @Test("a request that failed keeps no key: the corrected request with the same key is carried out")
    func failedRequestsKeepNoKey() async throws {
        let admin = try await TestTenant.create(in: try await Self.database.get(), slug: "oostende")
        try await application().test(.router) { client in
            let bad = try await client.execute(
                uri: "/api/v1/users", method: .post, headers: headers(admin, key: "retry-me"),
                body: ByteBuffer(string: #"{"email": "banjul@oostende.example", "name": "B", "role": "mayor"}"#))
            #expect(bad.status == .unprocessableContent)
            let fixed = try await client.execute(
                uri: "/api/v1/users", method: .post, headers: headers(admin, key: "retry-me"),
                body: ByteBuffer(string: #"{"email": "banjul@oostende.example", "name": "B", "role": "viewer"}"#))
            #expect(fixed.status == .created)
            #expect(fixed.headers[HTTPField.Name("Idempotency-Replayed")!] == nil)
        }
        #expect(try await users(named: "banjul@oostende.example", tenant: admin) == 1)
    }

    @Test("two requests with one key at once: one is carried out, both get its answer")
    func concurrentRequestsWithOneKey() async throws {
        let admin = try await TestTenant.create(in: try await Self.database.get(), slug: "mechelen")
        let body = #"{"email": "nador@mechelen.example", "name": "Nador", "role": "viewer"}"#
        try await application().test(.router) { client in
            let answers = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        try await client.execute(
                            uri: "/api/v1/users", method: .post, headers: headers(admin, key: "together"),
                            body: ByteBuffer(string: body))
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.allSatisfy { $0.status == .created }, "\(answers.map(\.status))")
            #expect(Set(answers.map { String(buffer: $0.body) }).count == 1)
        }
        #expect(try await users(named: "nador@mechelen.example", tenant: admin) == 1)
    }

    @Test("an answer that held a secret is not kept: its retry is a 409 and no second token is made")
    func secretsAreNotKept() async throws {
        let admin = try await TestTenant.create(in: try await Self.database.get(), slug: "kortrijk")
        let path = "/api/v1/users/\(admin.userID)/tokens"
        try await application().test(.router) { client in
            let issued = try await client.execute(
                uri: path, method: .post, headers: headers(admin, key: "token-1"),
                body: ByteBuffer(string: #"{"name": "script"}"#))
            #expect(issued.status == .created)
            #expect(issued.headers[.cacheControl] == "no-store")
            #expect(String(buffer: issued.body).contains("sbt_"))
            let again = try await client.execute(
                uri: path, method: .post, headers: headers(admin, key: "token-1"),
                body: ByteBuffer(string: #"{"name": "script"}"#))
            #expect(again.status == .conflict)
            #expect(!String(buffer: again.body).contains("sbt_"))
        }
        let connection = try await Self.database.get().connectAsAdmin()
        let stored = try await connection.query(
            """
            SELECT count(*) FILTER (WHERE t.name = 'script'),
                (SELECT count(*) FROM platform.idempotency_keys k WHERE k.tenant_id = \(admin.tenantID) AND body IS NOT NULL)
            FROM platform.tokens t WHERE t.tenant_id = \(admin.tenantID)
            """
        )[0].decode((Int, Int).self)
        #expect(stored == (1, 0))
    }

    @Test("keys are per user, and a key older than a day is forgotten")
    func scopedAndExpiring() async throws {
        let database = try await Self.database.get()
        let admin = try await TestTenant.create(in: database, slug: "leuven")
        let other = try await TestTenant.create(in: database, slug: "leuven")
        try await application().test(.router) { client in
            let mine = try await client.execute(
                uri: "/api/v1/users", method: .post, headers: headers(admin, key: "shared"),
                body: ByteBuffer(string: #"{"email": "para1@leuven.example", "name": "P", "role": "viewer"}"#))
            #expect(mine.status == .created)
            // Another user's same key is another key.
            let theirs = try await client.execute(
                uri: "/api/v1/users", method: .post, headers: headers(other, key: "shared"),
                body: ByteBuffer(string: #"{"email": "para2@leuven.example", "name": "P", "role": "viewer"}"#))
            #expect(theirs.status == .created)
            #expect(theirs.headers[HTTPField.Name("Idempotency-Replayed")!] == nil)

            let connection = try await database.connectAsAdmin()
            try await connection.query(
                """
                UPDATE platform.idempotency_keys SET created_at = now() - interval '25 hours'
                WHERE tenant_id = \(admin.tenantID) AND user_id = \(admin.userID)
                """)
            let later = try await client.execute(
                uri: "/api/v1/users", method: .post, headers: headers(admin, key: "shared"),
                body: ByteBuffer(string: #"{"email": "para3@leuven.example", "name": "P", "role": "viewer"}"#))
            #expect(later.status == .created)
            #expect(later.headers[HTTPField.Name("Idempotency-Replayed")!] == nil)
        }
        #expect(try await users(named: "para3@leuven.example", tenant: admin) == 1)
    }
}
