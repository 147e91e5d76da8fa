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
        let repository = PartnershipsRepository()
        // How many activities each partnership has, from the Activities plugin's events: a partnership with
        // activities cannot be deleted. One statement, sent with the events' own rows (no round trip of its own).
        context.events.subscribeInTransaction(
            to: ActivityRecorded.self,
            statements: { envelopes in
                [repository.countActivities(envelopes.map(\.event.activity.partnershipId), by: 1)]
            })
        context.events.subscribeInTransaction(
            to: ActivityDeleted.self,
            statements: { envelopes in
                [repository.countActivities(envelopes.map(\.event.activity.partnershipId), by: -1)]
            })
        let service = PartnershipsService(publisher: context.publisher, people: context.people)
        let controller = PartnershipsController(service: service)
        context.routes.addRoutes(controller.routes)
        try DashboardPage(service: service).register(on: context.pages, documentation: context.documentation)
        let templates = try PartnershipTemplates()
        PartnershipPages(service: service, templates: templates).register(on: context.pages)
        PartnershipMembersPage(service: service, templates: templates).register(on: context.pages)
        PartnershipMembersPage.provideDirectory(context.pages.partnershipDirectory, service: service)
        context.documentation.add(PartnershipPageDocumentation.operations)
        context.documentation.add(PartnershipsDocumentation.operations)
        PartnershipsDocumentation.defineSchemas(in: context.documentation)
    }
}
