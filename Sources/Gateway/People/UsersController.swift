import Foundation
import HTTPTypes
import Hummingbird
import Postgres

/// The municipality's users and their tokens, managed by its administrators:
/// `POST|GET /api/v1/users`, `GET|PATCH|DELETE /api/v1/users/{id}`, `POST|GET /api/v1/users/{id}/tokens`,
/// `GET /api/v1/tokens`, `DELETE /api/v1/tokens/{id}`. Coordinators read users too: they add colleagues to
/// partnerships by id. Every user lists, issues and revokes their own tokens.
struct UsersController {
    var routes: RouteCollection<GatewayRequestContext> {
        let routes = RouteCollection(context: GatewayRequestContext.self)
        routes.post("users") { request, context in try await Self.create(request, context) }
        routes.get("users") { request, context in try await Self.list(request, context) }
        routes.get("users/:id") { _, context in try await Self.show(context) }
        routes.patch("users/:id") { request, context in try await Self.update(request, context) }
        routes.delete("users/:id") { _, context in try await Self.delete(context) }
        routes.post("users/:id/tokens") { request, context in try await Self.issueToken(request, context) }
        routes.get("users/:id/tokens") { request, context in try await Self.listTokens(request, context) }
        routes.get("tokens") { request, context in try await Self.listAllTokens(request, context) }
        routes.delete("tokens/:id") { _, context in try await Self.revokeToken(context) }
        return routes
    }

    static let roles = Identity.Role.municipalityRoleNames
    static let defaultTokenName = "issued over the API"

    struct NewUser: RequestBody {
        static let fields: Set<String> = ["email", "name", "role", "locale", "timeZone"]
        var email: String
        var name: String
        var role: String
        var locale: String?
        var timeZone: String?

        func validate() -> [Problem.FieldError] {
            FieldCheck.email(email, field: "email") + FieldCheck.name(name, field: "name")
                + FieldCheck.oneOf(role, UsersController.roles, field: "role")
                + FieldCheck.oneOf(locale, Tenancy.locales, field: "locale")
                + FieldCheck.timeZone(timeZone, field: "timeZone")
        }
    }

    struct UserChanges: RequestBody {
        static let fields: Set<String> = ["name", "role", "locale", "timeZone"]
        var name: String?
        var role: String?
        var locale: String?
        var timeZone: String?

        func validate() -> [Problem.FieldError] {
            FieldCheck.name(name, field: "name") + FieldCheck.oneOf(role, UsersController.roles, field: "role")
                + FieldCheck.oneOf(locale, Tenancy.locales, field: "locale")
                + FieldCheck.timeZone(timeZone, field: "timeZone")
        }
    }

    /// A new token: `expiresIn` days from now, or until `expiresAt`, or the municipality's default.
    struct NewToken: RequestBody {
        static let fields: Set<String> = ["name", "expiresAt", "expiresIn"]
        var name: String?
        var expiresAt: Date?
        var expiresIn: Int?

        func validate() -> [Problem.FieldError] {
            var errors = FieldCheck.name(name, field: "name")
            let days = Tenancy.tokenExpiryDays
            if let expiresAt {
                if expiresAt <= Date() {
                    errors.append(.init(field: "expiresAt", message: "must be in the future"))
                } else if expiresAt > Date().addingTimeInterval(Double(days.upperBound) * 86_400) {
                    errors.append(.init(field: "expiresAt", message: "must be at most \(days.upperBound) days ahead"))
                }
            }
            if let expiresIn, !days.contains(expiresIn) {
                errors.append(
                    .init(
                        field: "expiresIn",
                        message: "must be a whole number of days from \(days.lowerBound) to \(days.upperBound)"))
            }
            if expiresAt != nil && expiresIn != nil {
                errors.append(.init(field: "expiresIn", message: "give expiresIn or expiresAt, not both"))
            }
            return errors
        }
    }

    struct IssuedToken: ResponseEncodable {
        var id: UUID
        var token: String
        var name: String?
        var expiresAt: Date?
    }

    /// What anyone may see of a token: never its hash, never the token itself.
    struct TokenMetadata: Encodable, Sendable {
        var id: UUID
        var name: String?
        var createdAt: Date
        var lastUsedAt: Date?
        var expiresAt: Date?
        /// On the municipality-wide list only: whose token it is.
        var userId: UUID?
        var userName: String?

        enum CodingKeys: String, CodingKey {
            case id, name, createdAt, lastUsedAt, expiresAt, userId, userName
        }

        // Absent and null differ to a schema: the instants that may be unset are always present, as null.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(name, forKey: .name)
            try container.encode(createdAt, forKey: .createdAt)
            try container.encode(lastUsedAt, forKey: .lastUsedAt)
            try container.encode(expiresAt, forKey: .expiresAt)
            try container.encodeIfPresent(userId, forKey: .userId)
            try container.encodeIfPresent(userName, forKey: .userName)
        }
    }

    struct TokenPage: ResponseEncodable {
        var items: [TokenMetadata]
        var nextCursor: String?
    }

    struct Page: ResponseEncodable {
        var items: [UserRecord]
        var nextCursor: String?
    }

    static let columns = "id, email, name, role, locale, time_zone, version"

    static func decodeUser(_ row: PostgresRow) throws -> (UserRecord, Int) {
        let (id, email, name, role, locale, timeZone, version) = try row.decode(
            (UUID, String, String, String, String, String, Int).self
        )
        return (UserRecord(id: id, email: email, name: name, role: role, locale: locale, timeZone: timeZone), version)
    }

    static func respond(_ user: UserRecord, version: Int, status: HTTPResponse.Status = .ok) -> EditedResponse<
        UserRecord
    > {
        var headers = HTTPFields()
        headers[.eTag] = "\"\(version)\""
        if status == .created { headers[.location] = "/api/v1/users/\(user.id.uuidString.lowercased())" }
        return EditedResponse(status: status, headers: headers, response: user)
    }

    static func requireAdmin(_ context: GatewayRequestContext) throws -> Identity {
        let identity = try context.requireIdentity()
        guard identity.role == .admin, identity.tenantID != nil else {
            throw Problem.forbidden("only the municipality's administrators manage users")
        }
        return identity
    }

    /// Administrators, and coordinators, who need a user's id to make them a partnership's member. The list is
    /// the whole municipality's people, so it needs the municipality's scope (the gateway keeps no memberships
    /// to narrow it by): partner coordinators find themselves at `/api/v1/me`; viewers have no use for it.
    static func requireReader(_ context: GatewayRequestContext) throws {
        let identity = try context.requireIdentity()
        guard identity.role == .admin || identity.role == .coordinator, identity.tenantID != nil,
            let user = identity.userID, ReadScope(role: identity.role, userID: user).isMunicipality
        else {
            throw Problem.forbidden("only the municipality's administrators and coordinators see its users")
        }
    }

    /// The `{id}` of the path; a malformed id is as missing as an unknown one.
    static func pathID(_ context: GatewayRequestContext) throws -> UUID {
        guard let text = context.parameters.get("id"), let id = UUID(uuidString: text) else {
            throw Problem.notFound("no such resource")
        }
        return id
    }

    static func create(_ request: Request, _ context: GatewayRequestContext) async throws -> EditedResponse<UserRecord>
    {
        let identity = try requireAdmin(context)
        let body = try await request.decodeBody(NewUser.self, context: context)
        let connection = try context.requireConnection()
        do {
            let rows = try await connection.query(
                """
                INSERT INTO platform.users (tenant_id, email, name, role, locale, time_zone)
                SELECT t.id, \(body.email), \(body.name), \(body.role),
                       coalesce(\(body.locale), t.default_locale), coalesce(\(body.timeZone), t.time_zone)
                FROM platform.tenants t WHERE t.id = \(identity.tenantID!)
                RETURNING \(unsafeSQL: columns)
                """
            )
            let (user, version) = try decodeUser(rows[0])
            return respond(user, version: version, status: .created)
        } catch let error as PostgresError where error.sqlState == .uniqueViolation {
            throw Problem.conflict(
                "a user with this e-mail address exists",
                errors: [.init(field: "email", message: "is already used by another user")]
            )
        }
    }

    static func list(_ request: Request, _ context: GatewayRequestContext) async throws -> Page {
        try requireReader(context)
        let (limit, after) = try Pagination.read(request)
        let rows = try await context.requireConnection().query(
            """
            SELECT \(unsafeSQL: columns), created_at FROM platform.users
            WHERE disabled_at IS NULL
              AND (\(after?.date)::timestamptz IS NULL OR (created_at, id) > (\(after?.date)::timestamptz, \(after?.id)::uuid))
            ORDER BY created_at, id
            LIMIT \(limit + 1)
            """
        )
        var items: [UserRecord] = []
        var last: (Date, UUID)?
        for row in rows.prefix(limit) {
            items.append(try decodeUser(row).0)
            last = (try row.decode(Date.self, column: 7), items.last!.id)
        }
        let next = rows.count > limit ? last.map { Pagination.cursor(date: $0.0, id: $0.1) } : nil
        return Page(items: items, nextCursor: next)
    }

    static func show(_ context: GatewayRequestContext) async throws -> EditedResponse<UserRecord> {
        try requireReader(context)
        let id = try pathID(context)
        let rows = try await context.requireConnection().query(
            "SELECT \(unsafeSQL: columns) FROM platform.users WHERE id = \(id) AND disabled_at IS NULL"
        )
        guard let row = rows.first else { throw Problem.notFound("no such user") }
        let (user, version) = try decodeUser(row)
        return respond(user, version: version)
    }

    static func update(_ request: Request, _ context: GatewayRequestContext) async throws -> EditedResponse<UserRecord>
    {
        _ = try requireAdmin(context)
        let id = try pathID(context)
        let body = try await request.decodeBody(UserChanges.self, context: context)
        let expected = try IfMatch.version(request)
        let rows = try await context.requireConnection().query(
            """
            UPDATE platform.users SET
                name = coalesce(\(body.name), name), role = coalesce(\(body.role), role),
                locale = coalesce(\(body.locale), locale), time_zone = coalesce(\(body.timeZone), time_zone),
                version = version + 1
            WHERE id = \(id) AND disabled_at IS NULL AND (\(expected)::bigint IS NULL OR version = \(expected))
            RETURNING \(unsafeSQL: columns)
            """
        )
        guard let row = rows.first else {
            let current = try await context.requireConnection().query(
                "SELECT version FROM platform.users WHERE id = \(id) AND disabled_at IS NULL"
            )
            guard let version = current.first else { throw Problem.notFound("no such user") }
            throw Problem.preconditionFailed(current: try version.decode(Int.self, column: 0))
        }
        let (user, version) = try decodeUser(row)
        return respond(user, version: version)
    }

    static func delete(_ context: GatewayRequestContext) async throws -> Response {
        let identity = try requireAdmin(context)
        let id = try pathID(context)
        guard id != identity.userID else { throw Problem.conflict("administrators cannot delete themselves") }
        guard try await UserAccounts.disable(id, at: Date(), on: try context.requireConnection()) else {
            throw Problem.notFound("no such user")
        }
        return Response(status: .noContent)
    }

    static func issueToken(_ request: Request, _ context: GatewayRequestContext) async throws -> EditedResponse<
        IssuedToken
    > {
        let identity = try context.requireIdentity()
        let id = try pathID(context)
        guard identity.role == .admin || identity.userID == id, let tenantID = identity.tenantID else {
            throw Problem.forbidden("only administrators issue tokens for other users")
        }
        let body = try await request.decodeBody(NewToken.self, context: context)
        let connection = try context.requireConnection()
        let exists = try await connection.query(
            "SELECT 1 FROM platform.users WHERE id = \(id) AND disabled_at IS NULL"
        )
        guard !exists.isEmpty else { throw Problem.notFound("no such user") }
        let token = APIToken.generate()
        let (tokenID, expiresAt) = try await Tenancy.insertToken(
            token,
            tenantID: tenantID,
            userID: id,
            name: body.name ?? Self.defaultTokenName,
            expiresAt: body.expiresAt,
            expiresInDays: body.expiresIn,
            on: connection
        )
        // A token is shown once: no cache keeps it, and neither does an Idempotency-Key's kept answer.
        return EditedResponse(
            status: .created,
            headers: [.cacheControl: "no-store"],
            response: IssuedToken(
                id: tokenID,
                token: token.value,
                name: body.name ?? Self.defaultTokenName,
                expiresAt: expiresAt
            )
        )
    }

    /// A user's own tokens, or any user's for an administrator: live ones and expired ones not yet revoked
    /// (so their owner sees what stopped working), oldest first.
    static func listTokens(_ request: Request, _ context: GatewayRequestContext) async throws -> TokenPage {
        let identity = try context.requireIdentity()
        let id = try pathID(context)
        guard identity.tenantID != nil else { throw Problem.notFound("no such user") }
        guard identity.role == .admin || identity.userID == id else {
            throw Problem.forbidden("only administrators see other users' tokens")
        }
        let (limit, after) = try Pagination.read(request)
        let connection = try context.requireConnection()
        let exists = try await connection.query(
            "SELECT 1 FROM platform.users WHERE id = \(id) AND disabled_at IS NULL"
        )
        guard !exists.isEmpty else { throw Problem.notFound("no such user") }
        return try await tokenPage(user: id, limit: limit, after: after, on: connection)
    }

    /// Every live or expired, unrevoked token of the municipality, with whose it is (admin).
    static func listAllTokens(_ request: Request, _ context: GatewayRequestContext) async throws -> TokenPage {
        _ = try requireAdmin(context)
        let (limit, after) = try Pagination.read(request)
        return try await tokenPage(user: nil, limit: limit, after: after, on: try context.requireConnection())
    }

    /// One page of tokens, of `user` or of the whole municipality (row-level security keeps it to the
    /// caller's), selected through the app role's column grants: the hash is not among them.
    static func tokenPage(
        user: UUID?,
        limit: Int,
        after: (date: Date, id: UUID)?,
        on connection: PostgresConnection
    ) async throws -> TokenPage {
        let rows = try await connection.query(
            """
            SELECT t.id, t.name, t.created_at, t.last_used_at, t.expires_at, u.id, u.name
            FROM platform.tokens t JOIN platform.users u ON u.tenant_id = t.tenant_id AND u.id = t.user_id
            WHERE t.revoked_at IS NULL AND u.disabled_at IS NULL
              AND (\(user)::uuid IS NULL OR t.user_id = \(user))
              AND (\(after?.date)::timestamptz IS NULL
                   OR (t.created_at, t.id) > (\(after?.date)::timestamptz, \(after?.id)::uuid))
            ORDER BY t.created_at, t.id
            LIMIT \(limit + 1)
            """
        )
        var items: [TokenMetadata] = []
        for row in rows.prefix(limit) {
            let (id, name, createdAt, lastUsedAt, expiresAt, userID, userName) = try row.decode(
                (UUID, String?, Date, Date?, Date?, UUID, String).self
            )
            items.append(
                TokenMetadata(
                    id: id, name: name, createdAt: createdAt, lastUsedAt: lastUsedAt, expiresAt: expiresAt,
                    userId: user == nil ? userID : nil, userName: user == nil ? userName : nil))
        }
        let next = rows.count > limit ? items.last.map { Pagination.cursor(date: $0.createdAt, id: $0.id) } : nil
        return TokenPage(items: items, nextCursor: next)
    }

    static func revokeToken(_ context: GatewayRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let id = try pathID(context)
        guard identity.tenantID != nil else { throw Problem.notFound("no such token") }
        let rows = try await context.requireConnection().query(
            """
            UPDATE platform.tokens SET revoked_at = now()
            WHERE id = \(id) AND revoked_at IS NULL AND (\(identity.role == .admin) OR user_id = \(identity.userID))
            """
        )
        guard rows.affectedRows == 1 else { throw Problem.notFound("no such token") }
        return Response(status: .noContent)
    }
}

extension UserRecord: ResponseEncodable {}
