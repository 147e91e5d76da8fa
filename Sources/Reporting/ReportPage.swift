import Foundation
import Gateway
import Mustache
import ReferenceData
import Vocabulary

/// `?format=html`: one self-contained, printable page with the SDG report and the overview, as SVG charts
/// (SDG bars in the official colours, budget per year, the learning-direction split) and the same numbers
/// in tables. Nothing is loaded from elsewhere: the page prints and archives as it is.
///
/// The page is `Templates/report.html.mustache` (see ``ReportTemplates``); this type draws the charts'
/// geometry and formats the numbers, in the page's language, for the template to lay out.
struct ReportPage {
    var language: Language
    var municipality: String
    var filterSummary: String
    var sdg: SDGReport
    var overview: OverviewReport
    var generatedAt: Date
    var timeZone: TimeZone
    /// Whether the page tells the lessons per side under the direction bar (a municipality's reports, when
    /// any lesson counts; not the platform's, which has no one municipality to name).
    var tellsLessons = false
    /// The partner municipality's name when the report's lessons are of one partner's partnerships.
    var lessonPartner: String? = nil

    private var words: ReportWords { ReportWords.of(language) }

    /// The printable page, rendered with `templates`: the document around the sections.
    func render(with templates: ReportTemplates) -> String {
        var context = context(policy: templates.policy)
        context["sections"] = templates.sections.render(context)
        return templates.page.render(context)
    }

    /// The charts and tables alone, for a page that has its own heading and layout (`/reports`).
    func sections(with templates: ReportTemplates) -> String {
        templates.sections.render(context(policy: templates.policy))
    }

    /// What the template shows: dictionaries and arrays of text, every number already formatted.
    func context(policy: PageSecurityPolicy) -> [String: Any] {
        let locale = Locale(identifier: words.localeIdentifier)
        let date = generatedAt.formatted(
            Date.FormatStyle(date: .long, time: .shortened, locale: locale, timeZone: timeZone))
        var context: [String: Any] = [
            "language": language.rawValue, "municipality": municipality, "policy": policy.metaContent,
            "generatedAt": date, "words": wordsContext(), "sdgChart": sdgChart(), "sdgGoals": sdgGoals(locale),
            "sdgTotals": [
                "activities": sdg.totals.activities, "partnerships": sdg.totals.partnerships,
                "planned": money(sdg.totals.budget, \.planned, locale),
                "spent": money(sdg.totals.budget, \.spent, locale),
            ] as [String: Any],
            "directions": directions(locale),
            "reciprocityPercent": decimal(overview.reciprocityShare * 100, locale),
            "countTables": [
                counts(words.partnershipsByStatus, overview.partnershipsByStatus) {
                    PartnershipStatus(rawValue: $0)?.name(in: language)
                },
                counts(words.activitiesByStatus, overview.activitiesByStatus) {
                    ActivityStatus(rawValue: $0)?.name(in: language)
                },
                counts(words.activitiesByKind, overview.activitiesByKind) {
                    ActivityKind(rawValue: $0)?.name(in: language)
                },
            ],
            "covid19": [
                "activities": overview.covid19.activities,
                "planned": money(overview.covid19.budget, \.planned, locale),
                "spent": money(overview.covid19.budget, \.spent, locale),
            ] as [String: Any],
            "countries": overview.byCountry.map { slice -> [String: Any] in
                [
                    "name": Countries.name(slice.key) ?? slice.key, "activities": slice.activities,
                    "planned": money(slice.budget, \.planned, locale), "spent": money(slice.budget, \.spent, locale),
                ]
            },
        ]
        if !filterSummary.isEmpty { context["filter"] = ["summary": filterSummary] }
        let (own, theirs) = (overview.lessons(.flemishMunicipality), overview.lessons(.partnerMunicipality))
        if tellsLessons, own + theirs > 0 {
            context["lessons"] = ["text": words.lessons(municipality, own, lessonPartner, theirs)]
        }
        if let charts = yearCharts(locale) { context["yearCharts"] = ["currencies": charts] }
        return context
    }

    private func wordsContext() -> [String: String] {
        [
            "title": words.title, "generated": words.generated, "sdgHeading": words.sdgHeading,
            "splitNote": words.splitNote, "budgetPerYear": words.budgetPerYear, "directions": words.directions,
            "overview": words.overview, "goal": words.goal, "activities": words.activities,
            "partnerships": words.partnerships, "planned": words.planned, "spent": words.spent, "total": words.total,
            "year": words.year, "noBudget": words.noBudget, "reciprocity": words.reciprocity,
            "countries": words.countries, "direction": words.directionHeading,
        ]
    }

    /// Seventeen bars, one per goal, as tall as its number of activities, in the goal's colour.
    private func sdgChart() -> [String: Any] {
        let maximum = max(1, sdg.goals.map(\.activities).max() ?? 0)
        let width = 900.0
        let height = 220.0
        let slot = width / 17
        let bars = sdg.goals.map { goal -> [String: Any] in
            let barHeight = (height - 40) * Double(goal.activities) / Double(maximum)
            let x = Double(goal.goal - 1) * slot + 6
            let y = height - 20 - barHeight
            return [
                "x": fmt(x), "y": fmt(y), "width": fmt(slot - 12), "height": fmt(barHeight),
                "colour": colour(goal.goal), "name": goalName(goal.goal), "activities": goal.activities,
                "goal": goal.goal, "middle": fmt(x + (slot - 12) / 2), "baseline": fmt(height - 6),
                "labelY": fmt(y - 4),
            ]
        }
        return ["width": Int(width), "height": Int(height), "bars": bars]
    }

    /// The goals with activities, each followed by its targets.
    private func sdgGoals(_ locale: Locale) -> [[String: Any]] {
        sdg.goals.filter { $0.activities > 0 }.map { goal in
            [
                "colour": colour(goal.goal), "goal": goal.goal, "name": goalName(goal.goal),
                "activities": goal.activities, "partnerships": goal.partnerships,
                "planned": money(goal.budget, \.planned, locale), "spent": money(goal.budget, \.spent, locale),
                "targets": goal.targets.map { target -> [String: Any] in
                    [
                        "target": target.target, "activities": target.activities,
                        "partnerships": target.partnerships, "planned": money(target.budget, \.planned, locale),
                        "spent": money(target.budget, \.spent, locale),
                    ]
                },
            ]
        }
    }

    /// Per currency, a bar per start year: planned (light) and spent (dark), never mixing currencies; `nil`
    /// when no activity has a budget.
    private func yearCharts(_ locale: Locale) -> [[String: Any]]? {
        let currencies = Set(overview.byYear.flatMap { $0.budget.byCurrency.keys }).sorted()
        guard !currencies.isEmpty else { return nil }
        return currencies.map { currency in
            let years = overview.byYear.filter { $0.budget.byCurrency[currency] != nil }
            let maximum = max(1, years.compactMap { $0.budget.byCurrency[currency]?.planned.units }.max() ?? 1)
            let width = 900.0
            let height = 200.0
            let slot = width / Double(max(years.count, 1))
            let bars = years.enumerated().map { index, year -> [String: Any] in
                let amounts = year.budget.byCurrency[currency] ?? Money()
                let planned = (height - 40) * Double(amounts.planned.units) / Double(maximum)
                let spent = (height - 40) * Double(max(0, min(amounts.spent.units, maximum))) / Double(maximum)
                let x = Double(index) * slot + slot * 0.2
                let barWidth = slot * 0.6
                return [
                    "key": year.key, "label": year.key == "undated" ? words.undated : year.key,
                    "activities": year.activities, "planned": amount(amounts.planned, currency, locale),
                    "spent": amount(amounts.spent, currency, locale), "x": fmt(x),
                    "plannedY": fmt(height - 20 - planned), "width": fmt(barWidth), "plannedHeight": fmt(planned),
                    "spentX": fmt(x + barWidth * 0.25), "spentY": fmt(height - 20 - spent),
                    "spentWidth": fmt(barWidth * 0.5), "spentHeight": fmt(spent), "middle": fmt(x + barWidth / 2),
                    "baseline": fmt(height - 6),
                ]
            }
            return ["currency": currency, "width": Int(width), "height": Int(height), "bars": bars]
        }
    }

    /// One bar split by learning direction; the reciprocity share is what does not run north to south.
    private func directions(_ locale: Locale) -> [[String: Any]] {
        let total = max(1, overview.activities)
        var x = 0.0
        return Self.directionOrder.map { direction in
            let count = overview.activitiesByDirection.first { $0.key == direction.rawValue }?.count ?? 0
            let width = 900.0 * Double(count) / Double(total)
            defer { x += width }
            return [
                "x": fmt(x), "width": fmt(width), "colour": Self.colour(direction), "name": words.direction(direction),
                "count": count, "percent": decimal(Double(count) * 100 / Double(total), locale),
            ]
        }
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

    /// A table of counts, each key in words where `name` knows it (a status, a kind), else as stored.
    private func counts(_ title: String, _ list: [OverviewReport.Count], name: (String) -> String?) -> [String: Any] {
        ["title": title, "counts": list.map { ["key": name($0.key) ?? $0.key, "count": $0.count] as [String: Any] }]
    }

    // MARK: Formatting

    private func goalName(_ number: Int) -> String { SDGCatalogue.goal(number)?.shortName(language) ?? "\(number)" }

    private func colour(_ goal: Int) -> String { SDGCatalogue.goal(goal)?.colour ?? "#888888" }

    /// Amounts of every currency, one per line: never added together.
    private func money(_ budget: Budgets, _ field: KeyPath<Money, Amount>, _ locale: Locale) -> [[String: Any]] {
        budget.byCurrency.sorted { $0.key < $1.key }.enumerated().map { index, entry in
            ["br": index > 0, "text": amount(entry.value[keyPath: field], entry.key, locale)]
        }
    }

    private func amount(_ amount: Amount, _ currency: String, _ locale: Locale) -> String {
        (Decimal(amount.units) / pow(10, amount.scale)).formatted(.currency(code: currency).locale(locale))
    }

    /// A share with one decimal, written as the reader's locale writes it (`33,3` in Dutch).
    private func decimal(_ value: Double, _ locale: Locale) -> String {
        value.formatted(.number.precision(.fractionLength(1)).locale(locale))
    }

    private func fmt(_ value: Double) -> String { String(format: "%.1f", value) }
}

extension ReportFilter {
    /// The filters as the page's subtitle names them: `2021 · BJ · ongoing`.
    var summary: String {
        var parts: [String] = []
        if let year { parts.append("\(year)") }
        if let country { parts.append(country) }
        if let status { parts.append(status) }
        if let theme { parts.append(theme) }
        if let partnershipID { parts.append(partnershipID.uuidString.lowercased()) }
        return parts.joined(separator: " · ")
    }
}
