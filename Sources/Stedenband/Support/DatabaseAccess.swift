import EmbeddedPostgres
import Foundation
import Logging
import Postgres

/// Where the database is: `DATABASE_URL`, or the embedded cluster started for the command's duration.
struct DatabaseAccess {
    let logger: Logger

    /// Runs `body` with a configuration for the login role that migrates; the embedded cluster, if used,
    /// is released afterwards (and stopped when no other command uses it).
    func withDatabase<Result>(
        _ body: (PostgresConfiguration, _ shownAs: String) async throws -> Result
    ) async throws -> Result {
        let environment = ProcessInfo.processInfo.environment
        if let url = environment["DATABASE_URL"], !url.isEmpty {
            let configuration = try PostgresConfiguration(url: url)
            return try await body(configuration, Self.describe(configuration))
        }
        let embedded = EmbeddedPostgres(directory: EmbeddedPostgres.defaultDirectory(), logger: logger)
        let lease = try await embedded.start()
        do {
            let result = try await body(try PostgresConfiguration(url: lease.url), "embedded (\(embedded.directory))")
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
