import Logging
import Postgres
import Synchronization

/// Marks finished jobs completed in batches: one statement per ``JobWorkers/Configuration/completionFlushInterval``,
/// or at once when ``batchSize`` have gathered.
final class JobCompleter: Sendable {
    /// How many finished jobs make a flush happen at once.
    static let batchSize = 1_000

    private let pool: PostgresConnectionPool
    private let queue: PostgresJobQueue
    private let logger: Logger
    private let completed = Mutex<[JobClaim]>([])

    init(pool: PostgresConnectionPool, queue: PostgresJobQueue, logger: Logger) {
        self.pool = pool
        self.queue = queue
        self.logger = logger
    }

    /// Adds a finished job to the next batch, and flushes when the batch is full.
    func add(_ job: JobClaim) async {
        let full = completed.withLock { completed -> Bool in
            completed.append(job)
            return completed.count >= Self.batchSize
        }
        if full { await flush() }
    }

    /// Flushes every `interval`, until cancelled.
    func flushPeriodically(every interval: Duration) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            await flush()
        }
    }

    /// Marks the gathered jobs completed in one statement.
    func flush() async {
        let ids = completed.withLock { completed -> [JobClaim] in
            defer { completed.removeAll(keepingCapacity: true) }
            return completed
        }
        guard !ids.isEmpty else { return }
        do {
            try await pool.withConnection { try await queue.complete(ids, on: $0) }
        } catch {
            // Still running in the table: tried again next time, or rescued if this process dies.
            completed.withLock { $0.append(contentsOf: ids) }
            logger.warning("completing jobs failed", metadata: ["error": "\(error)", "count": "\(ids.count)"])
        }
    }
}
