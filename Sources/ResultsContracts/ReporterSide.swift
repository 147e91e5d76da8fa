/// Which side of the partnership reported a value: the Flemish municipality's staff, or the partner
/// municipality's coordinator (a member with the `partner_coordinator` role).
public enum ReporterSide: String, Codable, Sendable, Hashable, CaseIterable {
    case municipality
    case partner
}
