import HTTPTypes

/// The gateway's pages in the OpenAPI document (tag `pages`): HTML for browsers, not JSON, but routes all the
/// same, so the document names every route the server has.
enum PageDocumentation {
    static func register(in documentation: APIDocumentation) {
        let token = APIOperation.Parameter.path(
            "token", .string(maxLength: 100), "the secret of a mailed sign-in link")
        let next = APIOperation.Parameter.query(
            "next", .string(maxLength: 2000), "a path on this site to open once signed in")
        let csrf: [String: JSONSchema] = ["csrf": .string(maxLength: 100)]
        func page(
            _ method: HTTPRequest.Method, _ path: String, _ id: String, _ summary: String,
            parameters: [APIOperation.Parameter] = [], form: [String: JSONSchema]? = nil,
            success: Int = 200, problems: [Int] = []
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
        var stylesheet = page(.get, "/assets/stedenband.css", "stylesheet", "The pages' one stylesheet.")
        stylesheet.successMediaType = "text/css"
        documentation.add([
            stylesheet,
            page(.get, "/sign-in", "signInPage", "The sign-in form: an e-mail address.", parameters: [next]),
            page(
                .post, "/sign-in", "requestSignInLink",
                "Mails a sign-in link (the same answer whether or not the address is known).",
                form: ["email": .string(maxLength: 320), "next": .string(maxLength: 2000)], success: 303),
            page(.get, "/sign-in/sent", "signInLinkSent", "Check your mail."),
            page(
                .get, "/sign-in/link/{token}", "confirmSignIn",
                "A confirm button for a mailed link (a GET never signs in: mail scanners open links).",
                parameters: [token], problems: [404, 410]),
            page(
                .post, "/sign-in/link/{token}", "signInWithLink",
                "Uses the link once and starts a session (cookie stedenband_session), then goes to next or /.",
                parameters: [token], form: [:], success: 303, problems: [404, 410]),
            page(.post, "/sign-out", "signOut", "Ends this session on the server.", form: [:], success: 303),
            page(
                .post, "/language", "switchLanguage", "The locale switch: the person's language, or a cookie's.",
                form: ["lang": .string(enumeration: ["nl", "en", "fr", "es"]), "next": .string(maxLength: 2000)],
                success: 303),
            page(
                .get, "/settings", "settingsPage",
                "Language, time zone and the person's sessions (signed in); a platform administrator's language and sessions."
            ),
            page(
                .post, "/settings", "saveSettings",
                "Saves language and time zone (signed in); a platform administrator's language only.",
                form: ["locale": .string(enumeration: ["nl", "en", "fr", "es"]), "timeZone": .string(maxLength: 64)],
                success: 303),
            page(
                .post, "/settings/sessions/end-all", "signOutEverywhere",
                "Ends every session of the person (or of the platform administrator).",
                form: [:], success: 303),
        ])
    }
}
