import Foundation
import Gateway
import Mustache
import ReferenceData
import Vocabulary

/// The results report's printable page (`GET /api/v1/reports/results?format=html`): per partnership, each
/// indicator with its progress bar and its periods, then the indicators per SDG target; in the reader's language,
/// numbers with its decimal mark, dated in their time zone.
struct ResultsReportPage {
    var report: ResultsReport
    var language: Language
    var municipality: String
    var filterSummary: String
    var generatedAt: Date
    var timeZone: TimeZone

    func render(with templates: ReportTemplates) -> String {
        templates.results.render(context(policy: templates.policy))
    }

    func context(policy: PageSecurityPolicy) -> [String: Any] {
        let words = ResultsReportWords.all[language]
        let locale = Locale(identifier: ReportWords.of(language).localeIdentifier)
        let mark = locale.decimalSeparator ?? "."
        func number(_ text: String?) -> String { text.map { $0.replacingOccurrences(of: ".", with: mark) } ?? "" }
        var partnerships: [[String: Any]] = []
        for indicator in report.indicators {
            let measure = IndicatorMeasure(rawValue: indicator.measure)
            var item: [String: Any] = [
                "title": indicator.title, "result": indicator.result.title,
                "type": ResultType(rawValue: indicator.result.type)?.name(in: language) ?? indicator.result.type,
                "measure": measure?.name(in: language) ?? indicator.measure,
                "periods": indicator.periods.map { period in
                    [
                        "start": period.start.description, "end": period.end.description,
                        "target": number(period.target), "actual": number(period.actual),
                        "progress": number(period.progress),
                    ]
                },
                "hasPeriods": !indicator.periods.isEmpty && measure != .qualitative,
                "comments": (indicator.comments ?? []).map { ["end": $0.end.description, "comment": $0.comment] },
            ]
            if let activity = indicator.activity { item["activity"] = activity.title }
            if let target = indicator.sdgTarget { item["sdgTarget"] = target }
            if let baseline = indicator.baseline {
                var entry: [String: Any] = ["year": "\(baseline.year)"]
                if let value = baseline.value { entry["value"] = number(value) }
                item["baseline"] = entry
            }
            if let progress = indicator.progress, let percent = Double(progress) {
                item["progress"] = [
                    "text": number(progress), "width": "\(Int((min(max(percent, 0), 100) * 6).rounded()))",
                ]
            }
            if let last = partnerships.last, last["id"] as? UUID == indicator.partnership.id {
                partnerships[partnerships.count - 1]["indicators"] =
                    (last["indicators"] as? [[String: Any]] ?? []) + [item]
            } else {
                partnerships.append([
                    "id": indicator.partnership.id, "title": indicator.partnership.title, "indicators": [item],
                ])
            }
        }
        // Per SDG target, each indicator with its latest approved value and the year it ended in: what the
        // target's progress is, at a glance.
        let titles = Dictionary(
            report.indicators.map { indicator in
                // A percentage's sign as the language sets it: `74%` in Dutch and English, `74 %` in French and Spanish.
                let spaced = language == .fr || language == .es
                let unit =
                    indicator.measure == IndicatorMeasure.percentage.rawValue ? (spaced ? "\u{00A0}%" : "%") : ""
                let latest = indicator.latest.map { ": \(number($0.actual))\(unit) (\($0.end.year))" } ?? ""
                return (indicator.id, indicator.title + latest)
            }, uniquingKeysWith: { first, _ in first })
        let targets = report.sdgTargets.map { target -> [String: Any] in
            [
                "code": target.code, "name": SDGCatalogue.target(target.code)?.text(language) ?? "",
                "indicators": target.indicators.compactMap { titles[$0] },
            ]
        }
        let date = generatedAt.formatted(
            Date.FormatStyle(date: .long, time: .shortened, locale: locale, timeZone: timeZone))
        var context: [String: Any] = [
            "language": language.rawValue, "municipality": municipality, "policy": policy.metaContent,
            "generatedAt": date, "words": words.context, "partnerships": partnerships, "targets": targets,
            "hasTargets": !targets.isEmpty,
        ]
        if !filterSummary.isEmpty { context["filter"] = ["summary": filterSummary] }
        return context
    }
}

/// The results page's words in one language; every language has every word.
struct ResultsReportWords: Sendable {
    var title: String
    var generated: String
    var method: String
    var baseline: String
    var sdgTarget: String
    var period: String
    var target: String
    var actual: String
    var progress: String
    var perTarget: String
    var indicators: String
    var none: String

    var context: [String: String] {
        [
            "title": title, "generated": generated, "method": method, "baseline": baseline, "sdgTarget": sdgTarget,
            "period": period, "target": target, "actual": actual, "progress": progress, "perTarget": perTarget,
            "indicators": indicators, "none": none,
        ]
    }

    static let all = Localised(
        nl: ResultsReportWords(
            title: "Resultatenrapport", generated: "Gemaakt op",
            method:
                "Alleen goedgekeurde waarden tellen. Voortgang = (gerealiseerde waarde − nulmeting) / (streefwaarde − nulmeting), in procent.",
            baseline: "Nulmeting", sdgTarget: "SDG-subdoel", period: "Periode", target: "Streefwaarde",
            actual: "Gerealiseerde waarde", progress: "Voortgang", perTarget: "Indicatoren per SDG-subdoel",
            indicators: "Indicatoren", none: "Nog geen indicatoren."),
        en: ResultsReportWords(
            title: "Results report", generated: "Generated on",
            method: "Only approved values count. Progress = (actual − baseline) / (target − baseline), in percent.",
            baseline: "Baseline", sdgTarget: "SDG target", period: "Period", target: "Target", actual: "Actual",
            progress: "Progress", perTarget: "Indicators per SDG target", indicators: "Indicators",
            none: "No indicators yet."),
        fr: ResultsReportWords(
            title: "Rapport des résultats", generated: "Établi le",
            method:
                "Seules les valeurs approuvées comptent. Progression = (valeur atteinte − valeur de référence) / (valeur cible − valeur de référence), en pour cent.",
            baseline: "Valeur de référence", sdgTarget: "Cible ODD", period: "Période", target: "Valeur cible",
            actual: "Valeur atteinte",
            progress: "Progression", perTarget: "Indicateurs par cible ODD", indicators: "Indicateurs",
            none: "Pas encore d’indicateurs."),
        es: ResultsReportWords(
            title: "Informe de resultados", generated: "Generado el",
            method:
                "Solo cuentan los valores aprobados. Avance = (valor alcanzado − línea de base) / (valor meta − línea de base), en porcentaje.",
            baseline: "Línea de base", sdgTarget: "Meta ODS", period: "Período", target: "Valor meta",
            actual: "Valor alcanzado",
            progress: "Avance", perTarget: "Indicadores por meta ODS", indicators: "Indicadores",
            none: "Todavía no hay indicadores."))
}
