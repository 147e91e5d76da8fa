/// Who learns from whom in an activity: the Flemish (northern) side, the partner in the Global South, or both.
public enum LearningDirection: String, Codable, Sendable, Hashable, CaseIterable {
    case northToSouth = "north_to_south"
    case southToNorth = "south_to_north"
    case mutual

    /// Whether the Flemish side learns: `south_to_north` and `mutual`, what the reciprocity share counts.
    public var isReciprocal: Bool {
        switch self {
        case .northToSouth: false
        case .southToNorth, .mutual: true
        }
    }
}
