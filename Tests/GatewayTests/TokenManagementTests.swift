import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Postgres
import TestSupport
import Testing

@Suite("Tokens people manage: listing, expiry, the live limit, last use")
struct TokenManagementTests {
    static let database = SuiteDatabase("tokens")

    /// The app, and the recorder of last use its requests feed (the test flushes it instead of waiting).
    private func application() async throws -> (some ApplicationProtocol, TokenUsageRecorder, PostgresConnectionPool) {
        let database = try await Self.database.get()
        let pool = PostgresConnectionPool(
            configuration: .init(connection: database.appConfiguration, maximumConnections: 6),
            logger: TestLogger.make("tokens")
        )
        let usage = TokenUsageRecorder()
        let environment = GatewayEnvironment(
            pool: pool, readiness: NeverChecked(), logger: TestLogger.make("tokens"), tokenUsage: usage)
        return (Application(router: buildRouter(environment: environment)), usage, pool)
    }

    struct Issued: Decodable {
        var id: UUID
        var token: String
        var expiresAt: Date?
    }

    struct Token: Decodable {
        var id: UUID
        var name: String?
        var createdAt: Date
        var lastUsedAt: Date?
        var expiresAt: Date?
        var userId: UUID?
        var userName: String?
    }

    struct Page: Decodable {
        var items: [Token]
        var nextCursor: String?
    }

    struct ProblemBody: Decodable {
        struct FieldError: Decodable {
            var field: String
        }
        var status: Int
        var detail: String?
        var errors: [FieldError]?
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ response: TestResponse) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(type, from: Data(response.body.readableBytesView))
    }

    private static func headers(_ user: TestTenant) -> HTTPFields {
        [.authorization: user.authorization, .contentType: "application/json"]
    }

    /// Issues a token for `owner` as `caller`; returns the answer.
    private static func issue(
        _ client: some TestClientProtocol, for owner: UUID, by caller: TestTenant, _ body: String = "{}"
    ) async throws -> TestResponse {
        try await client.execute(
            uri: "/api/v1/users/\(owner)/tokens", method: .post, headers: headers(caller),
            body: ByteBuffer(string: body))
    }

    /// Whether `instant` lies within a minute either side of `days` from now.
    private static func isAbout(_ instant: Date?, days: Int) -> Bool {
        guard let instant else { return false }
        return abs(instant.timeIntervalSince(Date().addingTimeInterval(Double(days) * 86_400))) < 60
    }

    @Test("a user lists their tokens as metadata only, paged; the secret and its hash are never in the answer")
    func listsMetadataOnly() async throws {
        let database = try await Self.database.get()
        let user = try await TestTenant.create(in: database, slug: "herent", role: .viewer)
        let (app, _, _) = try await application()
        try await app.test(.router) { client in
            let created = try await Self.issue(client, for: user.userID, by: user, #"{"name": "reporting script"}"#)
            #expect(created.status == .created)
            let issued = try Self.decode(Issued.self, created)
            let listed = try await client.execute(
                uri: "/api/v1/users/\(user.userID)/tokens", method: .get, headers: Self.headers(user))
            #expect(listed.status == .ok)
            let text = String(buffer: listed.body)
            for secret in [issued.token, user.token.value, APIToken(issued.token)!.hashHex, user.token.hashHex] {
                #expect(!text.contains(secret))
            }
            let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            let items = try #require(object["items"] as? [[String: Any]])
            #expect(items.count == 2)
            for item in items {
                #expect(Set(item.keys) == ["id", "name", "createdAt", "lastUsedAt", "expiresAt"])
            }
            let page = try Self.decode(Page.self, listed)
            let mine = try #require(page.items.first { $0.id == issued.id })
            #expect(mine.name == "reporting script" && mine.lastUsedAt == nil)
            #expect(mine.expiresAt == issued.expiresAt)

            let first = try Self.decode(
                Page.self,
                try await client.execute(
                    uri: "/api/v1/users/\(user.userID)/tokens?limit=1", method: .get, headers: Self.headers(user)))
            let cursor = try #require(first.nextCursor)
            let second = try Self.decode(
                Page.self,
                try await client.execute(
                    uri: "/api/v1/users/\(user.userID)/tokens?limit=1&cursor=\(cursor)", method: .get,
                    headers: Self.headers(user)))
            #expect(first.items.count == 1 && second.items.count == 1 && second.nextCursor == nil)
            #expect(Set(first.items.map(\.id) + second.items.map(\.id)) == Set(page.items.map(\.id)))

            // A revoked token is no longer listed.
            let revoked = try await client.execute(
                uri: "/api/v1/tokens/\(issued.id)", method: .delete, headers: Self.headers(user))
            #expect(revoked.status == .noContent)
            let after = try Self.decode(
                Page.self,
                try await client.execute(
                    uri: "/api/v1/users/\(user.userID)/tokens", method: .get, headers: Self.headers(user)))
            #expect(!after.items.contains { $0.id == issued.id } && after.items.count == 1)
        }
    }

    @Test("expiresIn, the municipality's default, or none; a bad expiresIn is a 422 naming it; expired is 401")
    func expiry() async throws {
        let database = try await Self.database.get()
        let admin = try await TestTenant.create(in: database, slug: "leuven")
        let (app, _, _) = try await application()
        let owner = try await database.connectAsAdmin()
        try await app.test(.router) { client in
            let week = try Self.decode(
                Issued.self, try await Self.issue(client, for: admin.userID, by: admin, #"{"expiresIn": 7}"#))
            #expect(Self.isAbout(week.expiresAt, days: 7))

            // Every municipality starts with 365 days by default.
            let byDefault = try Self.decode(Issued.self, try await Self.issue(client, for: admin.userID, by: admin))
            #expect(Self.isAbout(byDefault.expiresAt, days: 365))

            try await owner.query("UPDATE platform.tenants SET token_expiry_days = 30 WHERE id = \(admin.tenantID)")
            let month = try Self.decode(Issued.self, try await Self.issue(client, for: admin.userID, by: admin))
            #expect(Self.isAbout(month.expiresAt, days: 30))
            let asked = try Self.decode(
                Issued.self, try await Self.issue(client, for: admin.userID, by: admin, #"{"expiresIn": 400}"#))
            #expect(Self.isAbout(asked.expiresAt, days: 400))

            try await owner.query("UPDATE platform.tenants SET token_expiry_days = NULL WHERE id = \(admin.tenantID)")
            let forever = try await Self.issue(client, for: admin.userID, by: admin)
            #expect(forever.status == .created)
            #expect(try Self.decode(Issued.self, forever).expiresAt == nil)

            let tomorrow = ISO8601DateFormatter().string(from: Date().addingTimeInterval(86_400))
            for body in [
                #"{"expiresIn": 0}"#, #"{"expiresIn": 3651}"#, #"{"expiresIn": -1}"#, #"{"expiresIn": "7"}"#,
                #"{"expiresIn": 7, "expiresAt": "\#(tomorrow)"}"#,
            ] {
                let refused = try await Self.issue(client, for: admin.userID, by: admin, body)
                #expect(refused.status == .unprocessableContent, "\(body)")
                #expect(
                    Set(try Self.decode(ProblemBody.self, refused).errors?.map(\.field) ?? []) == ["expiresIn"],
                    "\(body): \(String(buffer: refused.body))")
            }
            let far = ISO8601DateFormatter().string(from: Date().addingTimeInterval(3651 * 86_400))
            let tooFar = try await Self.issue(client, for: admin.userID, by: admin, #"{"expiresAt": "\#(far)"}"#)
            #expect(try Self.decode(ProblemBody.self, tooFar).errors?.map(\.field) == ["expiresAt"])

            // A token whose expiry has passed is refused like an unknown one, and listed as expired.
            let soon = try Self.decode(Issued.self, try await Self.issue(client, for: admin.userID, by: admin))
            let bearer: HTTPFields = [.authorization: "Bearer \(soon.token)"]
            #expect(try await client.execute(uri: "/api/v1/me", method: .get, headers: bearer).status == .ok)
            try await owner.query(
                "UPDATE platform.tokens SET expires_at = now() - interval '1 second' WHERE id = \(soon.id)")
            #expect(try await client.execute(uri: "/api/v1/me", method: .get, headers: bearer).status == .unauthorized)
            let listed = try Self.decode(
                Page.self,
                try await client.execute(
                    uri: "/api/v1/users/\(admin.userID)/tokens?limit=200", method: .get, headers: Self.headers(admin)))
            let expired = try #require(listed.items.first { $0.id == soon.id })
            #expect(try #require(expired.expiresAt) < Date())
        }
        await owner.close()
    }

    @Test("the first administrator's token of a new municipality follows the municipality's default expiry")
    func firstAdministratorTokenExpires() async throws {
        let database = try await Self.database.get()
        let owner = try await database.connectAsAdmin()
        let (tenant, user, token) = try await owner.withTransaction { connection in
            try await Tenancy.createTenant(
                slug: "tongeren", name: "Tongeren", adminEmail: "admin@tongeren.be", adminName: "Admin", locale: "nl",
                timeZone: "Europe/Brussels", on: connection)
        }
        let expires = try await owner.query(
            "SELECT expires_at FROM platform.tokens WHERE token_hash = decode(\(token.hashHex), 'hex')"
        )[0].decode(Date?.self, column: 0)
        await owner.close()
        #expect(tenant.tokenExpiryDays == 365)
        #expect(Self.isAbout(expires, days: 365))
        #expect(user.role == "admin")
    }

    @Test("the 21st live token of a user is a 409; revoked and expired ones do not count; concurrent issues too")
    func liveTokenLimit() async throws {
        let database = try await Self.database.get()
        let admin = try await TestTenant.create(in: database, slug: "genk")
        let user = try await TestTenant.create(in: database, slug: "genk", role: .coordinator)
        let (app, _, _) = try await application()
        try await app.test(.router) { client in
            // TestTenant made the first; 19 more reach the limit.
            var issued: [UUID] = []
            for index in 2...20 {
                let response = try await Self.issue(client, for: user.userID, by: user, #"{"name": "t\#(index)"}"#)
                #expect(response.status == .created, "token \(index)")
                issued.append(try Self.decode(Issued.self, response).id)
            }
            let refused = try await Self.issue(client, for: user.userID, by: user)
            #expect(refused.status == .conflict)
            #expect(refused.headers[.contentType] == "application/problem+json")
            #expect(try Self.decode(ProblemBody.self, refused).detail?.contains("at most 20 live tokens") == true)
            // An administrator cannot go past it either.
            #expect(try await Self.issue(client, for: user.userID, by: admin).status == .conflict)

            #expect(
                try await client.execute(
                    uri: "/api/v1/tokens/\(issued[0])", method: .delete, headers: Self.headers(user)
                )
                .status == .noContent)
            #expect(try await Self.issue(client, for: user.userID, by: user).status == .created)
            #expect(try await Self.issue(client, for: user.userID, by: user).status == .conflict)

            let owner = try await database.connectAsAdmin()
            try await owner.query(
                "UPDATE platform.tokens SET expires_at = now() - interval '1 second' WHERE id = \(issued[1])")
            await owner.close()
            // One place is free again; five at once ask for it, and exactly one gets it.
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<5 {
                    group.addTask { try await Self.issue(client, for: user.userID, by: user).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == 1, "\(statuses)")
            #expect(statuses.filter { $0 == .conflict }.count == 4, "\(statuses)")
        }
        let owner = try await database.connectAsAdmin()
        let live = try await owner.query(
            """
            SELECT count(*)::int FROM platform.tokens
            WHERE user_id = \(user.userID) AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
            """
        )[0].decode(Int.self, column: 0)
        await owner.close()
        #expect(live == 20)
    }

    @Test("an administrator lists and revokes any token of the municipality; others see only their own")
    func administratorsManageEveryToken() async throws {
        let database = try await Self.database.get()
        let admin = try await TestTenant.create(in: database, slug: "mechelen")
        let coordinator = try await TestTenant.create(in: database, slug: "mechelen", role: .coordinator)
        let elsewhere = try await TestTenant.create(in: database, slug: "lier")
        let (app, _, _) = try await application()
        try await app.test(.router) { client in
            let issued = try Self.decode(
                Issued.self,
                try await Self.issue(client, for: coordinator.userID, by: coordinator, #"{"name": "laptop"}"#))

            let all = try await client.execute(
                uri: "/api/v1/tokens?limit=200", method: .get, headers: Self.headers(admin))
            #expect(all.status == .ok)
            let listed = try Self.decode(Page.self, all)
            let entry = try #require(listed.items.first { $0.id == issued.id })
            #expect(entry.userId == coordinator.userID && entry.userName == "Test coordinator")
            #expect(entry.name == "laptop")
            #expect(listed.items.contains { $0.userId == admin.userID })
            #expect(!listed.items.contains { $0.userId == elsewhere.userID })
            let perUser = try Self.decode(
                Page.self,
                try await client.execute(
                    uri: "/api/v1/users/\(coordinator.userID)/tokens", method: .get, headers: Self.headers(admin)))
            #expect(perUser.items.contains { $0.id == issued.id })

            // A coordinator sees their own tokens only.
            for uri in ["/api/v1/users/\(admin.userID)/tokens", "/api/v1/tokens"] {
                let response = try await client.execute(uri: uri, method: .get, headers: Self.headers(coordinator))
                #expect(response.status == .forbidden, "\(uri)")
            }
            #expect(
                try await client.execute(
                    uri: "/api/v1/users/\(coordinator.userID)/tokens", method: .get,
                    headers: Self.headers(coordinator)
                ).status == .ok)

            // Another municipality's administrator finds neither the user nor the token.
            let foreignList = try await client.execute(
                uri: "/api/v1/users/\(coordinator.userID)/tokens", method: .get, headers: Self.headers(elsewhere))
            let missingList = try await client.execute(
                uri: "/api/v1/users/\(UUID())/tokens", method: .get, headers: Self.headers(elsewhere))
            #expect(foreignList.status == .notFound)
            #expect(String(buffer: foreignList.body) == String(buffer: missingList.body))
            let foreignRevoke = try await client.execute(
                uri: "/api/v1/tokens/\(issued.id)", method: .delete, headers: Self.headers(elsewhere))
            #expect(foreignRevoke.status == .notFound)
            let bearer: HTTPFields = [.authorization: "Bearer \(issued.token)"]
            #expect(try await client.execute(uri: "/api/v1/me", method: .get, headers: bearer).status == .ok)

            let revoked = try await client.execute(
                uri: "/api/v1/tokens/\(issued.id)", method: .delete, headers: Self.headers(admin))
            #expect(revoked.status == .noContent)
            #expect(try await client.execute(uri: "/api/v1/me", method: .get, headers: bearer).status == .unauthorized)
        }
    }

    @Test("lastUsedAt appears once the token was used and the recorder flushed, and reads wrote nothing")
    func lastUsed() async throws {
        let database = try await Self.database.get()
        let user = try await TestTenant.create(in: database, slug: "hasselt", role: .viewer)
        let (app, usage, pool) = try await application()
        try await app.test(.router) { client in
            let issued = try Self.decode(Issued.self, try await Self.issue(client, for: user.userID, by: user))
            // Issuing was a use of the user's first token, not of the new one.
            _ = try await usage.flush(to: pool)
            func listed() async throws -> Token {
                let page = try Self.decode(
                    Page.self,
                    try await client.execute(
                        uri: "/api/v1/users/\(user.userID)/tokens", method: .get, headers: Self.headers(user)))
                return try #require(page.items.first { $0.id == issued.id })
            }
            #expect(try await listed().lastUsedAt == nil)

            let before = Date()
            let me = try await client.execute(
                uri: "/api/v1/me", method: .get, headers: [.authorization: "Bearer \(issued.token)"])
            #expect(me.status == .ok)
            // The GET ran read-only and wrote nothing: the instant waits in memory.
            #expect(try await listed().lastUsedAt == nil)
            #expect(usage.pendingCount >= 1)
            #expect(try await usage.flush(to: pool) >= 1)
            let used = try #require(try await listed().lastUsedAt)
            // The API shows whole seconds.
            #expect(used >= before.addingTimeInterval(-1) && used <= Date().addingTimeInterval(1))
            #expect(usage.pendingCount == 1)  // the listing itself, by the user's first token
        }
    }

    @Test("the flush only moves an instant forward, and leaves revoked tokens alone")
    func touchTokensMovesForward() async throws {
        let database = try await Self.database.get()
        let user = try await TestTenant.create(in: database, slug: "bree", role: .viewer)
        let (_, usage, pool) = try await application()
        let owner = try await database.connectAsAdmin()
        let id = try await owner.query(
            "SELECT id FROM platform.tokens WHERE user_id = \(user.userID)")[0].decode(UUID.self, column: 0)
        let late = Date(timeIntervalSince1970: 1_900_000_000)
        let early = Date(timeIntervalSince1970: 1_800_000_000)
        usage.record(id, at: late)
        usage.record(id, at: early)  // an earlier instant noted later does not win
        #expect(try await usage.flush(to: pool) == 1)
        usage.record(id, at: early)
        #expect(try await usage.flush(to: pool) == 0)
        let stored = try await owner.query("SELECT last_used_at FROM platform.tokens WHERE id = \(id)")[0].decode(
            Date.self, column: 0)
        #expect(abs(stored.timeIntervalSince(late)) < 0.01)
        try await owner.query("UPDATE platform.tokens SET revoked_at = now() WHERE id = \(id)")
        usage.record(id, at: late.addingTimeInterval(60))
        #expect(try await usage.flush(to: pool) == 0)
        await owner.close()
    }
}
