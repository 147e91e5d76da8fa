import Metrics
import Prometheus
import Synchronization

/// swift-metrics goes to one Prometheus registry per process, read by `GET /metrics`.
enum MetricsBootstrap {
    static let registry = PrometheusCollectorRegistry()
    private static let done = Mutex(false)

    /// Bootstraps swift-metrics once (it may only be bootstrapped once per process).
    static func bootstrap() {
        let first = done.withLock { done in
            defer { done = true }
            return !done
        }
        if first { MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry)) }
    }
}
