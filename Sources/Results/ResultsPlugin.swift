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
        Self.partnerships.subscribe(into: &context.events)
        // Each activity's partnership and title; a deleted activity or partnership takes its results, their
        // indicators and periods with it (the copies' cascades), without events of Results' own: Reporting
        // hides them through the activity's tombstone.
        Self.activities.subscribe(into: &context.events)
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

    /// Our copy of the activities' partnerships and titles.
    static let activities = ActivityCopy(activities: "results.activities", partnerships: "results.partnerships")
}
