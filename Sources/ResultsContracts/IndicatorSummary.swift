import Vocabulary

/// What a period event says of its indicator, so a digest line or a reminder can name it and read its value
/// without a copy of the indicators.
public struct IndicatorSummary: Codable, Sendable, Hashable {
    public var id: IndicatorID
    public var title: String
    public var measure: IndicatorMeasure
    public var baseline: Baseline?

    public init(id: IndicatorID, title: String, measure: IndicatorMeasure, baseline: Baseline?) {
        self.id = id
        self.title = title
        self.measure = measure
        self.baseline = baseline
    }
}
