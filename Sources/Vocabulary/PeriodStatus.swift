/// Where a period's reported value stands: not yet reported, waiting for review, accepted, or sent back.
/// Only an approved value counts in reports, charts and the IATI file.
public enum PeriodStatus: String, Codable, Sendable, Hashable, CaseIterable {
    case draft
    case submitted
    case approved
    case returned

    /// The status of a newly defined period: nothing reported yet.
    public static let initial: PeriodStatus = .draft
}
