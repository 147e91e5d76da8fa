import Foundation
import Hummingbird
import Postgres

/// `GET /api/v1/me`: who the token belongs to.
struct MeController {
    var routes: RouteCollection<GatewayRequestContext> {
        let routes = RouteCollection(context: GatewayRequestContext.self)
        routes.get("me") { _, context in try await Self.me(context) }
        return routes
    }

    struct Me: ResponseEncodable {
        var id: UUID
        var email: String
        var name: String
        var role: String
        var locale: String?
        var timeZone: String?
        var tenant: Tenant?
    }

    struct Tenant: Encodable {
        var id: UUID
        var slug: String
        var name: String
    }

    static func me(_ context: GatewayRequestContext) async throws -> Me {
        let identity = try context.requireIdentity()
        let connection = try context.requireConnection()
        if let adminID = identity.platformAdminID {
            let rows = try await connection.query(
                "SELECT email, name FROM platform.platform_admins WHERE id = \(adminID)"
            )
            guard let row = rows.first else { throw Problem.notFound() }
            let (email, name) = try row.decode((String, String).self)
            return Me(id: adminID, email: email, name: name, role: identity.role.rawValue)
        }
        guard let userID = identity.userID else { throw Problem.notFound() }
        let rows = try await connection.query(
            """
            SELECT u.email, u.name, u.role, u.locale, u.time_zone, t.id, t.slug, t.name
            FROM platform.users u JOIN platform.tenants t ON t.id = u.tenant_id
            WHERE u.id = \(userID)
            """
        )
        guard let row = rows.first else { throw Problem.notFound() }
        let (email, name, role, locale, timeZone, tenantID, slug, tenantName) = try row.decode(
            (String, String, String, String, String, UUID, String, String).self
        )
        return Me(
            id: userID,
            email: email,
            name: name,
            role: role,
            locale: locale,
            timeZone: timeZone,
            tenant: Tenant(id: tenantID, slug: slug, name: tenantName)
        )
    }
}
