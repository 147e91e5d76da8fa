import Encodings
import Foundation
import Postgres

/// Every SQL statement of the sign-in through a provider, on `platform.*`, in the caller's transaction; the
/// CLI sets and removes providers through it.
public enum OIDCRepository {
    /// A municipality found by its slug, with its provider when one is configured.
    struct Municipality: Sendable {
        var id: UUID
        var name: String
        var defaultLocale: String
        var client: OIDCClient?
    }

    /// An attempt as the callback reads it back.
    struct Attempt: Sendable {
        var nonce: String
        var codeVerifier: String
        var next: String?
    }

    /// The active municipality with `slug`; scopes the rest of the transaction to it.
    static func municipality(slug: String, on connection: PostgresConnection) async throws -> Municipality? {
        let rows = try await connection.query(
            """
            SELECT tenant_id, tenant_name, default_locale, issuer, client_id, client_secret
            FROM platform.oidc_sign_in_tenant(\(slug))
            """
        )
        guard let row = rows.first else { return nil }
        let (id, name, locale, issuer, clientID, secret) = try row.decode(
            (UUID, String, String, String?, String?, String?).self)
        var client: OIDCClient?
        if let issuer, let clientID, let secret {
            client = OIDCClient(issuer: issuer, clientID: clientID, secret: ClientSecret(secret))
        }
        return Municipality(id: id, name: name, defaultLocale: locale, client: client)
    }

    /// Stores a new attempt of the transaction's municipality, and removes its lapsed ones.
    static func insertAttempt(
        tenantID: UUID,
        stateHash: [UInt8],
        attempt: Attempt,
        lifetime: Duration,
        on connection: PostgresConnection
    ) async throws {
        let seconds = Int(lifetime.components.seconds)
        _ = try await connection.pipeline([
            """
            DELETE FROM platform.oidc_sign_in_attempts WHERE tenant_id = \(tenantID) AND expires_at <= now()
            """,
            """
            INSERT INTO platform.oidc_sign_in_attempts (tenant_id, state_hash, nonce, code_verifier, next_path, expires_at)
            VALUES (\(tenantID), decode(\(Self.hex(stateHash)), 'hex'), \(attempt.nonce), \(attempt.codeVerifier),
                    \(attempt.next), now() + make_interval(secs => \(seconds)))
            """,
        ])
    }

    /// Takes the live attempt with `stateHash` out of the store: a second call for it finds nothing.
    static func takeAttempt(
        tenantID: UUID,
        stateHash: [UInt8],
        on connection: PostgresConnection
    ) async throws -> Attempt? {
        let rows = try await connection.query(
            """
            DELETE FROM platform.oidc_sign_in_attempts
            WHERE tenant_id = \(tenantID) AND state_hash = decode(\(Self.hex(stateHash)), 'hex')
            RETURNING nonce, code_verifier, next_path, expires_at > now()
            """
        )
        guard let row = rows.first else { return nil }
        let (nonce, verifier, next, live) = try row.decode((String, String, String?, Bool).self)
        return live ? Attempt(nonce: nonce, codeVerifier: verifier, next: next) : nil
    }

    /// The active user of the transaction's municipality whose address is `email`, whatever its case.
    static func user(email: String, tenantID: UUID, on connection: PostgresConnection) async throws -> UUID? {
        let rows = try await connection.query(
            """
            SELECT id FROM platform.users
            WHERE tenant_id = \(tenantID) AND lower(email) = lower(\(email)) AND disabled_at IS NULL
            """
        )
        return try rows.first?.decode(UUID.self, column: 0)
    }

    /// Sets (or replaces) the provider of the municipality with `slug`; false when there is no such
    /// municipality. For the CLI, on the migration login's connection.
    public static func setProvider(
        slug: String,
        client: OIDCClient,
        on connection: PostgresConnection
    ) async throws -> Bool {
        try await connection.withTransaction { connection in
            guard let tenantID = try await tenantID(slug: slug, on: connection) else { return false }
            return try await saveProvider(
                tenantID: tenantID, issuer: client.issuer, clientID: client.clientID, secret: client.secret,
                on: connection)
        }
    }

    /// Sets (or replaces) the provider of the municipality `tenantID`, in the caller's transaction scoped to it
    /// (`stedenband tenant set` and `/admin/municipality`). A `nil` secret keeps the stored one, which the app
    /// role may write but never read: then only an existing provider changes, and false says there was none.
    /// (The secret is bound again rather than read from `excluded`: reading a column needs SELECT on it.)
    static func saveProvider(
        tenantID: UUID,
        issuer: String,
        clientID: String,
        secret: ClientSecret?,
        on connection: PostgresConnection
    ) async throws -> Bool {
        guard let secret else {
            return try await connection.query(
                """
                UPDATE platform.oidc_providers SET issuer = \(issuer), client_id = \(clientID), updated_at = now()
                WHERE tenant_id = \(tenantID)
                """
            ).affectedRows == 1
        }
        try await connection.query(
            """
            INSERT INTO platform.oidc_providers (tenant_id, issuer, client_id, client_secret)
            VALUES (\(tenantID), \(issuer), \(clientID), \(secret.value))
            ON CONFLICT (tenant_id) DO UPDATE SET issuer = excluded.issuer, client_id = excluded.client_id,
                client_secret = \(secret.value), updated_at = now()
            """
        )
        return true
    }

    /// Removes the provider of the municipality with `slug`: nil when there is no such municipality, else
    /// whether it had one.
    public static func removeProvider(slug: String, on connection: PostgresConnection) async throws -> Bool? {
        try await connection.withTransaction { connection in
            guard let tenantID = try await tenantID(slug: slug, on: connection) else { return nil }
            return try await removeProvider(tenantID: tenantID, on: connection)
        }
    }

    /// Removes the provider of the municipality `tenantID`, in the caller's transaction scoped to it; whether
    /// it had one.
    static func removeProvider(tenantID: UUID, on connection: PostgresConnection) async throws -> Bool {
        try await connection.query(
            "DELETE FROM platform.oidc_providers WHERE tenant_id = \(tenantID)"
        ).affectedRows == 1
    }

    /// The issuer and client id of the municipality `tenantID`'s provider (never its secret, which the app
    /// role cannot read); nil when it has none.
    static func registration(tenantID: UUID, on connection: PostgresConnection) async throws -> (String, String)? {
        let rows = try await connection.query(
            "SELECT issuer, client_id FROM platform.oidc_providers WHERE tenant_id = \(tenantID)")
        return try rows.first?.decode((String, String).self)
    }

    /// The municipality's id, and the transaction scoped to it (so the provider's row passes its policy
    /// whichever login runs the command).
    private static func tenantID(slug: String, on connection: PostgresConnection) async throws -> UUID? {
        guard
            let id = try await connection.query("SELECT id FROM platform.tenants WHERE slug = \(slug)").first?
                .decode(UUID.self, column: 0)
        else { return nil }
        try await connection.query("SELECT set_config('app.tenant_id', \(id.uuidString.lowercased()), true)")
        return id
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        Hex.encode(bytes)
    }
}
