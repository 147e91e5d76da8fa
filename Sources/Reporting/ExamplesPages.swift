import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import Vocabulary

/// The annex of examples for a platform administrator's browser: a small form on `/platform` (theme, year) and
/// the session routes it sends to — `/platform/examples` (the printable page), `/platform/examples.csv` and
/// `/platform/examples.json` — each answering what `GET /api/v1/platform/reports/examples` answers in that
/// format. Anyone else gets 404, as on every platform route. A wrong year or theme is shown beside its field on
/// the form, in the person's language (422).
struct ExamplesPages: Sendable {
    let service: ReportsService
    let publicURL: String

    func register(on pages: Pages, documentation: APIDocumentation) {
        let shell = pages.shell
        pages.signedIn.get("platform/examples") { request, context in
            try await answer(request, context, shell, format: .html)
        }
        pages.signedIn.get("platform/examples.csv") { request, context in
            let delimiter: CSVDelimiter = PageForm.queryValue(request, "delimiter") == "semicolon" ? .semicolon : .comma
            return try await answer(request, context, shell, format: .csv(delimiter))
        }
        pages.signedIn.get("platform/examples.json") { request, context in
            try await answer(request, context, shell, format: .json)
        }
        pages.platformSections.add(order: 20) { context in
            guard context.identity?.role == .platformAdmin else { return nil }
            return Self.form(language: shell.language(context), values: [:], errors: [:])
        }
        documentation.add(Self.operations)
    }

    private func answer(
        _ request: Request, _ context: GatewayRequestContext, _ shell: PageShell, format: ReportQuery.Format
    ) async throws -> Response {
        let caller = try context.requireIdentity()
        try ReportsService.requirePlatformAdministrator(caller)
        let language = shell.language(context)
        let values = ["theme", "year"].reduce(into: [String: String]()) { values, field in
            values[field] = PageForm.queryValue(request, field)
        }
        let (filter, errors) = ReportQuery.filter { values[$0] }
        guard errors.isEmpty else {
            let words = ReportPageWords.all[language]
            var messages: [String: String] = [:]
            for error in errors where messages[error.field] == nil {
                messages[error.field] = words.message(error.field, fallback: error.message)
            }
            return shell.respond(
                title: ExamplesWords.all[language].section,
                content: Self.form(language: language, values: values, errors: messages, heading: 1),
                status: .unprocessableContent, context: context)
        }
        let report = try await service.platformExamples(
            filter, caller: caller, publicURL: publicURL, on: try context.requireConnection())
        return ReportPages.download(
            try PlatformReportsController.respond(report, format: format, language: language, service: service))
    }

    /// The form: theme and year (what was typed kept, a message beside a wrong one and in a summary above), and
    /// a button per format; on `/platform` under an `<h2>`, alone on its error page under an `<h1>`.
    static func form(language: Language, values: [String: String], errors: [String: String], heading: Int = 2)
        -> String
    {
        let words = ExamplesWords.all[language]
        let page = ReportPageWords.all[language]
        var html = ""
        if !errors.isEmpty {
            html += """
                <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
                <h2 id="error-summary-title">\(HTML.escape(page.errorSummary))</h2>
                <ul>

                """
            for field in ["theme", "year"] {
                if let message = errors[field] {
                    html += "<li><a href=\"#\(field)\">\(HTML.escape(message))</a></li>\n"
                }
            }
            html += "</ul>\n</div>\n"
        }
        html += """
            <section aria-labelledby="platform-examples">
            <h\(heading) id="platform-examples">\(HTML.escape(words.section))</h\(heading)>
            <p>\(HTML.escape(words.sectionIntro))</p>
            <form method="get" action="/platform/examples" class="report-filter">
            <div class="filter-fields">

            """
        for (field, label, hint, numeric) in [
            ("theme", page.theme, page.themeHint, false), ("year", page.year, page.yearHint, true),
        ] {
            let error = errors[field]
            var describedBy = "\(field)-hint"
            html += "<div class=\"field\(error == nil ? "" : " field-error")\">\n"
            html += "<label for=\"\(field)\">\(HTML.escape(label))</label>\n"
            html += "<p class=\"hint\" id=\"\(field)-hint\">\(HTML.escape(hint))</p>\n"
            if let error {
                html += "<p class=\"error-message\" id=\"\(field)-error\">\(HTML.escape(error))</p>\n"
                describedBy += " \(field)-error"
            }
            html += """
                <input type="text" id="\(field)" name="\(field)" value="\(HTML.escape(values[field] ?? ""))" \
                aria-describedby="\(describedBy)"\(numeric ? " inputmode=\"numeric\"" : "")\
                \(error == nil ? "" : " aria-invalid=\"true\"")>
                </div>

                """
        }
        // Spreadsheets in Dutch, French and Spanish read semicolons and decimal commas, as on /reports.
        if language != .en { html += "<input type=\"hidden\" name=\"delimiter\" value=\"semicolon\">\n" }
        html += """
            </div>
            <button type="submit" id="examples-page">\(HTML.escape(words.page))</button>
            <button type="submit" class="secondary" id="examples-csv" formaction="/platform/examples.csv">\
            \(HTML.escape(words.csv))</button>
            <button type="submit" class="secondary" id="examples-json" formaction="/platform/examples.json">\
            \(HTML.escape(words.json))</button>
            </form>
            </section>

            """
        return html
    }

    /// The routes in the OpenAPI document (tag `pages`).
    static var operations: [APIOperation] {
        let filters: [APIOperation.Parameter] = [
            .query("theme", .string(maxLength: 40), "activities with this theme, e.g. covid-19"),
            .query("year", .string(maxLength: 4), "activities running during this year"),
        ]
        func page(_ path: String, _ id: String, _ summary: String, parameters: [APIOperation.Parameter], type: String)
            -> APIOperation
        {
            var operation = APIOperation(
                .get, path, id: id, summary: summary, tag: "pages", parameters: parameters, success: (200, .string()),
                problems: [404, 422], authenticated: false)
            operation.successMediaType = type
            return operation
        }
        return [
            page(
                "/platform/examples", "platformExamplesPage",
                "The annex of examples as a printable page in the person's language, as GET /api/v1/platform/reports/examples?format=html (platform administrators; 422 with the form for a wrong theme or year).",
                parameters: filters, type: "text/html"),
            page(
                "/platform/examples.csv", "platformExamplesDownload",
                "The annex of examples as a CSV file to save, as GET /api/v1/platform/reports/examples?format=csv (platform administrators).",
                parameters: filters + [
                    .query(
                        "delimiter", .string(enumeration: ["comma", "semicolon"]),
                        "semicolon for Excel in Belgium")
                ], type: "text/csv"),
            page(
                "/platform/examples.json", "platformExamplesData",
                "The annex of examples as JSON, as GET /api/v1/platform/reports/examples (platform administrators).",
                parameters: filters, type: "application/json"),
        ]
    }
}
