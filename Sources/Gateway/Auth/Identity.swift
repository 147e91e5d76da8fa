import Foundation

/// Who is calling: a municipality's user, or a platform administrator.
public struct Identity: Sendable, Hashable {
    /// A role within a municipality, or the platform's.
    public enum Role: String, Sendable, Codable, CaseIterable {
        /// The municipality's administrator: manages users.
        case admin
        /// Manages partnerships and activities.
        case coordinator
        /// Sees and posts updates on the partnerships they are a member of, nothing else.
        case partnerCoordinator = "partner_coordinator"
        /// Reads only.
        case viewer
        /// Belongs to no municipality: manages tenants and sees cross-tenant figures.
        case platformAdmin = "platform_admin"

        /// The roles a municipality's user can have: every role but the platform's. The users' routes, their
        /// checks and the OpenAPI document list these.
        public static var municipalityRoles: [Role] { allCases.filter { $0 != .platformAdmin } }

        /// The codes of ``municipalityRoles``, as the API and the `platform.users` table write them.
        public static var municipalityRoleNames: [String] { municipalityRoles.map(\.rawValue) }
    }

    /// The token that authenticated the request; `nil` for the command line.
    public var tokenID: UUID?
    /// The municipality, for a tenant user.
    public var tenantID: UUID?
    /// The user, for a tenant user.
    public var userID: UUID?
    /// The administrator, for a platform administrator.
    public var platformAdminID: UUID?
    /// The role now.
    public var role: Role

    /// Makes an identity.
    public init(tokenID: UUID?, tenantID: UUID?, userID: UUID?, platformAdminID: UUID?, role: Role) {
        self.tokenID = tokenID
        self.tenantID = tenantID
        self.userID = userID
        self.platformAdminID = platformAdminID
        self.role = role
    }
}
