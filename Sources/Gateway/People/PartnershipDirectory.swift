import Foundation
import Synchronization

/// The municipality's partnerships as the gateway's people pages need them (`/admin/users`: whom a partner
/// coordinator is invited to, which partnerships each partner coordinator has). The Partnerships plugin owns
/// them and the gateway may not read its schema, so the plugin provides them here when it registers, through
/// its own service (same permissions and transaction as its pages). With no provider (the plugin switched off),
/// there are no partnerships to choose from.
public final class PartnershipDirectory: Sendable {
    /// A partnership and its members' user ids.
    public struct Entry: Sendable {
        /// The partnership.
        public var id: UUID
        /// Its title.
        public var title: String
        /// Its members.
        public var members: [UUID]

        /// Makes an entry.
        public init(id: UUID, title: String, members: [UUID]) {
            self.id = id
            self.title = title
            self.members = members
        }
    }

    /// The partnerships the request's person may read, in the request's transaction.
    public typealias List = @Sendable (_ context: GatewayRequestContext) async throws -> [Entry]
    /// Makes `user` a partner coordinator of `partnership` (the plugin's own permission checks apply).
    public typealias AddPartnerCoordinator =
        @Sendable (_ user: UUID, _ partnership: UUID, _ context: GatewayRequestContext) async throws -> Void

    private let provider = Mutex<(list: List, add: AddPartnerCoordinator)?>(nil)

    /// No provider yet.
    public init() {}

    /// The plugin's answers.
    public func provide(list: @escaping List, addPartnerCoordinator: @escaping AddPartnerCoordinator) {
        provider.withLock { $0 = (list, addPartnerCoordinator) }
    }

    /// The partnerships the request's person may read; none without a provider.
    public func list(_ context: GatewayRequestContext) async throws -> [Entry] {
        guard let list = provider.withLock({ $0?.list }) else { return [] }
        return try await list(context)
    }

    /// Adds the partner coordinator; without a provider the partnership is not found.
    public func addPartnerCoordinator(_ user: UUID, to partnership: UUID, context: GatewayRequestContext)
        async throws
    {
        guard let add = provider.withLock({ $0?.add }) else { throw Problem.notFound("no such partnership") }
        try await add(user, partnership, context)
    }
}
