import Foundation
import Gateway
import Postgres
import TestSupport
import Testing

@Suite("Old sessions, sign-in links and OpenID sign-in attempts are deleted; recent ones stay")
struct SignInPruningTests {
    @Test("rows ended longer ago than their retention go, across municipalities; live and recent ones stay")
    func prunesOldRowsOnly() async throws {
        let database = try await TestDatabase.migrated("signinpruning")
        let herent = try await TestTenant.create(in: database, slug: "herent", role: .viewer)
        let dogbo = try await TestTenant.create(in: database, slug: "dogbo", role: .viewer)
        let now = Date(timeIntervalSince1970: 1_900_000_000)
        let day: TimeInterval = 24 * 3600
        let admin = try await database.connectAsAdmin()
        /// A session row named by its user agent: created, last seen, expiry and end as days before `now`.
        func session(
            _ name: String, _ person: TestTenant, created: Double, seen: Double, expires: Double, ended: Double?
        ) async throws {
            let endedAt = ended.map { now.addingTimeInterval(-$0 * day) }
            try await admin.query(
                """
                INSERT INTO platform.sessions (
                    tenant_id, session_hash, user_id, created_at, last_seen_at, expires_at, ended_at, user_agent)
                VALUES (
                    \(person.tenantID), sha256(convert_to(\(name), 'UTF8')), \(person.userID),
                    \(now.addingTimeInterval(-created * day)), \(now.addingTimeInterval(-seen * day)),
                    \(now.addingTimeInterval(-expires * day)), \(endedAt), \(name))
                """)
        }
        try await session("signed-out-long-ago", herent, created: 40, seen: 35, expires: 10, ended: 35)
        try await session("signed-out-lately", herent, created: 20, seen: 20, expires: -10, ended: 20)
        try await session("expired-long-ago", dogbo, created: 70, seen: 45, expires: 40, ended: nil)
        try await session("idle-long-ago", dogbo, created: 40, seen: 31, expires: 10, ended: nil)
        try await session("idle-lately", dogbo, created: 20, seen: 20, expires: 10, ended: nil)
        try await session("live", herent, created: 2, seen: 0, expires: -28, ended: nil)

        /// A link row: created, expiry and use as days before `now`.
        func link(_ name: String, _ person: TestTenant, expires: Double, used: Double?) async throws {
            let usedAt = used.map { now.addingTimeInterval(-$0 * day) }
            try await admin.query(
                """
                INSERT INTO platform.sign_in_links (tenant_id, link_hash, user_id, next_path, created_at, expires_at, used_at)
                VALUES (
                    \(person.tenantID), sha256(convert_to(\(name), 'UTF8')), \(person.userID), \("/" + name),
                    \(now.addingTimeInterval(-expires * day - 900)), \(now.addingTimeInterval(-expires * day)), \(usedAt))
                """)
        }
        try await link("used-days-ago", herent, expires: 3, used: 3.01)
        try await link("used-lately", herent, expires: 0.5, used: 0.51)
        try await link("lapsed-days-ago", dogbo, expires: 2, used: nil)
        try await link("unused-still-valid", dogbo, expires: -0.005, used: nil)

        func attempt(_ name: String, _ person: TestTenant, expires: Double) async throws {
            try await admin.query(
                """
                INSERT INTO platform.oidc_sign_in_attempts (
                    tenant_id, state_hash, nonce, code_verifier, next_path, created_at, expires_at)
                VALUES (
                    \(person.tenantID), sha256(convert_to(\(name), 'UTF8')), repeat('n', 20), repeat('v', 43),
                    \("/" + name), \(now.addingTimeInterval(-expires * day - 600)),
                    \(now.addingTimeInterval(-expires * day)))
                """)
        }
        try await attempt("lapsed-days-ago", herent, expires: 2)
        try await attempt("lapsed-lately", dogbo, expires: 0.2)
        try await attempt("in-progress", dogbo, expires: -0.003)

        let pool = PostgresConnectionPool(
            configuration: .init(connection: database.appConfiguration, maximumConnections: 1),
            logger: TestLogger.make("signinpruning"))
        // The server's job runs in a transaction without a municipality, as the app role.
        let outcome = try await pool.withTransaction { connection in
            try await SignInPruning().prune(at: now, on: connection)
        }
        #expect(outcome == .init(sessions: 3, links: 2, attempts: 1))

        let sessions = try await admin.query("SELECT user_agent FROM platform.sessions ORDER BY user_agent")
            .map { try $0.decode(String.self, column: 0) }
        #expect(sessions == ["idle-lately", "live", "signed-out-lately"])
        let links = try await admin.query("SELECT next_path FROM platform.sign_in_links ORDER BY next_path")
            .map { try $0.decode(String.self, column: 0) }
        #expect(links == ["/unused-still-valid", "/used-lately"])
        let attempts = try await admin.query(
            "SELECT next_path FROM platform.oidc_sign_in_attempts ORDER BY next_path"
        ).map { try $0.decode(String.self, column: 0) }
        #expect(attempts == ["/in-progress", "/lapsed-lately"])

        // A second run finds nothing more; a shorter retention takes the recent ones.
        let again = try await pool.withTransaction { try await SignInPruning().prune(at: now, on: $0) }
        #expect(again == .init(sessions: 0, links: 0, attempts: 0))
        var strict = SignInPruning()
        strict.sessionRetention = .seconds(0)
        strict.linkRetention = .seconds(0)
        let strictRun = try await pool.withTransaction { try await strict.prune(at: now, on: $0) }
        #expect(strictRun == .init(sessions: 2, links: 1, attempts: 1), "all but the live ones")
        await admin.close()
        await pool.close()

        let settings = try SignInPruning.load(
            from: ["SESSION_RETENTION": "86400", "SIGN_IN_RETENTION": "3600"], sessions: SessionSettings())
        #expect(settings.sessionRetention == .seconds(86400) && settings.linkRetention == .seconds(3600))
        #expect(throws: GatewaySettingError.self) {
            try SignInPruning.load(from: ["SESSION_RETENTION": "a month"], sessions: SessionSettings())
        }
    }
}
