/// Where an activity's money comes from.
public enum FundingSource: String, Codable, Sendable, Hashable, CaseIterable {
    case own
    case flemishGovernment = "flemish_government"
    case federalDGD = "federal_dgd"
    case province
    case eu
    case other
}
