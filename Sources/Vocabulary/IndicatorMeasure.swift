/// How an indicator is measured: a count, a percentage, a position on a scale, or in words only.
public enum IndicatorMeasure: String, Codable, Sendable, Hashable, CaseIterable {
    case unit
    case percentage
    case nominal
    case ordinal
    case qualitative

    /// The IATI IndicatorMeasure code `indicator/@measure` carries: 1 Unit, 2 Percentage, 3 Nominal,
    /// 4 Ordinal, 5 Qualitative.
    public var iatiCode: String {
        switch self {
        case .unit: "1"
        case .percentage: "2"
        case .nominal: "3"
        case .ordinal: "4"
        case .qualitative: "5"
        }
    }

    /// Whether the indicator is told in words rather than numbers: its baseline, targets and actuals carry
    /// comments and no value, and it has no progress to compute.
    public var isQualitative: Bool {
        switch self {
        case .qualitative: true
        case .unit, .percentage, .nominal, .ordinal: false
        }
    }
}
