import Encodings
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Postgres
import Vocabulary

/// Gives each page request what the API's authentication middleware gives an API request: the signed-in
/// person's ``Identity`` and one database transaction scoped to their municipality (``RequestTransaction``),
/// so a page handler calls the plugins' services exactly as a controller does (`TenantAccess(context)`).
///
/// Before the database, every `POST` is checked: a foreign `Origin` (or `Sec-Fetch-Site: cross-site`) and a
/// missing or wrong `csrf` form field are answered 403. The CSRF token is derived from the session's secret,
/// or, before sign-in, kept in a cookie of its own (double submit), and compared in constant time.
///
/// The session is looked up by its secret's hash in the transaction's first statement (one round trip with
/// `BEGIN`); an ended, idle or expired one counts as none. On ``Access/signedIn`` routes a visitor without a
/// session is sent to `/sign-in?next=…` (303).
///
/// Rate limits work as the API's for tokens (``AuthenticationLimits``): a session cookie has its own bucket
/// (the API's per-token rate) instead of the client address's, and one that the database refuses takes one
/// from the address's bucket, so made-up cookies cannot flood the lookup. Every page's language comes from `?lang=`, then the person's
/// setting, then the language cookie, then `Accept-Language`.
public struct PageSessionMiddleware: RouterMiddleware {
    public typealias Context = GatewayRequestContext

    /// Who may open the routes behind the middleware.
    public enum Access: Sendable {
        /// Only a signed-in person: anyone else is sent to the sign-in page.
        case signedIn
        /// Anyone; a signed-in person is still recognised.
        case anyone
    }

    let access: Access
    let settings: SessionSettings
    let transaction: RequestTransaction
    let pool: PostgresConnectionPool
    let shell: PageShell
    let limits: AuthenticationLimits
    let now: @Sendable () -> Date

    /// How long a session's last use may be stale before it is written again: the idle timeout is this exact.
    static let touchInterval: TimeInterval = 60
    /// The largest body a page's `POST` may have: the route's limit, which ``BodyLimitMiddleware`` enforced
    /// already while the body arrived (an upload's page adds its path there).
    static func formLimit(_ request: Request) -> Int {
        BodyLimitMiddleware<GatewayRequestContext>.limit(forPath: request.uri.path)
    }

    /// Makes the middleware for routes open to `access`.
    public init(access: Access, environment: GatewayEnvironment) {
        self.access = access
        self.settings = environment.settings.sessions
        self.transaction = RequestTransaction(
            pool: environment.pool, maximumAttempts: AuthenticationMiddleware.defaultMaximumAttempts)
        self.pool = environment.pool
        self.shell = environment.pages
        self.limits = AuthenticationLimits(
            tokens: environment.rateLimiter, addresses: environment.addressLimiter,
            recentTokens: environment.recentTokens, statistics: environment.authenticationStatistics)
        self.now = environment.now
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let cookies = request.cookies
        let secret = cookies[settings.sessionCookieName].flatMap { SessionSecret($0.value) }
        // The secret's one SHA-256 of this request (limits, lookup, touch), carried in the context.
        let credential = secret.map { CredentialHash(of: $0.value) }
        let csrfCookie = cookies[settings.csrfCookieName]?.value
        let knownCSRF = secret?.csrfToken ?? csrfCookie.flatMap { SessionSecret($0)?.value }
        let newCSRF = knownCSRF == nil ? SessionSecret.generate().value : nil
        let path = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
        let query = request.uri.queryParameters
        let requested = query["lang"].flatMap { Language(rawValue: String($0)) }
        let visitorLanguage =
            requested ?? cookies[settings.languageCookieName].flatMap { Language(rawValue: $0.value) }
            ?? Self.language(acceptLanguage: request.headers[.acceptLanguage])
        var page = PageSession(
            person: nil, language: visitorLanguage, csrfToken: knownCSRF ?? newCSRF!, path: path,
            afterCommit: AfterCommit())
        if let credential {
            do {
                try limits.admit(tokenHashHex: credential.hex, from: context.addressKey)
            } catch let problem as Problem {
                var refusal = context
                refusal.page = page
                return shell.problem(problem, context: refusal)
            }
        }

        var request = request
        if request.method == .post {
            var refusal = context
            refusal.page = page
            // The refusal page's forms work once the browser has the token they carry.
            func refused() -> Response {
                var response = shell.refusal(.forbidden, context: refusal)
                if let newCSRF {
                    response.setCookie(PageCookies.cookie(settings.csrfCookieName, newCSRF, settings: settings))
                }
                return response
            }
            guard Self.originAllowed(request, settings: settings) else {
                context.logger.notice("page POST refused: foreign origin")
                return refused()
            }
            let body = try await request.collectBody(upTo: Self.formLimit(request))
            let type = request.headers[.contentType] ?? ""
            let sent =
                type.lowercased().hasPrefix("multipart/form-data")
                ? PageForm.multipartField("csrf", in: body, contentType: type) : PageForm(body)["csrf"]
            guard let expected = knownCSRF, let sent,
                APIToken.constantTimeEquals(Array(sent.utf8), Array(expected.utf8))
            else {
                context.logger.notice("page POST refused: missing or wrong CSRF token")
                return refused()
            }
        }

        let instant = now()
        let idleSeconds = Double(settings.idleTimeout.components.seconds)
        let readOnly = request.method == .get || request.method == .head
        var lastSeen: Date?
        var platformSession = false
        func opening() -> PostgresQuery {
            if let credential {
                // A municipality's person, or a platform administrator (0023): at most one of them has the hash.
                return """
                    SELECT session_id, tenant_id, user_id, role, locale, name, tenant_name, last_seen_at
                    FROM platform.authenticate_session(
                        decode(\(credential.hex), 'hex'), \(instant), make_interval(secs => \(idleSeconds)))
                    UNION ALL
                    SELECT s.session_id, NULL, s.platform_admin_id, 'platform_admin', coalesce(a.locale, ''), s.name,
                        '', s.last_seen_at
                    FROM platform.authenticate_platform_admin_session(
                        decode(\(credential.hex), 'hex'), \(instant), make_interval(secs => \(idleSeconds))) s
                    LEFT JOIN platform.platform_admins a ON a.id = s.platform_admin_id
                    """
            }
            return "SELECT NULL WHERE false"
        }
        let response = try await transaction.run(readOnly: readOnly, logger: context.logger, opening: opening) {
            rows, connection in
            var context = context
            context.connection = connection
            if let credential, let row = rows.first {
                let (sessionID, tenant, userID, role, locale, name, municipality, seen) = try row.decode(
                    (UUID, UUID?, UUID, String, String, String, String, Date).self)
                guard let role = Identity.Role(rawValue: role) else { throw Problem.notFound() }
                if let tenantID = tenant {
                    context.identity = Identity(
                        tokenID: nil, tenantID: tenantID, userID: userID, platformAdminID: nil, role: role)
                    context.logger[metadataKey: "tenant.id"] = "\(tenantID.uuidString.lowercased())"
                    context.notes.tenantID = tenantID
                    let own = Language.resolving(locale)
                    page.person = .init(sessionID: sessionID, name: name, municipality: municipality, locale: own)
                    page.language = requested ?? own
                } else {
                    platformSession = true
                    context.identity = PlatformAdminSignIn.identity(userID)
                    // Their own language once they chose one (0027), else the browser's.
                    let own = Language(rawValue: locale) ?? visitorLanguage
                    page.person = .init(sessionID: sessionID, name: name, municipality: "stedenband", locale: own)
                    page.language = requested ?? own
                }
                lastSeen = seen
                context.credentialHash = credential
                limits.accepted(tokenHashHex: credential.hex)
            } else if let credential {
                limits.refused(tokenHashHex: credential.hex, from: context.addressKey)
            }
            if page.person == nil, access == .signedIn {
                var response = PageRedirect.seeOther("/sign-in?next=" + PageForm.encode(path))
                if secret != nil { response.setCookie(PageCookies.expired(settings.sessionCookieName)) }
                return response
            }
            context.page = page
            do {
                return try await next(request, context)
            } catch let problem as Problem {
                return shell.problem(problem, context: context)
            }
        }
        var answer = response
        if let newCSRF { answer.setCookie(PageCookies.cookie(settings.csrfCookieName, newCSRF, settings: settings)) }
        if let requested, page.person == nil {
            answer.setCookie(
                PageCookies.cookie(
                    settings.languageCookieName, requested.rawValue, settings: settings, maxAge: 31_536_000))
        }
        if RequestTransaction.commits(response) {
            for job in page.afterCommit.take() { await job() }
        }
        if let credential, let lastSeen, instant.timeIntervalSince(lastSeen) > Self.touchInterval {
            // Outside the request's transaction (read-only for a GET); a failure only shortens the session.
            do {
                if platformSession {
                    try await pool.query(
                        "SELECT platform.touch_platform_admin_session(decode(\(credential.hex), 'hex'), \(instant))")
                } else {
                    try await pool.query(
                        "SELECT platform.touch_session(decode(\(credential.hex), 'hex'), \(instant))")
                }
            } catch {
                context.logger.warning("session not touched", metadata: ["error": "\(error)"])
            }
        }
        return answer
    }

    /// Whether a `POST` comes from this site: no `Origin` (an older browser; SameSite=Lax still keeps the
    /// cookie off a cross-site form), or one equal to `PUBLIC_URL`'s or to the request's own host.
    static func originAllowed(_ request: Request, settings: SessionSettings) -> Bool {
        if request.headers[HTTPField.Name("Sec-Fetch-Site")!]?.lowercased() == "cross-site" { return false }
        guard let origin = request.headers[.origin]?.lowercased() else { return true }
        if origin == settings.origin.lowercased() { return true }
        guard let host = request.head.authority?.lowercased() else { return false }
        return origin == "http://\(host)" || origin == "https://\(host)"
    }

    /// The first of our languages in an `Accept-Language` header, by order of preference; else the fallback.
    static func language(acceptLanguage header: String?) -> Language {
        guard let header else { return .fallback }
        let ranked = header.split(separator: ",").enumerated().compactMap {
            index, item -> (Double, Int, Language)? in
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = parts.first?.lowercased().split(separator: "-").first,
                let language = Language(rawValue: String(tag))
            else { return nil }
            let weight = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            return weight > 0 ? (weight, index, language) : nil
        }
        return ranked.sorted { ($0.0, -$0.1) > ($1.0, -$1.1) }.first?.2 ?? .fallback
    }
}
