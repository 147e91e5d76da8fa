import ActivitiesContracts
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
        // How many activities each partnership has, from the Activities plugin's events: a partnership with
        // activities cannot be deleted.
        context.events.subscribeInTransaction(to: ActivityRecorded.self) { envelope, connection in
            try await connection.query(
                """
                UPDATE partnerships.partnerships SET activity_count = activity_count + 1
                WHERE id = \(envelope.event.activity.partnershipId)
                """
            )
        }
        context.events.subscribeInTransaction(to: ActivityDeleted.self) { envelope, connection in
            try await connection.query(
                """
                UPDATE partnerships.partnerships SET activity_count = greatest(activity_count - 1, 0)
                WHERE id = \(envelope.event.activity.partnershipId)
                """
            )
        }
        let controller = PartnershipsController(publisher: context.publisher)
        context.routes.addRoutes(controller.routes)
        context.documentation.add(PartnershipsDocumentation.operations)
        PartnershipsDocumentation.defineSchemas(in: context.documentation)
    }
}
