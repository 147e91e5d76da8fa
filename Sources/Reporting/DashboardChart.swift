import Foundation
import Gateway
import Postgres
import ReferenceData
import Vocabulary

/// The dashboard's SDG chart: the municipality's activities per SDG goal, for coordinators and administrators,
/// from the pre-summed figures (`reporting.figures`, dimension `goal`: one row per goal and currency), so it is
/// one small read however many activities there are. Drawn as server-rendered SVG (bars in the goals' own
/// colours, no script) with a table beside it that says the same in text.
struct DashboardChart: Sendable {
    /// The chart's drawing: rows of this height, labels in the left part, bars up to `barWidth`.
    static let rowHeight = 24
    static let labelWidth = 300
    static let barWidth = 260

    func register(on sections: DashboardSections) {
        sections.add(order: 50) { viewer, context in try await render(viewer, context) }
    }

    func render(_ viewer: DashboardSections.Viewer, _ context: GatewayRequestContext) async throws -> String? {
        let access = try TenantAccess(context)
        // The municipality's figures are for those who run its partnerships; a partner coordinator or a viewer
        // sees their partnerships, not the municipality's totals.
        guard access.canWrite else { return nil }
        let counts = try await Self.activitiesPerGoal(on: try context.requireConnection())
        return Self.html(counts, language: viewer.language)
    }

    /// Activities per goal number, of the transaction's municipality (row-level security).
    static func activitiesPerGoal(on connection: PostgresConnection) async throws -> [Int: Int] {
        let rows = try await connection.query(
            """
            SELECT f.value, sum(f.activities)::int8 FROM reporting.figures f
            WHERE f.dimension = 'goal' GROUP BY f.value
            """
        )
        var counts: [Int: Int] = [:]
        for row in rows {
            let (value, count) = try row.decode((String, Int).self)
            if let goal = Int(value) { counts[goal] = count }
        }
        return counts
    }

    static func html(_ counts: [Int: Int], language: Language) -> String {
        let words = DashboardChartWords.all[language]
        let goals = SDGCatalogue.goals
        let most = max(counts.values.max() ?? 0, 1)
        let height = rowHeight * goals.count
        let width = labelWidth + barWidth + 60
        var svg = """
            <svg class="sdg-chart" viewBox="0 0 \(width) \(height)" role="img" aria-labelledby="sdg-chart-title" \
            focusable="false" xmlns="http://www.w3.org/2000/svg"><title id="sdg-chart-title">\(HTML.escape(words.heading))</title>
            """
        var rows = ""
        for (index, goal) in goals.enumerated() {
            let count = counts[goal.number] ?? 0
            let name = "\(goal.number). \(goal.shortName(language))"
            let y = index * rowHeight
            let bar = count == 0 ? 0 : max(2, barWidth * count / most)
            svg += """
                <g><text x="\(labelWidth - 8)" y="\(y + 16)" text-anchor="end" class="sdg-label">\(HTML.escape(name))</text>\
                <rect x="\(labelWidth)" y="\(y + 4)" width="\(bar)" height="\(rowHeight - 8)" fill="\(goal.colour)"></rect>\
                <text x="\(labelWidth + bar + 6)" y="\(y + 16)" class="sdg-count">\(count)</text></g>
                """
            rows +=
                #"<tr><th scope="row"><span class="sdg-swatch sdg-goal-\#(goal.number)"></span>\#(HTML.escape(name))</th>"#
                + "<td>\(count)</td></tr>\n"
        }
        svg += "</svg>"
        return """
            <section aria-labelledby="sdg-chart" id="sdg-chart-section">
            <h2 id="sdg-chart">\(HTML.escape(words.heading))</h2>
            <p class="hint">\(HTML.escape(words.hint))</p>
            <figure class="chart">\(svg)</figure>
            <div class="table-wrap">
            <table id="sdg-chart-table">
            <caption>\(HTML.escape(words.tableCaption))</caption>
            <thead><tr><th scope="col">\(HTML.escape(words.goal))</th><th scope="col">\(HTML.escape(words.activities))</th></tr></thead>
            <tbody>
            \(rows)</tbody>
            </table>
            </div>
            <p><a href="/reports" id="sdg-chart-reports">\(HTML.escape(words.reports))</a></p>
            </section>
            """
    }
}

/// The SDG chart's words.
struct DashboardChartWords: Sendable {
    var heading: String
    var hint: String
    var tableCaption: String
    var goal: String
    var activities: String
    var reports: String

    static let all = Localised(
        nl: DashboardChartWords(
            heading: "Activiteiten per SDG",
            hint: "Alle activiteiten van de gemeente; een activiteit telt bij elk van haar doelen.",
            tableCaption: "Activiteiten per SDG, als tabel", goal: "Doel", activities: "Activiteiten",
            reports: "Alle rapporten"),
        en: DashboardChartWords(
            heading: "Activities per SDG",
            hint: "All of the municipality's activities; an activity counts for each of its goals.",
            tableCaption: "Activities per SDG, as a table", goal: "Goal", activities: "Activities",
            reports: "All reports"),
        fr: DashboardChartWords(
            heading: "Activités par ODD",
            hint: "Toutes les activités de la commune ; une activité compte pour chacun de ses objectifs.",
            tableCaption: "Activités par ODD, en tableau", goal: "Objectif", activities: "Activités",
            reports: "Tous les rapports"),
        es: DashboardChartWords(
            heading: "Actividades por ODS",
            hint: "Todas las actividades del municipio; una actividad cuenta en cada uno de sus objetivos.",
            tableCaption: "Actividades por ODS, en tabla", goal: "Objetivo", activities: "Actividades",
            reports: "Todos los informes")
    )
}
