import HTTPTypes
import Hummingbird
import NIOCore
import Postgres
import Prometheus

/// `GET /metrics`: Prometheus text. Requests by route and status and their durations (from swift-metrics,
/// once the process bootstraps it with this registry), the pool's connections, and the queue's jobs by
/// state. Counts only: no tenant's data. Expose it to the monitoring network, not the internet.
struct MetricsController {
    let registry: PrometheusCollectorRegistry
    let pool: PostgresConnectionPool

    var routes: RouteCollection<GatewayRequestContext> {
        let routes = RouteCollection(context: GatewayRequestContext.self)
        routes.get("metrics") { _, _ in try await scrape() }
        return routes
    }

    func scrape() async throws -> Response {
        // The queue's table is small (finished jobs are pruned), so counting at scrape time is cheap. Jobs
        // belong to every tenant: the app role counts them through messaging.job_counts().
        if let rows = try? await pool.query(
            "SELECT state, sum(jobs)::int8 FROM messaging.job_counts() GROUP BY state")
        {
            var counts = ["available": 0, "running": 0, "completed": 0, "discarded": 0, "cancelled": 0]
            for row in rows {
                let (state, count) = try row.decode((String, Int).self)
                counts[state] = count
            }
            for (state, count) in counts {
                registry.makeGauge(name: "stedenband_jobs", labels: [("state", state)]).set(Double(count))
            }
        }
        let open = await pool.openConnections
        let idle = await pool.idleConnections
        registry.makeGauge(name: "stedenband_db_pool_connections", labels: [("state", "in_use")]).set(
            Double(open - idle))
        registry.makeGauge(name: "stedenband_db_pool_connections", labels: [("state", "idle")]).set(Double(idle))
        registry.makeGauge(name: "stedenband_db_pool_waiting").set(Double(await pool.waitingBorrowers))
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        return Response(
            status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
    }
}
