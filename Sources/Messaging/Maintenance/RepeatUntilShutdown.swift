import Logging
import ServiceLifecycle

/// Runs `step` every `interval` until the service group shuts down: the loop of each background role.
/// A failing step is logged and tried again next time; a graceful shutdown cuts the wait short, so the
/// process need not wait out the interval.
func repeatUntilShutdown(
    every interval: Duration,
    logger: Logger,
    failure: Logger.Message,
    _ step: () async throws -> Void
) async {
    while !Task.isShuttingDownGracefully && !Task.isCancelled {
        do {
            try await step()
        } catch {
            logger.warning(failure, metadata: ["error": "\(error)"])
        }
        try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
    }
}
