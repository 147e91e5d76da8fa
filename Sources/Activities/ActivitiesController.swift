import ActivitiesContracts
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import Postgres
import ReferenceData
import Vocabulary

/// `/api/v1/…activities…`: recording activities, changing them, and their progress updates; an adapter that
/// decodes the request, calls ``ActivitiesService`` and encodes its answer.
struct ActivitiesController: Sendable {
    let service: ActivitiesService

    var routes: RouteCollection<GatewayRequestContext> {
        let routes = RouteCollection(context: GatewayRequestContext.self)
        routes.post("partnerships/:id/activities") { request, context in try await create(request, context) }
        routes.get("activities") { request, context in try await list(request, context) }
        routes.get("activities/:id") { _, context in try await show(context) }
        routes.patch("activities/:id") { request, context in try await update(request, context) }
        routes.delete("activities/:id") { _, context in try await delete(context) }
        routes.post("activities/:id/updates") { request, context in try await postUpdate(request, context) }
        routes.get("activities/:id/updates") { request, context in try await listUpdates(request, context) }
        routes.post("imports/activities") { request, context in try await importCSV(request, context) }
        return routes
    }

    struct Imported: ResponseEncodable {
        var imported: Int
        var ids: [UUID]
    }

    static func respond(_ record: ActivityRecord, status: HTTPResponse.Status = .ok) -> EditedResponse<ActivityRecord> {
        var headers = HTTPFields()
        headers[.eTag] = "\"\(record.version)\""
        if status == .created { headers[.location] = "/api/v1/activities/\(record.id.uuidString.lowercased())" }
        return EditedResponse(status: status, headers: headers, response: record)
    }

    // MARK: Routes

    func create(_ request: Request, _ context: GatewayRequestContext) async throws -> EditedResponse<ActivityRecord> {
        let access = try TenantAccess(context)
        let partnershipID = try ActivityRequest.pathID(context, "partnership")
        let record = try await service.create(
            try await request.decodeBody(NewActivity.self, context: context), in: partnershipID, access: access,
            on: try context.requireConnection())
        return Self.respond(record, status: .created)
    }

    func show(_ context: GatewayRequestContext) async throws -> EditedResponse<ActivityRecord> {
        let access = try TenantAccess(context)
        let id = try ActivityRequest.pathID(context, "activity")
        return Self.respond(try await service.activity(id, access: access, on: try context.requireConnection()))
    }

    func list(_ request: Request, _ context: GatewayRequestContext) async throws -> ActivityPage {
        let access = try TenantAccess(context)
        let query = request.queryParameters
        let filter = try ActivityRequest.filter { query.get($0) }
        let (limit, after) = try Pagination.read(request)
        return try await service.list(
            filter, limit: limit, after: after, access: access, on: try context.requireConnection())
    }

    func update(_ request: Request, _ context: GatewayRequestContext) async throws -> EditedResponse<ActivityRecord> {
        let access = try TenantAccess(context)
        let id = try ActivityRequest.pathID(context, "activity")
        let record = try await service.update(
            id,
            with: (try await request.decodeBody(ActivityChanges.self, context: context), try IfMatch.version(request)),
            access: access, on: try context.requireConnection())
        return Self.respond(record)
    }

    func delete(_ context: GatewayRequestContext) async throws -> Response {
        let access = try TenantAccess(context)
        let id = try ActivityRequest.pathID(context, "activity")
        try await service.delete(id, access: access, on: try context.requireConnection())
        return Response(status: .noContent)
    }

    func postUpdate(_ request: Request, _ context: GatewayRequestContext) async throws -> EditedResponse<ProgressUpdate>
    {
        let access = try TenantAccess(context)
        let id = try ActivityRequest.pathID(context, "activity")
        let update = try await service.postUpdate(
            try await request.decodeBody(NewProgressUpdate.self, context: context), on: id, access: access,
            on: try context.requireConnection())
        return EditedResponse(status: .created, response: update)
    }

    func listUpdates(_ request: Request, _ context: GatewayRequestContext) async throws -> ProgressUpdatePage {
        let access = try TenantAccess(context)
        let id = try ActivityRequest.pathID(context, "activity")
        let (limit, before) = try Pagination.read(request)
        return try await service.updates(
            of: id, limit: limit, before: before, access: access, on: try context.requireConnection())
    }

    /// `POST /api/v1/imports/activities`: activities from a spreadsheet, all or nothing (see
    /// ``ActivitiesService/importCSV(_:access:on:progress:)``).
    func importCSV(_ request: Request, _ context: GatewayRequestContext) async throws -> EditedResponse<Imported> {
        let access = try TenantAccess(context)
        let connection = try context.requireConnection()
        let ids = try await service.importCSV(try await Self.collect(request), access: access, on: connection)
        return EditedResponse(status: .created, response: Imported(imported: ids.count, ids: ids))
    }

    /// The file a request carries, up to ``ActivityImporter/maximumImportSize``.
    static func collect(_ request: Request) async throws -> Data {
        do {
            return Data(try await request.body.collect(upTo: ActivityImporter.maximumImportSize).readableBytesView)
        } catch {
            throw Problem.payloadTooLarge(limit: ActivityImporter.maximumImportSize)
        }
    }
}
