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
        guard
            let url = Bundle.module.url(forResource: "dashboard", withExtension: "mustache", subdirectory: "Templates")
        else { throw TemplateMissing() }
        self.service = service
        self.template = try MustacheTemplate(string: String(contentsOf: url, encoding: .utf8))
    }

    struct TemplateMissing: Error, CustomStringConvertible {
        var description: String { "Templates/dashboard.mustache is missing from the Partnerships resources" }
    }

    func register(on pages: Pages, documentation: APIDocumentation) {
        pages.signedIn.get("/") { _, context in try await show(context, shell: pages.shell) }
        var operation = APIOperation(
            .get, "/", id: "dashboardPage",
            summary: "The signed-in person's partnerships (a partner coordinator: theirs only); else to /sign-in.",
            tag: "pages", success: (200, .string()), authenticated: false)
        operation.successMediaType = "text/html"
        documentation.add([operation])
    }

    func show(_ context: GatewayRequestContext, shell: PageShell) async throws -> Response {
        let access = try TenantAccess(context)
        let page = try await service.list(
            PartnershipFilter(), limit: Self.limit, after: nil, access: access, on: try context.requireConnection())
        let language = shell.language(context)
        let words = DashboardWords.all[language]
        let items = page.items.map { record -> [String: Any] in
            [
                "id": record.id.uuidString.lowercased(), "title": record.title, "partner": record.partner.name,
                "country": Countries.name(record.partner.country) ?? record.partner.country,
                "status": record.status.name(in: language),
            ]
        }
        var object: [String: Any] = [
            "heading": words.heading, "empty": words.empty, "partnerships": items, "hasPartnerships": !items.isEmpty,
        ]
        if page.nextCursor != nil {
            object["more"] = words.more.replacingOccurrences(of: "{count}", with: "\(Self.limit)")
        }
        return shell.respond(title: words.heading, content: template.render(object), context: context)
    }
}
