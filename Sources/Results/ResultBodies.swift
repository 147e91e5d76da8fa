import Foundation
import Gateway
import ResultsContracts
import Vocabulary

/// A new result, as `POST /api/v1/activities/{id}/results` and `POST /api/v1/partnerships/{id}/results` take
/// it and ``ResultsService`` defines it.
public struct NewResult: RequestBody {
    public static let fields: Set<String> = ["title", "type", "description", "aggregates"]
    var title: String
    var type: String
    var description: String?
    /// Whether the result's indicators may be summed with others' (IATI's `aggregation-status`); yes by default.
    var aggregates: Bool?

    /// A result for callers in Swift (the demo, tests).
    public init(title: String, type: ResultType, description: String? = nil, aggregates: Bool? = nil) {
        self.title = title
        self.type = type.rawValue
        self.description = description
        self.aggregates = aggregates
    }

    public func validate() -> [Problem.FieldError] {
        ResultRules.result(title: title, type: type, description: description)
    }
}

/// A change to a result, as `PATCH /api/v1/results/{id}` takes it: every field optional.
struct ResultChanges: RequestBody {
    static let fields = NewResult.fields
    var title: String?
    var type: String?
    var description: String?
    var aggregates: Bool?

    func validate() -> [Problem.FieldError] {
        ResultRules.result(title: title, type: type, description: description)
    }
}

/// An indicator's baseline as a client sends it: the year it was measured in, its value as a string (so no
/// float touches it) and a comment on its source. Unknown fields inside are ignored, as a budget's are.
public struct BaselineInput: Codable, Sendable, Equatable {
    var year: Int
    var value: String?
    var comment: String?

    /// A baseline for callers in Swift.
    public init(year: Int, value: String? = nil, comment: String? = nil) {
        self.year = year
        self.value = value
        self.comment = comment
    }

    /// The baseline as events carry it; the body was checked, so the value reads.
    var checked: Baseline {
        Baseline(year: year, value: value.flatMap(IndicatorValue.init), comment: comment ?? "")
    }
}

/// A new indicator, as `POST /api/v1/results/{id}/indicators` takes it.
public struct NewIndicator: RequestBody {
    public static let fields: Set<String> = ["title", "description", "measure", "ascending", "sdgTarget", "baseline"]
    var title: String
    var description: String?
    var measure: String
    /// Whether a higher value is better; yes by default.
    var ascending: Bool?
    var sdgTarget: String?
    var baseline: BaselineInput?

    /// An indicator for callers in Swift.
    public init(
        title: String, measure: IndicatorMeasure, description: String? = nil, ascending: Bool? = nil,
        sdgTarget: String? = nil, baseline: BaselineInput? = nil
    ) {
        self.title = title
        self.description = description
        self.measure = measure.rawValue
        self.ascending = ascending
        self.sdgTarget = sdgTarget
        self.baseline = baseline
    }

    public func validate() -> [Problem.FieldError] {
        ResultRules.indicator(
            title: title, description: description, measure: measure, sdgTarget: sdgTarget, baseline: baseline)
    }
}

/// A change to an indicator, as `PATCH /api/v1/indicators/{id}` takes it: every field optional; `sdgTarget`
/// and `baseline` may be cleared with `null`.
struct IndicatorChanges: RequestBody {
    static let fields = NewIndicator.fields
    var title: String?
    var description: String?
    var measure: String?
    var ascending: Bool?
    var sdgTarget: PatchField<String>
    var baseline: PatchField<BaselineInput>

    func validate() -> [Problem.FieldError] {
        ResultRules.indicator(
            title: title, description: description, measure: measure, sdgTarget: sdgTarget.newValue,
            baseline: baseline.newValue)
    }
}
