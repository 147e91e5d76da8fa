import Foundation
import Vocabulary

/// A result checked against what the schema and the codelists require, ready to be written. What cannot be
/// expressed is trimmed, never the activity: a result, an indicator, a baseline or a period, each named with
/// its reason in ``IATIExport/trimmed``.
struct ExportableResult {
    var type: ResultType
    var title: String
    var description: String
    var aggregates: Bool
    /// Never empty: the schema wants at least one indicator per result.
    var indicators: [ExportableIndicator]

    /// The result as it can be written, or `nil` when nothing of it can; `trimmed` gains what was left out.
    static func make(_ result: IATIResult, trimmed: inout [IATISkipped]) -> ExportableResult? {
        var reasons: [String] = []
        let type = ResultType(rawValue: result.type.trimmingCharacters(in: .whitespaces).lowercased())
        if type == nil {
            let types = ResultType.allCases.map(\.rawValue).joined(separator: ", ")
            reasons.append("result type \"\(result.type)\" is not one of \(types)")
        }
        let title = Narrative.cleaned(result.title)
        if title.isEmpty {
            reasons.append("the result's title is empty")
        }
        guard reasons.isEmpty, let type else {
            trimmed.append(IATISkipped(id: result.id, reason: "result left out: " + reasons.joined(separator: "; ")))
            return nil
        }
        let indicators = result.indicators.compactMap { ExportableIndicator.make($0, trimmed: &trimmed) }
        guard !indicators.isEmpty else {
            trimmed.append(
                IATISkipped(
                    id: result.id,
                    reason: "result left out: it has no indicator that can be written, and IATI requires one"))
            return nil
        }
        return ExportableResult(
            type: type, title: title, description: Narrative.cleaned(result.description),
            aggregates: result.aggregates, indicators: indicators)
    }
}

/// An indicator as it can be written: its measure mapped, its text cleaned, its baseline and periods checked.
struct ExportableIndicator {
    var measure: IndicatorMeasure
    var title: String
    var description: String
    var ascending: Bool
    var baseline: (year: Int, value: IndicatorValue?, comment: String)?
    var periods: [ExportablePeriod]

    static func make(_ indicator: IATIIndicator, trimmed: inout [IATISkipped]) -> ExportableIndicator? {
        var reasons: [String] = []
        let measure = IndicatorMeasure(
            rawValue: indicator.measure.trimmingCharacters(in: .whitespaces).lowercased())
        if measure == nil {
            let measures = IndicatorMeasure.allCases.map(\.rawValue).joined(separator: ", ")
            reasons.append("measure \"\(indicator.measure)\" is not one of \(measures)")
        }
        let title = Narrative.cleaned(indicator.title)
        if title.isEmpty {
            reasons.append("the indicator's title is empty")
        }
        guard reasons.isEmpty, let measure else {
            trimmed.append(
                IATISkipped(id: indicator.id, reason: "indicator left out: " + reasons.joined(separator: "; ")))
            return nil
        }

        var baseline: (year: Int, value: IndicatorValue?, comment: String)?
        if let given = indicator.baseline {
            var problems: [String] = []
            // The schema's `year` is a positive integer; years past 9999 are no calendar year IATI knows.
            if !(1...9999).contains(given.year) {
                problems.append("its year \(given.year) lies outside the years 1 to 9999")
            }
            let value = measure.isQualitative ? nil : Self.value(given.value, named: "value", problems: &problems)
            if problems.isEmpty {
                baseline = (given.year, value, Narrative.cleaned(given.comment))
            } else {
                trimmed.append(
                    IATISkipped(
                        id: indicator.id, reason: "baseline left out: " + problems.joined(separator: "; ")))
            }
        }

        var periods: [ExportablePeriod] = []
        for period in indicator.periods {
            var problems: [String] = []
            if period.end < period.start {
                problems.append("it ends (\(period.end)) before it starts (\(period.start))")
            }
            let target = Self.value(period.target, named: "target", measure: measure, problems: &problems)
            let actual = Self.value(period.actual, named: "actual value", measure: measure, problems: &problems)
            if problems.isEmpty {
                periods.append(ExportablePeriod(start: period.start, end: period.end, target: target, actual: actual))
            } else {
                trimmed.append(
                    IATISkipped(
                        id: period.id,
                        reason: "period \(period.start)…\(period.end) left out: " + problems.joined(separator: "; ")))
            }
        }

        return ExportableIndicator(
            measure: measure, title: title, description: Narrative.cleaned(indicator.description),
            ascending: indicator.ascending, baseline: baseline, periods: periods)
    }

    /// A target or actual as it can be written: `nil` when it says nothing (a qualitative indicator's value is
    /// never written, so an empty comment leaves nothing).
    private static func value(
        _ given: IATIValue?, named name: String, measure: IndicatorMeasure, problems: inout [String]
    ) -> ExportableValue? {
        guard let given else { return nil }
        let value = measure.isQualitative ? nil : Self.value(given.value, named: name, problems: &problems)
        let comment = Narrative.cleaned(given.comment)
        guard value != nil || !comment.isEmpty else { return nil }
        return ExportableValue(value: value, comment: comment)
    }

    /// The value `text` holds, `nil` when absent or blank; a problem is added when it is not a plain
    /// non-negative decimal.
    private static func value(_ text: String?, named name: String, problems: inout [String]) -> IndicatorValue? {
        guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        guard let value = IndicatorValue(text.trimmingCharacters(in: .whitespaces)) else {
            problems.append(
                "\(name) \"\(text)\" is not a non-negative decimal such as 74.5 "
                    + "(at most \(IndicatorValue.maximumScale) decimals)")
            return nil
        }
        return value
    }
}

/// A period as it can be written.
struct ExportablePeriod {
    var start: CalendarDate
    var end: CalendarDate
    var target: ExportableValue?
    var actual: ExportableValue?
}

/// A target or actual as it can be written: a value, a comment, or both (never neither).
struct ExportableValue {
    var value: IndicatorValue?
    var comment: String
}

/// Text as a `narrative` carries it.
enum Narrative {
    /// `text` without the characters XML 1.0 forbids, trimmed.
    static func cleaned(_ text: String) -> String {
        XMLText.removingForbiddenCharacters(text).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
