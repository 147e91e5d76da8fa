import Logging
import Postgres
import ServiceLifecycle

/// Returns jobs whose worker stopped sending heartbeats (it crashed or was killed) to the queue.
public struct JobRescuer: Service {
    /// How often to look, and when a heartbeat counts as stale.
    public struct Configuration: Sendable {
        /// A running job whose heartbeat is older than this is rescued.
        public var staleAfter: Duration
        /// How often to look.
        public var interval: Duration

        /// The default stale age, 30 seconds (six missed heartbeats at the workers' default).
        public static let defaultStaleAfter = Duration.seconds(30)
        /// The default interval.
        public static let defaultInterval = Duration.seconds(10)

        /// Makes a configuration.
        public init(staleAfter: Duration = defaultStaleAfter, interval: Duration = defaultInterval) {
            precondition(staleAfter > .zero && interval > .zero, "the rescuer's durations must be positive")
            self.staleAfter = staleAfter
            self.interval = interval
        }
    }

    let configuration: Configuration
    let pool: PostgresConnectionPool
    let queue: PostgresJobQueue
    let logger: Logger

    /// Makes the rescuer.
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
        await repeatUntilShutdown(every: configuration.interval, logger: logger, failure: "rescuing stale jobs failed")
        {
            try await runOnce()
        }
    }

    /// Rescues once; returns how many jobs went back to the queue (or were discarded).
    @discardableResult
    public func runOnce() async throws -> Int {
        let seconds =
            Double(configuration.staleAfter.components.seconds)
            + Double(configuration.staleAfter.components.attoseconds) / 1e18
        let rescued = try await pool.withConnection { try await queue.rescue(staleAfter: seconds, on: $0) }
        if rescued > 0 { logger.notice("rescued jobs whose worker stopped", metadata: ["count": "\(rescued)"]) }
        return rescued
    }
}
