import Foundation
import Gateway
import ReferenceData
import Vocabulary

/// `?format=html`: one self-contained, printable page with the SDG report and the overview, as SVG charts
/// (SDG bars in the official colours, budget per year, the learning-direction split) and the same numbers
/// in tables. Nothing is loaded from elsewhere: the page prints and archives as it is.
struct ReportPage {
    var language: Language
    var municipality: String
    var filterSummary: String
    var sdg: SDGReport
    var overview: OverviewReport
    var generatedAt: Date
    var timeZone: TimeZone

    private var words: ReportWords { ReportWords.of(language) }

    /// The page's one stylesheet, inline so that the page stays one file; its hash is all the page's policy
    /// allows, and colours that vary (the swatches) are SVG fills, which a policy does not govern.
    static let stylesheet = """

        body { font-family: Helvetica, Arial, sans-serif; color: #1f2933; margin: 24px auto; max-width: 960px; padding: 0 16px; }
        h1 { font-size: 24px; margin-bottom: 4px; } h2 { font-size: 18px; margin-top: 32px; border-bottom: 2px solid #19486a; }
        p.meta { color: #52606d; font-size: 13px; margin-top: 0; }
        table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 8px 0 16px; }
        th, td { border-bottom: 1px solid #e4e7eb; padding: 4px 6px; text-align: left; }
        td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
        td.target { padding-left: 28px; }
        .swatch { display: inline-block; width: 10px; height: 10px; margin-right: 6px; vertical-align: middle; }
        svg text { font-family: Helvetica, Arial, sans-serif; }
        section { break-inside: avoid; }
        @media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } a { color: inherit; text-decoration: none; } }

        """

    /// The policy the page is served with, and carries in its `<meta>` for when it is saved and reopened.
    static let contentSecurityPolicy = PageSecurityPolicy(styles: [stylesheet])

    func render() -> String {
        let locale = Locale(identifier: words.localeIdentifier)
        let date = generatedAt.formatted(
            Date.FormatStyle(date: .long, time: .shortened, locale: locale, timeZone: timeZone))
        return """
            <!DOCTYPE html>
            <html lang="\(language.rawValue)">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(words.title)) — \(escape(municipality))</title>
            <meta http-equiv="Content-Security-Policy" content="\(Self.contentSecurityPolicy.metaContent)">
            <style>\(Self.stylesheet)</style>
            </head>
            <body>
            <h1>\(escape(words.title)) — \(escape(municipality))</h1>
            <p class="meta">\(escape(words.generated)) \(escape(date))\(filterSummary.isEmpty ? "" : " · " + escape(filterSummary))</p>
            <section>
            <h2>\(escape(words.sdgHeading))</h2>
            \(sdgChart())
            \(sdgTable(locale: locale))
            <p class="meta">\(escape(words.splitNote))</p>
            </section>
            <section>
            <h2>\(escape(words.budgetPerYear))</h2>
            \(yearCharts(locale: locale))
            </section>
            <section>
            <h2>\(escape(words.directions))</h2>
            \(directionChart())
            </section>
            <section>
            <h2>\(escape(words.overview))</h2>
            \(overviewTables(locale: locale))
            </section>
            </body>
            </html>

            """
    }

    /// Seventeen bars, one per goal, as tall as its number of activities, in the goal's colour.
    private func sdgChart() -> String {
        let maximum = max(1, sdg.goals.map(\.activities).max() ?? 0)
        let width = 900.0
        let height = 220.0
        let slot = width / 17
        var bars = ""
        for goal in sdg.goals {
            let colour = SDGCatalogue.goal(goal.goal)?.colour ?? "#888888"
            let barHeight = (height - 40) * Double(goal.activities) / Double(maximum)
            let x = Double(goal.goal - 1) * slot + 6
            let y = height - 20 - barHeight
            bars += """
                <rect x="\(fmt(x))" y="\(fmt(y))" width="\(fmt(slot - 12))" height="\(fmt(barHeight))" fill="\(colour)"><title>\(escape(goalName(goal.goal))): \(goal.activities)</title></rect>
                <text x="\(fmt(x + (slot - 12) / 2))" y="\(fmt(height - 6))" font-size="12" text-anchor="middle">\(goal.goal)</text>
                <text x="\(fmt(x + (slot - 12) / 2))" y="\(fmt(y - 4))" font-size="11" text-anchor="middle">\(goal.activities)</text>

                """
        }
        return """
            <svg role="img" aria-label="\(escape(words.sdgHeading))" viewBox="0 0 \(Int(width)) \(Int(height))" width="100%" class="chart sdg">
            \(bars)</svg>
            """
    }

    private func sdgTable(locale: Locale) -> String {
        var rows = ""
        for goal in sdg.goals where goal.activities > 0 {
            let colour = SDGCatalogue.goal(goal.goal)?.colour ?? "#888888"
            rows += """
                <tr><td><svg class="swatch" width="10" height="10" aria-hidden="true"><rect width="10" height="10" fill="\(colour)"/></svg>\(goal.goal). \(escape(goalName(goal.goal)))</td><td class="n">\(goal.activities)</td><td class="n">\(goal.partnerships)</td><td class="n">\(money(goal.budget, \.planned, locale))</td><td class="n">\(money(goal.budget, \.spent, locale))</td></tr>

                """
            for target in goal.targets {
                rows += """
                    <tr><td class="target">\(escape(target.target))</td><td class="n">\(target.activities)</td><td class="n">\(target.partnerships)</td><td class="n">\(money(target.budget, \.planned, locale))</td><td class="n">\(money(target.budget, \.spent, locale))</td></tr>

                    """
            }
        }
        rows += """
            <tr><th>\(escape(words.total))</th><th class="n">\(sdg.totals.activities)</th><th class="n">\(sdg.totals.partnerships)</th><th class="n">\(money(sdg.totals.budget, \.planned, locale))</th><th class="n">\(money(sdg.totals.budget, \.spent, locale))</th></tr>

            """
        return """
            <table class="sdg"><thead><tr><th>\(escape(words.goal))</th><th class="n">\(escape(words.activities))</th><th class="n">\(escape(words.partnerships))</th><th class="n">\(escape(words.planned))</th><th class="n">\(escape(words.spent))</th></tr></thead>
            <tbody>
            \(rows)</tbody></table>
            """
    }

    /// Per currency, a bar per start year: planned (light) and spent (dark), never mixing currencies.
    private func yearCharts(locale: Locale) -> String {
        let currencies = Set(overview.byYear.flatMap { $0.budget.byCurrency.keys }).sorted()
        guard !currencies.isEmpty else { return "<p>\(escape(words.noBudget))</p>" }
        var out = ""
        for currency in currencies {
            let years = overview.byYear.filter { $0.budget.byCurrency[currency] != nil }
            let maximum = max(1, years.compactMap { $0.budget.byCurrency[currency]?.planned.units }.max() ?? 1)
            let width = 900.0
            let height = 200.0
            let slot = width / Double(max(years.count, 1))
            var bars = ""
            for (index, year) in years.enumerated() {
                let amounts = year.budget.byCurrency[currency] ?? Money()
                let planned = (height - 40) * Double(amounts.planned.units) / Double(maximum)
                let spent = (height - 40) * Double(max(0, min(amounts.spent.units, maximum))) / Double(maximum)
                let x = Double(index) * slot + slot * 0.2
                let barWidth = slot * 0.6
                bars += """
                    <rect x="\(fmt(x))" y="\(fmt(height - 20 - planned))" width="\(fmt(barWidth))" height="\(fmt(planned))" fill="#9ecae1"><title>\(escape(year.key)) \(escape(words.planned)): \(escape(amount(amounts.planned, currency, locale)))</title></rect>
                    <rect x="\(fmt(x + barWidth * 0.25))" y="\(fmt(height - 20 - spent))" width="\(fmt(barWidth * 0.5))" height="\(fmt(spent))" fill="#19486a"><title>\(escape(year.key)) \(escape(words.spent)): \(escape(amount(amounts.spent, currency, locale)))</title></rect>
                    <text x="\(fmt(x + barWidth / 2))" y="\(fmt(height - 6))" font-size="12" text-anchor="middle">\(escape(year.key == "undated" ? words.undated : year.key))</text>

                    """
            }
            var rows = ""
            for year in years {
                let amounts = year.budget.byCurrency[currency] ?? Money()
                rows += """
                    <tr><td>\(escape(year.key == "undated" ? words.undated : year.key))</td><td class="n">\(year.activities)</td><td class="n">\(escape(amount(amounts.planned, currency, locale)))</td><td class="n">\(escape(amount(amounts.spent, currency, locale)))</td></tr>

                    """
            }
            out += """
                <h3>\(escape(currency))</h3>
                <svg role="img" aria-label="\(escape(words.budgetPerYear)) \(escape(currency))" viewBox="0 0 \(Int(width)) \(Int(height))" width="100%" class="chart years">
                \(bars)</svg>
                <table><thead><tr><th>\(escape(words.year))</th><th class="n">\(escape(words.activities))</th><th class="n">\(escape(words.planned))</th><th class="n">\(escape(words.spent))</th></tr></thead><tbody>
                \(rows)</tbody></table>

                """
        }
        return out
    }

    /// One bar split by learning direction; the reciprocity share is what does not run north to south.
    private func directionChart() -> String {
        let total = max(1, overview.activities)
        var x = 0.0
        var segments = ""
        var rows = ""
        for direction in Self.directionOrder {
            let count = overview.activitiesByDirection.first { $0.key == direction.rawValue }?.count ?? 0
            let colour = Self.colour(direction)
            let width = 900.0 * Double(count) / Double(total)
            segments += """
                <rect x="\(fmt(x))" y="0" width="\(fmt(width))" height="36" fill="\(colour)"><title>\(escape(words.direction(direction))): \(count)</title></rect>

                """
            x += width
            rows += """
                <tr><td><svg class="swatch" width="10" height="10" aria-hidden="true"><rect width="10" height="10" fill="\(colour)"/></svg>\(escape(words.direction(direction)))</td><td class="n">\(count)</td><td class="n">\(percent(count, total))</td></tr>

                """
        }
        return """
            <svg role="img" aria-label="\(escape(words.directions))" viewBox="0 0 900 36" width="100%" class="chart directions">
            \(segments)</svg>
            <table><thead><tr><th>\(escape(words.directionHeading))</th><th class="n">\(escape(words.activities))</th><th class="n">%</th></tr></thead><tbody>
            \(rows)<tr><th>\(escape(words.reciprocity))</th><th></th><th class="n">\(String(format: "%.1f", overview.reciprocityShare * 100))</th></tr></tbody></table>
            """
    }

    /// The directions from left to right in the bar: every case, placed by ``directionPosition(_:)``.
    static let directionOrder = LearningDirection.allCases.sorted { directionPosition($0) < directionPosition($1) }

    /// Where a direction stands in the bar: north to south first, the reciprocal ones after it.
    static func directionPosition(_ direction: LearningDirection) -> Int {
        switch direction {
        case .northToSouth: 0
        case .mutual: 1
        case .southToNorth: 2
        }
    }

    /// A direction's colour in the bar and its swatch.
    static func colour(_ direction: LearningDirection) -> String {
        switch direction {
        case .northToSouth: "#19486a"
        case .mutual: "#4c9f38"
        case .southToNorth: "#fd9d24"
        }
    }

    private func overviewTables(locale: Locale) -> String {
        func counts(_ title: String, _ list: [OverviewReport.Count]) -> String {
            let rows = list.map { "<tr><td>\(escape($0.key))</td><td class=\"n\">\($0.count)</td></tr>" }.joined()
            return "<h3>\(escape(title))</h3><table><tbody>\(rows)</tbody></table>\n"
        }
        var countries = ""
        for slice in overview.byCountry {
            countries += """
                <tr><td>\(escape(Countries.name(slice.key) ?? slice.key))</td><td class="n">\(slice.activities)</td><td class="n">\(money(slice.budget, \.planned, locale))</td><td class="n">\(money(slice.budget, \.spent, locale))</td></tr>

                """
        }
        return counts(words.partnershipsByStatus, overview.partnershipsByStatus)
            + counts(words.activitiesByStatus, overview.activitiesByStatus)
            + counts(words.activitiesByKind, overview.activitiesByKind)
                + """
                <h3>COVID-19</h3><table><tbody><tr><td>\(escape(words.activities))</td><td class="n">\(overview.covid19.activities)</td><td class="n">\(money(overview.covid19.budget, \.planned, locale))</td><td class="n">\(money(overview.covid19.budget, \.spent, locale))</td></tr></tbody></table>
                <h3>\(escape(words.countries))</h3><table><thead><tr><th></th><th class="n">\(escape(words.activities))</th><th class="n">\(escape(words.planned))</th><th class="n">\(escape(words.spent))</th></tr></thead><tbody>
                \(countries)</tbody></table>

                """
    }

    // MARK: Formatting

    private func goalName(_ number: Int) -> String { SDGCatalogue.goal(number)?.shortName(language) ?? "\(number)" }

    /// Amounts of every currency, one per line: never added together.
    private func money(_ budget: Budgets, _ field: KeyPath<Money, Amount>, _ locale: Locale) -> String {
        budget.byCurrency.sorted { $0.key < $1.key }.map { escape(amount($0.value[keyPath: field], $0.key, locale)) }
            .joined(separator: "<br>")
    }

    private func amount(_ amount: Amount, _ currency: String, _ locale: Locale) -> String {
        (Decimal(amount.units) / pow(10, amount.scale)).formatted(.currency(code: currency).locale(locale))
    }

    private func percent(_ part: Int, _ total: Int) -> String {
        String(format: "%.1f", Double(part) * 100 / Double(total))
    }

    private func fmt(_ value: Double) -> String { String(format: "%.1f", value) }

    private func escape(_ text: String) -> String { HTML.escape(text) }
}
