import Foundation
import Gateway
import HTTPTypes

/// What `/openapi.json` says about the Results plugin's pages (tag `pages`, HTML answers).
enum ResultPageDocumentation {
    static var operations: [APIOperation] {
        let period = APIOperation.Parameter.path("id", .string(format: "uuid"), "the period's id")
        var form = APIOperation(
            .get, "/periods/{id}/report", id: "reportValuePage",
            summary:
                "The phone form to report a period's value (coordinators, the partnership's partner coordinators): the indicator, the period, its target and baseline; an approved value is not reported again.",
            tag: "pages", parameters: [period], success: (200, .string()), problems: [403, 404],
            authenticated: false)
        form.successMediaType = "text/html"
        var send = APIOperation(
            .post, "/periods/{id}/report", id: "reportValueSubmitPage",
            summary:
                "Sends the value for approval (a decimal comma is read as a point), then back to the activity's or partnership's page at the indicator; a refused value or comment is a 422 page with the message beside the field.",
            tag: "pages", parameters: [period],
            requestBody: .object(
                [
                    "csrf": .string(maxLength: 100), "version": .string(maxLength: 12), "value": .string(maxLength: 40),
                    "comment": .string(maxLength: 2000),
                ], required: ["csrf"]),
            success: (303, nil), problems: [403, 404, 409, 412, 422], authenticated: false)
        send.successMediaType = "text/html"
        send.requestMediaType = "application/x-www-form-urlencoded"
        var review = APIOperation(
            .get, "/results/review", id: "reviewValuesPage",
            summary:
                "The submitted values of the person's scope, oldest first, each with Approve and Return (a comment required beside the field): administrators and coordinators.",
            tag: "pages", success: (200, .string()), problems: [403], authenticated: false)
        review.successMediaType = "text/html"
        var list = APIOperation(
            .get, "/results/report", id: "valuesToReportPage",
            summary:
                "The values the person may report (coordinators, partner coordinators of their partnerships): returned ones first with the coordinator's comment, then by the soonest end, each linking to its form.",
            tag: "pages", success: (200, .string()), problems: [403], authenticated: false)
        list.successMediaType = "text/html"
        func decision(_ action: String, _ id: String, _ summary: String, comment: Bool) -> APIOperation {
            var fields: [String: JSONSchema] = ["csrf": .string(maxLength: 100), "version": .string(maxLength: 12)]
            if comment { fields["comment"] = .string(maxLength: 2000) }
            var operation = APIOperation(
                .post, "/periods/{id}/\(action)", id: id, summary: summary, tag: "pages", parameters: [period],
                requestBody: .object(fields, required: ["csrf"]), success: (303, nil),
                problems: [403, 404, 409, 412] + (comment ? [422] : []), authenticated: false)
            operation.successMediaType = "text/html"
            operation.requestMediaType = "application/x-www-form-urlencoded"
            return operation
        }
        var upload = APIOperation(
            .post, "/import/results", id: "importResultsPage",
            summary:
                "Imports a CSV file of results (multipart field file) from the /import page, all or nothing (admin, coordinator): the page again with the count, or a 422 page listing each bad row, column and reason.",
            tag: "pages",
            requestBody: .object(["csrf": .string(maxLength: 100), "file": .string()], required: ["csrf"]),
            success: (200, .string()), problems: [403, 413, 422], authenticated: false)
        upload.successMediaType = "text/html"
        upload.requestMediaType = "multipart/form-data"
        return [
            form, send, review, list, upload,
        ] + definitionForms + [
            decision(
                "approve", "approveValuePage", "Approves a submitted value, then back to /results/review.",
                comment: false),
            decision(
                "return", "returnValuePage",
                "Returns a submitted value with a comment, then back to /results/review; without a comment, the review page again with the message beside the field (422).",
                comment: true),
        ]
    }

    /// The forms that define, change and delete results, indicators and periods: a page (GET) and its post each.
    static var definitionForms: [APIOperation] {
        let text = APIOperation.Parameter.path
        let forms: [(path: String, id: String, thing: String, summary: String, fields: [String: JSONSchema])] = [
            (
                "/activities/{id}/results/new", "newActivityResultPage", "activity",
                "a new result of the activity", resultFields
            ),
            (
                "/partnerships/{id}/results/new", "newPartnershipResultPage", "partnership",
                "a new long-term result of the partnership", resultFields
            ),
            ("/results/{id}/edit", "editResultPage", "result", "a change to the result", resultFields),
            (
                "/results/{id}/indicators/new", "newIndicatorPage", "result", "a new indicator of the result",
                indicatorFields
            ),
            ("/indicators/{id}/edit", "editIndicatorPage", "indicator", "a change to the indicator", indicatorFields),
            (
                "/indicators/{id}/periods/new", "newPeriodPage", "indicator", "a new period of the indicator",
                periodFields
            ),
            ("/periods/{id}/edit", "editPeriodPage", "period", "a change to the period", periodFields),
        ]
        var operations: [APIOperation] = []
        for form in forms {
            let parameter = text("id", .string(format: "uuid"), "the \(form.thing)'s id")
            var page = APIOperation(
                .get, form.path, id: form.id,
                summary: "The form for \(form.summary) (administrators and coordinators).", tag: "pages",
                parameters: [parameter], success: (200, .string()), problems: [403, 404], authenticated: false)
            page.successMediaType = "text/html"
            var post = APIOperation(
                .post, form.path, id: form.id.replacingOccurrences(of: "Page", with: "SubmitPage"),
                summary:
                    "Saves \(form.summary), then back to the page the results stand on; a refusal is the form again with the message beside the field (422; 409 when a stale version or what is stored refuses it).",
                tag: "pages", parameters: [parameter],
                requestBody: .object(form.fields.merging(["csrf": .string(maxLength: 100)]) { $1 }, required: ["csrf"]),
                success: (303, nil), problems: [403, 404, 409, 422], authenticated: false)
            post.successMediaType = "text/html"
            post.requestMediaType = "application/x-www-form-urlencoded"
            operations += [page, post]
        }
        for (path, id, thing) in [
            ("/results/{id}/delete", "deleteResultPage", "result"),
            ("/indicators/{id}/delete", "deleteIndicatorPage", "indicator"),
            ("/periods/{id}/delete", "deletePeriodPage", "period"),
        ] {
            let parameter = text("id", .string(format: "uuid"), "the \(thing)'s id")
            var page = APIOperation(
                .get, path, id: id,
                summary:
                    "Asks whether to delete the \(thing), saying what goes with it (administrators and coordinators).",
                tag: "pages", parameters: [parameter], success: (200, .string()), problems: [403, 404],
                authenticated: false)
            page.successMediaType = "text/html"
            var post = APIOperation(
                .post, path, id: id.replacingOccurrences(of: "Page", with: "SubmitPage"),
                summary:
                    "Deletes the \(thing), then back to the page; one holding an approved value is kept and the page says why (409).",
                tag: "pages", parameters: [parameter],
                requestBody: .object(["csrf": .string(maxLength: 100)], required: ["csrf"]), success: (303, nil),
                problems: [403, 404, 409], authenticated: false)
            post.successMediaType = "text/html"
            post.requestMediaType = "application/x-www-form-urlencoded"
            operations += [page, post]
        }
        return operations
    }

    static let resultFields: [String: JSONSchema] = [
        "version": .string(maxLength: 12), "title": .string(maxLength: 200), "type": .string(maxLength: 20),
        "description": .string(maxLength: 20_000), "aggregates": .string(maxLength: 3),
    ]

    static let indicatorFields: [String: JSONSchema] = [
        "version": .string(maxLength: 12), "title": .string(maxLength: 200), "description": .string(maxLength: 20_000),
        "measure": .string(maxLength: 20), "ascending": .string(maxLength: 3), "sdgTarget": .string(maxLength: 10),
        "baseline.year": .string(maxLength: 6), "baseline.value": .string(maxLength: 40),
        "baseline.comment": .string(maxLength: 2000),
    ]

    static let periodFields: [String: JSONSchema] = [
        "version": .string(maxLength: 12), "start": .string(maxLength: 12), "end": .string(maxLength: 12),
        "target.value": .string(maxLength: 40), "target.comment": .string(maxLength: 2000),
    ]
}
