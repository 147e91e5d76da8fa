import Vocabulary

/// A period's target or reported value: a number (none for a qualitative indicator) and a comment.
public struct PeriodValue: Codable, Sendable, Hashable {
    public var value: IndicatorValue?
    public var comment: String

    public init(value: IndicatorValue?, comment: String) {
        self.value = value
        self.comment = comment
    }
}
