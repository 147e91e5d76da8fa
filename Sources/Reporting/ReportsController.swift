import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import NIOCore
import Postgres
import ReferenceData

/// `GET /api/v1/reports/overview` and `GET /api/v1/reports/sdg`, as JSON, CSV or the printable page: reads the
/// query, calls ``ReportsService``, encodes its answer.
struct ReportsController: Sendable {
    let service: ReportsService

    var routes: RouteCollection<GatewayRequestContext> {
        let routes = RouteCollection(context: GatewayRequestContext.self)
        routes.get("reports/overview") { request, context in try await overview(request, context) }
        routes.get("reports/sdg") { request, context in try await sdg(request, context) }
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

    /// Reads the filters and the format, then answers `report` as JSON or CSV, or both reports' page.
    private func answer<Report: Encodable>(
        _ request: Request, _ context: GatewayRequestContext, name: String,
        csv: (Report, CSVDelimiter) -> String,
        report: (ReportFilter, TenantAccess, PostgresConnection) async throws -> Report
    ) async throws -> Response {
        let (filter, format) = try Self.read(request)
        let connection = try context.requireConnection()
        let access = try Self.access(context)
        switch format {
        case .json: return try ReportResponse.json(try await report(filter, access, connection))
        case .csv(let delimiter):
            return ReportResponse.csv(csv(try await report(filter, access, connection), delimiter), name: name)
        case .html: return try await page(request, filter: filter, access: access, on: connection)
        }
    }

    /// The printable page: both reports, charts and tables, in `?lang=` or the caller's language.
    private func page(
        _ request: Request, filter: ReportFilter, access: TenantAccess, on connection: PostgresConnection
    ) async throws -> Response {
        let html = try await service.page(filter, language: Self.language(request), access: access, on: connection)
        return ReportResponse.page(html, policy: service.pagePolicy)
    }

    /// The caller acting in their municipality; a platform administrator is pointed to the platform reports.
    static func access(_ context: GatewayRequestContext) throws -> TenantAccess {
        guard try context.requireIdentity().tenantID != nil else {
            throw Problem.notFound("platform administrators use /api/v1/platform/reports")
        }
        return try TenantAccess(context)
    }

    /// `?lang=`, when it names a language of the page (`read(_:)` refuses any other).
    static func language(_ request: Request) -> Language? {
        request.uri.queryParameters.get("lang").flatMap(Language.init(rawValue:))
    }

    enum Format: Equatable {
        case json
        case csv(CSVDelimiter)
        case html
    }

    /// The filters and the format, every bad value named.
    static func read(_ request: Request) throws -> (ReportFilter, Format) {
        let query = request.uri.queryParameters
        var errors: [Problem.FieldError] = []
        var filter = ReportFilter()
        if let text = query.get("year") {
            filter.year = Int(text).flatMap { (1900...2200).contains($0) ? $0 : nil }
            if filter.year == nil { errors.append(.init(field: "year", message: "must be a year such as 2020")) }
        }
        if let text = query.get("partnershipId") {
            filter.partnershipID = UUID(uuidString: text)
            if filter.partnershipID == nil { errors.append(.init(field: "partnershipId", message: "must be a UUID")) }
        }
        if let country = query.get("country") {
            if country.count == 2, country.allSatisfy({ $0.isASCII && $0.isUppercase }) {
                filter.country = country
            } else {
                errors.append(.init(field: "country", message: "must be an ISO 3166-1 alpha-2 code such as BJ"))
            }
        }
        if let status = query.get("status") {
            errors += FieldCheck.oneOf(status, ["planned", "ongoing", "completed", "cancelled"], field: "status")
            filter.status = status
        }
        if let theme = query.get("theme") {
            if theme.isEmpty || theme.count > 40 {
                errors.append(.init(field: "theme", message: "must be a theme such as covid-19"))
            }
            filter.theme = theme
        }
        if let lang = query.get("lang"), Language(rawValue: lang) == nil {
            errors.append(.init(field: "lang", message: "must be nl, en, fr or es"))
        }
        let accept = request.headers[.accept] ?? ""
        var format = Format.json
        switch query.get("format") {
        case nil: if accept.contains("text/csv") { format = .csv(.comma) }
        case "json": format = .json
        case "csv": format = .csv(.comma)
        case "html": format = .html
        default: errors.append(.init(field: "format", message: "must be json, csv or html"))
        }
        if let delimiter = query.get("delimiter") {
            switch delimiter {
            case "semicolon": if case .csv = format { format = .csv(.semicolon) }
            case "comma": break
            default: errors.append(.init(field: "delimiter", message: "must be comma or semicolon"))
            }
        }
        if !errors.isEmpty { throw Problem.validation(errors) }
        return (filter, format)
    }
}
