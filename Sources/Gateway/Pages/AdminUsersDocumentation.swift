import HTTPTypes

/// `/admin/users` and the invitation's accept page in the OpenAPI document (tag `pages`).
enum AdminUsersDocumentation {
    static func register(in documentation: APIDocumentation) {
        let id = APIOperation.Parameter.path("id", .string(format: "uuid"), "a user of the municipality")
        let token = APIOperation.Parameter.path("token", .string(maxLength: 100), "the secret of a mailed invitation")
        let sent = APIOperation.Parameter.query(
            "sent", .string(maxLength: 320), "the address an invitation was just sent to, to say so")
        let pageNumber = APIOperation.Parameter.query(
            "page", .integer(minimum: 1, maximum: 1_000_000),
            "which page of users, from 1 (\(AdminUsersPage.pageSize) a page)")
        let csrf: [String: JSONSchema] = ["csrf": .string(maxLength: 100)]
        let roles = JSONSchema.string(enumeration: Identity.Role.municipalityRoleNames)
        func page(
            _ method: HTTPRequest.Method, _ path: String, _ operationID: String, _ summary: String,
            parameters: [APIOperation.Parameter] = [], form: [String: JSONSchema]? = nil,
            success: Int = 200, problems: [Int] = []
        ) -> APIOperation {
            var operation = APIOperation(
                method, path, id: operationID, summary: summary, tag: "pages", parameters: parameters,
                requestBody: form.map { .object(csrf.merging($0) { old, _ in old }, required: ["csrf"]) },
                success: (success, success == 200 ? .string() : nil), problems: problems + (form == nil ? [] : [403]),
                authenticated: false)
            operation.successMediaType = "text/html"
            if form != nil { operation.requestMediaType = "application/x-www-form-urlencoded" }
            return operation
        }
        documentation.add([
            page(
                .get, "/admin/users", "adminUsersPage",
                "The municipality's users (role, partnerships, status, last sign-in), a page at a time, and the invite form (administrators).",
                parameters: [sent, pageNumber], problems: [403]),
            page(
                .post, "/admin/users", "inviteUser",
                "Invites a person by e-mail; a partner coordinator to a partnership (administrators).",
                form: [
                    "email": .string(maxLength: 320), "name": .string(maxLength: 200), "role": roles,
                    "partnershipId": .string(format: "uuid"),
                    "locale": .string(enumeration: ["nl", "en", "fr", "es"]),
                ], success: 303, problems: [422]),
            page(
                .post, "/admin/users/{id}/role", "changeUserRole", "Changes a user's role (administrators).",
                parameters: [id], form: ["role": roles], success: 303, problems: [404, 422]),
            page(
                .post, "/admin/users/{id}/disable", "disableUser",
                "Disables a user: their sessions end and their tokens are revoked (administrators).",
                parameters: [id], form: [:], success: 303, problems: [404, 422]),
            page(
                .post, "/admin/users/{id}/enable", "enableUser", "Enables a disabled user again (administrators).",
                parameters: [id], form: [:], success: 303, problems: [404]),
            page(
                .get, "/invitations/{token}", "confirmInvitation",
                "An accept button for a mailed invitation (a GET never signs in: mail scanners open links).",
                parameters: [token], problems: [404, 410]),
            page(
                .post, "/invitations/{token}", "acceptInvitation",
                "Accepts the invitation once, starts a session and goes to the partnership or /.",
                parameters: [token], form: [:], success: 303, problems: [404, 410]),
        ])
    }
}
