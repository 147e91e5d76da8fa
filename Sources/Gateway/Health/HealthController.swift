import Hummingbird

/// `/healthz` (the process runs) and `/readyz` (it can serve: database up, schema current).
public struct HealthController<Context: RequestContext>: Sendable {
    let readiness: any ReadinessCheck

    /// Makes the controller.
    public init(readiness: any ReadinessCheck) {
        self.readiness = readiness
    }

    /// The routes, to mount at the root.
    public var routes: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get("healthz") { _, _ in Status(status: "ok") }
        routes.get("readyz") { _, _ -> Status in
            if let reason = await readiness.notReadyReason() { throw Problem.notReady(reason) }
            let warnings = readiness.warnings
            return Status(status: "ready", warnings: warnings.isEmpty ? nil : warnings)
        }
        return routes
    }

    struct Status: ResponseEncodable {
        var status: String
        /// Absent when there is nothing to warn about.
        var warnings: [String]? = nil
    }
}
