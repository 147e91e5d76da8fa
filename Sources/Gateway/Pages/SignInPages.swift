import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Postgres
import Vocabulary

/// The gateway's own pages: the e-mail link sign-in, sign-out (and signing out everywhere), the locale switch
/// and the stylesheet; the settings page is ``SettingsPage``. Thin, as every handler: the sessions' SQL is ``SessionStore``'s, the
/// links' ``SignInLinks``'.
struct SignInPages {
    let environment: GatewayEnvironment
    let links: SignInLinks

    var shell: PageShell { environment.pages }
    var settings: SessionSettings { environment.settings.sessions }

    init(environment: GatewayEnvironment) {
        self.environment = environment
        self.links = SignInLinks(
            settings: environment.settings.sessions, mail: environment.mail, logger: environment.logger)
    }

    func register(on router: Router<GatewayRequestContext>, pages: Pages) {
        let stylesheet = shell.stylesheet
        router.get("assets/stedenband.css") { _, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "text/css; charset=utf-8"
            headers[.cacheControl] = "public, max-age=3600"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: stylesheet)))
        }
        pages.anyone.get("sign-in") { request, context in try await signInForm(request, context) }
        pages.anyone.post("sign-in") { request, context in try await requestLink(request, context) }
        pages.anyone.get("sign-in/sent") { _, context in
            let words = PageWords.of(shell.language(context))
            return shell.message(
                heading: words.sentTitle, paragraphs: [words.sentBody], status: .ok, context: context)
        }
        pages.anyone.get("sign-in/link/:token") { _, context in try await confirmPage(context) }
        pages.anyone.post("sign-in/link/:token") { request, context in try await useLink(request, context) }
        pages.anyone.post("sign-out") { _, context in try await signOut(context) }
        pages.anyone.post("language") { request, context in try await switchLanguage(request, context) }
        pages.signedIn.post("settings/sessions/end-all") { _, context in try await endAll(context) }
        SettingsPage(environment: environment).register(pages: pages)
    }

    private func now() -> Date { environment.now() }

    // MARK: Sign-in

    func signInForm(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let next = PageRedirect.sitePath(request.uri.queryParameters["next"].map(String.init))
        if context.page?.person != nil { return PageRedirect.seeOther(next ?? "/") }
        return try await signInView(email: "", next: next, error: nil, status: .ok, context: context)
    }

    private func signInView(
        email: String, next: String?, error: String?, status: HTTPResponse.Status, context: GatewayRequestContext
    ) async throws -> Response {
        let words = PageWords.of(shell.language(context))
        var values: [String: Any] = ["email": email]
        if let choices = try await providerChoices(next: next, context: context) { values["oidc"] = choices }
        if let next { values["next"] = next }
        if let error {
            values["emailError"] = error
            values["errorSummary"] =
                ["title": words.errorSummary, "items": [["field": "email", "message": error]]] as [String: Any]
        }
        let title = error == nil ? words.signInTitle : "\(words.errorSummary): \(words.signInTitle)"
        return shell.view("sign-in", title: title, values: values, status: status, context: context)
    }

    func requestLink(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let form = try await PageForm.read(request)
        let words = PageWords.of(shell.language(context))
        let email = (form["email"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let next = PageRedirect.sitePath(form["next"])
        if let wait = environment.signInLimits.perClient.acquire(context.addressKey) {
            var response = shell.refusal(.tooManyRequests, context: context)
            response.headers[.retryAfter] = "\(Int(wait.rounded(.up)))"
            return response
        }
        guard !email.isEmpty else {
            return try await signInView(
                email: email, next: next, error: words.emailMissing, status: .unprocessableContent, context: context)
        }
        guard email.utf8.count <= 320, Self.looksLikeEmail(email) else {
            return try await signInView(
                email: email, next: next, error: words.emailInvalid, status: .unprocessableContent, context: context)
        }
        // The same answer whether or not the address is known, and whether or not its limit is reached.
        if environment.signInLimits.perEmail.acquire("email:" + email.lowercased()) == nil {
            let issued = try await links.issue(
                for: email, next: next, at: now(), on: try context.requireConnection())
            if !issued.isEmpty {
                let links = links
                context.page?.afterCommit.add { await links.deliver(issued) }
            }
        } else {
            context.logger.notice("sign-in link not sent: the address asked too often")
        }
        return PageRedirect.seeOther("/sign-in/sent")
    }

    static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".")
            && !parts[1].hasSuffix(".") && !text.contains(where: { $0.isWhitespace })
    }

    /// `GET /sign-in/link/{token}`: a confirm button only; a mail scanner that fetches the link signs nobody in.
    func confirmPage(_ context: GatewayRequestContext) async throws -> Response {
        guard let secret = SessionSecret(pathOf: context) else { return shell.linkGone(nil, context: context) }
        let rows = try await context.requireConnection().query(
            "SELECT state FROM platform.sign_in_link_state(decode(\(secret.hashHex), 'hex'), \(now()))")
        let state = try rows.first?.decode(String.self, column: 0)
        guard state == "valid" else { return shell.linkGone(state, context: context) }
        let words = PageWords.of(shell.language(context))
        return shell.view("confirm", title: words.confirmTitle, context: context)
    }

    /// `POST /sign-in/link/{token}`: uses the link and starts a new session (a new secret, always).
    func useLink(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        guard let secret = SessionSecret(pathOf: context) else { return shell.linkGone(nil, context: context) }
        let rows = try await context.requireConnection().query(
            """
            SELECT state, tenant_id, user_id, next_path
            FROM platform.redeem_sign_in_link(decode(\(secret.hashHex), 'hex'), \(now()))
            """)
        guard let row = rows.first else { return shell.linkGone(nil, context: context) }
        let (state, tenant, user, next) = try row.decode((String, UUID?, UUID?, String?).self)
        guard state == "valid", let tenant, let user else { return shell.linkGone(state, context: context) }
        return try await SessionStarter(environment: environment).signIn(
            tenantID: tenant, userID: user, next: next, request: request, context: context)
    }

    // MARK: Signing out

    func signOut(_ context: GatewayRequestContext) async throws -> Response {
        if let session = context.page?.person?.sessionID {
            try await SessionStore.end(session, at: now(), on: try context.requireConnection())
        }
        var response = PageRedirect.seeOther("/sign-in")
        response.setCookie(PageCookies.expired(settings.sessionCookieName))
        return response
    }

    func endAll(_ context: GatewayRequestContext) async throws -> Response {
        switch try SettingsPage.Owner(context) {
        case .person(let access):
            try await SessionStore.endAll(userID: access.userID, at: now(), on: try context.requireConnection())
        case .platformAdministrator(let admin):
            try await PlatformAdminSettings.endAll(of: admin, at: now(), on: try context.requireConnection())
        }
        var response = PageRedirect.seeOther("/sign-in")
        response.setCookie(PageCookies.expired(settings.sessionCookieName))
        return response
    }

    // MARK: Language and settings

    /// `POST /language`: the locale switch. A signed-in person's choice is saved as their language; a visitor's
    /// is kept in a cookie.
    func switchLanguage(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let form = try await PageForm.read(request)
        let next = PageRedirect.sitePath(form["next"]) ?? "/"
        guard let language = form["lang"].flatMap(Language.init(rawValue:)) else { return PageRedirect.seeOther(next) }
        if let identity = context.identity, let user = identity.userID {
            try await Self.saveLanguage(language, user: user, on: try context.requireConnection())
        } else if context.page?.person != nil, let admin = context.identity?.platformAdminID {
            try await PlatformAdminSettings.saveLanguage(
                language.rawValue, of: admin, on: try context.requireConnection())
        }
        var response = PageRedirect.seeOther(Self.withoutLanguage(next))
        response.setCookie(
            PageCookies.cookie(settings.languageCookieName, language.rawValue, settings: settings, maxAge: 31_536_000))
        return response
    }

    /// `next` without a `lang` query parameter, which would override the choice just made.
    static func withoutLanguage(_ path: String) -> String {
        let parts = path.split(separator: "?", maxSplits: 1)
        guard parts.count == 2 else { return path }
        let kept = parts[1].split(separator: "&").filter { !$0.hasPrefix("lang=") }
        return kept.isEmpty ? String(parts[0]) : "\(parts[0])?\(kept.joined(separator: "&"))"
    }

    static func saveLanguage(_ language: Language, user: UUID, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            UPDATE platform.users SET locale = \(language.rawValue), version = version + 1
            WHERE id = \(user) AND locale <> \(language.rawValue)
            """)
    }

}
