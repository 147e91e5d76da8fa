import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import Postgres

/// `/api/v1/…results…` and `/api/v1/…indicators…`: defining results of activities and partnerships, their
/// indicators, changing and deleting them; an adapter that decodes the request, calls ``ResultsService`` and
/// encodes its answer.
struct ResultsController: Sendable {
    let service: ResultsService

    var routes: RouteCollection<GatewayRequestContext> {
        let routes = RouteCollection(context: GatewayRequestContext.self)
        routes.get("activities/:id/results") { request, context in
            try await list(request, context, parent: .activity(try Self.pathID(context, "activity")))
        }
        routes.post("activities/:id/results") { request, context in
            try await define(request, context, parent: .activity(try Self.pathID(context, "activity")))
        }
        routes.get("partnerships/:id/results") { request, context in
            try await list(request, context, parent: .partnership(try Self.pathID(context, "partnership")))
        }
        routes.post("partnerships/:id/results") { request, context in
            try await define(request, context, parent: .partnership(try Self.pathID(context, "partnership")))
        }
        routes.get("results/:id") { _, context in try await showResult(context) }
        routes.patch("results/:id") { request, context in try await changeResult(request, context) }
        routes.delete("results/:id") { _, context in try await deleteResult(context) }
        routes.post("results/:id/indicators") { request, context in try await defineIndicator(request, context) }
        routes.get("indicators/:id") { _, context in try await showIndicator(context) }
        routes.patch("indicators/:id") { request, context in try await changeIndicator(request, context) }
        routes.delete("indicators/:id") { _, context in try await deleteIndicator(context) }
        return routes
    }

    /// The id in the path; 404 naming `what` when it is not one.
    static func pathID(_ context: GatewayRequestContext, _ what: String) throws -> UUID {
        guard let text = context.parameters.get("id"), let id = UUID(uuidString: text) else {
            throw Problem.notFound("no such \(what)")
        }
        return id
    }

    /// The answer with its `ETag`, and its `Location` when it was created.
    static func respond<Record: ResponseEncodable>(
        _ record: Record, version: Int, location: String? = nil
    ) -> EditedResponse<Record> {
        var headers = HTTPFields()
        headers[.eTag] = "\"\(version)\""
        if let location { headers[.location] = location }
        return EditedResponse(status: location == nil ? .ok : .created, headers: headers, response: record)
    }

    // MARK: Results

    func list(_ request: Request, _ context: GatewayRequestContext, parent: ResultParent) async throws -> ResultPage {
        let access = try TenantAccess(context)
        let (limit, after) = try Pagination.read(request)
        return try await service.results(
            of: parent, limit: limit, after: after, access: access, on: try context.requireConnection())
    }

    func define(_ request: Request, _ context: GatewayRequestContext, parent: ResultParent) async throws
        -> EditedResponse<ResultRecord>
    {
        let access = try TenantAccess(context)
        let record = try await service.define(
            try await request.decodeBody(NewResult.self, context: context), in: parent, access: access,
            on: try context.requireConnection())
        return Self.respond(
            record, version: record.version, location: "/api/v1/results/\(record.id.uuidString.lowercased())")
    }

    func showResult(_ context: GatewayRequestContext) async throws -> EditedResponse<ResultRecord> {
        let access = try TenantAccess(context)
        let record = try await service.result(
            try Self.pathID(context, "result"), access: access, on: try context.requireConnection())
        return Self.respond(record, version: record.version)
    }

    func changeResult(_ request: Request, _ context: GatewayRequestContext) async throws
        -> EditedResponse<ResultRecord>
    {
        let access = try TenantAccess(context)
        let record = try await service.change(
            try Self.pathID(context, "result"),
            with: (try await request.decodeBody(ResultChanges.self, context: context), try IfMatch.version(request)),
            access: access, on: try context.requireConnection())
        return Self.respond(record, version: record.version)
    }

    func deleteResult(_ context: GatewayRequestContext) async throws -> Response {
        let access = try TenantAccess(context)
        try await service.deleteResult(
            try Self.pathID(context, "result"), access: access, on: try context.requireConnection())
        return Response(status: .noContent)
    }

    // MARK: Indicators

    func defineIndicator(_ request: Request, _ context: GatewayRequestContext) async throws
        -> EditedResponse<IndicatorRecord>
    {
        let access = try TenantAccess(context)
        let record = try await service.define(
            try await request.decodeBody(NewIndicator.self, context: context), of: try Self.pathID(context, "result"),
            access: access, on: try context.requireConnection())
        return Self.respond(
            record, version: record.version, location: "/api/v1/indicators/\(record.id.uuidString.lowercased())")
    }

    func showIndicator(_ context: GatewayRequestContext) async throws -> EditedResponse<IndicatorRecord> {
        let access = try TenantAccess(context)
        let record = try await service.indicator(
            try Self.pathID(context, "indicator"), access: access, on: try context.requireConnection())
        return Self.respond(record, version: record.version)
    }

    func changeIndicator(_ request: Request, _ context: GatewayRequestContext) async throws
        -> EditedResponse<IndicatorRecord>
    {
        let access = try TenantAccess(context)
        let record = try await service.change(
            try Self.pathID(context, "indicator"),
            with: (
                try await request.decodeBody(IndicatorChanges.self, context: context), try IfMatch.version(request)
            ),
            access: access, on: try context.requireConnection())
        return Self.respond(record, version: record.version)
    }

    func deleteIndicator(_ context: GatewayRequestContext) async throws -> Response {
        let access = try TenantAccess(context)
        try await service.deleteIndicator(
            try Self.pathID(context, "indicator"), access: access, on: try context.requireConnection())
        return Response(status: .noContent)
    }
}
