import ActivitiesContracts
import Gateway
import Hummingbird
import Kernel
import Messaging
import PartnershipCopy
import PartnershipsContracts

/// Lessons from both sides of a partnership, the library that shares them across municipalities, and the
/// instance's policy domains (issue 18; docs/design/learning-library.md).
///
/// It keeps its own copies of the partnerships (with the partner's name and country, which the library shows),
/// their members and the activities, from the other plugins' events in the publisher's transaction, so a lesson
/// can be written the moment its activity exists and every read is scoped without another plugin's schema.
public struct LearningPlugin: Plugin {
    public let id = "learning"

    /// Makes the plugin.
    public init() {}

    public func register(into context: inout PluginContext) throws {
        Self.partnerships.subscribe(into: &context.events)
        // A deleted activity or partnership takes its lessons with it, shared and published ones included (the
        // copies' cascades, which empty the library's rows too), without events of Learning's own: Reporting
        // hides them through the activity's tombstone. Refusing the deletion while lessons exist would make
        // Activities wait on a plugin it must not know.
        Self.activities.subscribe(into: &context.events)
        // The library's rows of shared lessons show the partnership's title, the partner and the activity's
        // title: they follow in the same transaction (one statement per published batch).
        context.events.subscribeInTransaction(
            to: PartnershipUpdated.self,
            statements: { envelopes in
                [
                    LearningRepository.followPartnerships(
                        envelopes.map(\.event.partnership), tenant: envelopes[0].tenantID)
                ]
            })
        context.events.subscribeInTransaction(
            to: ActivityUpdated.self,
            statements: { envelopes in
                [LearningRepository.followActivities(envelopes.map(\.event.activity), tenant: envelopes[0].tenantID)]
            })
        let service = LearningService(publisher: context.publisher)
        context.routes.addRoutes(LearningController(service: service).routes)
        LearningDocumentation.register(in: context.documentation)
        context.routes.addRoutes(LibraryController().routes)
        LibraryDocumentation.register(in: context.documentation)
        context.routes.addRoutes(PlatformPolicyDomains().routes)
        PlatformPolicyDomains.register(in: context.documentation)
        try LibraryPages().register(on: context.pages, documentation: context.documentation)
        try LessonPages(service: service).register(on: context.pages, documentation: context.documentation)
    }

    /// Our copy of the partnerships' titles, statuses, partners' names and countries, and members.
    static let partnerships = PartnershipCopy(
        partnerships: "learning.partnerships", members: "learning.partnership_members", keepsStatus: true,
        keepsPartnerName: true, keepsPartnerCountry: true)

    /// Our copy of the activities' partnerships and titles.
    static let activities = ActivityCopy(activities: "learning.activities", partnerships: "learning.partnerships")
}
