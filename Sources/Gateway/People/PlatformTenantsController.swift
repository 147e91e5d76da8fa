import Foundation
import HTTPTypes
import Hummingbird
import Postgres
import Vocabulary

/// `GET|POST /api/v1/platform/tenants`, `GET /api/v1/platform/tenants/{id}`: the registry of municipalities,
/// for platform administrators.
struct PlatformTenantsController {
    var routes: RouteCollection<GatewayRequestContext> {
        let routes = RouteCollection(context: GatewayRequestContext.self)
        routes.get("platform/tenants") { request, context in try await Self.list(request, context) }
        routes.post("platform/tenants") { request, context in try await Self.create(request, context) }
        routes.get("platform/tenants/:id") { _, context in try await Self.show(context) }
        return routes
    }

    struct NewTenant: RequestBody {
        static let fields: Set<String> = ["slug", "name", "adminEmail", "adminName", "locale", "timeZone"]
        var slug: String
        var name: String
        var adminEmail: String
        var adminName: String?
        var locale: String?
        var timeZone: String?

        func validate() -> [Problem.FieldError] {
            do {
                try Tenancy.validateNewTenant(
                    slug: slug,
                    name: name,
                    adminEmail: adminEmail,
                    adminName: adminName,
                    locale: locale ?? Language.default.rawValue,
                    timeZone: timeZone ?? "Europe/Brussels"
                )
                return []
            } catch {
                return error.errors
            }
        }
    }

    struct Created: ResponseEncodable {
        var tenant: TenantRecord
        var user: UserRecord
        var token: String
    }

    struct Page: ResponseEncodable {
        var items: [TenantRecord]
        var nextCursor: String?
    }

    static func requirePlatformAdmin(_ context: GatewayRequestContext) throws {
        // Tenant users are told nothing exists here: the routes are not theirs to discover.
        guard try context.requireIdentity().role == .platformAdmin else { throw Problem.notFound() }
    }

    static func list(_ request: Request, _ context: GatewayRequestContext) async throws -> Page {
        try requirePlatformAdmin(context)
        let (limit, after) = try Pagination.read(request)
        let rows = try await context.requireConnection().query(
            """
            SELECT \(unsafeSQL: TenantRecord.columns), created_at
            FROM platform.tenants
            WHERE \(after?.date)::timestamptz IS NULL OR (created_at, id) > (\(after?.date)::timestamptz, \(after?.id)::uuid)
            ORDER BY created_at, id
            LIMIT \(limit + 1)
            """
        )
        var items: [TenantRecord] = []
        var last: (Date, UUID)?
        for row in rows.prefix(limit) {
            let tenant = try TenantRecord(row: row)
            items.append(tenant)
            last = (try row.decode(Date.self, column: TenantRecord.columnCount), tenant.id)
        }
        return Page(
            items: items, nextCursor: rows.count > limit ? last.map { Pagination.cursor(date: $0.0, id: $0.1) } : nil)
    }

    static func show(_ context: GatewayRequestContext) async throws -> TenantRecord {
        try requirePlatformAdmin(context)
        // A malformed id is as missing as an unknown one.
        guard let text = context.parameters.get("id"), let id = UUID(uuidString: text) else {
            throw Problem.notFound("no such tenant")
        }
        let rows = try await context.requireConnection().query(
            "SELECT \(unsafeSQL: TenantRecord.columns) FROM platform.tenants WHERE id = \(id)"
        )
        guard let row = rows.first else { throw Problem.notFound("no such tenant") }
        return try TenantRecord(row: row)
    }

    static func create(_ request: Request, _ context: GatewayRequestContext) async throws -> EditedResponse<Created> {
        try requirePlatformAdmin(context)
        let body = try await request.decodeBody(NewTenant.self, context: context)
        let (tenant, user, token) = try await createTenant(body, on: try context.requireConnection())
        var headers = HTTPFields()
        // The answer carries the administrator's token, shown once: no cache may keep it.
        headers[.cacheControl] = "no-store"
        headers[.location] = "/api/v1/platform/tenants/\(tenant.id.uuidString.lowercased())"
        return EditedResponse(
            status: .created,
            headers: headers,
            response: Created(tenant: tenant, user: user, token: token.value)
        )
    }

    /// Creates the municipality and its first administrator: the one operation behind `POST
    /// /api/v1/platform/tenants` and the form on `/platform`. A taken slug is a 409 ``Problem`` on `slug`.
    static func createTenant(_ body: NewTenant, on connection: PostgresConnection) async throws
        -> (TenantRecord, UserRecord, APIToken)
    {
        do {
            return try await Tenancy.createTenant(
                slug: body.slug,
                name: body.name,
                adminEmail: body.adminEmail,
                adminName: body.adminName ?? Tenancy.defaultAdministratorName(forEmail: body.adminEmail),
                locale: body.locale ?? Language.default.rawValue,
                timeZone: body.timeZone ?? "Europe/Brussels",
                on: connection
            )
        } catch let error as PostgresError where error.sqlState == .uniqueViolation {
            throw Problem.conflict(
                "a tenant with this slug exists",
                errors: [.init(field: "slug", message: "is already used")]
            )
        }
    }
}

extension TenantRecord: ResponseEncodable {}
