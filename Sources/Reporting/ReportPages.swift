import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import Mustache
import NIOCore
import Postgres
import Vocabulary

/// `/reports` for the signed-in people of a municipality: the SDG report's charts and tables (the printable
/// page's sections, ``ReportPage``) inside the layout, the year and other filters of the API as a GET form,
/// the key figures, and downloads of the CSV files and the IATI file through session-authenticated routes.
///
/// Each route calls the same ``ReportsService`` method as the JSON route, with the same ``TenantAccess``: a
/// partner coordinator sees the figures of their partnerships only and is refused the IATI file (403), as the
/// API refuses them; a platform administrator has no municipality's reports here (404).
struct ReportPages: Sendable {
    let service: ReportsService

    func register(on pages: Pages, documentation: APIDocumentation) {
        let shell = pages.shell
        pages.signedIn.get("reports") { request, context in try await page(request, context, shell) }
        pages.signedIn.get("reports/sdg.csv") { request, context in
            try await csv(request, context, name: "sdg", csv: ReportCSV.sdg) { filter, access, connection in
                try await service.sdg(filter, access: access, on: connection)
            }
        }
        pages.signedIn.get("reports/overview.csv") { request, context in
            try await csv(request, context, name: "overview", csv: ReportCSV.overview) { filter, access, connection in
                try await service.overview(filter, access: access, on: connection)
            }
        }
        pages.signedIn.get("reports/results.csv") { request, context in
            try await csv(request, context, name: "results", csv: ReportCSV.results) { filter, access, connection in
                try await service.results(filter, access: access, on: connection)
            }
        }
        pages.signedIn.get("reports/results") { request, context in
            let access = try ReportQuery.access(context)
            let (filter, errors) = Self.filter(request)
            if !errors.isEmpty { throw Problem.validation(errors) }
            let html = try await service.resultsPage(
                filter, language: nil, access: access, on: try context.requireConnection())
            return Self.download(ReportResponse.page(html, policy: service.pagePolicy))
        }
        pages.signedIn.get("reports/iati.xml") { request, context in
            let access = try ReportQuery.access(context)
            try ReportsService.requireExport(access)
            let year = try IATIExportController.year(Self.value(request, "year"))
            let export = try await service.iatiExport(year: year, access: access, on: try context.requireConnection())
            return Self.download(IATIExportController.answer(export, year: year))
        }
        documentation.add(Self.operations)
    }

    /// A query value as a GET form sends it: an empty field is no filter.
    static func value(_ request: Request, _ name: String) -> String? { PageForm.queryValue(request, name) }

    /// The filters of the form, and what is wrong with them.
    static func filter(_ request: Request) -> (ReportFilter, [Problem.FieldError]) {
        ReportQuery.filter { value(request, $0) }
    }

    /// A download is never kept by a cache: it holds the municipality's figures.
    static func download(_ response: Response) -> Response {
        var response = response
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// `/reports/sdg.csv`, `/reports/overview.csv`: the API's CSV of the same filters (`delimiter=semicolon`
    /// for a spreadsheet that reads decimal commas), as a file to save.
    private func csv<Report: Encodable>(
        _ request: Request, _ context: GatewayRequestContext, name: String,
        csv: (Report, CSVDelimiter) -> String,
        report: (ReportFilter, TenantAccess, PostgresConnection) async throws -> Report
    ) async throws -> Response {
        let access = try ReportQuery.access(context)
        var (filter, errors) = Self.filter(request)
        var delimiter = CSVDelimiter.comma
        switch Self.value(request, "delimiter") {
        case nil, "comma": break
        case "semicolon": delimiter = .semicolon
        default: errors.append(.init(field: "delimiter", message: "must be comma or semicolon"))
        }
        if !errors.isEmpty { throw Problem.validation(errors) }
        let data = try await report(filter, access, try context.requireConnection())
        let file = filter.year.map { "\(name)-\($0)" } ?? name
        return Self.download(ReportResponse.csv(csv(data, delimiter), name: file))
    }

    /// The page: the filters, then (when they are right) the figures, the downloads and the charts; wrong
    /// filters are shown GOV.UK-style beside their field and in a summary, with what was typed, as a 422.
    private func page(_ request: Request, _ context: GatewayRequestContext, _ shell: PageShell) async throws
        -> Response
    {
        let access = try ReportQuery.access(context)
        let language = shell.language(context)
        let words = ReportPageWords.all[language]
        let connection = try context.requireConnection()
        let (filter, errors) = Self.filter(request)
        let partnerships = try await service.partnerships(access: access, on: connection)
        var messages: [String: String] = [:]
        for error in errors where messages[error.field] == nil {
            messages[error.field] = words.message(error.field, fallback: error.message)
        }
        var object: [String: Any] = [
            "page": Self.strings[language],
            "fields": fields(request, words: words, language: language, partnerships: partnerships, errors: messages),
            "filtered": ["year", "partnershipId", "country", "status", "theme"].contains {
                Self.value(request, $0) != nil
            },
        ]
        if !errors.isEmpty {
            object["errors"] = [
                "items": ["year", "partnershipId", "country", "status", "theme"].compactMap { field in
                    messages[field].map { ["field": field, "message": $0] }
                }
            ]
        } else {
            let report = try await service.report(filter, language: language, access: access, on: connection)
            object["report"] = try await figures(
                report, filter: filter, partnerships: partnerships, language: language, access: access,
                on: connection)
        }
        return shell.respond(
            title: words.heading, content: service.templates.reports.render(object),
            status: errors.isEmpty ? .ok : .unprocessableContent, context: context)
    }

    /// The figures, downloads and charts of a report.
    private func figures(
        _ report: ReportPage, filter: ReportFilter, partnerships: [(id: UUID, title: String)], language: Language,
        access: TenantAccess, on connection: PostgresConnection
    ) async throws -> [String: Any] {
        let context = report.context(policy: service.templates.policy)
        let totals = context["sdgTotals"] as? [String: Any] ?? [:]
        let locale = Locale(identifier: ReportWords.of(language).localeIdentifier)
        let budget = report.overview.budget.byCurrency.sorted { $0.key < $1.key }
        func amounts(_ field: KeyPath<Money, Amount>) -> [[String: Any]] {
            budget.enumerated().map { index, entry in
                let value = entry.value[keyPath: field]
                let amount = (Decimal(value.units) / pow(10, value.scale))
                return ["br": index > 0, "text": amount.formatted(.currency(code: entry.key).locale(locale))]
            }
        }
        // The downloads carry the page's filters; spreadsheets in Dutch, French and Spanish read decimal commas
        // and semicolons.
        var items: [URLQueryItem] = []
        if let year = filter.year { items.append(.init(name: "year", value: String(year))) }
        if let id = filter.partnershipID {
            items.append(.init(name: "partnershipId", value: id.uuidString.lowercased()))
        }
        if let country = filter.country { items.append(.init(name: "country", value: country)) }
        if let status = filter.status { items.append(.init(name: "status", value: status)) }
        if let theme = filter.theme { items.append(.init(name: "theme", value: theme)) }
        let filterQuery = Self.query(items)
        if language != .en { items.append(.init(name: "delimiter", value: "semicolon")) }
        var object: [String: Any] = [
            "activities": report.overview.activities.formatted(.number.locale(locale)),
            "sdgActivities": (totals["activities"] as? Int ?? 0).formatted(.number.locale(locale)),
            "partnerships": report.overview.partnershipsByStatus.reduce(0) { $0 + $1.count }.formatted(
                .number.locale(locale)),
            "planned": amounts(\.planned), "spent": amounts(\.spent),
            "reciprocity": context["reciprocityPercent"] ?? "",
            "query": Self.query(items), "filterQuery": filterQuery,
            "yearQuery": Self.query(items.filter { $0.name == "year" }),
            "generated": ReportWords.of(language).generated, "generatedAt": context["generatedAt"] ?? "",
            "sections": service.templates.sections.render(context),
        ]
        // The filters in words: the partnership by its title, the status in the person's language.
        var summary: [String] = []
        if let year = filter.year { summary.append(String(year)) }
        if let id = filter.partnershipID {
            summary.append(partnerships.first { $0.id == id }?.title ?? id.uuidString.lowercased())
        }
        if let country = filter.country { summary.append(country) }
        if let status = filter.status { summary.append(ActivityStatus(rawValue: status)?.name(in: language) ?? status) }
        if let theme = filter.theme { summary.append(theme) }
        if !summary.isEmpty { object["filter"] = ["summary": summary.joined(separator: " · ")] }
        if !access.scope.isMunicipality {
            object["iatiNotYours"] = true
        } else if try await service.canExportIATI(access: access, on: connection) {
            object["iati"] = true
        } else {
            object["iatiMissing"] = true
        }
        return object
    }

    /// `?a=1&b=2`, or nothing.
    static func query(_ items: [URLQueryItem]) -> String {
        guard !items.isEmpty else { return "" }
        var components = URLComponents()
        components.queryItems = items
        return "?" + (components.percentEncodedQuery ?? "")
    }

    /// The form's fields: the API's filter names, what was typed kept, the message beside a wrong one.
    private func fields(
        _ request: Request, words: ReportPageWords, language: Language, partnerships: [(id: UUID, title: String)],
        errors: [String: String]
    ) -> [[String: Any]] {
        func field(_ id: String, _ label: String, hint: String? = nil) -> [String: Any] {
            var field: [String: Any] = ["id": id, "label": label]
            PageField.describe(&field, id: id, hint: hint, error: errors[id])
            return field
        }
        func input(_ id: String, _ label: String, hint: String, numeric: Bool = false) -> [String: Any] {
            var input = field(id, label, hint: hint)
            input["input"] = ["value": Self.value(request, id) ?? "", "numeric": numeric] as [String: Any]
            return input
        }
        func select(_ id: String, _ label: String, _ options: [(value: String, name: String)]) -> [String: Any] {
            // Ids are compared as the options write them (lowercase); statuses are lowercase words.
            let chosen = Self.value(request, id)?.lowercased() ?? ""
            var select = field(id, label)
            select["select"] = [
                "options": options.map { ["value": $0.value, "name": $0.name, "selected": $0.value == chosen] }
            ]
            return select
        }
        return [
            input("year", words.year, hint: words.yearHint, numeric: true),
            select(
                "partnershipId", words.partnership,
                [(value: "", name: words.allPartnerships)]
                    + partnerships.map { (value: $0.id.uuidString.lowercased(), name: $0.title) }),
            input("country", words.country, hint: words.countryHint),
            select(
                "status", words.status,
                [(value: "", name: words.anyStatus)]
                    + ActivityStatus.allCases.map { (value: $0.rawValue, name: $0.name(in: language)) }),
            input("theme", words.theme, hint: words.themeHint),
        ]
    }

    /// The routes in the OpenAPI document (tag `pages`).
    static var operations: [APIOperation] {
        let filters: [APIOperation.Parameter] = [
            .query("year", .string(maxLength: 4), "activities running during this year"),
            .query("partnershipId", .string(format: "uuid"), "one partnership"),
            .query("country", .string(maxLength: 2), "partners in this country, e.g. BJ"),
            .query("status", .string(enumeration: ActivityStatus.rawValues), "activity status"),
            .query("theme", .string(maxLength: 40), "activities with this theme, e.g. covid-19"),
        ]
        let delimiter = APIOperation.Parameter.query(
            "delimiter", .string(enumeration: ["comma", "semicolon"]),
            "semicolon and decimal commas for Excel in Belgium")
        func page(
            _ path: String, _ id: String, _ summary: String, parameters: [APIOperation.Parameter], type: String,
            problems: [Int]
        ) -> APIOperation {
            var operation = APIOperation(
                .get, path, id: id, summary: summary, tag: "pages", parameters: parameters, success: (200, .string()),
                problems: problems, authenticated: false)
            operation.successMediaType = type
            return operation
        }
        return [
            page(
                "/reports", "reportsPage",
                "The SDG report with its charts, the overview figures and the downloads, of the activities the person may see, filtered as the API's reports (a GET form; 422 with the form for a wrong filter).",
                parameters: filters, type: "text/html", problems: [404, 422]),
            page(
                "/reports/sdg.csv", "reportSDGDownload",
                "The SDG report as a CSV file to save (Content-Disposition: attachment), as GET /api/v1/reports/sdg?format=csv.",
                parameters: filters + [delimiter], type: "text/csv", problems: [404, 422]),
            page(
                "/reports/overview.csv", "reportOverviewDownload",
                "The overview as a CSV file to save, as GET /api/v1/reports/overview?format=csv.",
                parameters: filters + [delimiter], type: "text/csv", problems: [404, 422]),
            page(
                "/reports/results.csv", "reportResultsDownload",
                "The results report as a CSV file to save, as GET /api/v1/reports/results?format=csv.",
                parameters: filters + [delimiter], type: "text/csv", problems: [404, 422]),
            page(
                "/reports/results", "reportResultsPage",
                "The results report's printable page in the person's language, as GET /api/v1/reports/results?format=html.",
                parameters: filters, type: "text/html", problems: [404, 422]),
            page(
                "/reports/iati.xml", "reportIATIDownload",
                "The municipality's IATI 2.03 file to save, as GET /api/v1/exports/iati; not for partner coordinators (403).",
                parameters: [.query("year", .string(maxLength: 4), "activities running during this year")],
                type: "application/xml", problems: [403, 404, 409, 422]),
        ]
    }

    /// The words as the template reads them (`{{page.heading}}`), by their property names.
    static let strings = PageShell.templateObjects(ReportPageWords.all)
}
