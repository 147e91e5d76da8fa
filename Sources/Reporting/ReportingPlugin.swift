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
        let service = try ReportsService(people: context.people)
        context.routes.addRoutes(ReportsController(service: service).routes)
        context.routes.addRoutes(
            PlatformReportsController(service: service, publicURL: context.pages.publicURL).routes)
        context.routes.addRoutes(IATIExportController(service: service).routes)
        ReportPages(service: service).register(on: context.pages, documentation: context.documentation)
        try ShowcasePages().register(on: context.pages, documentation: context.documentation)
        PlatformReportSection(service: service).register(into: context.pages.platformSections)
        ExamplesPages(service: service, publicURL: context.pages.publicURL)
            .register(on: context.pages, documentation: context.documentation)
        ReportingDocumentation.register(in: context.documentation)
        DashboardChart().register(on: context.pages.dashboardSections)
    }

    /// Rebuilds the read model of `tenants` from the kept events; answers events replayed per tenant. See
    /// ``ReportsService/rebuild(_:pool:)``.
    public static func rebuild(tenants: [UUID], pool: PostgresConnectionPool) async throws -> [UUID: Int] {
        try await ReportsService().rebuild(tenants, pool: pool)
    }
}
