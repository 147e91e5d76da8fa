import Foundation
import Postgres

/// Every statement on a platform administrator's own settings and sessions, in the caller's transaction (one a
/// platform administrator's session opened): their language, their live sessions, and "sign out everywhere".
/// The app role reaches `platform.platform_admin_sessions` only through the owner-run functions of
/// `0027_platform_housekeeping.sql`, which answer nothing outside a platform administrator's transaction.
enum PlatformAdminSettings {
    /// The administrator's own language; `nil` until they chose one (the page then follows the browser).
    static func language(of admin: UUID, on connection: PostgresConnection) async throws -> String? {
        let rows = try await connection.query("SELECT locale FROM platform.platform_admins WHERE id = \(admin)")
        return try rows.first?.decode(String?.self, column: 0)
    }

    /// Saves the administrator's language.
    static func saveLanguage(_ locale: String, of admin: UUID, on connection: PostgresConnection) async throws {
        try await connection.query("SELECT platform.set_platform_admin_locale(\(admin), \(locale))")
    }

    /// The administrator's live sessions, newest first, as ``SessionStore/live(userID:at:settings:on:)`` lists
    /// a municipality person's.
    static func liveSessions(
        of admin: UUID, at now: Date, settings: SessionSettings, on connection: PostgresConnection
    ) async throws -> [SessionStore.Summary] {
        let idle = Double(settings.idleTimeout.components.seconds)
        let rows = try await connection.query(
            """
            SELECT id, created_at, last_seen_at, user_agent, client_address
            FROM platform.platform_admin_live_sessions(\(admin), \(now), make_interval(secs => \(idle)))
            """)
        return try rows.map { row in
            let (id, created, seen, agent, address) = try row.decode((UUID, Date, Date, String, String).self)
            return SessionStore.Summary(
                id: id, createdAt: created, lastSeenAt: seen, userAgent: agent, clientAddress: address)
        }
    }

    /// Ends every session of the administrator ("sign out everywhere"); returns how many were live.
    @discardableResult
    static func endAll(of admin: UUID, at now: Date, on connection: PostgresConnection) async throws -> Int {
        let rows = try await connection.query("SELECT platform.end_platform_admin_sessions(\(admin), \(now))")
        return try rows[0].decode(Int.self, column: 0)
    }
}
