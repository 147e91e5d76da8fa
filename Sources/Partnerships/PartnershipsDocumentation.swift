import Gateway
import HTTPTypes
import ReferenceData

/// What `/openapi.json` says about the Partnerships plugin.
enum PartnershipsDocumentation {
    static let partner = JSONSchema.object(
        [
            "name": .string(maxLength: 200), "country": .string(pattern: "^[A-Z]{2}$"),
            "region": .nullable(.string(maxLength: 200)), "website": .nullable(.string(format: "uri", maxLength: 2000)),
        ],
        required: ["name", "country"]
    )
    /// A partner as a request sets it: what ``PartnershipRules/partner(_:field:)`` accepts.
    static let newPartner = JSONSchema.object(
        [
            "name": .name(), "country": country, "region": .nullable(.name()),
            "website": .nullable(.string(format: "uri", maxLength: 2000, pattern: "^https?://[^/?#@:\\s]")),
        ],
        required: ["name", "country"]
    )
    /// An ISO 3166-1 alpha-2 code the server knows.
    static let country = JSONSchema.string(enumeration: Countries.codes)
    static let status = JSONSchema.string(enumeration: PartnershipRules.statuses)
    static let date = JSONSchema.string(format: "date")
    static let goals = JSONSchema.array(.integer(minimum: 1, maximum: 17), maxItems: 17)
    /// Goals as a request sets them: each once.
    static let newGoals = JSONSchema.array(
        .integer(minimum: SDGCatalogue.goalNumbers.lowerBound, maximum: SDGCatalogue.goalNumbers.upperBound),
        maxItems: SDGCatalogue.goals.count, uniqueItems: true)
    static let member = JSONSchema.object(
        ["userId": .string(format: "uuid"), "role": .string(enumeration: PartnershipRules.memberRoles)],
        required: ["userId", "role"]
    )
    static let id = APIOperation.Parameter.path("id", .string(format: "uuid"), "the partnership's id")
    /// A partnership's address on the showcase (``PartnershipSlug``).
    static let slug = JSONSchema.string(minLength: 1, maxLength: 63, pattern: "^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")

    static func defineSchemas(in documentation: APIDocumentation) {
        documentation.define(
            "Partnership",
            .object(
                [
                    "id": .string(format: "uuid"), "title": .string(maxLength: 200), "partner": partner,
                    "status": status, "startedOn": .nullable(date), "endedOn": .nullable(date),
                    "description": .string(maxLength: 20000), "sdgFocus": goals, "members": .array(member),
                    "version": .integer(minimum: 1), "createdAt": .string(format: "date-time"),
                    "updatedAt": .string(format: "date-time"), "published": .boolean,
                    "publishedAt": .nullable(.string(format: "date-time")),
                    "story": .string(maxLength: PartnershipRules.storyLength), "slug": .nullable(slug),
                ],
                required: [
                    "id", "title", "partner", "status", "description", "sdgFocus", "members", "version", "createdAt",
                    "updatedAt", "published", "publishedAt", "story", "slug",
                ]
            )
        )
    }

    static var operations: [APIOperation] {
        let fields: [String: JSONSchema] = [
            "title": .name(), "partner": newPartner, "status": status, "startedOn": date,
            "endedOn": date, "description": .text(), "sdgFocus": newGoals,
        ]
        var changes = fields
        changes["startedOn"] = .nullable(date)
        changes["endedOn"] = .nullable(date)
        changes["published"] = .boolean
        changes["story"] = .text(maximum: PartnershipRules.storyLength)
        return [
            APIOperation(
                .post, "/api/v1/partnerships", id: "createPartnership",
                summary: "Register a partnership with a partner municipality (admin, coordinator).",
                tag: "partnerships", requestBody: .object(fields, required: ["title", "partner"]),
                success: (201, .reference("Partnership")), problems: [403]
            ),
            APIOperation(
                .get, "/api/v1/partnerships", id: "listPartnerships",
                summary: "Partnerships the caller may see, oldest first.", tag: "partnerships",
                parameters: [
                    .query("status", status, "only this status"),
                    .query("country", country, "only partners in this country"),
                    .query(
                        "sdg",
                        .integer(
                            minimum: SDGCatalogue.goalNumbers.lowerBound, maximum: SDGCatalogue.goalNumbers.upperBound),
                        "only partnerships focusing on this goal"),
                    .query("limit", .integer(minimum: 1, maximum: 200), "page size, 50 by default"),
                    .query("cursor", .string(), "the nextCursor of the previous page"),
                ],
                success: (
                    200,
                    .object(
                        ["items": .array(.reference("Partnership")), "nextCursor": .nullable(.string())],
                        required: ["items"]
                    )
                ),
                problems: [400, 422]
            ),
            APIOperation(
                .get, "/api/v1/partnerships/{id}", id: "getPartnership", summary: "One partnership.",
                tag: "partnerships", parameters: [id], success: (200, .reference("Partnership")), problems: [404]
            ),
            APIOperation(
                .patch, "/api/v1/partnerships/{id}", id: "updatePartnership",
                summary:
                    "Change a partnership (admin, coordinator), its publication on the showcase too; If-Match guards against lost updates.",
                tag: "partnerships",
                parameters: [id, .header("If-Match", .eTag, "the ETag last seen; 412 when stale")],
                requestBody: .object(changes), success: (200, .reference("Partnership")), problems: [403, 404, 412]
            ),
            APIOperation(
                .delete, "/api/v1/partnerships/{id}", id: "deletePartnership",
                summary: "Delete a partnership without activities (admin).", tag: "partnerships",
                parameters: [id], success: (204, nil), problems: [403, 404, 409]
            ),
            APIOperation(
                .post, "/api/v1/partnerships/{id}/members", id: "addPartnershipMember",
                summary: "Make a user of the municipality a member (admin, coordinator).", tag: "partnerships",
                parameters: [id], requestBody: member, success: (201, .reference("Partnership")),
                problems: [403, 404]
            ),
            APIOperation(
                .delete, "/api/v1/partnerships/{id}/members/{userId}", id: "removePartnershipMember",
                summary: "Remove a member (admin, coordinator).", tag: "partnerships",
                parameters: [id, .path("userId", .string(format: "uuid"), "the member's user id")],
                success: (204, nil), problems: [403, 404]
            ),
        ]
    }
}
