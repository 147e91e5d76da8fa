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

    public func users(on connection: PostgresConnection) async throws -> [Person] {
        let rows = try await connection.query(
            """
            SELECT \(unsafeSQL: Self.columns)
            FROM platform.users u JOIN platform.tenants t ON t.id = u.tenant_id
            WHERE u.disabled_at IS NULL
            ORDER BY u.name, u.id
            """)
        return try rows.map(Self.person)
    }

    public func invited(among ids: [UUID], on connection: PostgresConnection) async throws -> Set<UUID> {
        guard !ids.isEmpty else { return [] }
        let rows = try await connection.query(
            """
            SELECT u.id FROM platform.users u
            WHERE u.id = ANY(\(ids)::uuid[]) AND u.disabled_at IS NULL AND \(unsafeSQL: Self.invitedCondition)
            """)
        return Set(try rows.map { try $0.decode(UUID.self, column: 0) })
    }

    /// Whether the user `u` is invited: an invitation not accepted, none accepted, and no session ever (an
    /// invitee who signed in by an ordinary link is no longer invited). `/admin/users` reads the same.
    static let invitedCondition = """
        EXISTS (SELECT FROM platform.invitations i
                WHERE i.tenant_id = u.tenant_id AND i.user_id = u.id AND i.accepted_at IS NULL)
        AND NOT EXISTS (SELECT FROM platform.invitations i
                        WHERE i.tenant_id = u.tenant_id AND i.user_id = u.id AND i.accepted_at IS NOT NULL)
        AND NOT EXISTS (SELECT FROM platform.sessions s WHERE s.tenant_id = u.tenant_id AND s.user_id = u.id)
        """

    public func municipality(_ id: UUID, on connection: PostgresConnection) async throws -> Municipality? {
        let rows = try await connection.query(
            "SELECT \(unsafeSQL: Self.municipalityColumns) FROM platform.tenants t WHERE t.id = \(id)")
        return try rows.first.map { try Self.municipality($0, from: 0) }
    }

    public func municipalities(slug: String?, on connection: PostgresConnection) async throws -> [Municipality] {
        let rows = try await connection.query(
            """
            SELECT \(unsafeSQL: Self.municipalityColumns) FROM platform.tenants t
            WHERE \(slug)::text IS NULL OR t.slug = \(slug)
            ORDER BY t.slug
            """)
        return try rows.map { try Self.municipality($0, from: 0) }
    }

    /// The columns ``municipality(_:from:)`` reads, in order, of `platform.tenants t`.
    static let municipalityColumns =
        "t.id, t.slug, t.name, t.sender_email, t.default_locale, t.iati_organisation_ref, t.iati_organisation_type"

    /// The columns ``person(_:)`` reads, in order.
    static let columns = """
        u.id, u.email, u.name, u.role, u.locale, u.time_zone, u.disabled_at IS NULL,
        \(municipalityColumns)
        """

    /// The municipality in the columns of ``municipalityColumns`` from `first` on.
    static func municipality(_ row: PostgresRow, from first: Int) throws -> Municipality {
        Municipality(
            id: try row.decode(UUID.self, column: first), slug: try row.decode(String.self, column: first + 1),
            name: try row.decode(String.self, column: first + 2),
            senderEmail: try row.decode(String?.self, column: first + 3),
            defaultLocale: try row.decode(String.self, column: first + 4),
            iatiOrganisationReference: try row.decode(String?.self, column: first + 5),
            iatiOrganisationType: try row.decode(String?.self, column: first + 6))
    }

    static func person(_ row: PostgresRow) throws -> Person {
        let (id, email, name, role, locale, timeZone, active) = try row.decode(
            (UUID, String, String, String, String, String, Bool).self)
        return Person(
            id: id, email: email, name: name,
            // The table's check allows only the roles a municipality's user can have; an unknown one (a newer
            // server's) reads as the least it could be.
            role: Identity.Role(rawValue: role) ?? .viewer,
            locale: locale, timeZone: timeZone, isActive: active,
            municipality: try municipality(row, from: 7))
    }
}
