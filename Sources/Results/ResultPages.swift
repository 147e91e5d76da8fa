import Foundation
import Gateway
import Mustache
import Postgres
import ResultsContracts
import Vocabulary

/// The results on the pages other plugins own: an activity's results on `/activities/{id}` (between its budget
/// and its updates) and a partnership's long-term results on `/partnerships/{id}`, each result with its
/// indicators, each indicator with its chart and a table of its periods: the target, the value reported and
/// where it stands (a value waiting for review is shown as such here, though only approved ones count in
/// reports and in the chart).
struct ResultPages: Sendable {
    let service: ResultsService
    let library: MustacheLibrary

    static let sectionLimit = 50

    init(service: ResultsService) throws {
        guard
            let url = Bundle.module.url(
                forResource: "results-section", withExtension: "mustache", subdirectory: "Templates")
        else { throw TemplateMissing() }
        var library = MustacheLibrary()
        try library.register(String(contentsOf: url, encoding: .utf8), named: "results-section")
        self.service = service
        self.library = library
    }

    struct TemplateMissing: Error, CustomStringConvertible {
        var description: String { "Templates/results-section.mustache is missing from the Results resources" }
    }

    func register(on pages: Pages) {
        pages.activitySections.add(order: 10) { activity, context in
            try await section(of: .activity(activity), context)
        }
        pages.partnershipSections.add(order: 30) { partnership, context in
            try await section(of: .partnership(partnership), context)
        }
    }

    /// The section, or `nil` when the activity or partnership has no results.
    func section(of parent: ResultParent, _ context: GatewayRequestContext) async throws -> String? {
        let access = try TenantAccess(context)
        let page = try await service.results(
            of: parent, limit: Self.sectionLimit, after: nil, access: access, on: try context.requireConnection())
        guard !page.items.isEmpty else { return nil }
        let language = context.page?.language ?? .fallback
        let words = ResultsPageWords.all[language]
        let locale = Locale(identifier: Self.localeIdentifier(language))
        func number(_ value: IndicatorValue, measure: IndicatorMeasure) -> String {
            let text =
                Decimal(string: value.description, locale: Locale(identifier: "en_US_POSIX")).map {
                    $0.formatted(.number.locale(locale))
                } ?? value.description
            guard measure == .percentage else { return text }
            return language == .fr || language == .es ? text + "\u{00A0}%" : text + "%"
        }
        let results = page.items.map { result -> [String: Any] in
            var object: [String: Any] = [
                "title": result.title, "type": result.type.name(in: language),
                "indicators": result.indicators.map { indicator in
                    self.indicator(indicator, words: words, language: language) {
                        number($0, measure: indicator.measure)
                    }
                },
            ]
            if !result.description.isEmpty { object["description"] = result.description }
            return object
        }
        return library.render(
            ["words": ResultsPageWords.templates[language], "results": results] as [String: Any],
            withTemplate: "results-section")
    }

    private func indicator(
        _ indicator: IndicatorRecord, words: ResultsPageWords, language: Language,
        number: (IndicatorValue) -> String
    ) -> [String: Any] {
        let periods = indicator.periods
        var object: [String: Any] = [
            "title": indicator.title, "measure": indicator.measure.name(in: language),
            "hasPeriods": !periods.isEmpty,
            "periods": periods.map { period -> [String: Any] in
                var row: [String: Any] = [
                    "start": period.start.description, "end": period.end.description,
                    "target": period.target?.value.map(number) ?? "",
                    "actual": period.actual?.value.map(number) ?? "",
                    "status": period.status.name(in: language),
                ]
                if let comment = period.actual?.comment, !comment.isEmpty { row["comment"] = comment }
                return row
            },
        ]
        if let target = indicator.sdgTarget { object["sdgTarget"] = target.rawValue }
        if let baseline = indicator.baseline {
            var entry: [String: Any] = ["year": "\(baseline.year)"]
            if let value = baseline.value { entry["value"] = number(value) }
            object["baseline"] = entry
        }
        if indicator.measure != .qualitative {
            let chart = IndicatorChart(
                id: indicator.id, title: indicator.title, baseline: indicator.baseline?.value,
                points: periods.map { period in
                    IndicatorChart.Point(
                        end: period.end, target: period.target?.value,
                        actual: period.status == .approved ? period.actual?.value : nil)
                })
            if let svg = chart.svg(words: words, number: number) { object["chart"] = svg }
        }
        return object
    }

    /// The locale whose decimal mark a page in `language` writes.
    static func localeIdentifier(_ language: Language) -> String {
        switch language {
        case .nl: "nl_BE"
        case .en: "en_GB"
        case .fr: "fr_BE"
        case .es: "es_ES"
        }
    }
}
