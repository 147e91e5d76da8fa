import ActivitiesContracts
import Foundation
import Gateway
import Hummingbird
import Kernel
import Messaging
import PartnershipCopy
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
        Self.partnerships.subscribe(into: &context.events)
        context.events.subscribeInTransaction(to: PartnershipDeleted.self) { envelope, connection in
            try await connection.query(
                "DELETE FROM activities.partnerships WHERE id = \(envelope.event.partnership.id.rawValue)"
            )
        }
        let service = ActivitiesService(publisher: context.publisher)
        let controller = ActivitiesController(service: service)
        context.routes.addRoutes(controller.routes)
        try ActivityPages(service: service, people: context.people)
            .register(on: context.pages, documentation: context.documentation)
        try ImportPage(service: service).register(on: context.pages)
        try PartnershipTimeline(service: service, people: context.people)
            .register(on: context.pages, documentation: context.documentation)
        ActivityDashboard().register(on: context.pages.dashboardSections)
        ActivitiesDocumentation.register(in: context.documentation)
    }

    /// Our copy of the partnerships' titles, statuses and members.
    static let partnerships = PartnershipCopy(
        partnerships: "activities.partnerships", members: "activities.partnership_members", keepsStatus: true)
}
