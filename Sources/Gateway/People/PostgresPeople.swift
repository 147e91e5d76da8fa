import Foundation
import Postgres

/// ``People`` read from `platform.users` and `platform.tenants`, in the caller's transaction.
public struct PostgresPeople: People {
    /// Makes the reader; it holds nothing, the caller's connection does.
    public init() {}

    public func person(_ id: UUID, on connection: PostgresConnection) async throws -> Person? {
        let rows = try await connection.query(
            """
            SELECT \(unsafeSQL: Self.columns)
            FROM platform.users u JOIN platform.tenants t ON t.id = u.tenant_id
            WHERE u.id = \(id)
            """)
        return try rows.first.map(Self.person)
    }

    public func people(_ ids: [UUID], on connection: PostgresConnection) async throws -> [UUID: Person] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await connection.query(
            """
            SELECT \(unsafeSQL: Self.columns)
            FROM platform.users u JOIN platform.tenants t ON t.id = u.tenant_id
            WHERE u.id = ANY(\(ids)::uuid[])
            """)
        var found: [UUID: Person] = [:]
        found.reserveCapacity(rows.count)
        for row in rows {
            let person = try Self.person(row)
            found[person.id] = person
        }
        return found
    }

    /// The columns ``person(_:)`` reads, in order.
    static let columns = """
        u.id, u.email, u.name, u.role, u.locale, u.time_zone, u.disabled_at IS NULL,
        t.id, t.slug, t.name, t.sender_email
        """

    static func person(_ row: PostgresRow) throws -> Person {
        let (id, email, name, role, locale, timeZone, active) = try row.decode(
            (UUID, String, String, String, String, String, Bool).self)
        let (tenant, slug, tenantName, sender) = (
            try row.decode(UUID.self, column: 7), try row.decode(String.self, column: 8),
            try row.decode(String.self, column: 9), try row.decode(String?.self, column: 10)
        )
        return Person(
            id: id, email: email, name: name,
            // The table's check allows only the roles a municipality's user can have; an unknown one (a newer
            // server's) reads as the least it could be.
            role: Identity.Role(rawValue: role) ?? .viewer,
            locale: locale, timeZone: timeZone, isActive: active,
            municipality: Municipality(id: tenant, slug: slug, name: tenantName, senderEmail: sender))
    }
}
