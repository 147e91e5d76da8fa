import Foundation
import Gateway
import Hummingbird
import Mustache
import Vocabulary

/// The timeline of a partnership's updates: every progress update of its activities, newest first, each with
/// its activity, who posted it and when. The partnership page shows the newest ``sectionLimit`` (a section
/// after the activities); `/partnerships/{id}/updates` pages through them all with the API's `limit` and
/// `cursor`. Another municipality's partnership, or one a partner coordinator is not a member of, is a 404.
struct PartnershipTimeline: Sendable {
    let service: ActivitiesService
    let people: any People
    let template: MustacheTemplate
    let repository = ActivityDashboardRepository()

    /// The updates the partnership page shows before "older updates".
    static let sectionLimit = 10

    init(service: ActivitiesService, people: any People) throws {
        guard let text = EmbeddedFiles.text("Templates/timeline.mustache") else {
            throw ActivityPages.TemplateMissing(name: "timeline")
        }
        self.service = service
        self.people = people
        self.template = try MustacheTemplate(string: text)
    }

    func register(on pages: Pages, documentation: APIDocumentation) {
        let shell = pages.shell
        pages.partnershipSections.add(order: 20) { partnership, context in
            try await render(partnership, limit: Self.sectionLimit, before: nil, page: false, context)
        }
        pages.signedIn.get("partnerships/:id/updates") { request, context in
            let id = try ActivityRequest.pathID(context, "partnership")
            let (limit, before) = try Pagination.read(request)
            let html = try await render(id, limit: limit, before: before, page: true, context)
            let words = ActivityDashboardWords.all[shell.language(context)]
            return shell.respond(title: words.timeline, content: html, context: context)
        }
        var operation = APIOperation(
            .get, "/partnerships/{id}/updates", id: "partnershipTimelinePage",
            summary:
                "The updates of a partnership's activities, newest first, paged (the partnership page shows the newest).",
            tag: "pages",
            parameters: [
                .path("id", .string(format: "uuid"), "the partnership's id"),
                .query("limit", .integer(minimum: 1, maximum: 200), "updates per page, 50 unless given"),
                .query("cursor", .string(), "the next page's cursor"),
            ],
            success: (200, .string()), problems: [400, 404, 422], authenticated: false)
        operation.successMediaType = "text/html"
        documentation.add([operation])
    }

    func render(
        _ partnership: UUID, limit: Int, before: (date: Date, id: UUID)?, page: Bool, _ context: GatewayRequestContext
    ) async throws -> String {
        let access = try TenantAccess(context)
        let connection = try context.requireConnection()
        // The partnership must be one the caller may see (404 otherwise), as every read of activities checks.
        let title = try await service.partnershipTitle(partnership, access: access, on: connection)
        let rows = try await repository.timeline(of: partnership, limit: limit, before: before, on: connection)
        let (items, next) = Pagination.page(rows, limit: limit) { ($0.update.postedAt, $0.update.id) }
        let authors = try await people.people(Array(Set(items.map(\.update.authorId))), on: connection)
        let person = try await people.person(access.userID, on: connection)
        let viewer = DashboardSections.Viewer(
            language: context.page?.language ?? .fallback,
            timeZone: person.flatMap { TimeZone(identifier: $0.timeZone) } ?? TimeZone(identifier: "Europe/Brussels")
                ?? .gmt)
        let words = ActivityDashboardWords.all[viewer.language]
        let strings = ActivityDashboardWords.templates[viewer.language]
        let id = partnership.uuidString.lowercased()
        var object: [String: Any] = [
            "words": strings, "page": page, "partnershipId": id, "partnershipTitle": title,
            "hasUpdates": !items.isEmpty, "paged": page && before != nil,
            "updates": items.map { item -> [String: Any] in
                [
                    "activityId": item.activity.uuidString.lowercased(), "activity": item.title,
                    "author": authors[item.update.authorId]?.name ?? words.someone, "body": item.update.body,
                    "when": viewer.instant(item.update.postedAt), "iso": HTML.datetime(item.update.postedAt),
                ]
            },
        ]
        if let next {
            object["older"] = "/partnerships/\(id)/updates?cursor=\(PageForm.encode(next))"
        }
        return template.render(object)
    }
}
