import Migrations
import Postgres

/// Readiness from the database: a query answers, and no migration is pending or disagrees with its file (migrations
/// newer than this binary's files, applied by a newer binary during an upgrade, do not count).
public struct DatabaseReadiness: ReadinessCheck {
    let pool: PostgresConnectionPool
    let migrations: MigrationSet
    public let warnings: [String]

    /// Checks through `pool` against `migrations`; `warnings` are shown in `/readyz`'s body.
    public init(pool: PostgresConnectionPool, migrations: MigrationSet, warnings: [String] = []) {
        self.pool = pool
        self.migrations = migrations
        self.warnings = warnings
    }

    public func notReadyReason() async -> String? {
        let status: MigrationStatus
        do {
            status = try await pool.withConnection { connection in
                try await MigrationRunner.status(of: migrations, on: connection)
            }
        } catch let error as PostgresError {
            return "the database does not answer: \(error.reason)"
        } catch {
            return "the database does not answer"
        }
        // Migrations a newer binary applied (an upgrade under way) leave this server ready.
        if !status.servingProblems.isEmpty {
            return "the migration history disagrees with the files: "
                + status.servingProblems.map(\.description).joined(separator: "; ")
        }
        if !status.pending.isEmpty {
            let files = status.pending.map(\.file).joined(separator: ", ")
            return "\(status.pending.count) migration(s) pending: \(files); run `stedenband migrate up`"
        }
        return nil
    }
}
