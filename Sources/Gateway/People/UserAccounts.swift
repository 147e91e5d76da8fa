import Foundation
import Postgres

/// The statements that change a municipality's user, shared by the JSON API (`PATCH`/`DELETE /api/v1/users/{id}`)
/// and the `/admin/users` page, in the caller's transaction (scoped to the municipality: another's user is not
/// found).
enum UserAccounts {
    /// Disables the user: they sign in no more, their tokens are revoked and their sessions end (a user enabled
    /// again signs in anew). `false` when there is no such active user.
    static func disable(_ id: UUID, at now: Date, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query(
            "UPDATE platform.users SET disabled_at = now(), version = version + 1 WHERE id = \(id) AND disabled_at IS NULL"
        )
        guard rows.affectedRows == 1 else { return false }
        try await connection.query(
            "UPDATE platform.tokens SET revoked_at = now() WHERE user_id = \(id) AND revoked_at IS NULL")
        try await SessionStore.endAll(userID: id, at: now, on: connection)
        return true
    }

    /// Enables a disabled user again; `false` when there is no such disabled user.
    static func enable(_ id: UUID, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query(
            """
            UPDATE platform.users SET disabled_at = NULL, version = version + 1
            WHERE id = \(id) AND disabled_at IS NOT NULL
            """)
        return rows.affectedRows == 1
    }

    /// Gives an active user `role` (one of ``Identity/Role/municipalityRoleNames``); `false` when there is no
    /// such active user. It applies at their next request.
    static func changeRole(_ id: UUID, to role: String, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query(
            """
            UPDATE platform.users SET role = \(role), version = version + 1
            WHERE id = \(id) AND disabled_at IS NULL
            """)
        return rows.affectedRows == 1
    }
}
