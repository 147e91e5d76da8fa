/// What a result describes: what the activity produced, the change it brought about, or the longer-term
/// change it contributes to.
public enum ResultType: String, Codable, Sendable, Hashable, CaseIterable {
    case output
    case outcome
    case impact
    case other

    /// The IATI ResultType code `result/@type` carries: 1 Output, 2 Outcome, 3 Impact, 9 Other.
    public var iatiCode: String {
        switch self {
        case .output: "1"
        case .outcome: "2"
        case .impact: "3"
        case .other: "9"
        }
    }
}
