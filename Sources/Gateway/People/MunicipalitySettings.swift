import Foundation
import Postgres
import Vocabulary

/// A municipality's own settings that its administrator changes: name, default language and IATI organisation.
/// One place for the checks and the statement: `/admin/municipality` and `stedenband tenant set` both use it.
public enum MunicipalitySettings {
    /// The settings as the page shows them; field names are those of ``Municipality``.
    public struct Values: Sendable, Equatable {
        /// The municipality's name.
        public var name: String
        /// Its default language (`nl`, `en`, `fr`, `es`).
        public var defaultLocale: String
        /// Its IATI organisation identifier; `nil` when unset.
        public var iatiOrganisationReference: String?
        /// Its IATI OrganisationType code; `nil` when unset.
        public var iatiOrganisationType: String?

        /// Makes the values.
        public init(
            name: String, defaultLocale: String, iatiOrganisationReference: String?, iatiOrganisationType: String?
        ) {
            self.name = name
            self.defaultLocale = defaultLocale
            self.iatiOrganisationReference = iatiOrganisationReference
            self.iatiOrganisationType = iatiOrganisationType
        }
    }

    /// An IATI organisation identifier: a registration agency (a country or `XM`/`XI` prefix, a hyphen and the
    /// agency's code) and the organisation's number there, e.g. `BE-BCE_KBO-0207451227` or `XM-DAC-41114`;
    /// no white space, `/`, `?`, `#` or `&` (IATI's rule for identifiers), at most 200 characters.
    static let iatiReferencePattern = #"^[A-Z]{2}-[A-Z0-9_]+-[A-Za-z0-9._-]+$"#

    /// What is wrong with each given field (`nil`: not being changed), messages in English for the CLI and the
    /// API's problems; a page words them itself by field.
    public static func problems(
        name: String? = nil, defaultLocale: String? = nil, iatiOrganisationReference: String? = nil,
        iatiOrganisationType: String? = nil
    ) -> [Problem.FieldError] {
        var errors = FieldCheck.name(name, field: "name")
        if let defaultLocale, Language(rawValue: defaultLocale) == nil {
            errors.append(.init(field: "defaultLocale", message: "must be \(Language.choices)"))
        }
        if let reference = iatiOrganisationReference,
            reference.unicodeScalars.count > 200
                || reference.range(of: iatiReferencePattern, options: .regularExpression) == nil
        {
            errors.append(
                .init(
                    field: "iatiOrganisationReference",
                    message: "must be an IATI organisation identifier such as BE-BCE_KBO-0207451227"))
        }
        if let type = iatiOrganisationType,
            !(1...3).contains(type.count) || !type.allSatisfy(\.isASCII)
                || !type.allSatisfy(\.isNumber)
        {
            errors.append(
                .init(field: "iatiOrganisationType", message: "must be an OrganisationType code such as 11"))
        }
        return errors
    }

    /// The settings of the municipality the transaction is scoped to.
    public static func current(tenantID: UUID, on connection: PostgresConnection) async throws -> Values? {
        let rows = try await connection.query(
            """
            SELECT name, default_locale, iati_organisation_ref, iati_organisation_type
            FROM platform.tenants WHERE id = \(tenantID)
            """)
        guard let row = rows.first else { return nil }
        let (name, locale, reference, type) = try row.decode((String, String, String?, String?).self)
        return Values(
            name: name, defaultLocale: locale, iatiOrganisationReference: reference, iatiOrganisationType: type)
    }

    /// Checks and saves `values` for the municipality the transaction is scoped to (an empty IATI field clears
    /// it); throws ``TenancyValidationError`` and saves nothing when a field is wrong.
    public static func save(_ values: Values, tenantID: UUID, on connection: PostgresConnection) async throws {
        let errors = problems(
            name: values.name, defaultLocale: values.defaultLocale,
            iatiOrganisationReference: values.iatiOrganisationReference,
            iatiOrganisationType: values.iatiOrganisationType)
        if !errors.isEmpty { throw TenancyValidationError(errors: errors) }
        let changed = try await connection.query(
            """
            UPDATE platform.tenants SET name = \(values.name), default_locale = \(values.defaultLocale),
                iati_organisation_ref = \(values.iatiOrganisationReference),
                iati_organisation_type = \(values.iatiOrganisationType)
            WHERE id = \(tenantID)
            """
        ).affectedRows
        guard changed == 1 else { throw Problem.notFound() }
    }
}
