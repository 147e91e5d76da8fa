import EmbeddedPostgres
import Foundation
import Logging
import Postgres

/// Where the database is and which logins reach it: `MIGRATION_DATABASE_URL` and `DATABASE_URL`, or the
/// embedded cluster started for the command's duration.
struct DatabaseAccess {
    let logger: Logger

    /// Runs `body` with the command's logins; the embedded cluster, if used, is released afterwards (and
    /// stopped when no other command uses it).
    func withDatabase<Result>(_ body: (DatabaseLogins) async throws -> Result) async throws -> Result {
        let environment = ProcessInfo.processInfo.environment
        func setting(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let serverURL = setting(DatabaseLogins.serverSetting)
        if let migrationURL = setting(DatabaseLogins.migrationSetting) ?? serverURL {
            let migration = try PostgresConfiguration(url: migrationURL)
            var source = DatabaseLogins.ServerSource.missing
            if let serverURL { source = .url(try PostgresConfiguration(url: serverURL)) }
            return try await body(
                DatabaseLogins(migration: migration, shownAs: Self.describe(migration), source: source, logger: logger)
            )
        }
        let embedded = EmbeddedPostgres(directory: EmbeddedPostgres.defaultDirectory(), logger: logger)
        let lease = try await embedded.start()
        do {
            let logins = DatabaseLogins(
                migration: try PostgresConfiguration(url: lease.url),
                shownAs: "embedded (\(embedded.directory))",
                source: .embedded,
                logger: logger
            )
            let result = try await body(logins)
            try await lease.release()
            return result
        } catch {
            try? await lease.release()
            throw error
        }
    }

    /// `user@host:port/db`, never the password.
    static func describe(_ configuration: PostgresConfiguration) -> String {
        let user = configuration.value(of: "user") ?? ""
        let host = configuration.value(of: "host") ?? configuration.value(of: "hostaddr") ?? "localhost"
        let port = configuration.value(of: "port").map { ":\($0)" } ?? ""
        let database = configuration.value(of: "dbname") ?? user
        return "\(user.isEmpty ? "" : "\(user)@")\(host)\(port)/\(database)"
    }
}
