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

    @Test(
        "platform administrators' old links and sessions and long-lapsed invitations go; live, recent and pending ones stay"
    )
    func prunesPlatformAdministratorsAndInvitations() async throws {
        let database = try await TestDatabase.migrated("signinpruningplatform")
        let herent = try await TestTenant.create(in: database, slug: "herent", role: .admin)
        let dogbo = try await TestTenant.create(in: database, slug: "dogbo", role: .admin)
        let now = Date(timeIntervalSince1970: 1_900_000_000)
        let day: TimeInterval = 24 * 3600
        func ago(_ days: Double) -> Date { now.addingTimeInterval(-days * day) }
        let admin = try await database.connectAsAdmin()
        let operatorID = try await admin.query(
            "INSERT INTO platform.platform_admins (email, name) VALUES ('ops@stedenband.test', 'Ops') RETURNING id"
        )[0].decode(UUID.self, column: 0)

        /// A platform administrator's session named by its user agent, times in days before `now`.
        func session(_ name: String, seen: Double, expires: Double, ended: Double?) async throws {
            try await admin.query(
                """
                INSERT INTO platform.platform_admin_sessions (
                    session_hash, platform_admin_id, created_at, last_seen_at, expires_at, ended_at, user_agent)
                VALUES (
                    sha256(convert_to(\(name), 'UTF8')), \(operatorID), \(ago(seen + 1)), \(ago(seen)),
                    \(ago(expires)), \(ended.map(ago)), \(name))
                """)
        }
        try await session("signed-out-long-ago", seen: 35, expires: 10, ended: 35)
        try await session("signed-out-lately", seen: 20, expires: -10, ended: 20)
        try await session("idle-long-ago", seen: 31, expires: 10, ended: nil)
        try await session("expired-long-ago", seen: 45, expires: 40, ended: nil)
        try await session("live", seen: 0, expires: -28, ended: nil)

        /// A platform administrator's link: expiry and use in days before `now`.
        func link(_ name: String, expires: Double, used: Double?) async throws {
            try await admin.query(
                """
                INSERT INTO platform.platform_admin_sign_in_links (
                    link_hash, platform_admin_id, next_path, created_at, expires_at, used_at)
                VALUES (
                    sha256(convert_to(\(name), 'UTF8')), \(operatorID), \("/" + name),
                    \(ago(expires).addingTimeInterval(-900)), \(ago(expires)), \(used.map(ago)))
                """)
        }
        try await link("used-days-ago", expires: 3, used: 3.01)
        try await link("used-lately", expires: 0.5, used: 0.51)
        try await link("lapsed-days-ago", expires: 2, used: nil)
        try await link("unused-still-valid", expires: -0.005, used: nil)

        /// A user of `tenant` invited once: the invitation's expiry and acceptance in days before `now`, and
        /// whether they ever had a session.
        func invitation(
            _ name: String, _ tenant: TestTenant, expires: Double, accepted: Double?, signedIn: Bool = false
        ) async throws {
            let user = try await admin.query(
                """
                INSERT INTO platform.users (tenant_id, email, name, role, locale, time_zone)
                VALUES (\(tenant.tenantID), \(name + "@example.org"), \(name), 'viewer', 'en', 'Europe/Brussels')
                RETURNING id
                """
            )[0].decode(UUID.self, column: 0)
            try await admin.query(
                """
                INSERT INTO platform.invitations (
                    tenant_id, link_hash, user_id, invited_by, next_path, created_at, expires_at, accepted_at)
                VALUES (
                    \(tenant.tenantID), sha256(convert_to(\(name), 'UTF8')), \(user), \(tenant.userID),
                    \("/" + name), \(ago(expires + 7)), \(ago(expires)), \(accepted.map(ago)))
                """)
            if signedIn {
                try await admin.query(
                    """
                    INSERT INTO platform.sessions (
                        tenant_id, session_hash, user_id, created_at, last_seen_at, expires_at, user_agent)
                    VALUES (
                        \(tenant.tenantID), sha256(convert_to(\(name), 'UTF8')), \(user), \(ago(2)), \(now),
                        \(ago(-28)), \(name))
                    """)
            }
        }
        try await invitation("accepted-days-ago", herent, expires: -3, accepted: 4)
        try await invitation("accepted-lately", dogbo, expires: -6, accepted: 0.5)
        try await invitation("pending", herent, expires: -6, accepted: nil)
        try await invitation("lapsed-signed-in-since", dogbo, expires: 3, accepted: nil, signedIn: true)
        try await invitation("lapsed-lately-signed-in", herent, expires: 0.5, accepted: nil, signedIn: true)
        try await invitation("lapsed-never-came", herent, expires: 30, accepted: nil)

        let pool = PostgresConnectionPool(
            configuration: .init(connection: database.appConfiguration, maximumConnections: 1),
            logger: TestLogger.make("signinpruningplatform"))
        let outcome = try await pool.withTransaction { try await SignInPruning().prune(at: now, on: $0) }
        #expect(
            outcome
                == .init(sessions: 0, links: 0, attempts: 0, platformSessions: 3, platformLinks: 2, invitations: 2))

        let sessions = try await admin.query(
            "SELECT user_agent FROM platform.platform_admin_sessions ORDER BY user_agent"
        ).map { try $0.decode(String.self, column: 0) }
        #expect(sessions == ["live", "signed-out-lately"])
        let links = try await admin.query(
            "SELECT next_path FROM platform.platform_admin_sign_in_links ORDER BY next_path"
        ).map { try $0.decode(String.self, column: 0) }
        #expect(links == ["/unused-still-valid", "/used-lately"])
        let invitations = try await admin.query("SELECT next_path FROM platform.invitations ORDER BY next_path")
            .map { try $0.decode(String.self, column: 0) }
        #expect(invitations == ["/accepted-lately", "/lapsed-lately-signed-in", "/lapsed-never-came", "/pending"])

        // With no retention, everything used, ended or lapsed goes; live sessions and links, the pending
        // invitation and the one that marks a person who never came as invited stay.
        var strict = SignInPruning()
        strict.sessionRetention = .seconds(0)
        strict.linkRetention = .seconds(0)
        let strictRun = try await pool.withTransaction { try await strict.prune(at: now, on: $0) }
        #expect(
            strictRun
                == .init(sessions: 0, links: 0, attempts: 0, platformSessions: 1, platformLinks: 1, invitations: 2))
        let left = try await admin.query("SELECT next_path FROM platform.invitations ORDER BY next_path")
            .map { try $0.decode(String.self, column: 0) }
        #expect(left == ["/lapsed-never-came", "/pending"])
        await admin.close()
        await pool.close()
    }
}
