import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import Postgres

/// `/api/v1/activities/{id}/lessons`, `/api/v1/lessons/{id}` and `/api/v1/policy-domains`: writing, reading,
/// changing and deleting what each side of a partnership learnt, and the instance's policy domains; an adapter
/// that decodes the request, calls ``LearningService`` and encodes its answer.
struct LearningController: Sendable {
    let service: LearningService

    var routes: RouteCollection<GatewayRequestContext> {
        let routes = RouteCollection(context: GatewayRequestContext.self)
        routes.get("activities/:id/lessons") { request, context in try await list(request, context) }
        routes.post("activities/:id/lessons") { request, context in try await write(request, context) }
        routes.get("lessons/:id") { _, context in try await show(context) }
        routes.patch("lessons/:id") { request, context in try await change(request, context) }
        routes.delete("lessons/:id") { _, context in try await delete(context) }
        routes.get("policy-domains") { _, context in try await policyDomains(context) }
        return routes
    }

    /// The id in the path; 404 naming `what` when it is not one.
    static func pathID(_ context: GatewayRequestContext, _ what: String) throws -> UUID {
        guard let text = context.parameters.get("id"), let id = UUID(uuidString: text) else {
            throw Problem.notFound("no such \(what)")
        }
        return id
    }

    /// The lesson with its `ETag`, and its `Location` when it was written.
    static func respond(_ record: LessonRecord, created: Bool = false) -> EditedResponse<LessonRecord> {
        var headers = HTTPFields()
        headers[.eTag] = "\"\(record.version)\""
        if created { headers[.location] = "/api/v1/lessons/\(record.id.uuidString.lowercased())" }
        return EditedResponse(status: created ? .created : .ok, headers: headers, response: record)
    }

    func list(_ request: Request, _ context: GatewayRequestContext) async throws -> LessonPage {
        let access = try TenantAccess(context)
        let (limit, after) = try Pagination.read(request)
        return try await service.lessons(
            of: try Self.pathID(context, "activity"), limit: limit, after: after, access: access,
            on: try context.requireConnection())
    }

    func write(_ request: Request, _ context: GatewayRequestContext) async throws -> EditedResponse<LessonRecord> {
        let access = try TenantAccess(context)
        let record = try await service.write(
            try await request.decodeBody(NewLesson.self, context: context),
            on: try Self.pathID(context, "activity"), access: access, on: try context.requireConnection())
        return Self.respond(record, created: true)
    }

    func show(_ context: GatewayRequestContext) async throws -> EditedResponse<LessonRecord> {
        let access = try TenantAccess(context)
        return Self.respond(
            try await service.lesson(
                try Self.pathID(context, "lesson"), access: access, on: try context.requireConnection()))
    }

    func change(_ request: Request, _ context: GatewayRequestContext) async throws -> EditedResponse<LessonRecord> {
        let access = try TenantAccess(context)
        let record = try await service.change(
            try Self.pathID(context, "lesson"),
            with: (try await request.decodeBody(LessonChanges.self, context: context), try IfMatch.version(request)),
            access: access, on: try context.requireConnection())
        return Self.respond(record)
    }

    func delete(_ context: GatewayRequestContext) async throws -> Response {
        let access = try TenantAccess(context)
        try await service.delete(
            try Self.pathID(context, "lesson"), access: access, on: try context.requireConnection())
        return Response(status: .noContent)
    }

    /// Any signed-in caller, a platform administrator too: the list is the instance's, not a municipality's.
    func policyDomains(_ context: GatewayRequestContext) async throws -> PolicyDomainList {
        _ = try context.requireIdentity()
        return try await service.policyDomains(on: try context.requireConnection())
    }
}
