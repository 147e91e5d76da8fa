import ActivitiesContracts
import Gateway
import Hummingbird
import Kernel
import Messaging
import PartnershipCopy
import PartnershipsContracts

/// The results framework: what activities and partnerships set out to achieve, how it is measured, and the
/// values both sides report for each period (issue 16).
///
/// It keeps its own copies of the partnerships, their members and the activities, from the other plugins'
/// events in the publisher's transaction, so a result can be defined the moment its activity exists and every
/// read is scoped without reading another plugin's schema.
public struct ResultsPlugin: Plugin {
    public let id = "results"

    /// Makes the plugin.
    public init() {}

    public func register(into context: inout PluginContext) throws {
        let repository = ResultsRepository()
        Self.partnerships.subscribe(into: &context.events)
        // A deleted partnership takes its members, activities and results with it (the copies' cascades).
        context.events.subscribeInTransaction(
            to: PartnershipDeleted.self,
            statements: { envelopes in
                [
                    repository.forgetPartnerships(
                        envelopes.map(\.event.partnership.id.rawValue), tenant: envelopes[0].tenantID)
                ]
            })
        // Each activity's partnership and title: one statement per published batch, sent with the events' own
        // rows (no round trip of its own), so it rides on an import's batches at the cost of one statement.
        context.events.subscribeInTransaction(
            to: ActivityRecorded.self,
            statements: { envelopes in
                [repository.keepActivities(envelopes.map(\.event.activity), tenant: envelopes[0].tenantID)]
            })
        context.events.subscribeInTransaction(
            to: ActivityUpdated.self,
            statements: { envelopes in
                [repository.keepActivities(envelopes.map(\.event.activity), tenant: envelopes[0].tenantID)]
            })
        // A deleted activity takes its results, their indicators and periods with it, without events of
        // Results' own: Reporting hides them through the activity's tombstone.
        context.events.subscribeInTransaction(
            to: ActivityDeleted.self,
            statements: { envelopes in
                [
                    repository.forgetActivities(
                        envelopes.map(\.event.activity.id.rawValue), tenant: envelopes[0].tenantID)
                ]
            })
        let service = ResultsService(publisher: context.publisher)
        context.routes.addRoutes(ResultsController(service: service).routes)
        ResultsDocumentation.register(in: context.documentation)
        try ResultPages(service: service).register(on: context.pages)
        try ResultImportSection(service: service).register(on: context.pages)
        context.documentation.add(ResultPageDocumentation.operations)
    }

    /// Our copy of the partnerships' titles, statuses, partners' names and members.
    static let partnerships = PartnershipCopy(
        partnerships: "results.partnerships", members: "results.partnership_members", keepsStatus: true,
        keepsPartnerName: true)
}
