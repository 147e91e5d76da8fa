import Logging
import Messaging
import Postgres

/// The background work a test runs to its end: the event deliveries and the jobs, in turns, until neither
/// finds anything to do (a delivery can enqueue a job, and a job can publish an event).
public struct BackgroundWork: Sendable {
    /// The deliveries to the queued subscribers.
    public let deliveries: EventCursorWorkers
    /// The job workers.
    public let jobs: JobWorkers

    /// Puts the two together.
    public init(deliveries: EventCursorWorkers, jobs: JobWorkers) {
        self.deliveries = deliveries
        self.jobs = jobs
    }

    /// The deliveries to `bus`'s subscribers and workers for `kinds`, on the queue's clock, retrying without
    /// jitter, woken by nothing but ``drain()``.
    public init(
        bus: EventBus, kinds: JobKinds, pool: PostgresConnectionPool, concurrency: Int = 8,
        batchSize: Int = EventCursorWorkers.Configuration.defaultBatchSize, logger: Logger
    ) {
        self.deliveries = EventCursorWorkers(
            configuration: .init(batchSize: batchSize), subscriptions: bus.subscriptions, pool: pool,
            clock: bus.queue.clock, retryPolicy: RetryPolicy(random: { 0 }), listenOn: nil, logger: logger)
        self.jobs = JobWorkers(
            configuration: .init(concurrency: concurrency, workerName: "test"), kinds: kinds, pool: pool,
            queue: bus.queue, retryPolicy: RetryPolicy(random: { 0 }), listenOn: nil, logger: logger)
    }

    /// Delivers every waiting event and runs every due job, until none is left.
    ///
    /// - Returns: How many events were delivered and jobs ran.
    @discardableResult
    public func drain() async throws -> Int {
        var total = 0
        while true {
            let done = await deliveries.drain() + (try await jobs.drain())
            guard done > 0 else { return total }
            total += done
        }
    }
}
