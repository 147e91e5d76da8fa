import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import NIOCore
import ReferenceData
import Vocabulary

/// `GET /api/v1/platform/reports/overview`, `/sdg` and `/results`, for platform administrators: the same figures over
/// all municipalities and per municipality — counts, codes and amounts only, never texts or people. Reads the
/// query, calls ``ReportsService``, encodes its answer. `/examples` is the annex of examples: the texts the
/// municipalities published on the showcase, and nothing unpublished (``ExamplesReport``).
struct PlatformReportsController: Sendable {
    let service: ReportsService
    /// The instance's public address, for the annex's showcase links.
    var publicURL = SessionSettings.defaultPublicURL

    var routes: RouteCollection<GatewayRequestContext> {
        let routes = RouteCollection(context: GatewayRequestContext.self)
        routes.get("platform/reports/overview") { request, context in try await overview(request, context) }
        routes.get("platform/reports/sdg") { request, context in try await sdg(request, context) }
        routes.get("platform/reports/results") { request, context in try await results(request, context) }
        routes.get("platform/reports/examples") { request, context in try await examples(request, context) }
        return routes
    }

    /// The annex of examples of `year` and `theme` (both optional; the other filters of the platform reports are
    /// refused, 422 naming them) as JSON, CSV or its printable page.
    func examples(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let caller = try context.requireIdentity()
        try ReportsService.requirePlatformAdministrator(caller)
        let (filter, format) = try ReportQuery.read(request)
        try Self.requireExamplesFilter(filter)
        let report = try await service.platformExamples(
            filter, caller: caller, publicURL: publicURL, on: try context.requireConnection())
        return try Self.respond(report, format: format, language: language(request) ?? .en, service: service)
    }

    /// The annex takes a year and a theme only: a partnership, country or status would be a filter it ignores.
    static func requireExamplesFilter(_ filter: ReportFilter) throws {
        var errors: [Problem.FieldError] = []
        if filter.partnershipID != nil {
            errors.append(.init(field: "partnershipId", message: "not a filter of the annex"))
        }
        if filter.country != nil { errors.append(.init(field: "country", message: "not a filter of the annex")) }
        if filter.status != nil { errors.append(.init(field: "status", message: "not a filter of the annex")) }
        if !errors.isEmpty { throw Problem.validation(errors) }
    }

    /// The annex as JSON, CSV (`stedenband-examples[-theme][-year].csv`) or its printable page in `language`:
    /// the API's route and the platform's page routes answer alike.
    static func respond(
        _ report: ExamplesReport, format: ReportQuery.Format, language: Language, service: ReportsService
    ) throws -> Response {
        switch format {
        case .json:
            return try ReportResponse.json(report)
        case .csv(let delimiter):
            // The theme is typed text: only its letters, digits and hyphens go into the file's name.
            let theme = report.theme.map {
                String($0.lowercased().filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
            }
            let name = (["examples"] + [theme, report.year.map(String.init)].compactMap { $0 }.filter { !$0.isEmpty })
                .joined(separator: "-")
            return ReportResponse.csv(ReportCSV.examples(report, delimiter: delimiter), name: name)
        case .html:
            return ReportResponse.page(
                ExamplesReportPage(report: report, language: language, generatedAt: Date())
                    .render(with: service.templates),
                policy: service.pagePolicy)
        }
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
