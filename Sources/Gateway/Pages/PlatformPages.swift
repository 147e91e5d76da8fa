import Foundation
import HTTPTypes
import Hummingbird
import Postgres
import Vocabulary

/// The platform administrators' pages: their sign-in link (`/sign-in/platform/{token}`, a confirm button as for
/// everyone's link) and `/platform`, the municipalities (with how many people each has, per role, and how many
/// are disabled), a form to add one (the operation of `POST
/// /api/v1/platform/tenants`) and what plugins add (``PlatformPageSections``: the platform report). Anyone else
/// is told `/platform` does not exist (404), as the API tells them.
struct PlatformPages {
    let environment: GatewayEnvironment

    var shell: PageShell { environment.pages }

    func register(on pages: Pages) {
        pages.anyone.get("sign-in/platform/:token") { _, context in try await confirm(context) }
        pages.anyone.post("sign-in/platform/:token") { request, context in try await useLink(request, context) }
        pages.signedIn.get("platform") { request, context in try await page(request, context) }
        pages.signedIn.post("platform/tenants") { request, context in try await create(request, context) }
    }

    // MARK: Sign-in

    func confirm(_ context: GatewayRequestContext) async throws -> Response {
        guard let secret = SessionSecret(pathOf: context) else { return shell.linkGone(nil, context: context) }
        let state = try await PlatformAdminSignIn.state(
            of: secret, at: environment.now(), on: context.requireConnection())
        guard state == "valid" else { return shell.linkGone(state, context: context) }
        return shell.view("confirm", title: PageWords.of(shell.language(context)).confirmTitle, context: context)
    }

    func useLink(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        guard let secret = SessionSecret(pathOf: context) else { return shell.linkGone(nil, context: context) }
        let (response, state) = try await PlatformAdminSignIn.signIn(
            link: secret, request: request, context: context, environment: environment)
        return response ?? shell.linkGone(state, context: context)
    }

    // MARK: /platform

    private func requirePlatformAdministrator(_ context: GatewayRequestContext) throws {
        guard try context.requireIdentity().role == .platformAdmin else { throw Problem.notFound() }
    }

    func page(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        try requirePlatformAdministrator(context)
        let form = ["locale": Language.default.rawValue, "timeZone": "Europe/Brussels"]
        return try await view(
            form: form, errors: [:], created: request.uri.queryParameters["created"] != nil, status: .ok,
            context: context)
    }

    func create(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        try requirePlatformAdministrator(context)
        let posted = try await PageForm.read(request)
        var form: [String: String] = [:]
        for field in ["slug", "name", "adminEmail", "adminName", "locale", "timeZone"] {
            form[field] = (posted[field] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let words = AdminWords.of(shell.language(context))
        let body = PlatformTenantsController.NewTenant(
            slug: form["slug"]!, name: form["name"]!, adminEmail: form["adminEmail"]!,
            adminName: form["adminName"]!.isEmpty ? nil : form["adminName"],
            locale: Language(rawValue: form["locale"]!)?.rawValue ?? Language.default.rawValue,
            timeZone: form["timeZone"]!)
        let messages = [
            "slug": words.slugError, "name": words.nameError, "adminEmail": words.adminEmailError,
            "adminName": words.adminNameError, "timeZone": words.timeZoneError,
        ]
        var errors: [String: String] = [:]
        for error in body.validate() { errors[error.field] = messages[error.field] ?? error.message }
        // A taken slug is told beside the field; asked first, since the failed insert would end the transaction
        // the page is still to be read in (a race between two administrators ends as the API's 409).
        if errors.isEmpty,
            try await !context.requireConnection().query(
                "SELECT 1 FROM platform.tenants WHERE slug = \(body.slug)"
            ).isEmpty
        {
            errors["slug"] = words.slugTaken
        }
        if errors.isEmpty {
            _ = try await PlatformTenantsController.createTenant(body, on: context.requireConnection())
            return PageRedirect.seeOther("/platform?created=1")
        }
        return try await view(
            form: form, errors: errors, created: false, status: .unprocessableContent, context: context)
    }

    private func view(
        form: [String: String], errors: [String: String], created: Bool, status: HTTPResponse.Status,
        context: GatewayRequestContext
    ) async throws -> Response {
        let language = shell.language(context)
        let words = AdminWords.of(language)
        let connection = try context.requireConnection()
        let rows = try await connection.query(
            "SELECT \(unsafeSQL: TenantRecord.columns) FROM platform.tenants ORDER BY name, slug LIMIT 1000")
        let counts = try await UserCounts.read(on: connection)
        let roleWords = AdminUsersWords.of(language)
        let tenants = try rows.map { row -> [String: Any] in
            let tenant = try TenantRecord(row: row)
            let count = counts[tenant.id] ?? UserCounts()
            let byRole = Identity.Role.municipalityRoles.compactMap { role -> String? in
                guard let number = count.active[role], number > 0 else { return nil }
                return "\(roleWords.roleName(role)) \(number)"
            }
            var row: [String: Any] = [
                "name": tenant.name, "slug": tenant.slug,
                "status": tenant.disabledAt == nil ? words.active : words.disabled,
                "people": count.active.values.reduce(0, +), "disabledPeople": count.disabled,
            ]
            if !byRole.isEmpty { row["byRole"] = byRole.joined(separator: ", ") }
            return row
        }
        var object: [String: Any] = [
            "tenants": tenants, "form": form, "created": created,
            "platformWords": PageShell.templateWords(PlatformWords.of(language)),
            "choices": Language.allCases.map { code -> [String: Any] in
                [
                    "code": code.rawValue, "name": PageWords.languageName(code),
                    "current": code.rawValue == form["locale"],
                ]
            },
            "sections": try await environment.platformSections.render(context: context),
        ]
        var items: [[String: String]] = []
        for field in ["name", "slug", "adminEmail", "adminName", "timeZone"] {
            guard let message = errors[field] else { continue }
            object[field + "Error"] = message
            items.append(["field": field, "message": message])
        }
        var title = words.platformTitle
        if !items.isEmpty {
            let summary = PageWords.of(language).errorSummary
            object["errorSummary"] = ["title": summary, "items": items] as [String: Any]
            title = "\(summary): \(title)"
        }
        return shell.view("platform", title: title, values: object, status: status, context: context)
    }

    /// The pages' routes in the OpenAPI document (tag `pages`).
    static func register(in documentation: APIDocumentation) {
        func page(
            _ method: HTTPRequest.Method, _ path: String, _ id: String, _ summary: String,
            parameters: [APIOperation.Parameter] = [], form: [String: JSONSchema]? = nil, success: Int = 200,
            problems: [Int] = []
        ) -> APIOperation {
            var operation = APIOperation(
                method, path, id: id, summary: summary, tag: "pages", parameters: parameters,
                requestBody: form.map {
                    .object($0.merging(["csrf": .string(maxLength: 100)]) { old, _ in old }, required: ["csrf"])
                },
                success: (success, success == 200 ? .string() : nil), problems: problems + (form == nil ? [] : [403]),
                authenticated: false)
            operation.successMediaType = "text/html"
            if form != nil { operation.requestMediaType = "application/x-www-form-urlencoded" }
            return operation
        }
        let token = APIOperation.Parameter.path(
            "token", .string(maxLength: 100), "the secret of a platform administrator's mailed sign-in link")
        documentation.add([
            page(
                .get, "/sign-in/platform/{token}", "confirmPlatformSignIn",
                "A confirm button for a platform administrator's mailed link.", parameters: [token],
                problems: [404, 410]),
            page(
                .post, "/sign-in/platform/{token}", "platformSignInWithLink",
                "Uses a platform administrator's link once and starts their session, then goes to next or /platform.",
                parameters: [token], form: [:], success: 303, problems: [404, 410]),
            page(
                .get, "/platform", "platformPage",
                "The municipalities, a form to add one, and the platform report (platform administrators; others 404).",
                problems: [404]),
            page(
                .post, "/platform/tenants", "createMunicipalityPage",
                "Adds a municipality and its first administrator, as POST /api/v1/platform/tenants (platform administrators).",
                form: [
                    "slug": .string(maxLength: 63), "name": .string(maxLength: 200),
                    "adminEmail": .string(maxLength: 320),
                    "adminName": .string(maxLength: 200), "locale": .string(enumeration: ["nl", "en", "fr", "es"]),
                    "timeZone": .string(maxLength: 64),
                ], success: 303, problems: [404, 422]),
        ])
    }
}

/// How many users a municipality has, active per role and disabled, as `platform.tenant_user_counts()` (0027)
/// answers a platform administrator: numbers only, never a person's row.
struct UserCounts {
    /// The active users (invited ones among them) per role.
    var active: [Identity.Role: Int] = [:]
    /// The disabled users.
    var disabled = 0

    /// Every municipality's counts, by its id, in a platform administrator's transaction.
    static func read(on connection: PostgresConnection) async throws -> [UUID: UserCounts] {
        let rows = try await connection.query(
            "SELECT tenant_id, role, active, disabled FROM platform.tenant_user_counts()")
        var counts: [UUID: UserCounts] = [:]
        for row in rows {
            let (tenant, role, active, disabled) = try row.decode((UUID, String, Int, Int).self)
            counts[tenant, default: UserCounts()].active[Identity.Role(rawValue: role) ?? .viewer, default: 0] += active
            counts[tenant, default: UserCounts()].disabled += disabled
        }
        return counts
    }
}
