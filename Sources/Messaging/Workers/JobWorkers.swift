import Logging
import Postgres
import ServiceLifecycle

/// Runs the queue's jobs in this process: claims due jobs in batches, runs up to ``Configuration/concurrency``
/// at once, keeps their heartbeats fresh, and completes them in batches.
///
/// Each background role has its own type, and this one only puts them together: ``JobProducer`` claims and
/// starts jobs, ``JobExecutor`` runs one, ``JobWakeups`` wakes the producer, ``JobHeartbeater`` keeps the
/// running jobs' heartbeats fresh, and ``JobCompleter`` marks finished jobs completed in batches.
///
/// Woken at once by a NOTIFY on ``PostgresJobQueue/channel`` (sent when an enqueueing transaction commits)
/// and by a finished job, and every ``Configuration/pollInterval`` in case a notification was missed. On
/// graceful shutdown it stops claiming, lets running jobs finish within
/// ``Configuration/shutdownGracePeriod``, and returns the rest to the queue.
public final class JobWorkers: Service {
    /// The configuration.
    public let configuration: Configuration
    private let kinds: JobKinds
    private let logger: Logger
    private let wakeups: JobWakeups
    private let producer: JobProducer
    private let heartbeater: JobHeartbeater
    private let completer: JobCompleter

    /// Makes the workers; `listenOn` is the connection to LISTEN with (nil: poll only).
    public init(
        configuration: Configuration = Configuration(),
        kinds: JobKinds,
        pool: PostgresConnectionPool,
        queue: PostgresJobQueue,
        retryPolicy: RetryPolicy = RetryPolicy(),
        listenOn: PostgresConfiguration?,
        logger: Logger
    ) {
        self.configuration = configuration
        self.kinds = kinds
        var logger = logger
        logger[metadataKey: "worker"] = "\(configuration.workerName)"
        self.logger = logger
        let wakeups = JobWakeups(listenOn: listenOn, logger: logger)
        let completer = JobCompleter(pool: pool, queue: queue, logger: logger)
        let executor = JobExecutor(
            kinds: kinds, pool: pool, queue: queue, retryPolicy: retryPolicy, completer: completer, logger: logger)
        let producer = JobProducer(
            configuration: configuration, kinds: kinds, pool: pool, queue: queue, executor: executor,
            wakeups: wakeups, logger: logger)
        self.wakeups = wakeups
        self.completer = completer
        self.producer = producer
        self.heartbeater = JobHeartbeater(
            interval: configuration.heartbeatInterval, pool: pool, queue: queue, running: { producer.running },
            logger: logger)
    }

    /// The number of jobs running now.
    public var runningCount: Int { producer.runningCount }

    public func run() async throws {
        guard !kinds.names.isEmpty else {
            logger.info("no job kinds registered; workers idle")
            try? await gracefulShutdown()
            return
        }
        logger.info("job workers started", metadata: ["concurrency": "\(configuration.concurrency)"])
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { helpers in
                helpers.addTask { await self.wakeups.listen() }
                helpers.addTask { await self.wakeups.tick(every: self.configuration.pollInterval) }
                helpers.addTask { await self.heartbeater.run() }
                helpers.addTask {
                    await self.completer.flushPeriodically(every: self.configuration.completionFlushInterval)
                }
                await self.producer.run()
                helpers.cancelAll()
            }
        } onGracefulShutdown: {
            self.producer.stop()
        }
        await completer.flush()
        logger.info("job workers stopped")
    }

    /// Runs every due job until none is left, then completes them; for tests and one-off drains.
    ///
    /// - Returns: How many jobs ran.
    @discardableResult
    public func drain() async throws -> Int {
        var total = 0
        while true {
            let jobs = try await producer.claim(limit: configuration.concurrency)
            if jobs.isEmpty { break }
            await withDiscardingTaskGroup { group in
                for job in jobs { group.addTask { await self.producer.execute(job) } }
            }
            await completer.flush()
            total += jobs.count
        }
        return total
    }
}
