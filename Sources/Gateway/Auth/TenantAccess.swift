import Foundation

/// A caller acting inside their municipality, and what their role lets them do with its shared work:
/// administrators and coordinators write; viewers read; partner coordinators see only the partnerships they
/// are members of (``scope``, which every read path takes).
public struct TenantAccess: Sendable {
    /// The caller.
    public let identity: Identity
    /// Their municipality.
    public let tenantID: UUID
    /// The user.
    public let userID: UUID

    /// The caller of this request; a platform administrator has no municipality, so sees none of its work (404).
    public init(_ context: GatewayRequestContext) throws {
        let identity = try context.requireIdentity()
        guard let tenantID = identity.tenantID, let userID = identity.userID else { throw Problem.notFound() }
        self.identity = identity
        self.tenantID = tenantID
        self.userID = userID
    }

    /// A caller acting outside a request, such as the command line acting for one of the tenant's users.
    public init(tenantID: UUID, userID: UUID, role: Identity.Role) {
        self.identity = Identity(tokenID: nil, tenantID: tenantID, userID: userID, platformAdminID: nil, role: role)
        self.tenantID = tenantID
        self.userID = userID
    }

    /// Administrators and coordinators.
    public var canWrite: Bool { identity.role == .admin || identity.role == .coordinator }

    /// What the caller may read: the whole municipality, or, for a partner coordinator, only the partnerships
    /// they are members of and what belongs to those. Every read path takes this value; see ``ReadScope``.
    public var scope: ReadScope { ReadScope(role: identity.role, userID: userID) }

    /// Administrators, coordinators, and partner coordinators on the partnerships in their scope post
    /// progress updates; viewers only read.
    public var canPostUpdates: Bool { canWrite || identity.role == .partnerCoordinator }

    /// The user id as an event's actor.
    public var actor: String { userID.uuidString.lowercased() }

    /// Throws 403 unless the caller may write; `what` names the resource in the message.
    public func requireWrite(_ what: String) throws {
        guard canWrite else { throw Problem.forbidden("only administrators and coordinators change \(what)") }
    }
}
