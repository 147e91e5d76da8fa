import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import Postgres

/// `/api/v1/…results…`, `/api/v1/…indicators…` and `/api/v1/…periods…`: defining results of activities and
/// partnerships, their indicators and reporting periods, changing and deleting them, and reporting, approving
/// and returning the periods' values; an adapter that decodes the request, calls ``ResultsService`` and
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
        routes.post("indicators/:id/periods") { request, context in try await definePeriod(request, context) }
        routes.get("periods/:id") { _, context in try await showPeriod(context) }
        routes.patch("periods/:id") { request, context in try await changePeriod(request, context) }
        routes.delete("periods/:id") { _, context in try await deletePeriod(context) }
        routes.put("periods/:id/actual") { request, context in try await report(request, context) }
        routes.post("periods/:id/approve") { request, context in try await approve(request, context) }
        routes.post("periods/:id/return") { request, context in try await returnValue(request, context) }
        routes.post("imports/results") { request, context in try await importCSV(request, context) }
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

    // MARK: Periods

    func definePeriod(_ request: Request, _ context: GatewayRequestContext) async throws
        -> EditedResponse<PeriodRecord>
    {
        let access = try TenantAccess(context)
        let record = try await service.define(
            try await request.decodeBody(NewPeriod.self, context: context),
            ofIndicator: try Self.pathID(context, "indicator"), access: access, on: try context.requireConnection())
        return Self.respond(
            record, version: record.version, location: "/api/v1/periods/\(record.id.uuidString.lowercased())")
    }

    func showPeriod(_ context: GatewayRequestContext) async throws -> EditedResponse<PeriodRecord> {
        let access = try TenantAccess(context)
        let record = try await service.period(
            try Self.pathID(context, "period"), access: access, on: try context.requireConnection())
        return Self.respond(record, version: record.version)
    }

    func changePeriod(_ request: Request, _ context: GatewayRequestContext) async throws
        -> EditedResponse<PeriodRecord>
    {
        let access = try TenantAccess(context)
        let record = try await service.change(
            try Self.pathID(context, "period"),
            with: (try await request.decodeBody(PeriodChanges.self, context: context), try IfMatch.version(request)),
            access: access, on: try context.requireConnection())
        return Self.respond(record, version: record.version)
    }

    func deletePeriod(_ context: GatewayRequestContext) async throws -> Response {
        let access = try TenantAccess(context)
        try await service.deletePeriod(
            try Self.pathID(context, "period"), access: access, on: try context.requireConnection())
        return Response(status: .noContent)
    }

    func report(_ request: Request, _ context: GatewayRequestContext) async throws -> EditedResponse<PeriodRecord> {
        let access = try TenantAccess(context)
        let record = try await service.report(
            (try await request.decodeBody(ActualInput.self, context: context), try IfMatch.version(request)),
            for: try Self.pathID(context, "period"), access: access, on: try context.requireConnection())
        return Self.respond(record, version: record.version)
    }

    func approve(_ request: Request, _ context: GatewayRequestContext) async throws -> EditedResponse<PeriodRecord> {
        let access = try TenantAccess(context)
        let record = try await service.approve(
            try Self.pathID(context, "period"),
            with: (
                try await Self.decodeOptionalBody(request, context, empty: ApprovalInput()),
                try IfMatch.version(request)
            ),
            access: access, on: try context.requireConnection())
        return Self.respond(record, version: record.version)
    }

    func returnValue(_ request: Request, _ context: GatewayRequestContext) async throws
        -> EditedResponse<PeriodRecord>
    {
        let access = try TenantAccess(context)
        let record = try await service.returnValue(
            try Self.pathID(context, "period"),
            with: (try await request.decodeBody(ReturnInput.self, context: context), try IfMatch.version(request)),
            access: access, on: try context.requireConnection())
        return Self.respond(record, version: record.version)
    }

    /// A body that may be left out: no bytes at all (or only white space) is `empty`, anything else is read
    /// and checked as ``Request/decodeBody(_:context:)`` reads it.
    static func decodeOptionalBody<Body: Gateway.RequestBody>(
        _ request: Request, _ context: GatewayRequestContext, empty: Body
    ) async throws -> Body {
        guard let buffer = try? await request.body.collect(upTo: maximumRequestBodySize) else {
            throw Problem.payloadTooLarge()
        }
        if buffer.readableBytesView.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) { return empty }
        var request = request
        request.body = Hummingbird.RequestBody(buffer: buffer)
        return try await request.decodeBody(Body.self, context: context)
    }

    // MARK: Import

    /// What `POST /api/v1/imports/results` answers: how many results, indicators and periods it wrote.
    struct Imported: ResponseEncodable {
        var imported: ImportedResults
    }

    /// `POST /api/v1/imports/results`: results from a spreadsheet, all or nothing (see
    /// ``ResultsService/importCSV(_:access:on:)``).
    func importCSV(_ request: Request, _ context: GatewayRequestContext) async throws -> EditedResponse<Imported> {
        let access = try TenantAccess(context)
        let imported = try await service.importCSV(
            try await Self.collect(request), access: access, on: try context.requireConnection())
        return EditedResponse(status: .created, response: Imported(imported: imported))
    }

    /// The file a request carries, up to the imports' limit (16 MiB).
    static func collect(_ request: Request) async throws -> Data {
        do {
            return Data(try await request.body.collect(upTo: maximumImportRequestBodySize).readableBytesView)
        } catch {
            throw Problem.payloadTooLarge(limit: maximumImportRequestBodySize)
        }
    }
}
