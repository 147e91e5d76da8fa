import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import ReferenceData
import Vocabulary

/// What a report request asks for and who asks: the query's filters, format and language, read once for
/// every report route (municipal, platform, IATI), every bad value named.
enum ReportQuery {
    /// The caller acting in their municipality; a platform administrator is pointed to the platform reports.
    static func access(_ context: GatewayRequestContext) throws -> TenantAccess {
        guard try context.requireIdentity().tenantID != nil else {
            throw Problem.notFound("platform administrators use /api/v1/platform/reports")
        }
        return try TenantAccess(context)
    }

    /// `?lang=`, when it names a language of the page (`read(_:)` refuses any other).
    static func language(_ request: Request) -> Language? {
        request.queryParameters.get("lang").flatMap(Language.init(rawValue:))
    }

    enum Format: Equatable {
        case json
        case csv(CSVDelimiter)
        case html
    }

    /// The filters and the format, every bad value named.
    static func read(_ request: Request) throws -> (ReportFilter, Format) {
        let query = request.queryParameters
        var (filter, errors) = filter { query.get($0) }
        if let lang = query.get("lang"), Language(rawValue: lang) == nil {
            errors.append(.init(field: "lang", message: "must be \(Language.choices)"))
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

    /// The filters of a query (`year`, `partnershipId`, `country`, `status`, `theme`) and what is wrong with
    /// them: the API's routes and the `/reports` page read them alike.
    static func filter(_ query: (String) -> String?) -> (ReportFilter, [Problem.FieldError]) {
        var errors: [Problem.FieldError] = []
        var filter = ReportFilter()
        if let text = query("year") {
            filter.year = Int(text).flatMap { (1900...2200).contains($0) ? $0 : nil }
            if filter.year == nil { errors.append(.init(field: "year", message: "must be a year such as 2020")) }
        }
        if let text = query("partnershipId") {
            filter.partnershipID = UUID(uuidString: text)
            if filter.partnershipID == nil { errors.append(.init(field: "partnershipId", message: "must be a UUID")) }
        }
        if let country = query("country") {
            if country.count == 2, country.allSatisfy({ $0.isASCII && $0.isUppercase }) {
                filter.country = country
            } else {
                errors.append(.init(field: "country", message: "must be an ISO 3166-1 alpha-2 code such as BJ"))
            }
        }
        if let status = query("status") {
            errors += FieldCheck.oneOf(status, ActivityStatus.self, field: "status")
            filter.status = status
        }
        if let theme = query("theme") {
            if theme.isEmpty || theme.count > 40 {
                errors.append(.init(field: "theme", message: "must be a theme such as covid-19"))
            }
            filter.theme = theme
        }
        return (filter, errors)
    }
}
