import Logging
import Postgres

/// Refreshes every running job's heartbeat in one statement per interval, on a connection of its own.
///
/// Not from the pool: up to ``JobWorkers/Configuration/concurrency`` handlers share it, and long ones can hold
/// every connection for longer than the rescuer's stale age (a borrower waits up to the pool's acquire
/// timeout, then gives up). The rescuer would then hand jobs that still run here to another worker, and they
/// would run twice at once. One dedicated connection per process costs little, like the listener's.
struct JobHeartbeater: Sendable {
    /// How often the heartbeats are refreshed; keep it well under the rescuer's stale age.
    let interval: Duration
    let pool: PostgresConnectionPool
    let queue: PostgresJobQueue
    /// The jobs running in this process now.
    let running: @Sendable () -> [JobClaim]
    let logger: Logger

    /// Refreshes the heartbeats until cancelled.
    func run() async {
        var connection: PostgresConnection?
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            let running = running()
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
                    // Rescued meanwhile (this process stalled): their results will not count; see
                    // `JobProducer.claim`.
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
}
