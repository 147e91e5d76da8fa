import ActivitiesContracts
import Foundation
import Gateway
import Hummingbird
import Kernel
import Messaging
import PartnershipsContracts
import Postgres
import Vocabulary

/// Activities of the partnerships: what municipalities and partners do together, their SDG targets,
/// budgets, learning direction and progress updates.
public struct ActivitiesPlugin: Plugin {
    public let id = "activities"

    /// Makes the plugin.
    public init() {}

    public func register(into context: inout PluginContext) throws {
        // Our own copy of the partnerships: kept in the publisher's transaction, so an activity can be
        // recorded the moment its partnership exists, without reading the Partnerships plugin's schema.
        context.events.subscribeInTransaction(to: PartnershipCreated.self) { try await Self.copy($0, $1) }
        context.events.subscribeInTransaction(to: PartnershipUpdated.self) { try await Self.copy($0, $1) }
        context.events.subscribeInTransaction(to: PartnershipMemberAdded.self) { try await Self.copy($0, $1) }
        context.events.subscribeInTransaction(to: PartnershipMemberRemoved.self) { try await Self.copy($0, $1) }
        context.events.subscribeInTransaction(to: PartnershipDeleted.self) { envelope, connection in
            try await connection.query(
                "DELETE FROM activities.partnerships WHERE id = \(envelope.event.partnership.id.rawValue)"
            )
        }
        let controller = ActivitiesController(publisher: context.publisher)
        context.routes.addRoutes(controller.routes)
        ActivitiesDocumentation.register(in: context.documentation)
    }

    /// Upserts the partnership's status and members, ignoring an event older than what the copy holds.
    static func copy<E: PartnershipEvent>(_ envelope: EventEnvelope<E>, _ connection: PostgresConnection) async throws {
        let state = envelope.event.partnership
        let id = state.id.rawValue
        let applied = try await connection.query(
            """
            INSERT INTO activities.partnerships (tenant_id, id, title, status, version)
            VALUES (\(envelope.tenantID), \(id), \(state.title), \(state.status), \(state.version))
            ON CONFLICT (tenant_id, id) DO UPDATE
                SET title = excluded.title, status = excluded.status, version = excluded.version
                WHERE activities.partnerships.version < excluded.version
            """
        )
        guard applied.affectedRows == 1 else { return }
        try await connection.query("DELETE FROM activities.partnership_members WHERE partnership_id = \(id)")
        if !state.members.isEmpty {
            try await connection.query(
                """
                INSERT INTO activities.partnership_members (tenant_id, partnership_id, user_id, role)
                SELECT \(envelope.tenantID), \(id), u::uuid, r
                FROM unnest(\(state.members.map { $0.userId.uuidString })::text[], \(state.members.map(\.role.rawValue))::text[]) AS m(u, r)
                """
            )
        }
    }
}

extension ReadScope {
    /// The scope as a condition on our own copy of the members, given the column that holds the partnership's
    /// id: every read of activities, their partnerships and their updates goes through it.
    func activities(partnership column: StaticString) -> PostgresQuery {
        condition(partnership: column, members: "activities.partnership_members")
    }
}
