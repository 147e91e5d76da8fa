import Foundation
import Logging
import Postgres
import ServiceLifecycle

/// Enqueues periodic jobs once per period, even with several processes: the process whose update moves a
/// schedule's `next_run_at` forward enqueues the run, in the same transaction.
public struct PeriodicJobEnqueuer: Service {
    /// How often schedules are checked.
    public struct Configuration: Sendable {
        /// How often to check.
        public var interval: Duration

        /// The default, one second: a minute-level schedule runs within a second of its time.
        public static let defaultInterval = Duration.seconds(1)

        /// Makes a configuration.
        public init(interval: Duration = defaultInterval) {
            precondition(interval > .zero, "the interval must be positive")
            self.interval = interval
        }
    }

    let configuration: Configuration
    let jobs: [PeriodicJob]
    let pool: PostgresConnectionPool
    let queue: PostgresJobQueue
    let logger: Logger

    /// Makes the enqueuer.
    public init(
        configuration: Configuration = Configuration(),
        jobs: [PeriodicJob],
        pool: PostgresConnectionPool,
        queue: PostgresJobQueue,
        logger: Logger
    ) {
        precondition(Set(jobs.map(\.name)).count == jobs.count, "periodic job names must be unique")
        self.configuration = configuration
        self.jobs = jobs
        self.pool = pool
        self.queue = queue
        self.logger = logger
    }

    public func run() async throws {
        guard !jobs.isEmpty else {
            // A service that returns ends its whole group: with nothing to schedule, wait for shutdown.
            try? await gracefulShutdown()
            return
        }
        await repeatUntilShutdown(
            every: configuration.interval, logger: logger, failure: "enqueueing periodic jobs failed"
        ) {
            try await runOnce()
        }
    }

    /// Checks every schedule once; returns the names of the jobs this call enqueued.
    @discardableResult
    public func runOnce() async throws -> [String] {
        var enqueued: [String] = []
        for periodic in jobs where try await enqueueIfDue(periodic) {
            enqueued.append(periodic.name)
        }
        return enqueued
    }

    private func enqueueIfDue(_ periodic: PeriodicJob) async throws -> Bool {
        let now = queue.clock.now()
        return try await pool.withTransaction { connection in
            try await connection.query(
                """
                INSERT INTO messaging.periodic_jobs (name, next_run_at) VALUES (\(periodic.name), \(periodic.nextRun(after: now)))
                ON CONFLICT (name) DO NOTHING
                """
            )
            let due = try await connection.query(
                "SELECT next_run_at FROM messaging.periodic_jobs WHERE name = \(periodic.name) AND next_run_at <= \(now) FOR UPDATE SKIP LOCKED"
            )
            guard let row = due.first else { return false }
            let dueAt = try row.decode(Date.self, column: 0)
            try await connection.query(
                """
                UPDATE messaging.periodic_jobs SET next_run_at = \(periodic.nextRun(after: now, previous: dueAt)),
                    last_enqueued_at = \(now)
                WHERE name = \(periodic.name)
                """
            )
            var job = try periodic.job()
            job.uniqueKey = job.uniqueKey ?? "periodic:\(periodic.name):\(dueAt.postgresText)"
            try await queue.enqueue([job], on: connection)
            logger.debug("enqueued a periodic job", metadata: ["periodic.name": "\(periodic.name)"])
            return true
        }
    }
}
