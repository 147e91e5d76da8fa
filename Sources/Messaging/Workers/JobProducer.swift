import Logging
import Postgres
import Synchronization

/// The worker pool: claims due jobs while slots are free, starts each on a ``JobExecutor``, and
/// on shutdown waits for the running ones within the grace period.
final class JobProducer: Sendable {
    private struct State {
        /// Every claimed job not yet finished, single or in a batch: the heartbeats keep them.
        var running: Set<JobClaim> = []
        /// How many of them run, each in a slot of ``JobWorkers/Configuration/concurrency``.
        var single = 0
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
    /// The kinds claimed.
    private let kindNames: [String]

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
        self.kindNames = kinds.names
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
                var more = false
                let running = state.withLock { $0.single }
                let free = configuration.concurrency - running
                // Claim when a quarter of the slots are free (or nothing runs): fewer, larger claims.
                if !kindNames.isEmpty && free > 0 && (free * 4 >= configuration.concurrency || running == 0) {
                    do {
                        let claimed = try await claim(limit: free)
                        for job in claimed { jobs.addTask { await self.execute(job) } }
                        more = claimed.count == free
                    } catch {
                        logger.warning("claiming jobs failed", metadata: ["error": "\(error)"])
                    }
                }
                if more { continue }
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
        guard !kindNames.isEmpty else { return [] }
        // Continue after the previous claim, except that at least once per poll interval a full scan picks up
        // jobs that sort before the cursor (see `PostgresJobQueue.ClaimCursor`).
        let cursor = state.withLock { state -> PostgresJobQueue.ClaimCursor? in
            if ContinuousClock.now - state.lastFullScan >= configuration.pollInterval { state.cursor = nil }
            if state.cursor == nil { state.lastFullScan = ContinuousClock.now }
            return state.cursor
        }
        let (claimed, next) = try await pool.withConnection { connection in
            try await queue.claim(
                kinds: kindNames,
                limit: limit,
                worker: configuration.workerName,
                after: cursor,
                on: connection
            )
        }
        state.withLock { state in
            for job in claimed { state.running.insert(job.jobClaim) }
            state.single += claimed.count
            // A short claim means nothing is left after the cursor: start from the beginning next time.
            state.cursor = claimed.count < limit ? nil : next
        }
        return claimed
    }

    /// Runs a claimed job, then frees its slot and wakes the claim loop.
    func execute(_ job: ClaimedJob) async {
        defer {
            state.withLock { state in
                state.running.remove(job.jobClaim)
                state.single -= 1
            }
            wakeups.wake()
        }
        await executor.execute(job, isStopping: { self.isStopping })
    }
}
