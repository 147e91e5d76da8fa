import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import Postgres
import Vocabulary

/// `/admin/users` (administrators; anyone else 403): the municipality's users with their role, partnerships (for
/// partner coordinators), status (active, invited, disabled) and last sign-in; the invite form; and a form per
/// user to change their role, disable them or enable them again. Inviting goes through ``Invitations``,
/// disabling through the statements the API's `DELETE /api/v1/users/{id}` runs (``UserAccounts``).
struct AdminUsersPage {
    let environment: GatewayEnvironment
    let invitations: Invitations

    var shell: PageShell { environment.pages }
    var directory: PartnershipDirectory { environment.partnershipDirectory }

    init(environment: GatewayEnvironment) {
        self.environment = environment
        self.invitations = Invitations(environment: environment)
    }

    func register(pages: Pages) {
        pages.signedIn.get("admin/users") { request, context in
            let sent = request.uri.queryParameters["sent"].map(String.init)
            return try await show(context, state: State(sent: sent), status: .ok)
        }
        pages.signedIn.post("admin/users") { request, context in try await invite(request, context) }
        pages.signedIn.post("admin/users/:id/role") { request, context in try await changeRole(request, context) }
        pages.signedIn.post("admin/users/:id/disable") { _, context in try await disable(context) }
        pages.signedIn.post("admin/users/:id/enable") { _, context in try await enable(context) }
        pages.anyone.get("invitations/:token") { _, context in try await confirmPage(context) }
        pages.anyone.post("invitations/:token") { request, context in try await accept(request, context) }
    }

    /// What a refused form left to show again.
    struct State {
        var sent: String?
        var typed: Invitations.Request?
        var inviteErrors: [(field: String, reason: Invitations.Reason)] = []
        /// A row's refused field (`role-{id}`, `disable-{id}`) and its message.
        var rowError: (field: String, message: String)?
    }

    static func requireAdmin(_ context: GatewayRequestContext) throws -> TenantAccess {
        let access = try TenantAccess(context)
        guard access.identity.role == .admin else {
            throw Problem.forbidden("only the municipality's administrators manage its users")
        }
        return access
    }

    func show(_ context: GatewayRequestContext, state: State, status: HTTPResponse.Status) async throws -> Response {
        let access = try Self.requireAdmin(context)
        let connection = try context.requireConnection()
        let language = shell.language(context)
        let words = AdminUsersWords.of(language)
        let rows = try await connection.query(
            """
            SELECT u.id, u.email, u.name, u.role, u.disabled_at IS NOT NULL,
                   (SELECT max(s.created_at) FROM platform.sessions s WHERE s.user_id = u.id),
                   \(unsafeSQL: PostgresPeople.invitedCondition)
            FROM platform.users u ORDER BY lower(u.name), u.id
            """)
        let partnerships = try await directory.list(context)
        var titles: [UUID: [String]] = [:]
        for partnership in partnerships {
            for member in partnership.members { titles[member, default: []].append(partnership.title) }
        }
        let zone = try await connection.query("SELECT time_zone FROM platform.users WHERE id = \(access.userID)")
            .first?.decode(String.self, column: 0)
        let style = Date.FormatStyle(
            date: .abbreviated, time: .shortened, locale: Locale(identifier: language.rawValue),
            timeZone: zone.flatMap(TimeZone.init(identifier:)) ?? .gmt)
        let users = try rows.map { row -> [String: Any] in
            let (id, email, name, roleCode, disabled, lastSignIn, pending) = try row.decode(
                (UUID, String, String, String, Bool, Date?, Bool).self)
            let role = Identity.Role(rawValue: roleCode) ?? .viewer
            let key = id.uuidString.lowercased()
            let (statusCode, statusName) =
                disabled
                ? ("disabled", words.statusDisabled)
                : (pending && lastSignIn == nil ? ("invited", words.statusInvited) : ("active", words.statusActive))
            var user: [String: Any] = [
                "id": key, "email": email, "name": name, "roleName": words.roleName(role), "disabled": disabled,
                "roles": Identity.Role.municipalityRoles.map { choice -> [String: Any] in
                    ["code": choice.rawValue, "name": words.roleName(choice), "selected": choice == role]
                },
                "roleOf": words.roleOf.replacingOccurrences(of: "{name}", with: name),
                "disableLabel": words.disable.replacingOccurrences(of: "{name}", with: name),
                "enableLabel": words.enable.replacingOccurrences(of: "{name}", with: name),
                "partnerships": role == .partnerCoordinator
                    ? (titles[id] ?? []).sorted().joined(separator: ", ") : "",
                "statusCode": statusCode, "status": statusName,
                "lastSignIn": lastSignIn.map { $0.formatted(style) } ?? words.never,
            ]
            if let error = state.rowError {
                if error.field == "role-\(key)" { user["roleError"] = error.message }
                if error.field == "disable-\(key)" { user["disableError"] = error.message }
            }
            return user
        }
        let defaultLocale =
            try await PostgresPeople().municipality(access.tenantID, on: connection)?.defaultLocale
            ?? Language.fallback.rawValue
        let form = AdminUsersInviteForm.render(
            action: "/admin/users", roles: Invitations.roles(invitableBy: .admin),
            partnerships: partnerships.map { ($0.id, $0.title) }.sorted { $0.1 < $1.1 }, typed: state.typed,
            errors: state.inviteErrors, language: language, defaultLocale: defaultLocale,
            csrf: context.page?.csrfToken ?? "")
        let days = environment.settings.sessions.invitationLifetime.components.seconds / 86_400
        var object: [String: Any] = [
            "words": words.templateObject, "csrf": context.page?.csrfToken ?? "", "users": users,
            "intro": words.inviteIntro.replacingOccurrences(of: "{days}", with: "\(max(days, 1))"),
        ]
        if let sent = state.sent {
            object["sent"] = words.invitationSent.replacingOccurrences(of: "{email}", with: sent)
        }
        var items = AdminUsersInviteForm.summaryItems(state.inviteErrors, language: language)
        if let error = state.rowError { items.append(["field": error.field, "message": error.message]) }
        if !items.isEmpty {
            object["errorSummary"] = ["title": words.errorSummary, "items": items] as [String: Any]
        }
        // The form is rendered on its own (the members page shows it too), already escaped.
        object["inviteForm"] = form
        let html = AdminUsersInviteForm.library.render(object, withTemplate: "admin-users") ?? ""
        let title = items.isEmpty ? words.usersTitle : "\(words.errorSummary): \(words.usersTitle)"
        return shell.respond(title: title, content: html, status: status, context: context)
    }

    func invite(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let access = try Self.requireAdmin(context)
        let form = try await PageForm.read(request)
        let partnershipID = form["partnershipId"].flatMap(UUID.init(uuidString:))
        let typed = AdminUsersInviteForm.request(form, partnershipID: partnershipID)
        do {
            let issued = try await invitations.invite(typed, by: access, on: try context.requireConnection())
            if typed.role == Identity.Role.partnerCoordinator.rawValue, let partnershipID {
                try await directory.addPartnerCoordinator(issued.userID, to: partnershipID, context: context)
            }
            let invitations = invitations
            context.page?.afterCommit.add { await invitations.deliver(issued) }
            return PageRedirect.seeOther("/admin/users?sent=\(PageForm.encode(issued.email))")
        } catch let refusal as Invitations.Refusal {
            return try await show(
                context, state: State(typed: typed, inviteErrors: refusal.errors), status: .unprocessableContent)
        }
    }

    func changeRole(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let access = try Self.requireAdmin(context)
        let id = try UsersController.pathID(context)
        let form = try await PageForm.read(request)
        let words = AdminUsersWords.of(shell.language(context))
        let key = "role-\(id.uuidString.lowercased())"
        guard let role = form["role"].flatMap(Identity.Role.init(rawValue:)),
            Identity.Role.municipalityRoles.contains(role)
        else {
            return try await show(
                context, state: State(rowError: (key, words.roleInvalid)), status: .unprocessableContent)
        }
        if id == access.userID && role != .admin {
            return try await show(
                context, state: State(rowError: (key, words.cannotDemoteSelf)), status: .unprocessableContent)
        }
        guard try await UserAccounts.changeRole(id, to: role.rawValue, on: try context.requireConnection()) else {
            throw Problem.notFound("no such user")
        }
        return PageRedirect.seeOther("/admin/users")
    }

    func disable(_ context: GatewayRequestContext) async throws -> Response {
        let access = try Self.requireAdmin(context)
        let id = try UsersController.pathID(context)
        if id == access.userID {
            let words = AdminUsersWords.of(shell.language(context))
            return try await show(
                context, state: State(rowError: ("disable-\(id.uuidString.lowercased())", words.cannotDisableSelf)),
                status: .unprocessableContent)
        }
        guard try await UserAccounts.disable(id, at: environment.now(), on: try context.requireConnection()) else {
            throw Problem.notFound("no such user")
        }
        return PageRedirect.seeOther("/admin/users")
    }

    func enable(_ context: GatewayRequestContext) async throws -> Response {
        _ = try Self.requireAdmin(context)
        let id = try UsersController.pathID(context)
        guard try await UserAccounts.enable(id, on: try context.requireConnection()) else {
            throw Problem.notFound("no such user")
        }
        return PageRedirect.seeOther("/admin/users")
    }

    // MARK: Accepting an invitation

    /// `GET /invitations/{token}`: an accept button only; a mail scanner that fetches the link accepts nothing.
    func confirmPage(_ context: GatewayRequestContext) async throws -> Response {
        guard let secret = SessionSecret(pathOf: context) else { return shell.linkGone(nil, context: context) }
        let rows = try await context.requireConnection().query(
            "SELECT state FROM platform.invitation_state(decode(\(secret.hashHex), 'hex'), \(environment.now()))")
        let state = try rows.first?.decode(String.self, column: 0)
        guard state == "valid" else { return shell.linkGone(state, context: context) }
        let words = AdminUsersWords.of(shell.language(context))
        let object: [String: Any] = ["words": words.templateObject, "csrf": context.page?.csrfToken ?? ""]
        return shell.respond(
            title: words.acceptTitle,
            content: AdminUsersInviteForm.library.render(object, withTemplate: "invitation") ?? "", context: context)
    }

    /// `POST /invitations/{token}`: accepts the invitation once and starts a session, as a sign-in link does.
    func accept(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        guard let secret = SessionSecret(pathOf: context) else { return shell.linkGone(nil, context: context) }
        let rows = try await context.requireConnection().query(
            """
            SELECT state, tenant_id, user_id, next_path
            FROM platform.accept_invitation(decode(\(secret.hashHex), 'hex'), \(environment.now()))
            """)
        guard let row = rows.first else { return shell.linkGone(nil, context: context) }
        let (state, tenant, user, next) = try row.decode((String, UUID?, UUID?, String?).self)
        guard state == "valid", let tenant, let user else { return shell.linkGone(state, context: context) }
        return try await SessionStarter(environment: environment).signIn(
            tenantID: tenant, userID: user, next: next, request: request, context: context)
    }
}
