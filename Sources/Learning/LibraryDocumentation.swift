import Gateway
import HTTPTypes
import ReferenceData
import Vocabulary

/// What `/openapi.json` says about the library.
enum LibraryDocumentation {
    static func register(in documentation: APIDocumentation) {
        documentation.define(
            "LibraryLesson",
            .object(
                [
                    "id": .string(format: "uuid"), "title": .name(), "body": .text(),
                    "side": .string(enumeration: LessonSide.rawValues), "themes": .array(.string()),
                    "sdgTargets": .array(.string(enumeration: SDGCatalogue.targetCodes)),
                    "policyDomain": .string(), "language": .string(),
                    "municipality": .object(["slug": .string(), "name": .string()], required: ["slug", "name"]),
                    "partnership": .object(
                        ["title": .string(), "partnerName": .string(), "partnerCountry": .string()],
                        required: ["title", "partnerName", "partnerCountry"]),
                    "activity": .object(["title": .string()], required: ["title"]),
                    "contactRole": .string(enumeration: PartnershipRole.rawValues),
                    "sharedAt": .string(format: "date-time"),
                ],
                required: [
                    "id", "title", "body", "side", "themes", "sdgTargets", "policyDomain", "language",
                    "municipality", "partnership", "activity", "contactRole", "sharedAt",
                ]))
        let page = JSONSchema.object(
            ["items": .array(.reference("LibraryLesson")), "nextCursor": .nullable(.string())], required: ["items"])
        documentation.add([
            APIOperation(
                .get, "/api/v1/library/lessons", id: "searchLibrary",
                summary:
                    "The lessons every municipality shared, newest first, for every signed-in person of a "
                    + "municipality: by words (each a prefix, without accents, found in the lesson or its policy "
                    + "domain's names in four languages) and filters.",
                tag: "learning",
                parameters: [
                    .query("q", .string(maxLength: 1000), "words; letters and digits, at most 8"),
                    .query("theme", .string(pattern: "^[a-z0-9][a-z0-9-]{0,39}$"), "a theme tag such as covid-19"),
                    .query("sdgTarget", .string(enumeration: SDGCatalogue.targetCodes), "an SDG target"),
                    .query("policyDomain", .string(), "a policy domain's code (GET /api/v1/policy-domains)"),
                    .query("country", .string(pattern: "^[A-Z]{2}$"), "the partner's country, ISO 3166-1 alpha-2"),
                    .query("side", .string(enumeration: LessonSide.rawValues), "the side that learnt"),
                    .query("limit", .integer(minimum: 1, maximum: 200), "page size, 50 by default"),
                    .query("cursor", .string(), "the nextCursor of the previous page"),
                ],
                success: (200, page), problems: [400, 404, 422]),
            APIOperation(
                .get, "/api/v1/library/lessons/{id}", id: "getLibraryLesson",
                summary: "One shared lesson of any municipality; 404 unless it is shared.", tag: "learning",
                parameters: [.path("id", .string(format: "uuid"), "the lesson's id")],
                success: (200, .reference("LibraryLesson")),
                problems: [404]),
        ])
    }
}
