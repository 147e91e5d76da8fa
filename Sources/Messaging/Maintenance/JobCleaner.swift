import Logging
import Postgres
import ServiceLifecycle

/// Deletes finished jobs after a retention, so the table the workers claim from stays small.
/// Events are never deleted: they are the audit trail.
public struct JobCleaner: Service {
    /// How long finished jobs are kept, and how often to prune.
    public struct Configuration: Sendable {
        /// Completed, discarded and cancelled jobs older than this are deleted.
        public var retention: Duration
        /// How often to prune.
        public var interval: Duration
        /// The most rows one delete statement removes.
        public var batchSize: Int

        /// The default retention, 24 hours.
        public static let defaultRetention = Duration.seconds(24 * 3600)
        /// The default interval.
        public static let defaultInterval = Duration.seconds(60)
        /// The default batch.
        public static let defaultBatchSize = 10_000

        /// Makes a configuration.
        public init(
            retention: Duration = defaultRetention,
            interval: Duration = defaultInterval,
            batchSize: Int = defaultBatchSize
        ) {
            precondition(retention >= .zero && interval > .zero && batchSize > 0, "invalid cleaner configuration")
            self.retention = retention
            self.interval = interval
            self.batchSize = batchSize
        }
    }

    let configuration: Configuration
    let pool: PostgresConnectionPool
    let queue: PostgresJobQueue
    let logger: Logger

    /// Makes the cleaner.
    public init(
        configuration: Configuration = Configuration(), pool: PostgresConnectionPool, queue: PostgresJobQueue,
        logger: Logger
    ) {
        self.configuration = configuration
        self.pool = pool
        self.queue = queue
        self.logger = logger
    }

    public func run() async throws {
        await repeatUntilShutdown(
            every: configuration.interval, logger: logger, failure: "pruning finished jobs failed"
        ) {
            try await runOnce()
        }
    }

    /// Prunes until fewer than a batch are left; returns how many rows it deleted.
    @discardableResult
    public func runOnce() async throws -> Int {
        let retention = Double(configuration.retention.components.seconds)
        var total = 0
        while true {
            let deleted = try await pool.withConnection { connection in
                try await queue.clean(retention: retention, limit: configuration.batchSize, on: connection)
            }
            total += deleted
            if deleted < configuration.batchSize { break }
        }
        if total > 0 { logger.debug("pruned finished jobs", metadata: ["count": "\(total)"]) }
        return total
    }
}
