import Foundation
import Gateway
import ReferenceData
import Vocabulary

/// The values results' and indicators' fields may take, checked alike when they are defined and when they
/// change.
enum ResultRules {
    /// The longest comment on a baseline, target or value, as the database allows.
    static let commentLength = 2_000

    /// The years a baseline may be measured in, as the database allows.
    static let years = 1900...2200

    /// The checks every result field gets; `nil` fields are not checked.
    static func result(title: String?, type: String?, description: String?) -> [Problem.FieldError] {
        FieldCheck.name(title, field: "title") + FieldCheck.oneOf(type, ResultType.self, field: "type")
            + FieldCheck.text(description, field: "description")
    }

    /// The checks every indicator field gets; `nil` fields are not checked. A baseline's value is checked
    /// against `measure` when the body names one; the service checks it again against the measure the
    /// indicator ends up with.
    static func indicator(
        title: String?, description: String?, measure: String?, sdgTarget: String?, baseline: BaselineInput?
    ) -> [Problem.FieldError] {
        FieldCheck.name(title, field: "title") + FieldCheck.text(description, field: "description")
            + FieldCheck.oneOf(measure, IndicatorMeasure.self, field: "measure") + Self.sdgTarget(sdgTarget)
            + Self.baseline(baseline, measure: measure.flatMap(IndicatorMeasure.init(rawValue:)))
    }

    /// An SDG target the catalogue knows, such as `16.9`.
    static func sdgTarget(_ code: String?) -> [Problem.FieldError] {
        guard let code, SDGCatalogue.targetID(code) == nil else { return [] }
        return [.init(field: "sdgTarget", message: "must be an SDG target such as 16.9")]
    }

    /// A baseline: its year, its value (for an indicator of `measure`, when known) and its comment.
    static func baseline(_ baseline: BaselineInput?, measure: IndicatorMeasure?) -> [Problem.FieldError] {
        guard let baseline else { return [] }
        var errors: [Problem.FieldError] = []
        if !years.contains(baseline.year) {
            errors.append(.init(field: "baseline.year", message: "must be a year from 1900 to 2200"))
        }
        errors += value(baseline.value, measure: measure, field: "baseline.value")
        errors += FieldCheck.text(baseline.comment, field: "baseline.comment", maximum: commentLength)
        return errors
    }

    /// A value as a client writes it (`"74.5"`), for an indicator of `measure` when known: a non-negative
    /// decimal below 10^12 with at most six decimals, at most 100 for a percentage, whole for a nominal or
    /// ordinal indicator, and none at all for a qualitative one, which is told in words.
    static func value(_ text: String?, measure: IndicatorMeasure?, field: String) -> [Problem.FieldError] {
        guard let text else { return [] }
        if measure?.isQualitative == true {
            return [.init(field: field, message: "a qualitative indicator takes only a comment")]
        }
        guard let value = IndicatorValue(text) else {
            return [
                .init(
                    field: field,
                    message: "must be a number such as \"74.5\": not negative, below 10^12, at most 6 decimals")
            ]
        }
        switch measure {
        case .percentage? where value.units > hundred(atScale: value.scale):
            return [.init(field: field, message: "a percentage is at most 100")]
        case .nominal?, .ordinal?:
            return value.isWhole ? [] : [.init(field: field, message: "must be a whole number for this measure")]
        default:
            return []
        }
    }

    /// A period's dates: the end on or after the start.
    static func dates(_ start: CalendarDate?, _ end: CalendarDate?) -> [Problem.FieldError] {
        guard let start, let end, end < start else { return [] }
        return [.init(field: "end", message: "must not be before start")]
    }

    /// A period's target: its value (for an indicator of `measure`, when known) and its comment.
    static func target(_ target: TargetInput?, measure: IndicatorMeasure?) -> [Problem.FieldError] {
        guard let target else { return [] }
        return value(target.value, measure: measure, field: "target.value")
            + FieldCheck.text(target.comment, field: "target.comment", maximum: commentLength)
    }

    /// A reported value for an indicator of `measure`: a quantitative indicator needs its number (the
    /// comment is free), a qualitative one takes no number and needs its comment, since that is the report.
    static func actual(_ actual: ActualInput, measure: IndicatorMeasure) -> [Problem.FieldError] {
        var errors = value(actual.value, measure: measure, field: "value")
        if measure.isQualitative {
            errors += requiredComment(
                actual.comment, field: "comment", because: "a qualitative indicator is reported in words")
        } else if actual.value == nil {
            errors.append(.init(field: "value", message: "is required: this indicator is measured in numbers"))
        }
        return errors
    }

    /// A comment that must say something, at most ``commentLength`` characters; `reason` says why it is needed.
    static func requiredComment(_ comment: String?, field: String, because reason: String) -> [Problem.FieldError] {
        guard let comment, !comment.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            return [.init(field: field, message: "is required: \(reason)")]
        }
        return FieldCheck.text(comment, field: field, maximum: commentLength)
    }

    /// 100 in units of `10^-scale` (the scale is at most six, so this stays far inside `Int64`).
    static func hundred(atScale scale: Int) -> Int64 {
        (0..<scale).reduce(Int64(100)) { hundred, _ in hundred * 10 }
    }
}
