import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import NIOCore
import Postgres
import ReferenceData
import Vocabulary

/// `GET /api/v1/reports/overview`, `/sdg` and `/results`, as JSON, CSV or the printable page: reads the
/// query, calls ``ReportsService``, encodes its answer.
struct ReportsController: Sendable {
    let service: ReportsService

    var routes: RouteCollection<GatewayRequestContext> {
        let routes = RouteCollection(context: GatewayRequestContext.self)
        routes.get("reports/overview") { request, context in try await overview(request, context) }
        routes.get("reports/sdg") { request, context in try await sdg(request, context) }
        routes.get("reports/results") { request, context in try await results(request, context) }
        return routes
    }

    func overview(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        try await answer(request, context, name: "overview", csv: ReportCSV.overview) { filter, access, connection in
            try await service.overview(filter, access: access, on: connection)
        }
    }

    func sdg(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        try await answer(request, context, name: "sdg", csv: ReportCSV.sdg) { filter, access, connection in
            try await service.sdg(filter, access: access, on: connection)
        }
    }

    /// The results report as JSON, CSV or its own printable page.
    func results(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        try await answer(
            request, context, name: "results", csv: ReportCSV.results,
            page: { filter, language, access, connection in
                try await service.resultsPage(filter, language: language, access: access, on: connection)
            },
            report: { filter, access, connection in
                try await service.results(filter, access: access, on: connection)
            })
    }

    /// Reads the filters and the format, then answers `report` as JSON or CSV, or its printable `page` (by default
    /// the overview and SDG reports' page, in `?lang=` or the caller's language).
    private func answer<Report: Encodable>(
        _ request: Request, _ context: GatewayRequestContext, name: String,
        csv: (Report, CSVDelimiter) -> String,
        page: ((ReportFilter, Language?, TenantAccess, PostgresConnection) async throws -> String)? = nil,
        report: (ReportFilter, TenantAccess, PostgresConnection) async throws -> Report
    ) async throws -> Response {
        let (filter, format) = try ReportQuery.read(request)
        let connection = try context.requireConnection()
        let access = try ReportQuery.access(context)
        switch format {
        case .json: return try ReportResponse.json(try await report(filter, access, connection))
        case .csv(let delimiter):
            return ReportResponse.csv(csv(try await report(filter, access, connection), delimiter), name: name)
        case .html:
            guard let page else { return try await self.page(request, filter: filter, access: access, on: connection) }
            return ReportResponse.page(
                try await page(filter, ReportQuery.language(request), access, connection), policy: service.pagePolicy)
        }
    }

    /// The printable page: both reports, charts and tables, in `?lang=` or the caller's language.
    private func page(
        _ request: Request, filter: ReportFilter, access: TenantAccess, on connection: PostgresConnection
    ) async throws -> Response {
        let html = try await service.page(
            filter, language: ReportQuery.language(request), access: access, on: connection)
        return ReportResponse.page(html, policy: service.pagePolicy)
    }
}
