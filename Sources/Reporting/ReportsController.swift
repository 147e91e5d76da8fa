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

    /// The results report as JSON or CSV; its printable page is not built yet.
    func results(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        try await answer(request, context, name: "results", csv: ReportCSV.results, printable: false) {
            filter, access, connection in
            try await service.results(filter, access: access, on: connection)
        }
    }

    /// Reads the filters and the format, then answers `report` as JSON or CSV, or the overview and SDG reports'
    /// page; a report that is not `printable` refuses `format=html` by name.
    private func answer<Report: Encodable>(
        _ request: Request, _ context: GatewayRequestContext, name: String,
        csv: (Report, CSVDelimiter) -> String, printable: Bool = true,
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
            guard printable else {
                throw Problem.validation([.init(field: "format", message: "must be json or csv for this report")])
            }
            return try await page(request, filter: filter, access: access, on: connection)
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
