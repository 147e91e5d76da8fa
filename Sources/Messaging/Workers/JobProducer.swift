import Logging
import Postgres
import Synchronization

/// The worker pool: claims due jobs in batches while slots are free, starts each on a ``JobExecutor``, and
/// on shutdown waits for the running ones within the grace period.
final class JobProducer: Sendable {
    private struct State {
        var running: Set<JobClaim> = []
        /// Where the last claim stopped; `nil` makes the next claim scan from the start.
        var cursor: PostgresJobQueue.ClaimCursor?
        var lastFullScan = ContinuousClock.now
        var stopping = false
    }

    private let configuration: JobWorkers.Configuration
    private let kinds: JobKinds
    private let pool: PostgresConnectionPool
    private let queue: PostgresJobQueue
    private let executor: JobExecutor
    private let wakeups: JobWakeups
    private let logger: Logger
    private let state = Mutex(State())

    init(
        configuration: JobWorkers.Configuration,
        kinds: JobKinds,
        pool: PostgresConnectionPool,
        queue: PostgresJobQueue,
        executor: JobExecutor,
        wakeups: JobWakeups,
        logger: Logger
    ) {
        self.configuration = configuration
        self.kinds = kinds
        self.pool = pool
        self.queue = queue
        self.executor = executor
        self.wakeups = wakeups
        self.logger = logger
    }

    /// The number of jobs running now.
    var runningCount: Int { state.withLock { $0.running.count } }

    /// The jobs running now, as their claims.
    var running: [JobClaim] { Array(state.withLock { $0.running }) }

    /// Whether a graceful shutdown has begun.
    var isStopping: Bool { state.withLock { $0.stopping } }

    /// Stops claiming; ``run()`` returns once the running jobs finished or the grace period ran out.
    func stop() {
        state.withLock { $0.stopping = true }
        wakeups.wake()
    }

    /// Claims and starts jobs on every wake-up until ``stop()``.
    func run() async {
        await withDiscardingTaskGroup { jobs in
            var wakeups = self.wakeups.stream.makeAsyncIterator()
            while !isStopping {
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

    /// Claims up to `limit` due jobs and counts them as running.
    func claim(limit: Int) async throws -> [ClaimedJob] {
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

    /// Runs a claimed job, then frees its slot and wakes the claim loop.
    func execute(_ job: ClaimedJob) async {
        defer {
            state.withLock { _ = $0.running.remove(job.jobClaim) }
            wakeups.wake()
        }
        await executor.execute(job, isStopping: { self.isStopping })
    }
}
