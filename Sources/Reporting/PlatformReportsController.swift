import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import NIOCore
import Postgres
import ReferenceData
import Vocabulary

/// `GET /api/v1/platform/reports/overview` and `/sdg`, for platform administrators: the same figures over
/// all municipalities and per municipality — counts, codes and amounts only, never texts or people.
struct PlatformReportsController: Sendable {
    var routes: RouteCollection<GatewayRequestContext> {
        let routes = RouteCollection(context: GatewayRequestContext.self)
        routes.get("platform/reports/overview") { request, context in try await overview(request, context) }
        routes.get("platform/reports/sdg") { request, context in try await sdg(request, context) }
        return routes
    }

    struct Municipality: Sendable, Encodable {
        var id: UUID
        var slug: String
        var name: String
    }

    struct PerMunicipality<Report: Encodable & Sendable>: Sendable, Encodable {
        var municipality: Municipality
        var report: Report
    }

    struct Platform<Report: Encodable & Sendable>: Sendable, Encodable {
        var totals: Report
        var municipalities: [PerMunicipality<Report>]

        /// The totals' rows, then each municipality's, with a first column naming whose (`all` for the totals);
        /// one header line.
        func csv(delimiter: CSVDelimiter, _ render: (Report, CSVDelimiter) -> String) -> String {
            var text = ""
            let parts = [("all", totals)] + municipalities.map { ($0.municipality.slug, $0.report) }
            for (index, (name, report)) in parts.enumerated() {
                let lines = render(report, delimiter).split(separator: "\r\n", omittingEmptySubsequences: false)
                for (number, line) in lines.enumerated() where !line.isEmpty && (number > 0 || index == 0) {
                    text += (number == 0 ? "municipality" : name) + delimiter.separator + line + "\r\n"
                }
            }
            return text
        }
    }

    /// The municipalities' figures: unfiltered from the pre-summed figures (a few rows per municipality);
    /// filtered from their activities, summed here.
    private func load(_ request: Request, _ context: GatewayRequestContext, dimensions: [String]) async throws -> (
        ReportFilter, ReportsController.Format, [Municipality], [UUID: Figures], PostgresConnection
    ) {
        guard try context.requireIdentity().role == .platformAdmin else { throw Problem.notFound() }
        let (filter, format) = try ReportsController.read(request)
        let connection = try context.requireConnection()
        let byTenant =
            filter == ReportFilter()
            ? try await Self.figures(dimensions, on: connection) : try await Self.figures(filter, on: connection)
        let municipalities = try await connection.query(
            "SELECT id, slug, name FROM platform.tenants ORDER BY slug"
        ).map { row in
            let (id, slug, name) = try row.decode((UUID, String, String).self)
            return Municipality(id: id, slug: slug, name: name)
        }
        return (filter, format, municipalities, byTenant, connection)
    }

    /// The kept figures of `dimensions`, per municipality.
    static func figures(_ dimensions: [String], on connection: PostgresConnection) async throws -> [UUID: Figures] {
        // Tens of thousands of rows, a few hundred municipalities: each id is parsed once, not once a row.
        var byTenant: [String: Figures] = [:]
        for row in try await connection.query(
            """
            SELECT tenant_id::text, dimension, value, currency, activities, planned_cents, spent_cents, partnerships
            FROM reporting.platform_figures(\(dimensions)::text[])
            """)
        {
            let (tenant, dimension, value) = try row.decode((String, String, String).self)
            if let partnerships = try row.decode(Int?.self, column: 7) {
                byTenant[tenant, default: Figures()].reach[Figures.Reach(dimension: dimension, value: value)] =
                    partnerships
            } else {
                let key = Figures.Key(
                    dimension: dimension, value: value, currency: try row.decode(String.self, column: 3))
                byTenant[tenant, default: Figures()].tallies[key] = Figures.Tally(
                    activities: try row.decode(Int.self, column: 4), planned: try row.decode(Int64.self, column: 5),
                    spent: try row.decode(Int64.self, column: 6))
            }
        }
        return Dictionary(
            uniqueKeysWithValues: byTenant.compactMap { id, figures in UUID(uuidString: id).map { ($0, figures) } })
    }

    /// The figures of the activities that pass `filter`, per municipality.
    static func figures(_ filter: ReportFilter, on connection: PostgresConnection) async throws -> [UUID: Figures] {
        let rows = try await connection.query(
            """
            SELECT * FROM reporting.platform_activities(\(filter.year)::int, \(filter.partnershipID)::uuid,
                \(filter.country)::text, \(filter.status)::text, \(filter.theme)::text)
            """)
        var byTenant: [UUID: [ReportedActivity]] = [:]
        for row in rows {
            let tenant = try row.decode(UUID.self, column: 0)
            byTenant[tenant, default: []].append(
                ReportedActivity(
                    partnershipID: try row.decode(UUID.self, column: 1), status: try row.decode(String.self, column: 2),
                    kind: try row.decode(String.self, column: 3), direction: try row.decode(String.self, column: 4),
                    themes: try row.decode([String].self, column: 5), goals: try row.decode([Int].self, column: 6),
                    targets: try row.decode([String].self, column: 7), planned: try row.decode(Int64.self, column: 8),
                    spent: try row.decode(Int64.self, column: 9), currency: try row.decode(String?.self, column: 10),
                    startYear: try row.decode(Int?.self, column: 11), country: try row.decode(String.self, column: 12)))
        }
        return byTenant.mapValues(Figures.init)
    }

    /// Each municipality's report, built and (for JSON) encoded in as many slices as there are processors,
    /// off the connection's thread: three hundred municipalities' reports are most of the answer's time.
    static func perMunicipality<Report: Encodable & Sendable>(
        _ municipalities: [Municipality],
        encode: Bool,
        _ report: @escaping @Sendable (Municipality) -> Report
    ) async throws -> (reports: [PerMunicipality<Report>], json: [Data]) {
        let slices = max(1, min(ProcessInfo.processInfo.activeProcessorCount, municipalities.count / 20))
        let size = (municipalities.count + slices - 1) / slices
        let parts = try await withThrowingTaskGroup(of: (Int, [PerMunicipality<Report>], Data).self) { group in
            for slice in 0..<slices {
                let part = municipalities[
                    min(slice * size, municipalities.count)..<min((slice + 1) * size, municipalities.count)]
                group.addTask(executorPreference: globalConcurrentExecutor) {
                    let reports = part.map { PerMunicipality(municipality: $0, report: report($0)) }
                    guard encode else { return (slice, reports, Data()) }
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.sortedKeys]
                    var json = Data()
                    for (index, item) in reports.enumerated() {
                        if index > 0 { json.append(UInt8(ascii: ",")) }
                        json.append(try encoder.encode(item))
                    }
                    return (slice, reports, json)
                }
            }
            var parts = [([PerMunicipality<Report>], Data)](repeating: ([], Data()), count: slices)
            for try await (slice, reports, json) in group { parts[slice] = (reports, json) }
            return parts
        }
        return (parts.flatMap(\.0), parts.map(\.1).filter { !$0.isEmpty })
    }

    /// What `ReportsController.json(platform)` answers, from the municipalities' JSON encoded in slices.
    static func json<Report: Encodable & Sendable>(totals: Report, municipalities: [Data]) throws -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: try jsonBody(totals: totals, municipalities: municipalities)))
    }

    static func jsonBody<Report: Encodable & Sendable>(totals: Report, municipalities: [Data]) throws -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var buffer = ByteBuffer()
        buffer.writeString(#"{"municipalities":["#)
        for (index, part) in municipalities.enumerated() {
            if index > 0 { buffer.writeString(",") }
            buffer.writeBytes(part)
        }
        buffer.writeString(#"],"totals":"#)
        buffer.writeBytes(try encoder.encode(totals))
        buffer.writeString("}")
        return buffer
    }

    func sdg(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let (_, format, municipalities, byTenant, _) = try await load(
            request, context, dimensions: Figures.sdgDimensions)
        let (reports, json) = try await Self.perMunicipality(municipalities, encode: format == .json) {
            SDGReport(figures: byTenant[$0.id] ?? Figures())
        }
        let report = Platform(
            totals: SDGReport(figures: byTenant.values.reduce(Figures(), +)), municipalities: reports)
        switch format {
        case .json: return try Self.json(totals: report.totals, municipalities: json)
        case .csv(let delimiter):
            let text = report.csv(delimiter: delimiter, ReportCSV.sdg)
            return ReportsController.csv(text, name: "platform-sdg")
        case .html:
            return page(sdg: report.totals, overview: nil, request: request)
        }
    }

    func overview(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let (filter, format, municipalities, byTenant, connection) = try await load(
            request, context, dimensions: Figures.overviewDimensions + Figures.sdgDimensions)
        var statuses: [UUID: [String: Int]] = [:]
        for row in try await connection.query(
            "SELECT * FROM reporting.platform_partnership_statuses(\(filter.partnershipID)::uuid, \(filter.country)::text)"
        ) {
            let (tenant, status, count) = try row.decode((UUID, String, Int).self)
            statuses[tenant, default: [:]][status] = count
        }
        var allStatuses: [String: Int] = [:]
        for perTenant in statuses.values { allStatuses.merge(perTenant, uniquingKeysWith: +) }
        let all = byTenant.values.reduce(Figures(), +)
        let perTenantStatuses = statuses
        let (reports, json) = try await Self.perMunicipality(municipalities, encode: format == .json) {
            OverviewReport(figures: byTenant[$0.id] ?? Figures(), partnershipStatuses: perTenantStatuses[$0.id] ?? [:])
        }
        let report = Platform(
            totals: OverviewReport(figures: all, partnershipStatuses: allStatuses), municipalities: reports)
        switch format {
        case .json: return try Self.json(totals: report.totals, municipalities: json)
        case .csv(let delimiter):
            let text = report.csv(delimiter: delimiter, ReportCSV.overview)
            return ReportsController.csv(text, name: "platform-overview")
        case .html:
            return page(sdg: SDGReport(figures: all), overview: report.totals, request: request)
        }
    }

    private func page(sdg: SDGReport, overview: OverviewReport?, request: Request) -> Response {
        let language = request.queryParameters.get("lang").flatMap(Language.init(rawValue:)) ?? .en
        let html = ReportPage(
            language: language, municipality: "stedenband", filterSummary: "", sdg: sdg,
            overview: overview ?? OverviewReport(activities: [], partnershipStatuses: [:]), generatedAt: Date(),
            timeZone: .gmt
        ).render()
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/html; charset=utf-8",
                .contentSecurityPolicy: ReportPage.contentSecurityPolicy.description,
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }
}
