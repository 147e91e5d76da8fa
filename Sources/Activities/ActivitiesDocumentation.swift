import Gateway
import HTTPTypes
import ReferenceData

/// What `/openapi.json` says about the Activities plugin.
enum ActivitiesDocumentation {
    static let date = JSONSchema.string(format: "date")
    static let amount = JSONSchema.string(pattern: "^[0-9]{1,12}(\\.[0-9]{1,2})?$")
    static let budget = JSONSchema.object(
        ["planned": amount, "spent": amount, "currency": .string(enumeration: Currencies.codes)],
        required: ["planned", "currency"]
    )
    static let themes = JSONSchema.array(.string(maxLength: 40, pattern: "^[a-z0-9][a-z0-9-]{0,39}$"), maxItems: 20)
    /// An SDG target's code the catalogue knows, such as `3.d`.
    static let target = JSONSchema.string(enumeration: SDGCatalogue.targetCodes)
    static let goal = JSONSchema.integer(
        minimum: SDGCatalogue.goalNumbers.lowerBound, maximum: SDGCatalogue.goalNumbers.upperBound)
    static let fields: [String: JSONSchema] = [
        "title": .name(), "description": .text(),
        "kind": .string(enumeration: ActivityRules.kinds), "status": .string(enumeration: ActivityRules.statuses),
        "startsOn": date, "endsOn": date, "direction": .string(enumeration: ActivityRules.directions),
        "sdgTargets": .array(target, uniqueItems: true), "themes": themes, "budget": budget,
        "fundingSource": .string(enumeration: ActivityRules.fundingSources),
        // The column is an `integer`.
        "participants": .integer(minimum: 0, maximum: Int(Int32.max)), "results": .text(),
        "dacSectors": .array(.string(enumeration: DACSectors.all.map(\.code)), maxItems: 10, uniqueItems: true),
    ]
    /// A PATCH may clear these with `null`.
    static let changes = fields.merging(
        ["startsOn", "endsOn", "budget", "fundingSource", "participants"].map { ($0, JSONSchema.nullable(fields[$0]!)) }
    ) { _, cleared in cleared }
    static let id = APIOperation.Parameter.path("id", .string(format: "uuid"), "the activity's id")

    static func register(in documentation: APIDocumentation) {
        var properties = fields
        properties["id"] = .string(format: "uuid")
        properties["partnershipId"] = .string(format: "uuid")
        properties["sdgGoals"] = .array(.integer(minimum: 1, maximum: 17))
        properties["budget"] = .nullable(
            .object(
                ["planned": amount, "spent": amount, "currency": .string()], required: ["planned", "spent", "currency"])
        )
        properties["startsOn"] = .nullable(date)
        properties["endsOn"] = .nullable(date)
        properties["fundingSource"] = .nullable(.string(enumeration: ActivityRules.fundingSources))
        properties["participants"] = .nullable(.integer(minimum: 0))
        properties["version"] = .integer(minimum: 1)
        properties["createdAt"] = .string(format: "date-time")
        properties["updatedAt"] = .string(format: "date-time")
        documentation.define(
            "Activity",
            .object(
                properties,
                required: [
                    "id", "partnershipId", "title", "description", "kind", "status", "direction", "sdgTargets",
                    "sdgGoals", "themes", "results", "dacSectors", "version", "createdAt", "updatedAt",
                ]
            )
        )
        let update = JSONSchema.object(
            [
                "id": .string(format: "uuid"), "authorId": .string(format: "uuid"), "body": .string(maxLength: 20000),
                "postedAt": .string(format: "date-time"),
            ],
            required: ["id", "authorId", "body", "postedAt"]
        )
        // The file: a header row naming the columns, then a row per activity (docs/activity-import.md); its rows
        // name partnerships, which only the database can check.
        var importOperation = APIOperation(
            .post, "/api/v1/imports/activities", id: "importActivities",
            summary: "Import activities from a CSV file (text/csv), all or nothing; see docs/activity-import.md.",
            tag: "activities", requestBody: .string(minLength: 1),
            success: (
                201,
                .object(
                    ["imported": .integer(minimum: 0), "ids": .array(.string(format: "uuid"))],
                    required: ["imported", "ids"]
                )
            ),
            problems: [403, 413, 422]
        )
        importOperation.requestMediaType = "text/csv"
        documentation.add([
            APIOperation(
                .post, "/api/v1/partnerships/{id}/activities", id: "recordActivity",
                summary: "Record an activity of a partnership (admin, coordinator).", tag: "activities",
                parameters: [.path("id", .string(format: "uuid"), "the partnership's id")],
                requestBody: .object(fields, required: ["title", "kind", "direction"]),
                success: (201, .reference("Activity")), problems: [403, 404]
            ),
            APIOperation(
                .get, "/api/v1/activities", id: "listActivities",
                summary: "Activities the caller may see, oldest first.",
                tag: "activities",
                parameters: [
                    .query("partnershipId", .string(format: "uuid"), "of one partnership"),
                    .query("status", .string(enumeration: ActivityRules.statuses), "only this status"),
                    .query("kind", .string(enumeration: ActivityRules.kinds), "only this kind"),
                    .query("sdg", goal, "contributing to this goal"),
                    .query("target", target, "contributing to this target, e.g. 3.d"),
                    .query("theme", .text(), "tagged with this theme, e.g. covid-19"),
                    .query("direction", .string(enumeration: ActivityRules.directions), "this learning direction"),
                    .query("year", .integer(minimum: 1900, maximum: 2200), "running during this year"),
                    .query("q", .text(maximum: 200), "words in the title, description or results"),
                    .query("limit", .integer(minimum: 1, maximum: 200), "page size, 50 by default"),
                    .query("cursor", .string(), "the nextCursor of the previous page"),
                ],
                success: (
                    200,
                    .object(
                        ["items": .array(.reference("Activity")), "nextCursor": .nullable(.string())],
                        required: ["items"]
                    )
                ),
                problems: [400, 422]
            ),
            APIOperation(
                .get, "/api/v1/activities/{id}", id: "getActivity", summary: "One activity.", tag: "activities",
                parameters: [id], success: (200, .reference("Activity")), problems: [404]
            ),
            APIOperation(
                .patch, "/api/v1/activities/{id}", id: "updateActivity",
                summary: "Change an activity (admin, coordinator); If-Match guards against lost updates.",
                tag: "activities",
                parameters: [id, .header("If-Match", .eTag, "the ETag last seen; 412 when stale")],
                requestBody: .object(changes), success: (200, .reference("Activity")), problems: [403, 404, 412]
            ),
            APIOperation(
                .delete, "/api/v1/activities/{id}", id: "deleteActivity",
                summary: "Delete an activity (admin, coordinator).",
                tag: "activities", parameters: [id], success: (204, nil), problems: [403, 404]
            ),
            APIOperation(
                .post, "/api/v1/activities/{id}/updates", id: "postActivityUpdate",
                summary: "Post a progress note (admin, coordinator, the partnership's partner coordinators).",
                tag: "activities", parameters: [id],
                requestBody: .object(["body": .note()], required: ["body"]),
                success: (201, update), problems: [403, 404]
            ),
            importOperation,
            APIOperation(
                .get, "/api/v1/activities/{id}/updates", id: "listActivityUpdates",
                summary: "Progress notes, newest first.", tag: "activities",
                parameters: [
                    id, .query("limit", .integer(minimum: 1, maximum: 200), "page size, 50 by default"),
                    .query("cursor", .string(), "the nextCursor of the previous page"),
                ],
                success: (
                    200,
                    .object(["items": .array(update), "nextCursor": .nullable(.string())], required: ["items"])
                ),
                problems: [400, 404, 422]
            ),
        ])
    }
}
