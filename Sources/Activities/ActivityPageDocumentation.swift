import Gateway
import HTTPTypes
import ReferenceData

/// The activities' pages in the OpenAPI document (tag `pages`): HTML for browsers, routes all the same, so the
/// document names every route the server has.
enum ActivityPageDocumentation {
    static var operations: [APIOperation] {
        let activity = APIOperation.Parameter.path("id", .string(format: "uuid"), "the activity's id")
        let partnership = APIOperation.Parameter.path("id", .string(format: "uuid"), "the partnership's id")
        let csrf: [String: JSONSchema] = ["csrf": .string(maxLength: 100)]
        let fields: [String: JSONSchema] = [
            "title": .string(maxLength: 200), "description": .string(maxLength: 20000),
            "kind": .string(enumeration: ActivityRules.kinds), "status": .string(enumeration: ActivityRules.statuses),
            "direction": .string(enumeration: ActivityRules.directions), "startsOn": .string(maxLength: 10),
            "endsOn": .string(maxLength: 10), "sdgTargets": .array(.string(maxLength: 10)),
            "themes": .string(maxLength: 1000), "budget.planned": .string(maxLength: 20),
            "budget.spent": .string(maxLength: 20), "budget.currency": .string(maxLength: 3),
        ]
        func page(
            _ method: HTTPRequest.Method, _ path: String, _ id: String, _ summary: String,
            parameters: [APIOperation.Parameter] = [], form: [String: JSONSchema]? = nil, success: Int = 200,
            problems: [Int] = []
        ) -> APIOperation {
            var operation = APIOperation(
                method, path, id: id, summary: summary, tag: "pages", parameters: parameters,
                requestBody: form.map { .object(csrf.merging($0) { old, _ in old }, required: ["csrf"]) },
                success: (success, success == 200 ? .string() : nil), problems: problems + (form == nil ? [] : [403]),
                authenticated: false)
            operation.successMediaType = "text/html"
            if form != nil { operation.requestMediaType = "application/x-www-form-urlencoded" }
            return operation
        }
        var upload = page(
            .post, "/import", "importActivitiesPage",
            "Imports a CSV file (multipart field file), all or nothing; a bad file is a 422 page listing each row, column and reason.",
            form: ["file": .string()], success: 303, problems: [413, 422])
        upload.requestMediaType = "multipart/form-data"
        return [
            page(
                .get, "/import", "importPage", "The form to upload a CSV of activities (admin, coordinator).",
                parameters: [.query("imported", .string(maxLength: 10), "how many the last upload imported")],
                problems: [403]),
            upload,
            page(
                .get, "/activities", "activitiesPage",
                "Search the activities the person may see, with the API's filters (a GET form), paged.",
                parameters: [
                    .query("q", .string(maxLength: 200), "words in the title, description or results"),
                    .query("partnershipId", .string(format: "uuid"), "of one partnership"),
                    .query("status", .string(enumeration: ActivityRules.statuses), "only this status"),
                    .query("kind", .string(enumeration: ActivityRules.kinds), "only this kind"),
                    .query("direction", .string(enumeration: ActivityRules.directions), "this learning direction"),
                    .query("sdg", .string(maxLength: 2), "contributing to this goal, 1 to 17"),
                    .query("target", .string(maxLength: 10), "contributing to this target, e.g. 3.d"),
                    .query("theme", .string(maxLength: 40), "tagged with this theme"),
                    .query("year", .string(maxLength: 4), "running during this year"),
                    .query("cursor", .string(), "the next page's cursor"),
                ],
                problems: [400, 422]),
            page(
                .get, "/activities/{id}", "activityPage",
                "An activity: details, SDG targets, budget, and its updates (newest first) with a form to post one.",
                parameters: [activity, .query("cursor", .string(), "older updates")], problems: [400, 404]),
            page(
                .post, "/activities/{id}/updates", "postActivityUpdatePage",
                "Posts a progress update (coordinators, the partnership's partner coordinators), then back to the page.",
                parameters: [activity], form: ["body": .string(maxLength: 20000)], success: 303,
                problems: [404, 422]),
            page(
                .get, "/activities/{id}/edit", "editActivityPage",
                "The form to change an activity (admin, coordinator).",
                parameters: [activity], problems: [403, 404]),
            page(
                .post, "/activities/{id}/edit", "saveActivityPage",
                "Saves the form if the activity is still at the form's version; else shows what changed (409).",
                parameters: [activity], form: fields.merging(["version": .string(maxLength: 12)]) { old, _ in old },
                success: 303, problems: [404, 409, 422]),
            page(
                .get, "/activities/{id}/sectors", "activitySectorsPage",
                "The activity's DAC sectors to choose from the codelist, category by category (admin, coordinator).",
                parameters: [activity], problems: [403, 404]),
            page(
                .post, "/activities/{id}/sectors", "saveActivitySectorsPage",
                "Saves the ticked DAC sectors (at most ten) if the activity is still at the page's version; else shows the page again (409, 422).",
                parameters: [activity],
                form: [
                    "version": .string(maxLength: 12),
                    "dacSectors": .array(.string(maxLength: 5), maxItems: 10),
                ], success: 303, problems: [404, 409, 422]),
            page(
                .get, "/partnerships/{id}/activities/new", "newActivityPage",
                "The form to record an activity of a partnership (admin, coordinator).", parameters: [partnership],
                problems: [403, 404]),
            page(
                .post, "/partnerships/{id}/activities/new", "recordActivityPage",
                "Records the activity, then goes to its page.", parameters: [partnership], form: fields, success: 303,
                problems: [404, 422]),
        ]
    }
}
