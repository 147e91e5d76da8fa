import Foundation
import Logging
import Metrics
import Postgres
import RequestTracing

/// Runs one claimed job: its handler within its kind's timeout, its metrics, and its outcome (completed,
/// failed and retried later, discarded, or returned to the queue on shutdown).
struct JobExecutor: Sendable {
    let kinds: JobKinds
    let pool: PostgresConnectionPool
    let queue: PostgresJobQueue
    let retryPolicy: RetryPolicy
    let completer: JobCompleter
    let logger: Logger

    /// Runs `job`; `isStopping` tells whether a cancellation means a graceful shutdown. A job enqueued in a
    /// trace runs in a span of its own in that trace (``TraceParent/current``): its lines, and what it
    /// publishes, enqueues or sends, carry the trace id.
    func execute(_ job: ClaimedJob, isStopping: () -> Bool) async {
        guard let parent = job.traceParent else {
            await run(job, isStopping: isStopping)
            return
        }
        await TraceParent.$current.withValue(parent.child()) { await run(job, isStopping: isStopping) }
    }

    private func run(_ job: ClaimedJob, isStopping: () -> Bool) async {
        guard let kind = kinds[job.kind] else { return }
        var logger = self.logger
        logger[metadataKey: "job.id"] = "\(job.id)"
        logger[metadataKey: "job.kind"] = "\(job.kind)"
        let dimensions = [("kind", job.kind)]
        Counter(label: "stedenband_jobs_claimed_total", dimensions: dimensions).increment()
        Timer(label: "stedenband_jobs_queue_latency_seconds", dimensions: dimensions)
            .recordSeconds(max(0, queue.clock.now().timeIntervalSince(job.runAt)))
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
            // A traced job says it ran, so its trace can be followed in the log; untraced ones (the periodic
            // scans, every few seconds) stay quiet.
            if job.traceParent != nil {
                logger.info(
                    "job completed",
                    metadata: [
                        "job.attempt": "\(job.attempt)",
                        "job.duration_ms": "\(Int(((clock.now - began) / .milliseconds(1)).rounded()))",
                    ])
            }
        case .failure(let error) where error is CancellationError && isStopping():
            await release(job)
        case .failure(let error) where error is JobClaimLost:
            // Not a failure of the job: another attempt holds it now, and its outcome is the one that counts.
            logger.notice("a job was returned to the queue while it ran here", metadata: ["error": "\(error)"])
        case .failure(let error):
            await fail(job, maxAttempts: maxAttempts, error: error, logger: logger)
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
