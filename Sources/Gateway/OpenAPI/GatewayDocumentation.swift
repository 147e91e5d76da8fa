import Foundation
import HTTPTypes

/// What `/openapi.json` says about the gateway's own routes.
enum GatewayDocumentation {
    static let uuid = JSONSchema.string(format: "uuid")
    static let name = JSONSchema.string(maxLength: 200)
    static let role = JSONSchema.string(enumeration: Identity.Role.municipalityRoleNames)
    static let locale = JSONSchema.string(enumeration: Tenancy.locales)
    static let timeZone = JSONSchema.string(maxLength: 64)
    /// A name a request sets: what ``FieldCheck/name(_:field:maximum:)`` accepts.
    static let newName = JSONSchema.name()
    static let email = JSONSchema.string(format: "email", maxLength: 320)
    static let page: [APIOperation.Parameter] = [
        .query("limit", .integer(minimum: 1, maximum: Pagination.maximumLimit), "page size, 50 by default"),
        .query("cursor", .string(), "the nextCursor of the previous page"),
    ]

    static func register(in documentation: APIDocumentation) {
        documentation.define(
            JSONSchema.timeZoneSchemaName,
            .string(enumeration: JSONSchema.timeZoneIdentifiers, maxLength: 64)
        )
        documentation.define(
            "User",
            .object(
                ["id": uuid, "email": email, "name": name, "role": role, "locale": locale, "timeZone": timeZone],
                required: ["id", "email", "name", "role", "locale", "timeZone"]
            )
        )
        documentation.define(
            "Tenant",
            .object(
                [
                    "id": uuid, "slug": .string(maxLength: 63), "name": name, "defaultLocale": locale,
                    "timeZone": timeZone, "country": .string(pattern: "^[A-Z]{2}$"),
                    "disabledAt": .string(format: "date-time"),
                    "tokenExpiryDays": .integer(
                        minimum: Tenancy.tokenExpiryDays.lowerBound, maximum: Tenancy.tokenExpiryDays.upperBound),
                ],
                required: ["id", "slug", "name", "defaultLocale", "timeZone", "country"]
            )
        )
        let instant = JSONSchema.nullable(.string(format: "date-time"))
        documentation.define(
            "Token",
            .object(
                [
                    "id": uuid, "name": .nullable(name), "createdAt": .string(format: "date-time"),
                    "lastUsedAt": instant, "expiresAt": instant,
                ],
                required: ["id", "name", "createdAt", "lastUsedAt", "expiresAt"]
            )
        )
        documentation.define(
            "MunicipalityToken",
            .object(
                [
                    "id": uuid, "name": .nullable(name), "createdAt": .string(format: "date-time"),
                    "lastUsedAt": instant, "expiresAt": instant, "userId": uuid, "userName": name,
                ],
                required: ["id", "name", "createdAt", "lastUsedAt", "expiresAt", "userId", "userName"]
            )
        )
        let status = JSONSchema.object(["status": .string()], required: ["status"])
        let userID = APIOperation.Parameter.path("id", uuid, "the user's id")
        let ifMatch = APIOperation.Parameter.header("If-Match", .eTag, "the ETag last seen; 412 when stale")
        documentation.add([
            APIOperation(
                .get, "/healthz", id: "health", summary: "The process runs.", tag: "operations",
                success: (200, status), authenticated: false
            ),
            APIOperation(
                .get, "/readyz", id: "readiness",
                summary:
                    "The database answers and no migration is pending; `warnings` says what an operator should fix.",
                tag: "operations",
                success: (
                    200,
                    .object(["status": .string(), "warnings": .array(.string())], required: ["status"])
                ),
                problems: [503], authenticated: false
            ),
            APIOperation(
                .get, "/openapi.json", id: "openapi", summary: "This document.", tag: "operations",
                success: (200, .anyObject), authenticated: false
            ),
            APIOperation(
                .get, "/api/v1/me", id: "me", summary: "The caller.", tag: "people",
                success: (
                    200,
                    .object(
                        [
                            "id": uuid, "email": email, "name": name, "role": .string(), "locale": locale,
                            "timeZone": timeZone,
                            "tenant": .object(
                                ["id": uuid, "slug": .string(), "name": name], required: ["id", "slug", "name"]),
                        ],
                        required: ["id", "email", "name", "role"]
                    )
                ),
                problems: [404]
            ),
            APIOperation(
                .post, "/api/v1/users", id: "createUser", summary: "Add a user to the municipality (admin).",
                tag: "people",
                requestBody: .object(
                    [
                        "email": email, "name": newName, "role": role, "locale": locale,
                        "timeZone": JSONSchema.timeZone,
                    ],
                    required: ["email", "name", "role"]
                ),
                success: (201, .reference("User")), problems: [403, 409]
            ),
            APIOperation(
                .get, "/api/v1/users", id: "listUsers", summary: "The municipality's users (admin, coordinator).",
                tag: "people",
                parameters: page,
                success: (
                    200,
                    .object(
                        ["items": .array(.reference("User")), "nextCursor": .nullable(.string())],
                        required: ["items"]
                    )
                ),
                problems: [400, 403, 422]
            ),
            APIOperation(
                .get, "/api/v1/users/{id}", id: "getUser", summary: "One user (admin, coordinator).", tag: "people",
                parameters: [userID], success: (200, .reference("User")), problems: [403, 404]
            ),
            APIOperation(
                .patch, "/api/v1/users/{id}", id: "updateUser",
                summary: "Change a user's name, role or preferences (admin).",
                tag: "people", parameters: [userID, ifMatch],
                requestBody: .object([
                    "name": newName, "role": role, "locale": locale, "timeZone": JSONSchema.timeZone,
                ]),
                success: (200, .reference("User")), problems: [403, 404, 412]
            ),
            APIOperation(
                .delete, "/api/v1/users/{id}", id: "deleteUser",
                summary: "Remove a user and revoke their tokens (admin).",
                tag: "people", parameters: [userID], success: (204, nil), problems: [403, 404, 409]
            ),
            APIOperation(
                .post, "/api/v1/users/{id}/tokens", id: "issueToken",
                summary:
                    "Issue an API token; it is shown only in this response. It expires after expiresIn days, at "
                    + "expiresAt, or after the municipality's tokenExpiryDays; a user holds at most 20 live tokens (409).",
                tag: "people",
                parameters: [userID],
                requestBody: .object([
                    "name": newName, "expiresAt": .string(format: "date-time"),
                    "expiresIn": .integer(
                        minimum: Tenancy.tokenExpiryDays.lowerBound, maximum: Tenancy.tokenExpiryDays.upperBound),
                ]),
                success: (
                    201,
                    .object(
                        [
                            "id": uuid, "token": .string(pattern: "^sbt_"), "name": .nullable(name),
                            "expiresAt": .nullable(.string(format: "date-time")),
                        ],
                        required: ["id", "token"]
                    )
                ),
                problems: [403, 404, 409, 422]
            ),
            APIOperation(
                .get, "/api/v1/users/{id}/tokens", id: "listUserTokens",
                summary: "A user's unrevoked tokens, without the secret (the user themselves, admin).",
                tag: "people", parameters: [userID] + page,
                success: (
                    200,
                    .object(
                        ["items": .array(.reference("Token")), "nextCursor": .nullable(.string())],
                        required: ["items"]
                    )
                ),
                problems: [400, 403, 404, 422]
            ),
            APIOperation(
                .get, "/api/v1/tokens", id: "listTokens",
                summary: "Every unrevoked token of the municipality, with its user (admin).",
                tag: "people", parameters: page,
                success: (
                    200,
                    .object(
                        ["items": .array(.reference("MunicipalityToken")), "nextCursor": .nullable(.string())],
                        required: ["items"]
                    )
                ),
                problems: [400, 403, 422]
            ),
            APIOperation(
                .delete, "/api/v1/tokens/{id}", id: "revokeToken",
                summary: "Revoke a token, at once (its user; admin: any of the municipality's).", tag: "people",
                parameters: [.path("id", uuid, "the token's id")], success: (204, nil), problems: [404]
            ),
            APIOperation(
                .get, "/api/v1/platform/tenants", id: "listTenants", summary: "Every municipality (platform admin).",
                tag: "platform", parameters: page,
                success: (
                    200,
                    .object(
                        ["items": .array(.reference("Tenant")), "nextCursor": .nullable(.string())],
                        required: ["items"]
                    )
                ),
                problems: [400, 404, 422]
            ),
            APIOperation(
                .get, "/api/v1/platform/tenants/{id}", id: "getTenant", summary: "One municipality (platform admin).",
                tag: "platform", parameters: [.path("id", uuid, "the tenant's id")],
                success: (200, .reference("Tenant")), problems: [404]
            ),
            APIOperation(
                .post, "/api/v1/platform/tenants", id: "createTenant",
                summary: "Add a municipality and its first administrator (platform admin).", tag: "platform",
                requestBody: .object(
                    [
                        "slug": .string(maxLength: 63, pattern: "^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$"),
                        "name": newName, "adminEmail": email, "adminName": newName, "locale": locale,
                        "timeZone": JSONSchema.timeZone,
                    ],
                    required: ["slug", "name", "adminEmail"]
                ),
                success: (
                    201,
                    .object(
                        ["tenant": .reference("Tenant"), "user": .reference("User"), "token": .string()],
                        required: ["tenant", "user", "token"]
                    )
                ),
                problems: [404, 409]
            ),
        ])
    }
}
