import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import PartnershipsContracts
import ReferenceData
import Vocabulary

/// `/api/v1/partnerships…`: registering and managing stedenbanden; an adapter that decodes the request, calls
/// ``PartnershipsService`` and encodes its answer.
struct PartnershipsController: Sendable {
    let service: PartnershipsService

    var routes: RouteCollection<GatewayRequestContext> {
        let routes = RouteCollection(context: GatewayRequestContext.self)
        routes.post("partnerships") { request, context in try await create(request, context) }
        routes.get("partnerships") { request, context in try await list(request, context) }
        routes.get("partnerships/:id") { _, context in try await show(context) }
        routes.patch("partnerships/:id") { request, context in try await update(request, context) }
        routes.delete("partnerships/:id") { _, context in try await delete(context) }
        routes.post("partnerships/:id/members") { request, context in try await addMember(request, context) }
        routes.delete("partnerships/:id/members/:userId") { _, context in try await removeMember(context) }
        return routes
    }

    static func respond(_ record: PartnershipRecord, status: HTTPResponse.Status = .ok)
        -> EditedResponse<PartnershipRecord>
    {
        var headers = HTTPFields()
        headers[.eTag] = "\"\(record.version)\""
        if status == .created { headers[.location] = "/api/v1/partnerships/\(record.id.uuidString.lowercased())" }
        return EditedResponse(status: status, headers: headers, response: record)
    }

    // MARK: Reading

    func show(_ context: GatewayRequestContext) async throws -> EditedResponse<PartnershipRecord> {
        let access = try TenantAccess(context)
        return Self.respond(
            try await service.partnership(
                try PartnershipRequest.pathID(context), access: access, on: try context.requireConnection())
        )
    }

    func list(_ request: Request, _ context: GatewayRequestContext) async throws -> PartnershipPage {
        let access = try TenantAccess(context)
        let query = request.queryParameters
        let filter = try PartnershipFilter.checked(
            status: query.get("status"), country: query.get("country"), sdg: query.get("sdg"))
        let (limit, after) = try Pagination.read(request)
        return try await service.list(
            filter, limit: limit, after: after,
            access: access, on: try context.requireConnection())
    }

    // MARK: Writing

    func create(_ request: Request, _ context: GatewayRequestContext) async throws -> EditedResponse<PartnershipRecord>
    {
        let access = try TenantAccess(context)
        let record = try await service.create(
            try await request.decodeBody(NewPartnership.self, context: context), access: access,
            on: try context.requireConnection())
        return Self.respond(record, status: .created)
    }

    func update(_ request: Request, _ context: GatewayRequestContext) async throws -> EditedResponse<PartnershipRecord>
    {
        let access = try TenantAccess(context)
        let id = try PartnershipRequest.pathID(context)
        let record = try await service.update(
            id,
            with: (
                try await request.decodeBody(PartnershipChanges.self, context: context), try IfMatch.version(request)
            ),
            access: access, on: try context.requireConnection())
        return Self.respond(record)
    }

    func delete(_ context: GatewayRequestContext) async throws -> Response {
        let access = try TenantAccess(context)
        let id = try PartnershipRequest.pathID(context)
        try await service.delete(id, access: access, on: try context.requireConnection())
        return Response(status: .noContent)
    }

    func addMember(_ request: Request, _ context: GatewayRequestContext) async throws -> EditedResponse<
        PartnershipRecord
    > {
        let access = try TenantAccess(context)
        let id = try PartnershipRequest.pathID(context)
        let record = try await service.addMember(
            try await request.decodeBody(NewMember.self, context: context), to: id, access: access,
            on: try context.requireConnection())
        return Self.respond(record, status: .created)
    }

    func removeMember(_ context: GatewayRequestContext) async throws -> Response {
        let access = try TenantAccess(context)
        let id = try PartnershipRequest.pathID(context)
        let userID = try PartnershipRequest.pathID(context, "userId")
        try await service.removeMember(userID, from: id, access: access, on: try context.requireConnection())
        return Response(status: .noContent)
    }
}
