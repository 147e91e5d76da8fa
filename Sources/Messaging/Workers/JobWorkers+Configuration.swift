import Foundation

extension JobWorkers {
    /// How many jobs run at once, and how often things happen.
    public struct Configuration: Sendable {
        /// Jobs running at once in this process.
        public var concurrency: Int
        /// How often to look for due jobs when no notification came.
        public var pollInterval: Duration
        /// How often running jobs' heartbeats are refreshed; keep it well under the rescuer's stale age.
        public var heartbeatInterval: Duration
        /// How long completed jobs gather before one statement marks them completed.
        public var completionFlushInterval: Duration
        /// How long running jobs may take to finish on shutdown before they are returned to the queue.
        public var shutdownGracePeriod: Duration
        /// This process's name in `claimed_by`.
        public var workerName: String
        /// The most jobs of a batch kind (event deliveries) one claim takes, all of one kind and one tenant,
        /// and one transaction delivers; 1 runs them one at a time like any other job.
        public var batchSize: Int
        /// How many batches run at once in this process, each of a different kind or tenant.
        public var batchConcurrency: Int

        /// The default concurrency: handlers mostly wait on the database, so many can be in flight.
        public static let defaultConcurrency = 100
        /// The default poll interval.
        public static let defaultPollInterval = Duration.seconds(1)
        /// The default heartbeat interval.
        public static let defaultHeartbeatInterval = Duration.seconds(5)
        /// The default completion batching window.
        public static let defaultCompletionFlushInterval = Duration.milliseconds(10)
        /// The default grace period on shutdown.
        public static let defaultShutdownGracePeriod = Duration.seconds(10)
        /// The default batch size: large enough that a transaction's fixed costs (its round trips, the claim,
        /// the completion) vanish per event, small enough that a batch takes well under a second.
        public static let defaultBatchSize = 500
        /// The default number of batches at once: each holds a pool connection for its transaction, and the
        /// pool has 10.
        public static let defaultBatchConcurrency = 4

        /// Makes a configuration; the worker name defaults to host, process id and a random suffix.
        public init(
            concurrency: Int = Configuration.defaultConcurrency,
            pollInterval: Duration = Configuration.defaultPollInterval,
            heartbeatInterval: Duration = Configuration.defaultHeartbeatInterval,
            completionFlushInterval: Duration = Configuration.defaultCompletionFlushInterval,
            shutdownGracePeriod: Duration = Configuration.defaultShutdownGracePeriod,
            workerName: String? = nil,
            batchSize: Int = Configuration.defaultBatchSize,
            batchConcurrency: Int = Configuration.defaultBatchConcurrency
        ) {
            precondition(concurrency >= 1, "workers need a concurrency of at least 1")
            precondition(batchSize >= 1, "a batch holds at least one job")
            precondition(batchConcurrency >= 1, "workers need a batch concurrency of at least 1")
            self.batchSize = batchSize
            self.batchConcurrency = batchConcurrency
            self.concurrency = concurrency
            self.pollInterval = pollInterval
            self.heartbeatInterval = heartbeatInterval
            self.completionFlushInterval = completionFlushInterval
            self.shutdownGracePeriod = shutdownGracePeriod
            self.workerName =
                workerName
                ?? "\(ProcessInfo.processInfo.hostName):\(getpid()):\(UUID().uuidString.prefix(6).lowercased())"
        }
    }
}
