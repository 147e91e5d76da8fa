import Vocabulary

/// Where an indicator started: the year it was measured in, the value then (none for a qualitative
/// indicator, or when only a comment says it), and a comment on its source.
public struct Baseline: Codable, Sendable, Hashable {
    /// The year of the measurement, 1900 to 2200.
    public var year: Int
    public var value: IndicatorValue?
    public var comment: String

    public init(year: Int, value: IndicatorValue?, comment: String) {
        self.year = year
        self.value = value
        self.comment = comment
    }
}
