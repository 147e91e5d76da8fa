import Foundation
import Logging
import Postgres

/// Applies migration files to a database, one transaction per file, under an advisory lock.
///
/// The runner opens a dedicated connection (a session advisory lock must not travel through a pool) as
/// the login role of the URL, and runs every file after the first as `stedenband_owner`, so the schema
/// is owned by that role whoever migrates.
public struct MigrationRunner: Sendable {
    /// What `up` reports while it works.
    public enum Progress: Sendable {
        /// Another runner holds the lock; this one waits and tries again.
        case waitingForLock
        /// A file is about to run.
        case applying(Migration)
        /// A file was applied and recorded.
        case applied(Migration, executionMs: Int)
    }

    /// The files to apply.
    public let migrations: MigrationSet
    /// How to reach the database, as a role that may create schemas and roles.
    public let configuration: PostgresConfiguration
    private let logger: Logger

    /// The advisory lock key every runner takes: the bytes of "stedenbd".
    static let lockKey: Int64 = 0x7374_6564_656E_6264
    /// The role that owns the schema.
    public static let ownerRole = "stedenband_owner"
    /// The role the server's queries run as: owns nothing, cannot bypass row-level security.
    public static let appRole = "stedenband_app"
    /// The default for ``up(to:lockTimeout:progress:)``.
    public static let defaultLockTimeout = Duration.seconds(60)

    /// Makes a runner; nothing connects until a command runs.
    public init(migrations: MigrationSet, configuration: PostgresConfiguration, logger: Logger) {
        self.migrations = migrations
        self.configuration = configuration
        self.logger = logger
    }

    /// Compares the files with the history; changes nothing.
    public func status() async throws -> MigrationStatus {
        try await withConnection { connection in
            MigrationStatus(files: migrations.migrations, history: try await Self.history(on: connection))
        }
    }

    /// Throws ``MigrationError/historyMismatch(_:)`` when an applied file changed or went missing, or a
    /// pending file sorts before the last applied one.
    public func verify() async throws {
        let status = try await status()
        if !status.problems.isEmpty { throw MigrationError.historyMismatch(status.problems) }
    }

    /// The files `up(to:)` would apply, after the same checks as `up`; applies nothing.
    public func plan(to target: Int? = nil) async throws -> [Migration] {
        let status = try await status()
        if !status.problems.isEmpty { throw MigrationError.historyMismatch(status.problems) }
        return pendingMigrations(status, to: target)
    }

    /// Applies the pending files up to version `target` (all when `nil`), each in its own transaction.
    ///
    /// Holds an advisory lock for the whole run, retrying every 250 ms until `lockTimeout`. Refuses and
    /// applies nothing when the history disagrees with the files. Stops at the first failing file; the
    /// files before it stay applied.
    ///
    /// - Returns: The files it applied.
    @discardableResult
    public func up(
        to target: Int? = nil,
        lockTimeout: Duration = MigrationRunner.defaultLockTimeout,
        progress: @Sendable (Progress) -> Void = { _ in }
    ) async throws -> [Migration] {
        try await withConnection { connection in
            try await acquireLock(on: connection, timeout: lockTimeout, progress: progress)
            // What the files changed, this process's connections prepare again (issue 15).
            defer { PostgresConnection.forgetPreparedStatements(database: configuration.value(of: "dbname")) }
            do {
                let applied = try await applyPending(on: connection, to: target, progress: progress)
                try await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))")
                return applied
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))")
                throw error
            }
        }
    }

    // MARK: Steps

    private func withConnection<Result: Sendable>(
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await PostgresConnection.withConnection(to: configuration, logger: logger, body)
    }

    private func acquireLock(
        on connection: PostgresConnection,
        timeout: Duration,
        progress: @Sendable (Progress) -> Void
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        var announced = false
        while true {
            let rows = try await connection.query("SELECT pg_try_advisory_lock(\(Self.lockKey))")
            if try rows[0].decode(Bool.self, column: 0) { return }
            // Say so before giving up too: an operator who sees only the timeout would not know why.
            if !announced {
                progress(.waitingForLock)
                announced = true
            }
            if ContinuousClock.now >= deadline {
                throw MigrationError.lockTimeout(seconds: Int(timeout.components.seconds))
            }
            try await Task.sleep(for: .milliseconds(250))
        }
    }

    private func applyPending(
        on connection: PostgresConnection,
        to target: Int?,
        progress: @Sendable (Progress) -> Void
    ) async throws -> [Migration] {
        try await connection.runScript(
            """
            CREATE SCHEMA IF NOT EXISTS platform;
            CREATE TABLE IF NOT EXISTS platform.schema_migrations (
                version integer PRIMARY KEY,
                name text NOT NULL,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now(),
                execution_ms integer NOT NULL,
                success boolean NOT NULL
            )
            """
        )
        // Read under the lock: another runner may have applied files since this one started.
        let status = MigrationStatus(files: migrations.migrations, history: try await Self.history(on: connection))
        if !status.problems.isEmpty { throw MigrationError.historyMismatch(status.problems) }
        var applied: [Migration] = []
        for migration in pendingMigrations(status, to: target) {
            progress(.applying(migration))
            let milliseconds = try await apply(migration, on: connection)
            progress(.applied(migration, executionMs: milliseconds))
            logger.info(
                "applied migration",
                metadata: ["migration.file": "\(migration.fileName)", "migration.ms": "\(milliseconds)"]
            )
            applied.append(migration)
        }
        return applied
    }

    private func pendingMigrations(_ status: MigrationStatus, to target: Int?) -> [Migration] {
        let pendingVersions = Set(status.pending.map(\.version))
        return migrations.migrations.filter { migration in
            pendingVersions.contains(migration.version) && migration.version <= (target ?? Int.max)
        }
    }

    /// Runs one file and records it; returns its execution time in milliseconds.
    private func apply(_ migration: Migration, on connection: PostgresConnection) async throws -> Int {
        let started = ContinuousClock.now
        do {
            if migration.runsInTransaction {
                try await connection.withTransaction { connection in
                    try await becomeOwner(on: connection, local: true)
                    try await connection.runScript(PostgresQuery(unsafeSQL: migration.sql))
                    try await record(migration, started: started, success: true, on: connection)
                }
            } else {
                try await becomeOwner(on: connection, local: false)
                for statement in SQLScript.statements(in: migration.sql) {
                    try await connection.runScript(PostgresQuery(unsafeSQL: statement))
                }
                try await record(migration, started: started, success: true, on: connection)
                try await connection.query("RESET ROLE")
            }
        } catch let error as PostgresError {
            if !migration.runsInTransaction { _ = try? await connection.query("RESET ROLE") }
            // Keep a trace of the attempt; the next `up` runs the file again.
            _ = try? await record(migration, started: started, success: false, on: connection)
            throw MigrationError.failed(
                fileName: migration.fileName,
                sqlState: error.sqlState?.rawValue,
                message: error.serverMessage ?? error.reason,
                location: error.server?.position.map { SQLScript.lineAndColumn(of: $0, in: migration.sql) }
            )
        }
        return milliseconds(since: started)
    }

    /// Switches to the owner role once the first migration set it up in this database: the role exists
    /// (roles are cluster-wide), this login is a member, and it may create schemas here.
    private func becomeOwner(on connection: PostgresConnection, local: Bool) async throws {
        let rows = try await connection.query(
            """
            SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = \(Self.ownerRole))
                AND pg_has_role(current_user, \(Self.ownerRole), 'MEMBER')
                AND has_database_privilege(\(Self.ownerRole), current_database(), 'CREATE')
            """
        )
        guard try rows[0].decode(Bool.self, column: 0) else { return }
        let scope = local ? "LOCAL " : ""
        try await connection.query("SET \(unsafeSQL: scope)ROLE \(identifier: Self.ownerRole)")
    }

    private func record(
        _ migration: Migration,
        started: ContinuousClock.Instant,
        success: Bool,
        on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            """
            INSERT INTO platform.schema_migrations (version, name, checksum, applied_at, execution_ms, success)
            VALUES (\(migration.version), \(migration.name), \(migration.checksum), now(),
                    \(milliseconds(since: started)), \(success))
            ON CONFLICT (version) DO UPDATE
                SET name = excluded.name, checksum = excluded.checksum, applied_at = excluded.applied_at,
                    execution_ms = excluded.execution_ms, success = excluded.success
            """
        )
    }

    private func milliseconds(since start: ContinuousClock.Instant) -> Int {
        let elapsed = ContinuousClock.now - start
        return Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
    }

    /// The history rows, or none when the table does not exist yet.
    static func history(on connection: PostgresConnection) async throws -> [AppliedMigration] {
        let exists = try await connection.query("SELECT to_regclass('platform.schema_migrations') IS NOT NULL")
        guard try exists[0].decode(Bool.self, column: 0) else { return [] }
        let rows = try await connection.query(
            """
            SELECT version, name, checksum, applied_at, execution_ms, success
            FROM platform.schema_migrations ORDER BY version
            """
        )
        return try rows.map { row in
            let (version, name, checksum, appliedAt, executionMs, success) = try row.decode(
                (Int, String, String, Date, Int, Bool).self
            )
            return AppliedMigration(
                version: version,
                name: name,
                checksum: checksum,
                appliedAt: appliedAt,
                executionMs: executionMs,
                success: success
            )
        }
    }

    /// The status as seen through an existing connection, e.g. the server's pool for `/readyz`.
    public static func status(of migrations: MigrationSet, on connection: PostgresConnection) async throws
        -> MigrationStatus
    {
        MigrationStatus(files: migrations.migrations, history: try await history(on: connection))
    }
}
