/// Where an activity stands.
public enum ActivityStatus: String, Codable, Sendable, Hashable, CaseIterable {
    case planned
    case ongoing
    case completed
    case cancelled

    /// The status of a newly recorded activity that names none.
    public static let initial: ActivityStatus = .planned
}
