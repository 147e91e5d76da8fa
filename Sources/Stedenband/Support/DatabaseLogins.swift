import EmbeddedPostgres
import Foundation
import Logging
import Postgres

/// The two logins of a database: the owner's, which migrates and administers, and the server's, under which
/// the plugins' queries run (a member of `stedenband_app` only; see `ServerLogin`).
struct DatabaseLogins {
    /// The environment variable naming the server's login.
    static let serverSetting = "DATABASE_URL"
    /// The environment variable naming the owner's login; `DATABASE_URL` when unset.
    static let migrationSetting = "MIGRATION_DATABASE_URL"

    enum ServerSource {
        case url(PostgresConfiguration)
        case embedded
        case missing
    }

    /// The login that migrates and runs the administrative commands (`tenant`, `jobs`, lookups by slug).
    let migration: PostgresConfiguration
    /// The database in words for logs and output, never a password.
    let shownAs: String
    let source: ServerSource
    let logger: Logger

    /// The server's login: `DATABASE_URL`, or in the embedded cluster `stedenband_server`, created on first
    /// use (after the migrations made `stedenband_app`). Its connections switch to `stedenband_app` at start.
    ///
    /// - Throws: `DatabaseLoginError` when only `MIGRATION_DATABASE_URL` is set, or the embedded cluster's
    ///   schema has not been migrated yet.
    func server() async throws -> PostgresConfiguration {
        switch source {
        case .url(let configuration):
            return configuration
        case .missing:
            throw DatabaseLoginError(
                reason: """
                    MIGRATION_DATABASE_URL is set but DATABASE_URL is not: DATABASE_URL is the server's own login. \
                    Make one with `stedenband database create-login stedenband_server` and set DATABASE_URL to the \
                    URL it prints.
                    """)
        case .embedded:
            // Connections over the cluster's private socket are trusted (only this user can open it), so the
            // login needs no password; what matters is that it can do no more than `stedenband_app`.
            try await PostgresConnection.withConnection(to: migration, logger: logger) { connection in
                try await ServerLogin.createIfMissing(ServerLogin.embeddedName, on: connection)
            }
            return migration.setting("user", to: ServerLogin.embeddedName)
        }
    }
}
