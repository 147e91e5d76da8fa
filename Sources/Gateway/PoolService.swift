import Postgres
import ServiceLifecycle

/// Keeps the pool open while the server runs and closes it on graceful shutdown.
struct PoolService: Service {
    let pool: PostgresConnectionPool

    func run() async throws {
        try? await gracefulShutdown()
        await pool.close()
    }
}
