import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import Kernel
import Messaging
import PartnershipsContracts
import Postgres
import ReferenceData

/// `/api/v1/partnerships…`: registering and managing stedenbanden.
struct PartnershipsController: Sendable {
    let publisher: EventPublisher

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

    struct Page: ResponseEncodable {
        var items: [PartnershipRecord]
        var nextCursor: String?
    }

    // MARK: Reading

    static func pathID(_ context: GatewayRequestContext, _ name: String = "id") throws -> UUID {
        guard let text = context.parameters.get(name), let id = UUID(uuidString: text) else {
            throw Problem.notFound("no such partnership")
        }
        return id
    }

    /// The partnership if this caller may see it; `FOR UPDATE` when about to change it.
    static func load(_ id: UUID, _ access: TenantAccess, on connection: PostgresConnection, lock: Bool = false)
        async throws
        -> PartnershipRecord
    {
        let rows = try await connection.query(
            """
            SELECT \(unsafeSQL: PartnershipRecord.columns) FROM partnerships.partnerships p
            WHERE p.id = \(id) AND \(fragment: access.scope.partnerships(partnership: "p.id"))
            \(unsafeSQL: lock ? "FOR UPDATE OF p" : "")
            """
        )
        guard let row = rows.first else { throw Problem.notFound("no such partnership") }
        return try PartnershipRecord(row: row)
    }

    static func respond(_ record: PartnershipRecord, status: HTTPResponse.Status = .ok)
        -> EditedResponse<PartnershipRecord>
    {
        var headers = HTTPFields()
        headers[.eTag] = "\"\(record.version)\""
        if status == .created { headers[.location] = "/api/v1/partnerships/\(record.id.uuidString.lowercased())" }
        return EditedResponse(status: status, headers: headers, response: record)
    }

    func show(_ context: GatewayRequestContext) async throws -> EditedResponse<PartnershipRecord> {
        let access = try TenantAccess(context)
        return Self.respond(try await Self.load(try Self.pathID(context), access, on: try context.requireConnection()))
    }

    func list(_ request: Request, _ context: GatewayRequestContext) async throws -> Page {
        let access = try TenantAccess(context)
        let query = request.queryParameters
        var errors: [Problem.FieldError] = []
        let status = query.get("status")
        errors += FieldCheck.oneOf(status, PartnershipRules.statuses, field: "status")
        let country = query.get("country")
        if let country, !Countries.isValid(country) {
            errors.append(.init(field: "country", message: "must be an ISO 3166-1 alpha-2 code"))
        }
        var sdg: Int?
        if let text = query.get("sdg") {
            sdg = Int(text)
            if sdg.map({ !(1...17).contains($0) }) ?? true {
                errors.append(.init(field: "sdg", message: "must be a goal from 1 to 17"))
            }
        }
        if !errors.isEmpty { throw Problem.validation(errors) }
        let (limit, after) = try Pagination.read(request)
        let rows = try await context.requireConnection().query(
            """
            SELECT \(unsafeSQL: PartnershipRecord.columns) FROM partnerships.partnerships p
            WHERE (\(status)::text IS NULL OR p.status = \(status))
              AND (\(country)::text IS NULL OR p.partner_country = \(country))
              AND (\(sdg)::int IS NULL OR \(sdg)::smallint = ANY(p.sdg_focus))
              AND (\(after?.date)::timestamptz IS NULL
                   OR (p.created_at, p.id) > (\(after?.date)::timestamptz, \(after?.id)::uuid))
              AND \(fragment: access.scope.partnerships(partnership: "p.id"))
            ORDER BY p.created_at, p.id
            LIMIT \(limit + 1)
            """
        )
        let items = try rows.prefix(limit).map(PartnershipRecord.init(row:))
        let next = rows.count > limit ? items.last.map { Pagination.cursor(date: $0.createdAt, id: $0.id) } : nil
        return Page(items: items, nextCursor: next)
    }

    // MARK: Writing

    func create(_ request: Request, _ context: GatewayRequestContext) async throws -> EditedResponse<PartnershipRecord>
    {
        let access = try TenantAccess(context)
        try access.requireWrite("partnerships")
        let body = try await request.decodeBody(NewPartnership.self, context: context)
        let connection = try context.requireConnection()
        let id = UUID.timeOrdered()
        let now = Date()
        try await connection.query(
            """
            INSERT INTO partnerships.partnerships (tenant_id, id, title, partner_name, partner_country, partner_region,
                partner_website, status, started_on, ended_on, description, sdg_focus, created_at, updated_at)
            VALUES (\(access.tenantID), \(id), \(body.title), \(body.partner.name), \(body.partner.country),
                \(body.partner.region), \(body.partner.website), \(body.status ?? "exploring"), \(body.startedOn),
                \(body.endedOn), \(body.description ?? ""), \((body.sdgFocus ?? []).sorted())::smallint[], \(now), \(now))
            """
        )
        let record = try await Self.load(id, access, on: connection)
        try await publisher.publish(PartnershipCreated(partnership: record.state), as: access, in: connection)
        return Self.respond(record, status: .created)
    }

    func update(_ request: Request, _ context: GatewayRequestContext) async throws -> EditedResponse<PartnershipRecord>
    {
        let access = try TenantAccess(context)
        let id = try Self.pathID(context)
        let connection = try context.requireConnection()
        let current = try await Self.load(id, access, on: connection, lock: true)
        try access.requireWrite("partnerships")
        let body = try await request.decodeBody(PartnershipChanges.self, context: context)
        if let expected = try IfMatch.version(request), expected != current.version {
            throw Problem.preconditionFailed(current: current.version)
        }
        let startedOn = body.startedOn.applied(to: current.startedOn)
        let endedOn = body.endedOn.applied(to: current.endedOn)
        let dateErrors = PartnershipRules.dates(startedOn, endedOn)
        if !dateErrors.isEmpty { throw Problem.validation(dateErrors) }
        var changed: [String] = []
        if let title = body.title, title != current.title { changed.append("title") }
        if let partner = body.partner, partner != current.partner { changed.append("partner") }
        if let status = body.status, status != current.status { changed.append("status") }
        if startedOn != current.startedOn { changed.append("startedOn") }
        if endedOn != current.endedOn { changed.append("endedOn") }
        if let description = body.description, description != current.description { changed.append("description") }
        if let focus = body.sdgFocus, focus.sorted() != current.sdgFocus { changed.append("sdgFocus") }
        guard !changed.isEmpty else { return Self.respond(current) }
        let partner = body.partner ?? current.partner
        try await connection.query(
            """
            UPDATE partnerships.partnerships SET
                title = \(body.title ?? current.title), partner_name = \(partner.name),
                partner_country = \(partner.country), partner_region = \(partner.region),
                partner_website = \(partner.website), status = \(body.status ?? current.status),
                started_on = \(startedOn), ended_on = \(endedOn),
                description = \(body.description ?? current.description),
                sdg_focus = \((body.sdgFocus ?? current.sdgFocus).sorted())::smallint[],
                version = version + 1, updated_at = \(Date())
            WHERE id = \(id)
            """
        )
        let record = try await Self.load(id, access, on: connection)
        try await publisher.publish(
            PartnershipUpdated(partnership: record.state, changedFields: changed), as: access, in: connection)
        if record.status != current.status {
            try await publisher.publish(
                PartnershipStatusChanged(partnership: record.state, previousStatus: current.status), as: access,
                in: connection)
        }
        return Self.respond(record)
    }

    func delete(_ context: GatewayRequestContext) async throws -> Response {
        let access = try TenantAccess(context)
        let id = try Self.pathID(context)
        let connection = try context.requireConnection()
        let current = try await Self.load(id, access, on: connection, lock: true)
        guard access.identity.role == .admin else {
            throw Problem.forbidden("only administrators delete partnerships")
        }
        guard current.activityCount == 0 else {
            throw Problem.conflict("the partnership has \(current.activityCount) activities; delete them first")
        }
        try await connection.query("DELETE FROM partnerships.partnerships WHERE id = \(id)")
        var last = current.state
        last.version += 1
        try await publisher.publish(PartnershipDeleted(partnership: last), as: access, in: connection)
        return Response(status: .noContent)
    }

    func addMember(_ request: Request, _ context: GatewayRequestContext) async throws -> EditedResponse<
        PartnershipRecord
    > {
        let access = try TenantAccess(context)
        let id = try Self.pathID(context)
        let connection = try context.requireConnection()
        _ = try await Self.load(id, access, on: connection, lock: true)
        try access.requireWrite("partnerships")
        let body = try await request.decodeBody(NewMember.self, context: context)
        let user = try await connection.query(
            "SELECT 1 FROM platform.users WHERE id = \(body.userId) AND disabled_at IS NULL"
        )
        guard !user.isEmpty else {
            throw Problem.validation([.init(field: "userId", message: "is not a user of this municipality")])
        }
        try await connection.query(
            """
            INSERT INTO partnerships.members (tenant_id, partnership_id, user_id, role, added_at)
            VALUES (\(access.tenantID), \(id), \(body.userId), \(body.role), \(Date()))
            ON CONFLICT (tenant_id, partnership_id, user_id) DO UPDATE SET role = excluded.role
            """
        )
        try await connection.query(
            "UPDATE partnerships.partnerships SET version = version + 1, updated_at = \(Date()) WHERE id = \(id)"
        )
        let record = try await Self.load(id, access, on: connection)
        try await publisher.publish(
            PartnershipMemberAdded(
                partnership: record.state,
                member: PartnershipMember(userId: body.userId, role: body.role)
            ), as: access, in: connection)
        return Self.respond(record, status: .created)
    }

    func removeMember(_ context: GatewayRequestContext) async throws -> Response {
        let access = try TenantAccess(context)
        let id = try Self.pathID(context)
        let userID = try Self.pathID(context, "userId")
        let connection = try context.requireConnection()
        _ = try await Self.load(id, access, on: connection, lock: true)
        try access.requireWrite("partnerships")
        let removed = try await connection.query(
            "DELETE FROM partnerships.members WHERE partnership_id = \(id) AND user_id = \(userID)"
        )
        guard removed.affectedRows == 1 else { throw Problem.notFound("no such member") }
        try await connection.query(
            "UPDATE partnerships.partnerships SET version = version + 1, updated_at = \(Date()) WHERE id = \(id)"
        )
        let record = try await Self.load(id, access, on: connection)
        try await publisher.publish(
            PartnershipMemberRemoved(partnership: record.state, userId: userID), as: access, in: connection)
        return Response(status: .noContent)
    }
}

extension ReadScope {
    /// The scope as a condition on our own members table, given the column that holds the partnership's id:
    /// every read of partnerships goes through it.
    func partnerships(partnership column: StaticString) -> PostgresQuery {
        condition(partnership: column, members: "partnerships.members")
    }
}
