import Gateway
import HTTPTypes

/// The partnership pages in the OpenAPI document (tag `pages`): HTML for browsers, with forms whose fields
/// carry the JSON API's names.
enum PartnershipPageDocumentation {
    static var operations: [APIOperation] {
        let id = APIOperation.Parameter.path("id", .string(format: "uuid"), "the partnership")
        let csrf: [String: JSONSchema] = ["csrf": .string(maxLength: 100)]
        let partnership: [String: JSONSchema] = [
            "title": .string(maxLength: 200), "partner.name": .string(maxLength: 200),
            "partner.country": .string(maxLength: 2), "partner.region": .string(maxLength: 200),
            "partner.website": .string(maxLength: 2000), "status": .string(maxLength: 20),
            "startedOn": .string(maxLength: 10), "endedOn": .string(maxLength: 10),
            "description": .string(maxLength: 20_000), "sdgFocus": .array(.integer(minimum: 1, maximum: 17)),
        ]
        func page(
            _ method: HTTPRequest.Method, _ path: String, _ operationID: String, _ summary: String,
            parameters: [APIOperation.Parameter] = [], form: [String: JSONSchema]? = nil, problems: [Int] = []
        ) -> APIOperation {
            var operation = APIOperation(
                method, path, id: operationID, summary: summary, tag: "pages", parameters: parameters,
                requestBody: form.map { .object(csrf.merging($0) { old, _ in old }, required: ["csrf"]) },
                success: form == nil ? (200, .string()) : (303, nil),
                problems: problems + (form == nil ? [] : [403, 422]), authenticated: false)
            operation.successMediaType = "text/html"
            if form != nil { operation.requestMediaType = "application/x-www-form-urlencoded" }
            return operation
        }
        let filters: [APIOperation.Parameter] = [
            .query("status", .string(maxLength: 20), "only partnerships with this status"),
            .query("country", .string(maxLength: 2), "only partnerships with a partner in this country"),
            .query("sdg", .string(maxLength: 2), "only partnerships with this goal in their focus"),
            .query("cursor", .string(maxLength: 200), "the next page's cursor"),
        ]
        return [
            page(
                .get, "/partnerships", "partnershipsPage",
                "The partnerships the person may see (a partner coordinator: theirs), filtered and paged.",
                parameters: filters, problems: [400, 422]),
            page(
                .get, "/partnerships/new", "newPartnershipPage", "The form for a new partnership (writers only).",
                problems: [403]),
            page(
                .post, "/partnerships/new", "createPartnershipPage",
                "Creates the partnership, then 303 to its page; 422 shows the form with its errors.", form: partnership),
            page(
                .get, "/partnerships/{id}", "partnershipPage",
                "A partnership, its members and the sections other plugins add.", parameters: [id], problems: [404]),
            page(
                .get, "/partnerships/{id}/edit", "editPartnershipPage",
                "The partnership's edit form, with its version (writers only).", parameters: [id], problems: [403, 404]),
            page(
                .post, "/partnerships/{id}/edit", "savePartnershipPage",
                "Saves the partnership at the version the form was opened at; a stale save answers 409 and shows what is stored now.",
                parameters: [id], form: partnership.merging(["version": .integer(minimum: 1)]) { old, _ in old },
                problems: [404, 409]),
            page(
                .get, "/partnerships/{id}/members", "partnershipMembersPage",
                "The members, with forms to add one, change a role or remove one (writers).", parameters: [id],
                problems: [404]),
            page(
                .post, "/partnerships/{id}/members", "addPartnershipMemberPage",
                "Adds a user of the municipality as a member, or changes a member's role; 303 to the members.",
                parameters: [id], form: ["userId": .string(format: "uuid"), "role": .string(maxLength: 40)],
                problems: [404]),
            page(
                .post, "/partnerships/{id}/members/{userId}/remove", "removePartnershipMemberPage",
                "Removes a member; 303 to the members.",
                parameters: [id, .path("userId", .string(format: "uuid"), "the member's user id")], form: [:],
                problems: [404]),
            page(
                .post, "/partnerships/{id}/members/invite", "invitePartnershipMemberPage",
                "Invites a partner coordinator (made a member at once) or a viewer by e-mail (writers); 303 to the members.",
                parameters: [id],
                form: [
                    "email": .string(maxLength: 320), "name": .string(maxLength: 200),
                    "role": .string(enumeration: ["partner_coordinator", "viewer"]),
                    "locale": .string(enumeration: ["nl", "en", "fr", "es"]),
                ], problems: [404]),
        ]
    }
}
