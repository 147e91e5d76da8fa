import Foundation
import Gateway
import Hummingbird
import Mustache
import PartnershipsContracts
import ReferenceData
import Vocabulary

/// `/`: the signed-in person's partnerships (a partner coordinator: only those they are a member of), each
/// linking to `/partnerships/{id}`. It lists through ``PartnershipsService/list(_:limit:after:access:on:)``,
/// as `GET /api/v1/partnerships` does, so the same scope applies.
struct DashboardPage: Sendable {
    let service: PartnershipsService
    let template: MustacheTemplate

    /// The most partnerships the dashboard lists.
    static let limit = 200

    init(service: PartnershipsService) throws {
        guard let text = EmbeddedFiles.text("Templates/dashboard.mustache") else { throw TemplateMissing() }
        self.service = service
        self.template = try MustacheTemplate(string: text)
    }

    struct TemplateMissing: Error, CustomStringConvertible {
        var description: String { "Templates/dashboard.mustache is not embedded in the Partnerships module" }
    }

    /// The most changes "since your last visit" lists before "all activities".
    static let changesLimit = 20

    func register(on pages: Pages, documentation: APIDocumentation) {
        let sections = pages.dashboardSections
        pages.signedIn.get("/") { _, context in try await show(context, shell: pages.shell, sections: sections) }
        var operation = APIOperation(
            .get, "/", id: "dashboardPage",
            summary:
                "The signed-in person's partnerships (a partner coordinator: theirs only) with their latest activity and update, what changed since their last visit, and the municipality's SDG chart for coordinators and administrators; else to /sign-in.",
            tag: "pages", success: (200, .string()), authenticated: false)
        operation.successMediaType = "text/html"
        documentation.add([operation])
    }

    func show(_ context: GatewayRequestContext, shell: PageShell, sections: DashboardSections) async throws
        -> Response
    {
        let access = try TenantAccess(context)
        let connection = try context.requireConnection()
        let page = try await service.list(
            PartnershipFilter(), limit: Self.limit, after: nil, access: access, on: connection)
        let language = shell.language(context)
        let words = DashboardWords.all[language]
        let person = try await service.people.person(access.userID, on: connection)
        let viewer = DashboardSections.Viewer(
            language: language,
            timeZone: person.flatMap { TimeZone(identifier: $0.timeZone) } ?? TimeZone(identifier: "Europe/Brussels")
                ?? .gmt)
        let ids = page.items.map(\.id)
        let latest = try await sections.latest(for: ids, viewer: viewer, context: context)
        let items = page.items.map { record -> [String: Any] in
            [
                "id": record.id.uuidString.lowercased(), "title": record.title, "partner": record.partner.name,
                "country": PartnershipTemplates.countryName(record.partner.country, language),
                "status": record.status.name(in: language), "latest": latest[record.id] ?? [],
            ]
        }
        var object: [String: Any] = [
            "heading": words.heading, "empty": words.empty, "partnerships": items, "hasPartnerships": !items.isEmpty,
        ]
        if access.canWrite {
            object["newPartnership"] = PartnershipPageWords.all[language].newPartnership
        }
        if page.nextCursor != nil {
            object["more"] = words.more.replacingOccurrences(of: "{count}", with: "\(Self.limit)")
        }

        // What changed since the previous visit: the dashboard's own changes and the other plugins', newest first.
        let since = try await DashboardSections.previousVisit(context)
        let own = try await DashboardChanges().rows(
            since: since, limit: Self.changesLimit, scope: access.scope, on: connection)
        let members = try await service.people.people(own.compactMap(\.member), on: connection)
        let changes = try await sections.changes(
            since: since, limit: Self.changesLimit,
            own: own.map { row in
                let html: String
                switch row.kind {
                case .created: html = HTML.escape(words.partnershipCreated)
                case .changed:
                    let status = PartnershipStatus(rawValue: row.status)?.name(in: language) ?? row.status
                    html = HTML.escape("\(words.partnershipChanged) (\(words.status): \(status))")
                case .member:
                    let name = row.member.flatMap { members[$0]?.name } ?? words.someone
                    html = HTML.escape(words.memberAdded.replacingOccurrences(of: "{name}", with: name))
                }
                return DashboardSections.Change(at: row.at, partnership: row.partnership, html: html)
            }, viewer: viewer, context: context)
        let titles = Dictionary(page.items.map { ($0.id, $0.title) }) { first, _ in first }
        object["changesHeading"] =
            since.map { words.changesSince.replacingOccurrences(of: "{date}", with: viewer.instant($0)) }
            ?? words.recentChanges
        object["noChanges"] = words.noChanges
        object["hasChanges"] = !changes.isEmpty
        object["changes"] = changes.map { change -> [String: Any] in
            var line: [String: Any] = [
                "html": change.html, "when": viewer.instant(change.at), "iso": HTML.datetime(change.at),
            ]
            if let title = titles[change.partnership] {
                line["partnershipId"] = change.partnership.uuidString.lowercased()
                line["partnership"] = title
            }
            return line
        }
        if changes.count == Self.changesLimit { object["moreChanges"] = words.moreChanges }
        object["sections"] = try await sections.render(viewer: viewer, context: context)
        return shell.respond(title: words.heading, content: template.render(object), context: context)
    }
}
