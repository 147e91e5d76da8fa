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

        /// Makes a configuration; the worker name defaults to host, process id and a random suffix.
        public init(
            concurrency: Int = Configuration.defaultConcurrency,
            pollInterval: Duration = Configuration.defaultPollInterval,
            heartbeatInterval: Duration = Configuration.defaultHeartbeatInterval,
            completionFlushInterval: Duration = Configuration.defaultCompletionFlushInterval,
            shutdownGracePeriod: Duration = Configuration.defaultShutdownGracePeriod,
            workerName: String? = nil
        ) {
            precondition(concurrency >= 1, "workers need a concurrency of at least 1")
            self.concurrency = concurrency
            self.pollInterval = pollInterval
            self.heartbeatInterval = heartbeatInterval
            self.completionFlushInterval = completionFlushInterval
            self.shutdownGracePeriod = shutdownGracePeriod
            self.workerName =
                workerName
                ?? "\(ProcessInfo.processInfo.hostName):\(getpid()):\(UUID().uuidString.lowercased().prefix(6))"
        }
    }
}
