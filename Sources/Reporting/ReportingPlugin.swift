import Foundation
import Gateway
import Hummingbird
import Kernel
import Logging
import Messaging
import Postgres

/// SDG, budget and reciprocity figures from a read model that only events build.
public struct ReportingPlugin: Plugin {
    public let id = "reporting"

    /// Makes the plugin.
    public init() {}

    public func register(into context: inout PluginContext) throws {
        _ = ReadModel.register(into: &context.events)
        context.routes.addRoutes(ReportsController().routes)
        context.routes.addRoutes(PlatformReportsController().routes)
        context.routes.addRoutes(IATIExportController().routes)
        ReportingDocumentation.register(in: context.documentation)
    }

    /// Rebuilds the read model of `tenants` (all when `nil`) from the kept events; answers events replayed per
    /// tenant. For `stedenband reporting rebuild` and tests.
    public static func rebuild(tenants: [UUID], pool: PostgresConnectionPool) async throws -> [UUID: Int] {
        var scratch = EventSubscriptions()
        let appliers = ReadModel.register(into: &scratch)
        var replayed: [UUID: Int] = [:]
        for tenant in tenants {
            replayed[tenant] = try await pool.withTransaction(tenantID: tenant) { connection in
                try await ReadModel.rebuild(tenant: tenant, appliers: appliers, on: connection)
            }
        }
        return replayed
    }
}
