import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import NIOCore
import Postgres
import ReferenceData
import Vocabulary

/// `GET /api/v1/reports/overview` and `GET /api/v1/reports/sdg`, as JSON or CSV.
struct ReportsController: Sendable {
    var routes: RouteCollection<GatewayRequestContext> {
        let routes = RouteCollection(context: GatewayRequestContext.self)
        routes.get("reports/overview") { request, context in try await overview(request, context) }
        routes.get("reports/sdg") { request, context in try await sdg(request, context) }
        return routes
    }

    func overview(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let (filter, format) = try Self.read(request)
        let connection = try context.requireConnection()
        let (tenant, scope) = try Self.caller(context)
        let activities = try await ReportedActivity.load(filter, scope: scope, tenant: tenant, on: connection)
        let statuses = try await Self.partnershipStatuses(filter, scope: scope, on: connection)
        let report = OverviewReport(activities: activities, partnershipStatuses: statuses)
        switch format {
        case .json: return try Self.json(report)
        case .csv(let delimiter): return Self.csv(ReportCSV.overview(report, delimiter: delimiter), name: "overview")
        case .html:
            return try await page(
                request, context, filter: filter, sdg: SDGReport(activities), overview: report, on: connection)
        }
    }

    func sdg(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let (filter, format) = try Self.read(request)
        let connection = try context.requireConnection()
        let (tenant, scope) = try Self.caller(context)
        let activities = try await ReportedActivity.load(filter, scope: scope, tenant: tenant, on: connection)
        let report = SDGReport(activities)
        switch format {
        case .json: return try Self.json(report)
        case .csv(let delimiter): return Self.csv(ReportCSV.sdg(report, delimiter: delimiter), name: "sdg")
        case .html:
            let statuses = try await Self.partnershipStatuses(filter, scope: scope, on: connection)
            return try await page(
                request, context, filter: filter, sdg: report,
                overview: OverviewReport(activities: activities, partnershipStatuses: statuses), on: connection)
        }
    }

    /// The printable page: both reports, charts and tables, in `?lang=` or the caller's language.
    func page(
        _ request: Request, _ context: GatewayRequestContext, filter: ReportFilter, sdg: SDGReport,
        overview: OverviewReport, on connection: PostgresConnection
    ) async throws -> Response {
        let caller = try await connection.query(
            """
            SELECT u.locale, u.time_zone, t.name FROM platform.users u JOIN platform.tenants t ON t.id = u.tenant_id
            WHERE u.id = \(try context.requireIdentity().userID)
            """)
        let (locale, zone, municipality) = try caller.first?.decode((String, String, String).self) ?? ("en", "UTC", "")
        let language =
            request.queryParameters.get("lang").flatMap(Language.init(rawValue:)) ?? Language(rawValue: locale)
            ?? .en
        let html = ReportPage(
            language: language, municipality: municipality, filterSummary: Self.describe(filter),
            sdg: sdg, overview: overview, generatedAt: Date(), timeZone: TimeZone(identifier: zone) ?? .gmt
        ).render()
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/html; charset=utf-8",
                .contentSecurityPolicy: ReportPage.contentSecurityPolicy.description,
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    static func describe(_ filter: ReportFilter) -> String {
        var parts: [String] = []
        if let year = filter.year { parts.append("\(year)") }
        if let country = filter.country { parts.append(country) }
        if let status = filter.status { parts.append(status) }
        if let theme = filter.theme { parts.append(theme) }
        if let id = filter.partnershipID { parts.append(id.uuidString.lowercased()) }
        return parts.joined(separator: " · ")
    }

    /// Partnerships per status, of those that pass `filter` and lie in `scope`.
    static func partnershipStatuses(_ filter: ReportFilter, scope: ReadScope, on connection: PostgresConnection)
        async throws -> [String: Int]
    {
        var statuses: [String: Int] = [:]
        var condition: PostgresQuery =
            "NOT p.deleted AND \(fragment: scope.condition(partnership: "p.id", members: "reporting.members"))"
        if let id = filter.partnershipID { condition = "\(fragment: condition) AND p.id = \(id)" }
        if let country = filter.country { condition = "\(fragment: condition) AND p.partner_country = \(country)" }
        for row in try await connection.query(
            "SELECT p.status, count(*) FROM reporting.partnerships p WHERE \(fragment: condition) GROUP BY 1")
        {
            let (status, count) = try row.decode((String, Int).self)
            statuses[status] = count
        }
        return statuses
    }

    static func tenant(_ context: GatewayRequestContext) throws -> UUID {
        guard let tenant = try context.requireIdentity().tenantID else {
            throw Problem.notFound("platform administrators use /api/v1/platform/reports")
        }
        return tenant
    }

    /// The caller's municipality and what of it they may read: every report takes the scope.
    static func caller(_ context: GatewayRequestContext) throws -> (tenant: UUID, scope: ReadScope) {
        let tenant = try tenant(context)
        return (tenant, try TenantAccess(context).scope)
    }

    enum Format: Equatable {
        case json
        case csv(CSVDelimiter)
        case html
    }

    /// The filters and the format, every bad value named.
    static func read(_ request: Request) throws -> (ReportFilter, Format) {
        let query = request.queryParameters
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
            errors += FieldCheck.oneOf(status, ActivityStatus.self, field: "status")
            filter.status = status
        }
        if let theme = query.get("theme") {
            if theme.isEmpty || theme.count > 40 {
                errors.append(.init(field: "theme", message: "must be a theme such as covid-19"))
            }
            filter.theme = theme
        }
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

    static func json(_ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }

    /// UTF-8 with a byte order mark, so Excel reads the accents right.
    static func csv(_ text: String, name: String) -> Response {
        var buffer = ByteBuffer(bytes: [0xEF, 0xBB, 0xBF])
        buffer.writeString(text)
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8",
                .contentDisposition: "attachment; filename=\"stedenband-\(name).csv\"",
            ],
            body: ResponseBody(byteBuffer: buffer))
    }
}

/// A comma with decimal points, or, as Excel in Belgium expects, a semicolon with decimal commas.
enum CSVDelimiter: Equatable, Sendable {
    case comma, semicolon

    var separator: String { self == .comma ? "," : ";" }

    /// An amount as this delimiter's spreadsheet reads it. Report amounts are sums of budgets that the
    /// activities' schema keeps non-negative (`CHECK (budget_planned >= 0)`), so `line(_:)` never neutralises
    /// one into text; should a bug ever make one negative, it would show as text (`'-12.00`), not as a formula.
    func amount(_ amount: Amount) -> String {
        assert(amount.units >= 0, "report amounts are sums of non-negative budgets")
        let text = amount.description
        return self == .comma ? text : text.replacingOccurrences(of: ".", with: ",")
    }

    func ratio(_ value: Double) -> String {
        let text = String(format: "%.3f", value)
        return self == .comma ? text : text.replacingOccurrences(of: ".", with: ",")
    }

    /// One line: each field neutralised (see `cell(_:)`), and quoted when it holds the separator, a quote or a
    /// line break (`\n`, or a bare `\r`, which spreadsheets also take for one).
    func line(_ fields: [String]) -> String {
        fields.map { field in
            let cell = Self.cell(field)
            return cell.contains(separator) || cell.contains("\"") || cell.contains("\n") || cell.contains("\r")
                ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
        }.joined(separator: separator) + "\r\n"
    }

    /// A field as a spreadsheet may read it without running it. Excel, LibreOffice and Google Sheets take a
    /// cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return before one) for a formula, and a
    /// formula can fetch URLs or run commands when the reader opens the file: CSV injection. Today's keys are
    /// codes the API validates, but every cell is neutralised wherever it comes from, so a later column of
    /// typed text (a theme, a title) cannot open that hole: as OWASP advises, such a cell gets a leading single
    /// quote, which spreadsheets show as text and do not run. The
    /// figures we write ourselves never start so: counts, shares and amounts are never negative (see
    /// `amount(_:)`), so no number of ours turns into text.
    static func cell(_ field: String) -> String {
        guard let first = field.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) else {
            return field
        }
        return "'" + field
    }
}

/// The reports as spreadsheet rows: one row per figure and currency.
enum ReportCSV {
    static func sdg(_ report: SDGReport, delimiter: CSVDelimiter) -> String {
        var text = delimiter.line(["goal", "target", "activities", "partnerships", "currency", "planned", "spent"])
        func rows(_ goal: Int, _ target: String, _ activities: Int, _ partnerships: Int, _ budget: Budgets) {
            let money = budget.byCurrency.sorted { $0.key < $1.key }
            if money.isEmpty {
                text += delimiter.line(["\(goal)", target, "\(activities)", "\(partnerships)", "", "", ""])
            }
            for (currency, amounts) in money {
                text += delimiter.line([
                    "\(goal)", target, "\(activities)", "\(partnerships)", currency, delimiter.amount(amounts.planned),
                    delimiter.amount(amounts.spent),
                ])
            }
        }
        for goal in report.goals {
            rows(goal.goal, "", goal.activities, goal.partnerships, goal.budget)
            for target in goal.targets {
                rows(goal.goal, target.target, target.activities, target.partnerships, target.budget)
            }
        }
        return text
    }

    static func overview(_ report: OverviewReport, delimiter: CSVDelimiter) -> String {
        var text = delimiter.line(["figure", "key", "count", "currency", "planned", "spent"])
        func counts(_ figure: String, _ list: [OverviewReport.Count]) {
            for count in list { text += delimiter.line([figure, count.key, "\(count.count)", "", "", ""]) }
        }
        func slice(_ figure: String, _ slice: OverviewReport.Slice) {
            let money = slice.budget.byCurrency.sorted { $0.key < $1.key }
            if money.isEmpty { text += delimiter.line([figure, slice.key, "\(slice.activities)", "", "", ""]) }
            for (currency, amounts) in money {
                text += delimiter.line([
                    figure, slice.key, "\(slice.activities)", currency, delimiter.amount(amounts.planned),
                    delimiter.amount(amounts.spent),
                ])
            }
        }
        counts("partnerships_by_status", report.partnershipsByStatus)
        counts("activities_by_status", report.activitiesByStatus)
        counts("activities_by_kind", report.activitiesByKind)
        counts("activities_by_direction", report.activitiesByDirection)
        text += delimiter.line(["reciprocity_share", "", delimiter.ratio(report.reciprocityShare), "", "", ""])
        slice("budget", OverviewReport.Slice(key: "all", activities: report.activities, budget: report.budget))
        slice("theme", report.covid19)
        for country in report.byCountry { slice("country", country) }
        for year in report.byYear { slice("year", year) }
        return text
    }
}
