import Gateway
import HTTPTypes
import ReferenceData
import Vocabulary

/// What `/openapi.json` says about the Learning plugin's routes.
enum LearningDocumentation {
    static let uuid = JSONSchema.string(format: "uuid")
    static let instant = JSONSchema.string(format: "date-time")
    static let side = JSONSchema.string(enumeration: LessonSide.allCases.map(\.rawValue))
    static let themes = JSONSchema.array(
        .string(maxLength: 40, pattern: "^[a-z0-9][a-z0-9-]{0,39}$"), maxItems: Theme.maximumCount)
    static let targets = JSONSchema.array(
        .string(enumeration: SDGCatalogue.targetCodes), maxItems: LessonRules.maximumTargets, uniqueItems: true)
    static let domain = JSONSchema.string(pattern: LessonRules.domainPattern)
    static let language = JSONSchema.string(pattern: LessonRules.languagePattern)
    /// What a request may send (`POST` requires all but the tags).
    static let lessonFields: [String: JSONSchema] = [
        "title": .name(maximum: LessonRules.titleLength), "body": .note(maximum: LessonRules.bodyLength),
        "side": side, "themes": themes, "sdgTargets": targets, "policyDomain": domain, "language": language,
    ]
    /// What a change may send: the lesson's fields and its two flags.
    static let changeFields: [String: JSONSchema] = lessonFields.merging(
        ["shared": .boolean, "published": .boolean], uniquingKeysWith: { first, _ in first })
    static let page: [APIOperation.Parameter] = [
        .query("limit", .integer(minimum: 1, maximum: 200), "page size, 50 by default"),
        .query("cursor", .string(), "the nextCursor of the previous page"),
    ]
    static let ifMatch = APIOperation.Parameter.header("If-Match", .eTag, "the ETag last seen; 412 when stale")

    static func register(in documentation: APIDocumentation) {
        var lesson = lessonFields
        lesson["id"] = uuid
        lesson["activityId"] = uuid
        lesson["partnershipId"] = uuid
        lesson["writtenBy"] = uuid
        lesson["contactRole"] = .string(enumeration: PartnershipRole.allCases.map(\.rawValue))
        lesson["shared"] = .boolean
        lesson["sharedAt"] = .nullable(instant)
        lesson["published"] = .boolean
        lesson["publishedAt"] = .nullable(instant)
        lesson["version"] = .integer(minimum: 1)
        lesson["createdAt"] = instant
        lesson["updatedAt"] = instant
        documentation.define("Lesson", .object(lesson, required: lesson.keys.sorted()))
        let language = JSONSchema.string(minLength: 1)
        documentation.define(
            "PolicyDomain",
            .object(
                [
                    "code": domain,
                    "names": .openObject(
                        ["nl": language, "en": language, "fr": language, "es": language],
                        required: ["nl", "en", "fr", "es"]),
                    "retired": .boolean,
                ],
                required: ["code", "names", "retired"]))
        let activityID = APIOperation.Parameter.path("id", uuid, "the activity's id")
        let lessonID = APIOperation.Parameter.path("id", uuid, "the lesson's id")
        documentation.add([
            APIOperation(
                .get, "/api/v1/activities/{id}/lessons", id: "listActivityLessons",
                summary: "What each side of the partnership learnt in an activity, oldest first.", tag: "learning",
                parameters: [activityID] + page,
                success: (
                    200,
                    .object(
                        ["items": .array(.reference("Lesson")), "nextCursor": .nullable(.string())],
                        required: ["items"])
                ),
                problems: [400, 404, 422]),
            APIOperation(
                .post, "/api/v1/activities/{id}/lessons", id: "writeLesson",
                summary:
                    "Write what one side learnt (admin, coordinator on either side; the partnership's partner "
                    + "coordinator on the partner's side only, else 403 naming side).",
                tag: "learning", parameters: [activityID],
                requestBody: .object(lessonFields, required: ["title", "body", "side", "policyDomain", "language"]),
                success: (201, .reference("Lesson")), problems: [403, 404, 422]),
            APIOperation(
                .get, "/api/v1/lessons/{id}", id: "getLesson", summary: "One lesson.", tag: "learning",
                parameters: [lessonID], success: (200, .reference("Lesson")), problems: [404]),
            APIOperation(
                .patch, "/api/v1/lessons/{id}", id: "changeLesson",
                summary:
                    "Change a lesson's words or tags, or share or publish it (admin, coordinator; published "
                    + "implies shared); If-Match guards against lost updates. The words of a lesson a partner "
                    + "coordinator wrote are the partner coordinators' and its author's (403 naming the fields); "
                    + "partner coordinators change only the partner side's lessons.",
                tag: "learning", parameters: [lessonID, ifMatch], requestBody: .object(changeFields),
                success: (200, .reference("Lesson")), problems: [403, 404, 412, 422]),
            APIOperation(
                .delete, "/api/v1/lessons/{id}", id: "deleteLesson",
                summary:
                    "Delete a lesson (admin, coordinator; a partner coordinator only the partner side's), and its "
                    + "place in the library.",
                tag: "learning", parameters: [lessonID], success: (204, nil), problems: [403, 404]),
            APIOperation(
                .get, "/api/v1/policy-domains", id: "listPolicyDomains",
                summary:
                    "The instance's policy domains a lesson is filed under, with their names in four languages; "
                    + "retired ones are kept for their lessons but take no new ones.",
                tag: "learning",
                success: (200, .object(["items": .array(.reference("PolicyDomain"))], required: ["items"]))),
        ])
    }
}
