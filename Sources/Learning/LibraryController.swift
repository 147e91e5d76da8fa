import Foundation
import Gateway
import Hummingbird
import Vocabulary

/// `/api/v1/library/lessons`: every municipality's shared lessons, searched by every signed-in person of any
/// municipality (a platform administrator, who belongs to none, gets 404).
struct LibraryController: Sendable {
    let repository = LibraryRepository()

    var routes: RouteCollection<GatewayRequestContext> {
        let routes = RouteCollection(context: GatewayRequestContext.self)
        routes.get("library/lessons") { request, context in try await search(request, context) }
        routes.get("library/lessons/:id") { _, context in try await show(context) }
        return routes
    }

    func search(_ request: Request, _ context: GatewayRequestContext) async throws -> LibraryPage {
        _ = try TenantAccess(context)
        let (limit, after) = try Pagination.read(request)
        let connection = try context.requireConnection()
        let parameters = request.uri.queryParameters
        let domains = try await repository.domains(in: .en, on: connection)
        let query = try LibraryQuery({ parameters.get($0) }, domains: Set(domains.map(\.code)))
        let rows = try await repository.search(query, limit: limit + 1, after: after, on: connection)
        let page = Pagination.page(rows, limit: limit) { ($0.sharedAt, $0.id) }
        return LibraryPage(items: page.items, nextCursor: page.nextCursor)
    }

    func show(_ context: GatewayRequestContext) async throws -> LibraryLesson {
        _ = try TenantAccess(context)
        guard let text = context.parameters.get("id"), let id = UUID(uuidString: text),
            let lesson = try await repository.search(
                LibraryQuery(), lesson: id, limit: 1, after: nil, on: try context.requireConnection()
            ).first
        else { throw Problem.notFound("no such lesson in the library") }
        return lesson
    }
}
