import Foundation
import Postgres
import Vocabulary

/// A municipality as the API shows it.
public struct TenantRecord: Sendable, Codable, Equatable {
    public var id: UUID
    public var slug: String
    public var name: String
    public var defaultLocale: String
    public var timeZone: String
    public var country: String
    public var disabledAt: Date?
    /// How many days a new token lives when its request names no expiry; `nil`: such tokens do not expire.
    public var tokenExpiryDays: Int?

    /// Makes a record.
    public init(
        id: UUID,
        slug: String,
        name: String,
        defaultLocale: String,
        timeZone: String,
        country: String,
        disabledAt: Date?,
        tokenExpiryDays: Int? = nil
    ) {
        self.id = id
        self.slug = slug
        self.name = name
        self.defaultLocale = defaultLocale
        self.timeZone = timeZone
        self.country = country
        self.disabledAt = disabledAt
        self.tokenExpiryDays = tokenExpiryDays
    }
}

extension TenantRecord {
    /// The columns ``init(row:)`` reads, in order.
    public static let columns = "id, slug, name, default_locale, time_zone, country, disabled_at, token_expiry_days"

    /// How many columns ``columns`` names: the index of the first column a query selects after them.
    public static let columnCount = 8

    /// Reads a row selected with ``columns``.
    public init(row: PostgresRow) throws {
        let (id, slug, name, locale, timeZone, country, disabledAt, tokenExpiryDays) = try row.decode(
            (UUID, String, String, String, String, String, Date?, Int?).self
        )
        self.init(
            id: id,
            slug: slug,
            name: name,
            defaultLocale: locale,
            timeZone: timeZone,
            country: country,
            disabledAt: disabledAt,
            tokenExpiryDays: tokenExpiryDays
        )
    }
}

/// A user as the API shows it: `{"id", "email", "name", "role", "locale", "timeZone"}`.
public struct UserRecord: Sendable, Codable, Equatable {
    public var id: UUID
    public var email: String
    public var name: String
    public var role: String
    public var locale: String
    public var timeZone: String

    /// Makes a record.
    public init(id: UUID, email: String, name: String, role: String, locale: String, timeZone: String) {
        self.id = id
        self.email = email
        self.name = name
        self.role = role
        self.locale = locale
        self.timeZone = timeZone
    }
}

/// Why input for a tenant or user is refused, per field.
public struct TenancyValidationError: Error, CustomStringConvertible {
    /// The fields and what is wrong with each.
    public var errors: [Problem.FieldError]

    public var description: String { errors.map { "\($0.field): \($0.message)" }.joined(separator: "; ") }
}

/// Creating and managing tenants, their users and tokens: shared by the CLI and the platform routes.
public enum Tenancy {
    /// The locales the product speaks.
    public static let locales = Language.rawValues

    /// Checks the fields of a new tenant and its first administrator.
    public static func validate(
        slug: String,
        name: String,
        adminEmail: String,
        adminName: String,
        locale: String,
        timeZone: String
    ) throws(TenancyValidationError) {
        var errors: [Problem.FieldError] = []
        if slug.range(of: #"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$"#, options: .regularExpression) == nil {
            errors.append(.init(field: "slug", message: "use 1 to 63 lowercase letters, digits and inner hyphens"))
        }
        errors += FieldCheck.name(name, field: "name")
        errors += FieldCheck.email(adminEmail, field: "adminEmail")
        errors += FieldCheck.name(adminName, field: "adminName")
        errors += FieldCheck.oneOf(locale, locales, field: "locale")
        errors += FieldCheck.timeZone(timeZone, field: "timeZone")
        if !errors.isEmpty { throw TenancyValidationError(errors: errors) }
    }

    /// An e-mail address's shape: one `@` with something before it and a dot after it, at most 320 code
    /// points (the database's `length()`), no whitespace and no control characters (a NUL cannot be stored).
    static func validateEmail(_ email: String, field: String) -> [Problem.FieldError] {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard email.unicodeScalars.count <= 320, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
            !email.contains(where: \.isWhitespace), !FieldCheck.containsControlCharacters(email)
        else { return [.init(field: field, message: "must be an e-mail address")] }
        return []
    }

    /// The first administrator's name when none is given: the part of the e-mail address before `@`.
    public static func defaultAdministratorName(forEmail email: String) -> String {
        String(email.split(separator: "@", omittingEmptySubsequences: false).first ?? "")
    }

    /// The checks of ``validate(slug:name:adminEmail:adminName:locale:timeZone:)`` when the administrator's
    /// name may be left out; returns the name to use. The name made from the e-mail address must then be a
    /// valid name itself (a local part can be longer than 200 characters), and when it is not, the caller is
    /// told to give one.
    @discardableResult
    public static func validateNewTenant(
        slug: String,
        name: String,
        adminEmail: String,
        adminName: String?,
        locale: String,
        timeZone: String
    ) throws(TenancyValidationError) -> String {
        let administratorName = adminName ?? defaultAdministratorName(forEmail: adminEmail)
        do {
            try validate(
                slug: slug,
                name: name,
                adminEmail: adminEmail,
                adminName: administratorName,
                locale: locale,
                timeZone: timeZone
            )
        } catch {
            guard adminName == nil else { throw error }
            var errors = error.errors
            // An address that is not one makes no name either: saying so once is enough.
            if errors.contains(where: { $0.field == "adminEmail" }) { errors.removeAll { $0.field == "adminName" } }
            for index in errors.indices where errors[index].field == "adminName" {
                errors[index].message =
                    "is required: the part of adminEmail before @ is not a usable name (\(errors[index].message))"
            }
            throw TenancyValidationError(errors: errors)
        }
        return administratorName
    }

    /// Creates a tenant, its first administrator and a token for them, in the caller's transaction on a
    /// connection of the login role (row-level security is satisfied by scoping the transaction to the new id).
    public static func createTenant(
        slug: String,
        name: String,
        adminEmail: String,
        adminName: String,
        locale: String,
        timeZone: String,
        on connection: PostgresConnection
    ) async throws -> (TenantRecord, UserRecord, APIToken) {
        try validate(
            slug: slug,
            name: name,
            adminEmail: adminEmail,
            adminName: adminName,
            locale: locale,
            timeZone: timeZone
        )
        let tenantID = UUID.timeOrdered()
        let userID = UUID.timeOrdered()
        let token = APIToken.generate()
        try await connection.query("SELECT set_config('app.tenant_id', \(tenantID.postgresText), true)")
        let created = try await connection.query(
            """
            INSERT INTO platform.tenants (id, slug, name, default_locale, time_zone)
            VALUES (\(tenantID), \(slug), \(name), \(locale), \(timeZone))
            RETURNING country, token_expiry_days
            """
        )
        try await connection.query(
            """
            INSERT INTO platform.users (tenant_id, id, email, name, role, locale, time_zone)
            VALUES (\(tenantID), \(userID), \(adminEmail), \(adminName), 'admin', \(locale), \(timeZone))
            """
        )
        // The first token follows the municipality's default expiry, as every later one does.
        try await insertToken(token, tenantID: tenantID, userID: userID, name: "first administrator", on: connection)
        return (
            TenantRecord(
                id: tenantID,
                slug: slug,
                name: name,
                defaultLocale: locale,
                timeZone: timeZone,
                country: try created[0].decode(String.self, column: 0),
                disabledAt: nil,
                tokenExpiryDays: try created[0].decode(Int?.self, column: 1)
            ),
            UserRecord(
                id: userID, email: adminEmail, name: adminName, role: Identity.Role.admin.rawValue, locale: locale,
                timeZone: timeZone),
            token
        )
    }

    /// The most live (unrevoked, unexpired) tokens a user may hold; the database refuses one more.
    public static let maximumLiveTokens = 20

    /// The longest a token may live, in days, and the range of a municipality's default.
    public static let tokenExpiryDays = 1...3650

    /// Stores a token's hash for a tenant's user or a platform administrator; returns the token's id and expiry.
    ///
    /// A tenant user's token expires at `expiresAt`, else `expiresInDays` from now, else after the
    /// municipality's `token_expiry_days` (none when that is unset). A platform administrator's token expires
    /// only at `expiresAt`. Throws ``Problem`` 409 when the user already holds ``maximumLiveTokens`` live tokens.
    @discardableResult
    public static func insertToken(
        _ token: APIToken,
        tenantID: UUID? = nil,
        userID: UUID? = nil,
        platformAdminID: UUID? = nil,
        name: String,
        expiresAt: Date? = nil,
        expiresInDays: Int? = nil,
        on connection: PostgresConnection
    ) async throws -> (id: UUID, expiresAt: Date?) {
        let hex = token.hashHex
        let query: PostgresQuery
        if let platformAdminID {
            // Only the login role (the CLI) may do this: the app role cannot name platform_admin_id.
            query = """
                INSERT INTO platform.tokens (token_hash, platform_admin_id, name, expires_at)
                VALUES (decode(\(hex), 'hex'), \(platformAdminID), \(name), \(expiresAt))
                RETURNING id, expires_at
                """
        } else {
            query = """
                INSERT INTO platform.tokens (token_hash, tenant_id, user_id, name, expires_at)
                SELECT decode(\(hex), 'hex'), t.id, \(userID), \(name),
                       coalesce(\(expiresAt)::timestamptz,
                                now() + make_interval(days => coalesce(\(expiresInDays)::int, t.token_expiry_days)))
                FROM platform.tenants t WHERE t.id = \(tenantID)
                RETURNING id, expires_at
                """
        }
        let rows: PostgresRows
        do {
            rows = try await connection.query(query)
        } catch let error as PostgresError {
            guard error.sqlState == .checkViolation, error.server?.constraintName == "tokens_live_limit" else {
                throw error
            }
            throw Problem.conflict(
                "a user holds at most \(maximumLiveTokens) live tokens: revoke one before issuing another")
        }
        guard let row = rows.first else {
            throw PostgresError(code: .invalidConfiguration, reason: "the token's municipality is not visible")
        }
        let (id, expires) = try row.decode((UUID, Date?).self)
        return (id, expires)
    }
}
