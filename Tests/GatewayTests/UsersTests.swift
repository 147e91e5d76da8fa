import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Migrations
import NIOCore
import Postgres
import TestSupport
import Testing

@Suite("Users and tokens over HTTP")
struct UsersTests {
    static let database = SuiteDatabase("users")

    private func application() async throws -> some ApplicationProtocol {
        let database = try await Self.database.get()
        let pool = PostgresConnectionPool(
            configuration: .init(connection: database.appConfiguration, maximumConnections: 4),
            logger: TestLogger.make("users")
        )
        let environment = GatewayEnvironment(pool: pool, readiness: NeverChecked(), logger: TestLogger.make("users"))
        return Application(router: buildRouter(environment: environment))
    }

    struct User: Decodable, Equatable {
        var id: UUID
        var email: String
        var name: String
        var role: String
        var locale: String
        var timeZone: String
    }

    struct Page: Decodable {
        var items: [User]
        var nextCursor: String?
    }

    struct ProblemBody: Decodable {
        struct FieldError: Decodable {
            var field: String
            var message: String
        }
        var status: Int
        var type: String
        var errors: [FieldError]?
    }

    private func json(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    private func decode<T: Decodable>(_ type: T.Type, _ response: TestResponse) throws -> T {
        let decoder = JSONDecoder()
        return try decoder.decode(type, from: Data(response.body.readableBytesView))
    }

    @Test("an administrator creates, reads, lists, updates with If-Match, and deletes a user")
    func lifecycle() async throws {
        let admin = try await TestTenant.create(in: try await Self.database.get(), slug: "herent")
        let auth: HTTPFields = [.authorization: admin.authorization, .contentType: "application/json"]
        try await application().test(.router) { client in
            let created = try await client.execute(
                uri: "/api/v1/users",
                method: .post,
                headers: auth,
                body: json(
                    #"{"email": "Partner@Nimlahakok.gt", "name": "Partner", "role": "partner_coordinator", "locale": "es"}"#
                )
            )
            #expect(created.status == .created)
            #expect(created.headers[.eTag] == "\"1\"")
            let user = try decode(User.self, created)
            #expect(created.headers[.location] == "/api/v1/users/\(user.id.uuidString.lowercased())")
            #expect(user.role == "partner_coordinator" && user.locale == "es" && user.timeZone == "Europe/Brussels")

            let again = try await client.execute(
                uri: "/api/v1/users",
                method: .post,
                headers: auth,
                body: json(#"{"email": "partner@nimlahakok.gt", "name": "Again", "role": "viewer"}"#)
            )
            #expect(again.status == .conflict)
            #expect(try decode(ProblemBody.self, again).errors?.first?.field == "email")

            let shown = try await client.execute(uri: "/api/v1/users/\(user.id)", method: .get, headers: auth)
            #expect(try decode(User.self, shown) == user)

            let firstPage = try await client.execute(uri: "/api/v1/users?limit=1", method: .get, headers: auth)
            let page = try decode(Page.self, firstPage)
            #expect(page.items.count == 1)
            let cursor = try #require(page.nextCursor)
            let secondPage = try decode(
                Page.self,
                try await client.execute(uri: "/api/v1/users?limit=1&cursor=\(cursor)", method: .get, headers: auth)
            )
            #expect(secondPage.items.count == 1 && secondPage.items[0].id != page.items[0].id)

            var ifMatch = auth
            ifMatch[.ifMatch] = "\"1\""
            let updated = try await client.execute(
                uri: "/api/v1/users/\(user.id)",
                method: .patch,
                headers: ifMatch,
                body: json(#"{"role": "coordinator"}"#)
            )
            #expect(updated.status == .ok)
            #expect(updated.headers[.eTag] == "\"2\"")
            #expect(try decode(User.self, updated).role == "coordinator")
            let stale = try await client.execute(
                uri: "/api/v1/users/\(user.id)",
                method: .patch,
                headers: ifMatch,
                body: json(#"{"name": "Lost update"}"#)
            )
            #expect(stale.status == .preconditionFailed)

            let deleted = try await client.execute(uri: "/api/v1/users/\(user.id)", method: .delete, headers: auth)
            #expect(deleted.status == .noContent)
            let gone = try await client.execute(uri: "/api/v1/users/\(user.id)", method: .get, headers: auth)
            #expect(gone.status == .notFound)
        }
    }

    @Test("bad input is a 400 or a 422 naming each field, never a 500")
    func badInput() async throws {
        let admin = try await TestTenant.create(in: try await Self.database.get(), slug: "roeselare")
        let auth: HTTPFields = [.authorization: admin.authorization, .contentType: "application/json"]
        let longName = String(repeating: "x", count: 201)
        // 150 characters as Swift counts them, 300 code points as the database's length() does.
        let combining = String(repeating: "e\u{301}", count: 150)
        let combiningEmail = String(repeating: "e\u{301}", count: 161) + "@b.be"
        let cases: [(String, HTTPResponse.Status, [String])] = [
            ("{not json", .badRequest, []),
            ("[1, 2]", .unprocessableContent, [""]),
            (#"{"name": "A", "role": "viewer"}"#, .unprocessableContent, ["email"]),
            (#"{"email": 7, "name": "A", "role": "viewer"}"#, .unprocessableContent, ["email"]),
            (#"{"email": "a@b.be", "name": "A", "role": "owner"}"#, .unprocessableContent, ["role"]),
            (#"{"email": "a@b.be", "name": "\#(longName)", "role": "viewer"}"#, .unprocessableContent, ["name"]),
            (#"{"email": "a@b.be", "name": "tab\there", "role": "viewer"}"#, .unprocessableContent, ["name"]),
            (#"{"email": "a@b.be", "name": "A", "role": "viewer", "admin": true}"#, .unprocessableContent, ["admin"]),
            (#"{"email": "a@b.be", "name": "\#(combining)", "role": "viewer"}"#, .unprocessableContent, ["name"]),
            (#"{"email": "\#(combiningEmail)", "name": "A", "role": "viewer"}"#, .unprocessableContent, ["email"]),
            (#"{"email": "a\u0000b@b.be", "name": "A", "role": "viewer"}"#, .unprocessableContent, ["email"]),
            (#"{"email": "a\u0007b@b.be", "name": "A", "role": "viewer"}"#, .unprocessableContent, ["email"]),
            (#"{"email": "a@b.be\u009b", "name": "A", "role": "viewer"}"#, .unprocessableContent, ["email"]),
            (#"{"email": "a@b.be", "name": "nul\u0000", "role": "viewer"}"#, .unprocessableContent, ["name"]),
            (
                #"{"email": "a@b.be", "name": "A", "role": "viewer", "timeZone": "Europe/Brussels\u0000"}"#,
                .unprocessableContent, ["timeZone"]
            ),
            (
                #"{"email": "nope", "name": "A", "role": "viewer", "timeZone": "Mars/Olympus"}"#, .unprocessableContent,
                ["email", "timeZone"]
            ),
            // Several faults at once: each is named, those of types and those of values alike.
            ("{}", .unprocessableContent, ["email", "name", "role"]),
            (
                #"{"email": 7, "role": "owner", "locale": ["nl"], "timeZone": "Mars/Olympus", "admin": true}"#,
                .unprocessableContent, ["admin", "email", "name", "role", "locale", "timeZone"]
            ),
            (#"{"email": null, "name": false, "role": "viewer"}"#, .unprocessableContent, ["email", "name"]),
        ]
        try await application().test(.router) { client in
            for (body, status, fields) in cases {
                let response = try await client.execute(
                    uri: "/api/v1/users", method: .post, headers: auth, body: json(body))
                #expect(response.status == status, "\(body)")
                #expect(response.headers[.contentType] == "application/problem+json")
                if status == .unprocessableContent {
                    let problem = try decode(ProblemBody.self, response)
                    #expect(Set(problem.errors?.map(\.field) ?? []) == Set(fields), "\(body)")
                }
            }
            let changes = try await client.execute(
                uri: "/api/v1/users/\(admin.userID)", method: .patch, headers: auth,
                body: json(#"{"name": 5, "role": "owner", "locale": "de"}"#))
            #expect(changes.status == .unprocessableContent)
            #expect(
                Set(try decode(ProblemBody.self, changes).errors?.map(\.field) ?? []) == ["name", "role", "locale"])
            let token = try await client.execute(
                uri: "/api/v1/users/\(admin.userID)/tokens", method: .post, headers: auth,
                body: json(#"{"name": "", "expiresAt": "tomorrow"}"#))
            #expect(token.status == .unprocessableContent)
            #expect(Set(try decode(ProblemBody.self, token).errors?.map(\.field) ?? []) == ["name", "expiresAt"])
            // The same checks guard a change and a token's name.
            for (uri, method, body) in [
                ("/api/v1/users/\(admin.userID)", HTTPRequest.Method.patch, #"{"name": "\#(combining)"}"#),
                ("/api/v1/users/\(admin.userID)/tokens", .post, #"{"name": "\#(combining)"}"#),
            ] {
                let response = try await client.execute(uri: uri, method: method, headers: auth, body: json(body))
                #expect(response.status == .unprocessableContent, "\(method) \(uri)")
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(try decode(ProblemBody.self, response).errors?.map(\.field) == ["name"])
            }
            let tooLarge = try await client.execute(
                uri: "/api/v1/users",
                method: .post,
                headers: auth,
                body: ByteBuffer(repeating: UInt8(ascii: " "), count: (1 << 20) + 1)
            )
            #expect(tooLarge.status == .contentTooLarge)
            for uri in ["/api/v1/users?limit=0", "/api/v1/users?limit=201", "/api/v1/users?limit=ten"] {
                #expect(try await client.execute(uri: uri, method: .get, headers: auth).status == .unprocessableContent)
            }
            #expect(
                try await client.execute(uri: "/api/v1/users?cursor=bogus", method: .get, headers: auth).status
                    == .badRequest)
            #expect(
                try await client.execute(uri: "/api/v1/users/not-a-uuid", method: .get, headers: auth).status
                    == .notFound)
        }
    }

    @Test("another tenant's user is a 404 with the same body as a missing one; non-admins get 403")
    func isolationAndRoles() async throws {
        let database = try await Self.database.get()
        let leuven = try await TestTenant.create(in: database, slug: "leuven")
        let para = try await TestTenant.create(in: database, slug: "para")
        let viewer = try await TestTenant.create(in: database, slug: "leuven", role: .viewer)
        try await application().test(.router) { client in
            let foreign = try await client.execute(
                uri: "/api/v1/users/\(para.userID)",
                method: .get,
                headers: [.authorization: leuven.authorization]
            )
            let missing = try await client.execute(
                uri: "/api/v1/users/\(UUID())",
                method: .get,
                headers: [.authorization: leuven.authorization]
            )
            #expect(foreign.status == .notFound)
            #expect(String(buffer: foreign.body) == String(buffer: missing.body))
            let listed = try decode(
                Page.self,
                try await client.execute(
                    uri: "/api/v1/users?limit=200", method: .get, headers: [.authorization: leuven.authorization])
            )
            #expect(!listed.items.contains { $0.id == para.userID })
            let forbidden = try await client.execute(
                uri: "/api/v1/users",
                method: .post,
                headers: [.authorization: viewer.authorization, .contentType: "application/json"],
                body: json(#"{"email": "x@leuven.be", "name": "X", "role": "admin"}"#)
            )
            #expect(forbidden.status == .forbidden)
        }
    }

    @Test("a coordinator reads the users, to add partners by id, but changes none; other roles see none")
    func coordinatorsReadUsers() async throws {
        let database = try await Self.database.get()
        let admin = try await TestTenant.create(in: database, slug: "hasselt")
        let coordinator = try await TestTenant.create(in: database, slug: "hasselt", role: .coordinator)
        let partner = try await TestTenant.create(in: database, slug: "hasselt", role: .partnerCoordinator)
        let viewer = try await TestTenant.create(in: database, slug: "hasselt", role: .viewer)
        let elsewhere = try await TestTenant.create(in: database, slug: "tongeren")
        try await application().test(.router) { client in
            let bearer: HTTPFields = [.authorization: coordinator.authorization, .contentType: "application/json"]
            let listed = try decode(
                Page.self, try await client.execute(uri: "/api/v1/users?limit=200", method: .get, headers: bearer))
            #expect(Set(listed.items.map(\.id)).isSuperset(of: [admin.userID, partner.userID, viewer.userID]))
            #expect(!listed.items.contains { $0.id == elsewhere.userID })
            let shown = try await client.execute(uri: "/api/v1/users/\(partner.userID)", method: .get, headers: bearer)
            #expect(shown.status == .ok)
            #expect(try decode(User.self, shown).role == "partner_coordinator")
            let foreign = try await client.execute(
                uri: "/api/v1/users/\(elsewhere.userID)", method: .get, headers: bearer)
            #expect(foreign.status == .notFound)

            let writes: [(String, HTTPRequest.Method, String?)] = [
                ("/api/v1/users", .post, #"{"email": "new@hasselt.be", "name": "New", "role": "viewer"}"#),
                ("/api/v1/users/\(partner.userID)", .patch, #"{"role": "admin"}"#),
                ("/api/v1/users/\(partner.userID)", .delete, nil),
                ("/api/v1/users/\(partner.userID)/tokens", .post, "{}"),
            ]
            for (uri, method, body) in writes {
                let response = try await client.execute(
                    uri: uri, method: method, headers: bearer, body: body.map { json($0) })
                #expect(response.status == .forbidden, "\(method) \(uri)")
            }
            let unchanged = try await client.execute(
                uri: "/api/v1/users/\(partner.userID)", method: .get, headers: bearer)
            #expect(try decode(User.self, unchanged).role == "partner_coordinator")

            for reader in [partner, viewer] {
                for uri in ["/api/v1/users", "/api/v1/users/\(admin.userID)"] {
                    let response = try await client.execute(
                        uri: uri, method: .get, headers: [.authorization: reader.authorization])
                    #expect(response.status == .forbidden, "\(uri)")
                }
            }
        }
    }

    @Test("a token issued over HTTP is shown once, works, and stops working when revoked")
    func issueAndRevokeTokens() async throws {
        let admin = try await TestTenant.create(in: try await Self.database.get(), slug: "sint-niklaas")
        struct Issued: Decodable {
            var id: UUID
            var token: String
        }
        try await application().test(.router) { client in
            let issued = try decode(
                Issued.self,
                try await client.execute(
                    uri: "/api/v1/users/\(admin.userID)/tokens",
                    method: .post,
                    headers: [.authorization: admin.authorization, .contentType: "application/json"],
                    body: json(#"{"name": "reporting script"}"#)
                )
            )
            let bearer: HTTPFields = [.authorization: "Bearer \(issued.token)"]
            #expect(try await client.execute(uri: "/api/v1/me", method: .get, headers: bearer).status == .ok)
            let revoked = try await client.execute(uri: "/api/v1/tokens/\(issued.id)", method: .delete, headers: bearer)
            #expect(revoked.status == .noContent)
            #expect(try await client.execute(uri: "/api/v1/me", method: .get, headers: bearer).status == .unauthorized)
        }
    }
}

struct NeverChecked: ReadinessCheck {
    func notReadyReason() async -> String? { nil }
}
