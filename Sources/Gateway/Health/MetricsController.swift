import HTTPTypes
import Hummingbird
import NIOCore
import Postgres
import Prometheus

/// `GET /metrics`: Prometheus text. Requests by route and status and their durations (from swift-metrics,
/// once the process bootstraps it with this registry), the pool's connections, the queue's jobs by state,
/// and authentication's lookups. Counts only, but it tells an outsider how busy the server is and scraping
/// it costs a query: served on its own listener, or on the main port with its own bearer (`METRICS_TOKEN`).
struct MetricsController {
    let registry: PrometheusCollectorRegistry
    let pool: PostgresConnectionPool
    let statistics: AuthenticationStatistics
    /// The bearer asked for; `nil` on a listener that is reachable only from the monitoring network.
    let token: String?

    init(environment: GatewayEnvironment, token: String?) {
        self.registry = environment.metrics
        self.pool = environment.pool
        self.statistics = environment.authenticationStatistics
        self.token = token
    }

    var routes: RouteCollection<GatewayRequestContext> {
        let routes = RouteCollection(context: GatewayRequestContext.self)
        routes.get("metrics") { request, _ -> Response in
            try authorize(request)
            return try await scrape()
        }
        return routes
    }

    /// Checks the bearer, comparing without an early exit.
    func authorize(_ request: Request) throws {
        guard let token else { return }
        let header = request.headers[.authorization] ?? ""
        let presented = header.lowercased().hasPrefix("bearer ") ? Array(header.utf8.dropFirst(7)) : []
        guard APIToken.constantTimeEquals(presented, Array(token.utf8)) else {
            throw Problem.unauthorized("/metrics asks for its own bearer token (METRICS_TOKEN)")
        }
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
        // Counters kept by the middleware; shown as gauges of running totals, since they are read, not counted.
        registry.makeGauge(name: "stedenband_auth_token_lookups").set(Double(statistics.lookups))
        registry.makeGauge(name: "stedenband_auth_refused_by_address").set(Double(statistics.refusedByAddress))
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        return Response(
            status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
    }
}
