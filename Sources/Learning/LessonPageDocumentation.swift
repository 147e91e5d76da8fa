import Foundation
import Gateway
import HTTPTypes

/// What `/openapi.json` says about the lesson forms (tag `pages`, HTML answers); the activity page's section
/// has no route of its own.
enum LessonPageDocumentation {
    static var operations: [APIOperation] {
        let fields: [String: JSONSchema] = [
            "csrf": .string(maxLength: 100), "title": .string(maxLength: 200), "body": .string(maxLength: 20_000),
            "side": .string(maxLength: 30), "language": .string(maxLength: 5), "languageCode": .string(maxLength: 3),
            "policyDomain": .string(maxLength: 40), "themes": .string(maxLength: 1000),
            "sdgTargets": .string(maxLength: 10),
        ]
        let editFields = fields.merging([
            "version": .string(maxLength: 12), "shared": .string(maxLength: 3), "published": .string(maxLength: 3),
        ]) { $1 }
        let activity = APIOperation.Parameter.path("id", .string(format: "uuid"), "the activity's id")
        let lesson = APIOperation.Parameter.path("id", .string(format: "uuid"), "the lesson's id")
        func page(_ path: String, _ id: String, _ summary: String, _ parameter: APIOperation.Parameter)
            -> APIOperation
        {
            var operation = APIOperation(
                .get, path, id: id, summary: summary, tag: "pages", parameters: [parameter], success: (200, .string()),
                problems: [403, 404], authenticated: false)
            operation.successMediaType = "text/html"
            return operation
        }
        func post(
            _ path: String, _ id: String, _ summary: String, _ parameter: APIOperation.Parameter,
            _ fields: [String: JSONSchema], problems: [Int]
        ) -> APIOperation {
            var operation = APIOperation(
                .post, path, id: id, summary: summary, tag: "pages", parameters: [parameter],
                requestBody: .object(fields, required: ["csrf"]), success: (303, nil), problems: problems,
                authenticated: false)
            operation.successMediaType = "text/html"
            operation.requestMediaType = "application/x-www-form-urlencoded"
            return operation
        }
        return [
            page(
                "/activities/{id}/lessons/new", "newLessonPage",
                "The form to write what one side learnt in the activity (administrators, coordinators, and the partnership's partner coordinators, whose side is fixed to the partner's).",
                activity),
            post(
                "/activities/{id}/lessons/new", "newLessonSubmitPage",
                "Writes the lesson as POST /api/v1/activities/{id}/lessons does (sdgTargets repeated, themes comma-separated, language `other` with languageCode for another code), then back to the activity's page at the lesson; a refusal is the form again with the message beside the field (422; 403 when a partner coordinator names the Flemish side).",
                activity, fields, problems: [403, 404, 422]),
            page(
                "/lessons/{id}/edit", "editLessonPage",
                "The form to change a lesson, with the checkboxes to share and publish it for coordinators; the words of a lesson a partner coordinator wrote are shown, not offered, to a coordinator who is not its author.",
                lesson),
            post(
                "/lessons/{id}/edit", "editLessonSubmitPage",
                "Changes the lesson as PATCH /api/v1/lessons/{id} does, at the version the form was opened at (If-Match), then back to the activity's page at the lesson; a refusal is the form again with the message beside the field (422, 403), a stale version the form with what was typed and the current version (409).",
                lesson, editFields, problems: [403, 404, 409, 422]),
            page(
                "/lessons/{id}/delete", "deleteLessonPage",
                "Asks whether to delete the lesson (those who may delete it).", lesson),
            post(
                "/lessons/{id}/delete", "deleteLessonSubmitPage",
                "Deletes the lesson as DELETE /api/v1/lessons/{id} does (its row in the library with it), then back to the activity's lessons.",
                lesson, ["csrf": .string(maxLength: 100)], problems: [403, 404]),
        ]
    }
}
