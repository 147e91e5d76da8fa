import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import NIOCore
import ReferenceData
import Vocabulary

/// `GET /api/v1/platform/reports/overview`, `/sdg` and `/results`, for platform administrators: the same figures over
/// all municipalities and per municipality — counts, codes and amounts only, never texts or people. Reads the
/// query, calls ``ReportsService``, encodes its answer.
struct PlatformReportsController: Sendable {
    let service: ReportsService

    var routes: RouteCollection<GatewayRequestContext> {
        let routes = RouteCollection(context: GatewayRequestContext.self)
        routes.get("platform/reports/overview") { request, context in try await overview(request, context) }
        routes.get("platform/reports/sdg") { request, context in try await sdg(request, context) }
        routes.get("platform/reports/results") { request, context in try await results(request, context) }
        return routes
    }

    func sdg(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let caller = try context.requireIdentity()
        try ReportsService.requirePlatformAdministrator(caller)
        let (filter, format) = try ReportQuery.read(request)
        let answer = try await service.platformSDG(
            filter, caller: caller, encodeJSON: format == .json, on: try context.requireConnection())
        return try respond(answer, format: format, name: "platform-sdg", csv: ReportCSV.sdg) {
            service.platformPage(sdg: answer.report.totals, overview: nil, language: language(request))
        }
    }

    /// The results framework's counts as JSON or CSV; there is no page of them (`format=html` is a 422).
    func results(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let caller = try context.requireIdentity()
        try ReportsService.requirePlatformAdministrator(caller)
        let (filter, format) = try ReportQuery.read(request)
        guard format != .html else {
            throw Problem.validation([.init(field: "format", message: "must be json or csv for this report")])
        }
        let answer = try await service.platformResults(
            filter, caller: caller, encodeJSON: format == .json, on: try context.requireConnection())
        return try respond(answer, format: format, name: "platform-results", csv: ReportCSV.resultCounts) { "" }
    }

    func overview(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let caller = try context.requireIdentity()
        try ReportsService.requirePlatformAdministrator(caller)
        let (filter, format) = try ReportQuery.read(request)
        let (answer, sdg) = try await service.platformOverview(
            filter, caller: caller, encodeJSON: format == .json, on: try context.requireConnection())
        return try respond(answer, format: format, name: "platform-overview", csv: ReportCSV.overview) {
            service.platformPage(sdg: sdg, overview: answer.report.totals, language: language(request))
        }
    }

    /// The report as JSON (from its slices) or CSV, or the page `html` renders.
    private func respond<Report>(
        _ answer: EncodedPlatformReport<Report>, format: ReportQuery.Format, name: String,
        csv: (Report, CSVDelimiter) -> String, html: () -> String
    ) throws -> Response {
        switch format {
        case .json:
            return ReportResponse.json(
                try PlatformReport.jsonBody(totals: answer.report.totals, municipalities: answer.json))
        case .csv(let delimiter): return ReportResponse.csv(answer.report.csv(delimiter: delimiter, csv), name: name)
        case .html: return ReportResponse.page(html(), policy: service.pagePolicy)
        }
    }

    private func language(_ request: Request) -> Language? { ReportQuery.language(request) }
}
