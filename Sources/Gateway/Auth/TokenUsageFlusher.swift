import Logging
import Postgres
import ServiceLifecycle

/// Writes the tokens' last-used instants that ``TokenUsageRecorder`` gathered, once per interval, and a last
/// time on graceful shutdown (before the pool closes), so a token's `lastUsedAt` lags by at most an interval
/// and a restart loses nothing but a crash's last interval.
public struct TokenUsageFlusher: Service {
    /// How often the gathered instants are written: a token's row at most once a minute.
    public static let defaultInterval: Duration = .seconds(60)

    let recorder: TokenUsageRecorder
    let pool: PostgresConnectionPool
    let interval: Duration
    let logger: Logger

    /// Makes the flusher.
    public init(
        recorder: TokenUsageRecorder,
        pool: PostgresConnectionPool,
        interval: Duration = defaultInterval,
        logger: Logger
    ) {
        precondition(interval > .zero, "the flush interval must be positive")
        self.recorder = recorder
        self.pool = pool
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            await flush()
        }
    }

    private func flush() async {
        do {
            try await recorder.flush(to: pool)
        } catch {
            // Kept for the next flush; a lost last-used instant grants or denies nothing.
            logger.warning("could not write the tokens' last use", metadata: ["error": "\(error)"])
        }
    }
}
