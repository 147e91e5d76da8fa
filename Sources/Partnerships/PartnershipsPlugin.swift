import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import Kernel
import Messaging
import PartnershipsContracts
import Postgres

/// The stedenbanden: partnerships with a partner municipality, their members, and their events.
public struct PartnershipsPlugin: Plugin {
    public let id = "partnerships"

    /// Makes the plugin.
    public init() {}

    public func register(into context: inout PluginContext) throws {
        let controller = PartnershipsController(publisher: context.publisher)
        context.routes.addRoutes(controller.routes)
        context.documentation.add(PartnershipsDocumentation.operations)
        PartnershipsDocumentation.defineSchemas(in: context.documentation)
    }
}

/// Who may do what: admins and coordinators write; viewers read; partner coordinators read the
/// partnerships they are members of.
struct Access {
    let identity: Identity
    let tenantID: UUID
    let userID: UUID

    init(_ context: GatewayRequestContext) throws {
        let identity = try context.requireIdentity()
        // Platform administrators see no tenant's partnerships.
        guard let tenantID = identity.tenantID, let userID = identity.userID else { throw Problem.notFound() }
        self.identity = identity
        self.tenantID = tenantID
        self.userID = userID
    }

    var canWrite: Bool { identity.role == .admin || identity.role == .coordinator }

    /// Partner coordinators see only the partnerships they are members of.
    var seesOnlyMemberships: Bool { identity.role == .partnerCoordinator }

    func requireWrite() throws {
        guard canWrite else { throw Problem.forbidden("only administrators and coordinators change partnerships") }
    }
}
