import Foundation
import Gateway
import Vocabulary

/// The platform report on `/platform` (the gateway's page, through ``PlatformPageSections``): each
/// municipality's partnerships and activities and their totals, from ``ReportsService/platformOverview`` as
/// `GET /api/v1/platform/reports/overview` answers them. Counts only, as every platform report.
struct PlatformReportSection {
    let service: ReportsService

    struct Words: Sendable {
        var heading: String
        var municipality: String
        var partnerships: String
        var activities: String
        var all: String
    }

    static let words = Localised(
        nl: Words(
            heading: "Cijfers van alle gemeenten", municipality: "Gemeente", partnerships: "Partnerschappen",
            activities: "Activiteiten", all: "Alle gemeenten"),
        en: Words(
            heading: "Figures of all municipalities", municipality: "Municipality", partnerships: "Partnerships",
            activities: "Activities", all: "All municipalities"),
        fr: Words(
            heading: "Chiffres de toutes les communes", municipality: "Commune", partnerships: "Partenariats",
            activities: "Activités", all: "Toutes les communes"),
        es: Words(
            heading: "Cifras de todos los municipios", municipality: "Municipio", partnerships: "Hermanamientos",
            activities: "Actividades", all: "Todos los municipios"))

    func register(into sections: PlatformPageSections) {
        sections.add(order: 10) { context in try await render(context) }
    }

    func render(_ context: GatewayRequestContext) async throws -> String? {
        let caller = try context.requireIdentity()
        guard caller.role == .platformAdmin else { return nil }
        let (overview, _) = try await service.platformOverview(
            ReportFilter(), caller: caller, encodeJSON: false, on: context.requireConnection())
        let words = Self.words[context.page?.language ?? .fallback]
        func row(_ name: String, _ report: OverviewReport, header: Bool = false) -> String {
            let partnerships = report.partnershipsByStatus.reduce(0) { $0 + $1.count }
            let cell = header ? "th scope=\"row\"" : "td"
            let close = header ? "th" : "td"
            return
                "<tr><\(cell)>\(HTML.escape(name))</\(close)><td>\(partnerships)</td><td>\(report.activities)</td></tr>"
        }
        var html = """
            <h2 id="platform-report">\(HTML.escape(words.heading))</h2>
            <div class="table-wrap">
            <table aria-labelledby="platform-report">
            <thead><tr><th scope="col">\(HTML.escape(words.municipality))</th>\
            <th scope="col">\(HTML.escape(words.partnerships))</th>\
            <th scope="col">\(HTML.escape(words.activities))</th></tr></thead>
            <tbody>

            """
        for municipality in overview.report.municipalities {
            html += row(municipality.municipality.name, municipality.report) + "\n"
        }
        html += row(words.all, overview.report.totals, header: true)
        html += "\n</tbody>\n</table>\n</div>\n"
        return html
    }
}
