import Foundation
import Gateway
import ResultsContracts
import Vocabulary

/// A period's target as a client sends it: a value as a string (none for a qualitative indicator) and a
/// comment. Unknown fields inside are ignored, as a baseline's are.
public struct TargetInput: Codable, Sendable, Equatable {
    var value: String?
    var comment: String?

    /// A target for callers in Swift.
    public init(value: String? = nil, comment: String? = nil) {
        self.value = value
        self.comment = comment
    }

    /// The target as events carry it; the body was checked, so the value reads. `nil` when it says nothing.
    var checked: PeriodValue? {
        let value = value.flatMap(IndicatorValue.init)
        let comment = comment ?? ""
        return value == nil && comment.isEmpty ? nil : PeriodValue(value: value, comment: comment)
    }
}

/// A new reporting period of an indicator, as `POST /api/v1/indicators/{id}/periods` takes it.
public struct NewPeriod: RequestBody {
    public static let fields: Set<String> = ["start", "end", "target"]
    var start: CalendarDate
    var end: CalendarDate
    var target: TargetInput?

    /// A period for callers in Swift.
    public init(start: CalendarDate, end: CalendarDate, target: TargetInput? = nil) {
        self.start = start
        self.end = end
        self.target = target
    }

    public func validate() -> [Problem.FieldError] {
        ResultRules.dates(start, end) + ResultRules.target(target, measure: nil)
    }
}

/// A change to a period, as `PATCH /api/v1/periods/{id}` takes it: every field optional; `target` may be
/// cleared with `null`.
struct PeriodChanges: RequestBody {
    static let fields = NewPeriod.fields
    var start: CalendarDate?
    var end: CalendarDate?
    var target: PatchField<TargetInput>

    func validate() -> [Problem.FieldError] {
        ResultRules.dates(start, end) + ResultRules.target(target.newValue, measure: nil)
    }
}

/// A reported value, as `PUT /api/v1/periods/{id}/actual` takes it: a number as a string for a quantitative
/// indicator, a comment alone for a qualitative one.
public struct ActualInput: RequestBody {
    public static let fields: Set<String> = ["value", "comment"]
    var value: String?
    var comment: String?

    /// A value for callers in Swift (the pages, the import).
    public init(value: String?, comment: String? = nil) {
        self.value = value
        self.comment = comment
    }

    /// The form of the value and the length of the comment; what the indicator's measure asks is checked by
    /// the service, which knows it.
    public func validate() -> [Problem.FieldError] {
        ResultRules.value(value, measure: nil, field: "value")
            + FieldCheck.text(comment, field: "comment", maximum: ResultRules.commentLength)
    }
}

/// An approval, as `POST /api/v1/periods/{id}/approve` takes it: an empty body, or a comment.
public struct ApprovalInput: RequestBody {
    public static let fields: Set<String> = ["comment"]
    var comment: String?

    public init(comment: String? = nil) {
        self.comment = comment
    }

    public func validate() -> [Problem.FieldError] {
        FieldCheck.text(comment, field: "comment", maximum: ResultRules.commentLength)
    }
}

/// A value sent back, as `POST /api/v1/periods/{id}/return` takes it: the comment that says why is required.
struct ReturnInput: RequestBody {
    static let fields: Set<String> = ["comment"]
    var comment: String

    func validate() -> [Problem.FieldError] {
        ResultRules.requiredComment(comment, field: "comment", because: "say why the value goes back")
    }
}
