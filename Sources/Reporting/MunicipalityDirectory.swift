import Foundation
import Postgres

/// What the reports need to know of municipalities and users, which the platform keeps (`platform` schema):
/// the one place Reporting reads them, until the people contract offers these reads.
struct MunicipalityDirectory: Sendable {
    /// The municipalities by slug, or only the one with `slug`.
    func municipalities(slug: String? = nil, on connection: PostgresConnection) async throws -> [Municipality] {
        let rows: PostgresRows
        if let slug {
            rows = try await connection.query("SELECT id, slug, name FROM platform.tenants WHERE slug = \(slug)")
        } else {
            rows = try await connection.query("SELECT id, slug, name FROM platform.tenants ORDER BY slug")
        }
        return try rows.map { row in
            let (id, slug, name) = try row.decode((UUID, String, String).self)
            return Municipality(id: id, slug: slug, name: name)
        }
    }

    /// A user's language and time zone, and their municipality's name, as the report page shows them.
    struct Reader: Sendable {
        var locale: String
        var timeZone: String
        var municipality: String
    }

    /// `user`'s settings; English, UTC and no name when there is no such user.
    func reader(_ user: UUID, on connection: PostgresConnection) async throws -> Reader {
        let rows = try await connection.query(
            """
            SELECT u.locale, u.time_zone, t.name FROM platform.users u JOIN platform.tenants t ON t.id = u.tenant_id
            WHERE u.id = \(user)
            """)
        let (locale, zone, municipality) = try rows.first?.decode((String, String, String).self) ?? ("en", "UTC", "")
        return Reader(locale: locale, timeZone: zone, municipality: municipality)
    }

    /// The municipality as an IATI publisher: its name, default language and, once set, its IATI organisation
    /// identifier and type.
    struct Publisher: Sendable {
        var name: String
        var language: String
        var reference: String?
        var type: String?
    }

    /// `tenant` as a publisher, `nil` when there is no such municipality.
    func publisher(_ tenant: UUID, on connection: PostgresConnection) async throws -> Publisher? {
        let rows = try await connection.query(
            "SELECT name, default_locale, iati_organisation_ref, iati_organisation_type FROM platform.tenants WHERE id = \(tenant)"
        )
        guard let row = rows.first else { return nil }
        let (name, language, reference, type) = try row.decode((String, String, String?, String?).self)
        return Publisher(name: name, language: language, reference: reference, type: type)
    }
}
