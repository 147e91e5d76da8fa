import Foundation
import Gateway
import HTTPTypes
import Postgres

/// A municipality with one user and a token, made directly in the database for tests.
public struct TestTenant: Sendable {
    public let tenantID: UUID
    public let userID: UUID
    public let token: APIToken

    /// `Authorization: Bearer …` for this tenant's user.
    public var authorization: String { "Bearer \(token.value)" }

    /// Creates the tenant (if its slug is new), a user with `role`, and a token.
    public static func create(
        in database: TestDatabase,
        slug: String,
        role: Identity.Role = .admin,
        email: String? = nil
    ) async throws -> TestTenant {
        let admin = try await database.connectAsAdmin()
        let tenantID = try await admin.query(
            """
            INSERT INTO platform.tenants (slug, name) VALUES (\(slug), \(slug.capitalized))
            ON CONFLICT (slug) DO UPDATE SET name = excluded.name RETURNING id
            """
        )[0].decode(UUID.self, column: 0)
        let userID = try await admin.query(
            """
            INSERT INTO platform.users (tenant_id, email, name, role, locale, time_zone)
            VALUES (\(tenantID), \(email ?? "\(role.rawValue)-\(UUID().uuidString.prefix(6))@\(slug).be"),
                    \("Test \(role.rawValue)"), \(role.rawValue), 'nl', 'Europe/Brussels')
            RETURNING id
            """
        )[0].decode(UUID.self, column: 0)
        let token = APIToken.generate()
        try await Tenancy.insertToken(token, tenantID: tenantID, userID: userID, name: "test", on: admin)
        await admin.close()
        return TestTenant(tenantID: tenantID, userID: userID, token: token)
    }
}

/// A platform administrator with an API token, made as `stedenband platform-admin create` and a token make one.
public enum TestPlatformAdmin {
    /// The administrator `email` of the instance on `database`; answers the `Authorization` header of its token.
    public static func create(in database: TestDatabase, email: String = "ops@platform.example.org") async throws
        -> HTTPFields
    {
        let admin = try await database.connectAsAdmin()
        let token = APIToken.generate()
        try await admin.withTransaction { connection in
            let id = try await connection.query(
                "INSERT INTO platform.platform_admins (email, name) VALUES (\(email), 'Ops') RETURNING id"
            )[0].decode(UUID.self, column: 0)
            try await Tenancy.insertToken(token, platformAdminID: id, name: "test", on: connection)
        }
        await admin.close()
        return [.authorization: "Bearer \(token.value)"]
    }
}
