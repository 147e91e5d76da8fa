import Foundation
import Logging
import Metrics
import Postgres
import ServiceLifecycle
import Synchronization

/// Runs the queue's jobs in this process: claims due jobs in batches, runs up to ``Configuration/concurrency``
/// at once, keeps their heartbeats fresh, and completes them in batches.
///
/// Woken at once by `NOTIFY messaging_jobs` (sent when an enqueueing transaction commits) and by a finished
/// job, and every ``Configuration/pollInterval`` in case a notification was missed. On graceful shutdown it
/// stops claiming, lets running jobs finish within ``Configuration/shutdownGracePeriod``, and returns the
/// rest to the queue.
public final class JobWorkers: Service {
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
                ?? "\(ProcessInfo.processInfo.hostName):\(getpid()):\(UUID().uuidString.prefix(6).lowercased())"
        }
    }

    /// The configuration.
    public let configuration: Configuration
    private let kinds: JobKinds
    private let pool: PostgresConnectionPool
    private let queue: PostgresJobQueue
    private let retryPolicy: RetryPolicy
    private let listener: PostgresListener?
    private let logger: Logger
    private let state = Mutex(State())
    private let wake: AsyncStream<Void>.Continuation
    private let wakeups: AsyncStream<Void>

    private struct State {
        var running: Set<JobClaim> = []
        /// Where the last claim stopped; `nil` makes the next claim scan from the start.
        var cursor: PostgresJobQueue.ClaimCursor?
        var lastFullScan = ContinuousClock.now
        var completed: [JobClaim] = []
        var stopping = false
    }

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
        self.pool = pool
        self.queue = queue
        self.retryPolicy = retryPolicy
        var logger = logger
        logger[metadataKey: "worker"] = "\(configuration.workerName)"
        self.logger = logger
        self.listener = listenOn.map {
            PostgresListener(configuration: $0, channels: [PostgresJobQueue.channel], logger: logger)
        }
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// The number of jobs running now.
    public var runningCount: Int { state.withLock { $0.running.count } }

    public func run() async throws {
        guard !kinds.names.isEmpty else {
            logger.info("no job kinds registered; workers idle")
            try? await gracefulShutdown()
            return
        }
        logger.info("job workers started", metadata: ["concurrency": "\(configuration.concurrency)"])
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { helpers in
                helpers.addTask { await self.listenForNotifications() }
                helpers.addTask { await self.tick(every: self.configuration.pollInterval) }
                helpers.addTask { await self.keepHeartbeats() }
                helpers.addTask { await self.flushCompletionsPeriodically() }
                await self.claimLoop()
                helpers.cancelAll()
            }
        } onGracefulShutdown: {
            self.state.withLock { $0.stopping = true }
            self.wake.yield()
        }
        await flushCompletions()
        logger.info("job workers stopped")
    }

    /// Runs every due job until none is left, then completes them; for tests and one-off drains.
    ///
    /// - Returns: How many jobs ran.
    @discardableResult
    public func drain() async throws -> Int {
        var total = 0
        while true {
            let jobs = try await claim(limit: configuration.concurrency)
            if jobs.isEmpty { break }
            await withDiscardingTaskGroup { group in
                for job in jobs { group.addTask { await self.execute(job) } }
            }
            await flushCompletions()
            total += jobs.count
        }
        return total
    }

    // MARK: The loops

    private func claimLoop() async {
        await withDiscardingTaskGroup { jobs in
            var wakeups = self.wakeups.makeAsyncIterator()
            while !state.withLock({ $0.stopping }) {
                let free = configuration.concurrency - runningCount
                // Claim when a quarter of the slots are free (or nothing runs): fewer, larger claims.
                if free > 0 && (free * 4 >= configuration.concurrency || runningCount == 0) {
                    do {
                        let claimed = try await claim(limit: free)
                        for job in claimed { jobs.addTask { await self.execute(job) } }
                        if claimed.count == free { continue }
                    } catch {
                        logger.warning("claiming jobs failed", metadata: ["error": "\(error)"])
                    }
                }
                guard await wakeups.next() != nil else { break }
            }
            await waitForRunningJobs(jobs: &jobs)
        }
    }

    private func waitForRunningJobs(jobs: inout DiscardingTaskGroup) async {
        let deadline = ContinuousClock.now + configuration.shutdownGracePeriod
        while runningCount > 0 && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        if runningCount > 0 {
            logger.warning(
                "jobs still running after the grace period are returned to the queue",
                metadata: ["count": "\(runningCount)"]
            )
            jobs.cancelAll()
        }
    }

    private func listenForNotifications() async {
        guard let listener else { return }
        for await _ in listener.events() {
            wake.yield()
            if Task.isCancelled { break }
        }
    }

    private func tick(every interval: Duration) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            wake.yield()
        }
    }

    /// Refreshes every running job's heartbeat in one statement per interval, on a connection of its own.
    ///
    /// Not from the pool: up to ``Configuration/concurrency`` handlers share it, and long ones can hold every
    /// connection for longer than the rescuer's stale age (a borrower waits up to the pool's acquire
    /// timeout, then gives up). The rescuer would then hand jobs that still run here to another worker, and
    /// they would run twice at once. One dedicated connection per process costs little, like the listener's.
    private func keepHeartbeats() async {
        var connection: PostgresConnection?
        while !Task.isCancelled {
            try? await Task.sleep(for: configuration.heartbeatInterval)
            let running = Array(state.withLock { $0.running })
            guard !running.isEmpty, !Task.isCancelled else { continue }
            do {
                let open: PostgresConnection
                if let connection, await connection.isUsable {
                    open = connection
                } else {
                    open = try await PostgresConnection.connect(to: pool.configuration.connection, logger: logger)
                    connection = open
                }
                let held = try await queue.heartbeat(running, on: open)
                if held < running.count {
                    // Rescued meanwhile (this process stalled): their results will not count; see `claim`.
                    logger.warning(
                        "some running jobs were returned to the queue while they ran",
                        metadata: ["count": "\(running.count - held)"]
                    )
                }
            } catch {
                await connection?.close()
                connection = nil
                logger.warning("refreshing heartbeats failed", metadata: ["error": "\(error)"])
            }
        }
        await connection?.close()
    }

    private func flushCompletionsPeriodically() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: configuration.completionFlushInterval)
            await flushCompletions()
        }
    }

    private func flushCompletions() async {
        let ids = state.withLock { state -> [JobClaim] in
            defer { state.completed.removeAll(keepingCapacity: true) }
            return state.completed
        }
        guard !ids.isEmpty else { return }
        do {
            try await pool.withConnection { try await queue.complete(ids, on: $0) }
        } catch {
            // Still running in the table: tried again next time, or rescued if this process dies.
            state.withLock { $0.completed.append(contentsOf: ids) }
            logger.warning("completing jobs failed", metadata: ["error": "\(error)", "count": "\(ids.count)"])
        }
    }

    // MARK: One job

    private func claim(limit: Int) async throws -> [ClaimedJob] {
        // Continue after the previous claim, except that at least once per poll interval a full scan picks up
        // jobs that sort before the cursor (see `PostgresJobQueue.ClaimCursor`).
        let cursor = state.withLock { state -> PostgresJobQueue.ClaimCursor? in
            if ContinuousClock.now - state.lastFullScan >= configuration.pollInterval { state.cursor = nil }
            if state.cursor == nil { state.lastFullScan = ContinuousClock.now }
            return state.cursor
        }
        let (claimed, next) = try await pool.withConnection { connection in
            try await queue.claim(
                kinds: kinds.names,
                limit: limit,
                worker: configuration.workerName,
                after: cursor,
                on: connection
            )
        }
        state.withLock { state in
            for job in claimed { state.running.insert(job.jobClaim) }
            // A short claim means nothing is left after the cursor: start from the beginning next time.
            state.cursor = claimed.count < limit ? nil : next
        }
        return claimed
    }

    private func execute(_ job: ClaimedJob) async {
        defer {
            state.withLock { _ = $0.running.remove(job.jobClaim) }
            wake.yield()
        }
        guard let kind = kinds[job.kind] else { return }
        var logger = self.logger
        logger[metadataKey: "job.id"] = "\(job.id)"
        logger[metadataKey: "job.kind"] = "\(job.kind)"
        let dimensions = [("kind", job.kind)]
        Counter(label: "stedenband_jobs_claimed_total", dimensions: dimensions).increment()
        let started = queue.clock.now()
        Timer(label: "stedenband_jobs_queue_latency_seconds", dimensions: dimensions)
            .recordSeconds(max(0, started.timeIntervalSince(job.runAt)))
        let maxAttempts = job.maxAttempts ?? kind.maxAttempts
        if job.attempt > maxAttempts {
            // Rescued after its last attempt: its worker died while running it.
            await fail(job, maxAttempts: maxAttempts, error: JobRescuedTooOften(), logger: logger)
            return
        }
        let completion = CompletionFlag()
        let context = JobContext(job: job, pool: pool, queue: queue, logger: logger, completion: completion)
        let clock = ContinuousClock()
        let began = clock.now
        let outcome: Result<Void, any Error>
        do {
            try await Self.run(kind, context: context)
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        // Recorded however the attempt ends: slow failures (timeouts) belong in the figure too.
        Timer(label: "stedenband_jobs_duration_seconds", dimensions: dimensions).record(duration: clock.now - began)
        switch outcome {
        case .success:
            if !completion.isSet {
                let full = state.withLock { state -> Bool in
                    state.completed.append(job.jobClaim)
                    return state.completed.count >= 1_000
                }
                if full { await flushCompletions() }
            }
            Counter(label: "stedenband_jobs_completed_total", dimensions: dimensions).increment()
        case .failure(let error) where error is CancellationError && state.withLock({ $0.stopping }):
            await release(job)
        case .failure(let error) where error is JobClaimLost:
            // Not a failure of the job: another attempt holds it now, and its outcome is the one that counts.
            logger.notice("a job was returned to the queue while it ran here", metadata: ["error": "\(error)"])
        case .failure(let error):
            await fail(job, maxAttempts: maxAttempts, error: error, logger: logger)
        }
    }

    private static func run(_ kind: JobKind, context: JobContext) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await kind.handler(context) }
            group.addTask {
                try await Task.sleep(for: kind.timeout)
                throw JobTimedOut(timeout: kind.timeout)
            }
            try await group.next()
            group.cancelAll()
        }
    }

    private func fail(_ job: ClaimedJob, maxAttempts: Int, error: any Error, logger: Logger) async {
        let dimensions = [("kind", job.kind)]
        let last = job.attempt >= maxAttempts
        let retryAt = last ? nil : queue.clock.now().addingTimeInterval(retryPolicy.delay(afterAttempt: job.attempt))
        logger.warning(
            last ? "job failed its last attempt and is discarded" : "job failed; it will be retried",
            metadata: ["error": "\(error)", "job.attempt": "\(job.attempt)"]
        )
        Counter(
            label: last ? "stedenband_jobs_discarded_total" : "stedenband_jobs_failed_total", dimensions: dimensions
        )
        .increment()
        do {
            try await pool.withConnection { connection in
                try await queue.fail(job, error: String(describing: error), retryAt: retryAt, on: connection)
            }
        } catch {
            logger.error("recording a failed job failed; the rescuer will return it", metadata: ["error": "\(error)"])
        }
    }

    private func release(_ job: ClaimedJob) async {
        do {
            try await pool.withConnection { try await queue.release([job.jobClaim], countAttempt: false, on: $0) }
        } catch {
            logger.warning("returning a job to the queue failed; the rescuer will", metadata: ["error": "\(error)"])
        }
    }
}

/// A job was rescued after its last attempt: its worker died while running it, every time.
public struct JobRescuedTooOften: Error, CustomStringConvertible {
    public var description: String { "the job was rescued after its last attempt" }
}

/// A job attempt ran longer than its kind allows.
public struct JobTimedOut: Error, CustomStringConvertible {
    /// The kind's timeout.
    public var timeout: Duration

    public var description: String { "the job ran longer than its timeout of \(timeout)" }
}
