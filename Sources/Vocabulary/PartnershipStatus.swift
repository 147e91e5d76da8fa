/// Where a partnership (a stedenband) stands.
public enum PartnershipStatus: String, Codable, Sendable, Hashable, CaseIterable {
    case exploring
    case active
    case suspended
    case ended

    /// The status of a newly registered partnership that names none.
    public static let initial: PartnershipStatus = .exploring
}

/// A member's role in a partnership.
public enum PartnershipRole: String, Codable, Sendable, Hashable, CaseIterable {
    /// A coordinator of the municipality.
    case coordinator
    /// A coordinator of the partner municipality in the Global South.
    case partnerCoordinator = "partner_coordinator"
}
