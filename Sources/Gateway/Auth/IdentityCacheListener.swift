import Logging
import Postgres
import ServiceLifecycle

/// Runs the ``IdentityCache``'s listener for as long as the server runs: one dedicated connection per
/// process, like the job queue's. Without it the cache never answers and every request looks its token up.
public struct IdentityCacheListener: Service {
    let cache: IdentityCache
    let listener: PostgresListener

    /// Makes the service; it listens over its own connection with `configuration`.
    public init(cache: IdentityCache, configuration: PostgresConfiguration, logger: Logger) {
        self.cache = cache
        self.listener = PostgresListener(
            configuration: configuration, channels: [IdentityCache.channel], logger: logger)
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown { await cache.listen(listener) }
    }
}
