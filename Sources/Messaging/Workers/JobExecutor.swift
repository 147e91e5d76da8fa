import Foundation
import Logging
import Metrics
import Postgres

/// Runs one claimed job: its handler within its kind's timeout, its metrics, and its outcome (completed,
/// failed and retried later, discarded, or returned to the queue on shutdown).
struct JobExecutor: Sendable {
    let kinds: JobKinds
    let pool: PostgresConnectionPool
    let queue: PostgresJobQueue
    let retryPolicy: RetryPolicy
    let completer: JobCompleter
    let logger: Logger

    /// Runs `job`; `isStopping` tells whether a cancellation means a graceful shutdown. `counted`: the job's
    /// claim was counted already (it ran in a batch that failed).
    func execute(_ job: ClaimedJob, isStopping: () -> Bool, counted: Bool = false) async {
        guard let kind = kinds[job.kind] else { return }
        var logger = self.logger
        logger[metadataKey: "job.id"] = "\(job.id)"
        logger[metadataKey: "job.kind"] = "\(job.kind)"
        let dimensions = [("kind", job.kind)]
        if !counted {
            Counter(label: "stedenband_jobs_claimed_total", dimensions: dimensions).increment()
            let started = queue.clock.now()
            Timer(label: "stedenband_jobs_queue_latency_seconds", dimensions: dimensions)
                .recordSeconds(max(0, started.timeIntervalSince(job.runAt)))
        }
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
            try await withTimeout(kind.timeout) { try await kind.handler(context) }
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        // Recorded however the attempt ends: slow failures (timeouts) belong in the figure too.
        Timer(label: "stedenband_jobs_duration_seconds", dimensions: dimensions).record(duration: clock.now - began)
        switch outcome {
        case .success:
            if !completion.isSet { await completer.add(job.jobClaim) }
            Counter(label: "stedenband_jobs_completed_total", dimensions: dimensions).increment()
        case .failure(let error) where error is CancellationError && isStopping():
            await release(job)
        case .failure(let error) where error is JobClaimLost:
            // Not a failure of the job: another attempt holds it now, and its outcome is the one that counts.
            logger.notice("a job was returned to the queue while it ran here", metadata: ["error": "\(error)"])
        case .failure(let error):
            await fail(job, maxAttempts: maxAttempts, error: error, logger: logger)
        }
    }

    /// Runs a batch of jobs of one kind and one tenant (oldest first) through the kind's batch handler, in one
    /// go; when the batch fails, runs each of its jobs alone, so that only the jobs that fail alone use up an
    /// attempt (one poison event ends in the dead letter by itself, the others are delivered). Jobs claimed
    /// before (retried, or rescued) run alone from the start: they may fail again.
    func execute(batch jobs: [ClaimedJob], isStopping: () -> Bool) async {
        guard let first = jobs.first, let kind = kinds[first.kind], let batchHandler = kind.batchHandler else {
            for job in jobs { await execute(job, isStopping: isStopping) }
            return
        }
        let alone = jobs.filter { $0.attempt > 1 }
        var together = jobs.filter { $0.attempt <= 1 }
        for job in alone { await execute(job, isStopping: isStopping) }
        guard together.count > 1 else {
            for job in together { await execute(job, isStopping: isStopping) }
            return
        }
        var logger = self.logger
        logger[metadataKey: "job.kind"] = "\(kind.name)"
        logger[metadataKey: "job.count"] = "\(together.count)"
        let dimensions = [("kind", kind.name)]
        let started = queue.clock.now()
        Counter(label: "stedenband_jobs_claimed_total", dimensions: dimensions).increment(by: together.count)
        for job in together {
            Timer(label: "stedenband_jobs_queue_latency_seconds", dimensions: dimensions)
                .recordSeconds(max(0, started.timeIntervalSince(job.runAt)))
        }
        let completion = CompletionFlag()
        let context = JobBatchContext(
            jobs: together, tenantID: first.tenantID, pool: pool, queue: queue, logger: logger,
            completion: completion)
        let clock = ContinuousClock()
        let began = clock.now
        let outcome: Result<Void, any Error>
        do {
            try await withTimeout(kind.timeout) { try await batchHandler(context) }
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        // One attempt's time for the whole batch.
        Timer(label: "stedenband_jobs_duration_seconds", dimensions: dimensions).record(duration: clock.now - began)
        switch outcome {
        case .success:
            if !completion.isSet {
                for job in together { await completer.add(job.jobClaim) }
            }
            Counter(label: "stedenband_jobs_completed_total", dimensions: dimensions).increment(by: together.count)
            together = []
        case .failure(let error) where error is CancellationError && isStopping():
            do {
                let claims = together.map(\.jobClaim)
                try await pool.withConnection { try await queue.release(claims, countAttempt: false, on: $0) }
            } catch {
                logger.warning("returning jobs to the queue failed; the rescuer will", metadata: ["error": "\(error)"])
            }
            together = []
        case .failure(let error):
            logger.notice("a batch failed; its jobs run one by one", metadata: ["error": "\(error)"])
        }
        for job in together { await execute(job, isStopping: isStopping, counted: true) }
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
