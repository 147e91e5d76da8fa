import Foundation
import Postgres

/// Every statement on `platform.sessions`, in the caller's transaction (scoped to the person's municipality).
public enum SessionStore {
    /// One of a person's live sessions, as the settings page lists them.
    public struct Summary: Sendable {
        public var id: UUID
        public var createdAt: Date
        public var lastSeenAt: Date
        public var userAgent: String
        public var clientAddress: String
    }

    /// Starts a session with a new secret for the person; the transaction must be scoped to `tenantID`.
    public static func start(
        tenantID: UUID,
        userID: UUID,
        at now: Date,
        settings: SessionSettings,
        userAgent: String,
        clientAddress: String,
        on connection: PostgresConnection
    ) async throws -> SessionSecret {
        let secret = SessionSecret.generate()
        let expires = now.addingTimeInterval(TimeInterval(settings.maximumAge.components.seconds))
        try await connection.query(
            """
            INSERT INTO platform.sessions
                (tenant_id, session_hash, user_id, created_at, last_seen_at, expires_at, user_agent, client_address)
            VALUES (\(tenantID), decode(\(secret.hashHex), 'hex'), \(userID), \(now), \(now), \(expires),
                    \(String(userAgent.prefix(200))), \(String(clientAddress.prefix(64))))
            """)
        return secret
    }

    /// Ends one session (signing out), a municipality person's or a platform administrator's.
    public static func end(_ sessionID: UUID, at now: Date, on connection: PostgresConnection) async throws {
        try await connection.query(
            "UPDATE platform.sessions SET ended_at = \(now) WHERE id = \(sessionID) AND ended_at IS NULL")
        try await connection.query("SELECT platform.end_platform_admin_session(\(sessionID), \(now))")
    }

    /// Ends every session of the person ("sign out everywhere"); returns how many were live.
    @discardableResult
    public static func endAll(userID: UUID, at now: Date, on connection: PostgresConnection) async throws -> Int {
        let rows = try await connection.query(
            """
            UPDATE platform.sessions SET ended_at = \(now)
            WHERE user_id = \(userID) AND ended_at IS NULL RETURNING id
            """)
        return rows.count
    }

    /// The person's live sessions, newest first.
    public static func live(
        userID: UUID, at now: Date, settings: SessionSettings, on connection: PostgresConnection
    ) async throws -> [Summary] {
        let idle = now.addingTimeInterval(-TimeInterval(settings.idleTimeout.components.seconds))
        let rows = try await connection.query(
            """
            SELECT id, created_at, last_seen_at, user_agent, client_address FROM platform.sessions
            WHERE user_id = \(userID) AND ended_at IS NULL AND expires_at > \(now) AND last_seen_at > \(idle)
            ORDER BY created_at DESC LIMIT 100
            """)
        return try rows.map { row in
            let (id, created, seen, agent, address) = try row.decode((UUID, Date, Date, String, String).self)
            return Summary(id: id, createdAt: created, lastSeenAt: seen, userAgent: agent, clientAddress: address)
        }
    }
}
