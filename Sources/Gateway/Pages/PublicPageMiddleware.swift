import HTTPTypes
import Hummingbird
import Postgres
import Vocabulary

/// Gives a public page (``Pages/public``) what it may know, and nothing of who asks: the language, the page's
/// address in each language, and a read-only transaction without a municipality on demand (``PublicVisit``).
///
/// Unlike ``PageSessionMiddleware`` it looks up no session, reads and sets no cookie (not even for a fresh
/// visitor: no CSRF token, no language cookie), and opens no transaction until the handler reads. So the answer
/// depends only on the address and `Accept-Language`, and ``CachedPage`` may let shared caches keep it.
///
/// Public pages only read: a method other than `GET` or `HEAD` is answered 405. A ``Problem`` the handler
/// throws becomes a public page with its status, never cached.
///
/// Rate limit: every request takes one from its client address's bucket. ``AddressLimitMiddleware`` charges
/// those without a session cookie; one with a session cookie (made up or real) it leaves to the page routes,
/// so it is charged here, before the handler.
public struct PublicPageMiddleware: RouterMiddleware {
    public typealias Context = GatewayRequestContext

    let pool: PostgresConnectionPool
    let limiter: RateLimiter
    let shell: PageShell
    let publicURL: String

    /// The language of a public page when neither `?lang=` nor `Accept-Language` names one of ours: English,
    /// every page's last resort.
    public static let defaultLanguage = Language.fallback

    /// Makes the middleware.
    public init(environment: GatewayEnvironment) {
        self.pool = environment.pool
        self.limiter = environment.addressLimiter
        self.shell = environment.pages
        self.publicURL = environment.settings.sessions.publicURL
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if context.addressChargeLeftToPages, let wait = limiter.acquire(context.addressKey) {
            throw Problem.tooManyRequests(retryAfter: wait, by: .address)
        }
        guard request.method == .get || request.method == .head else { throw Problem.methodNotAllowed([.get]) }
        let visit = PublicVisit(
            language: Self.language(
                query: request.uri.queryParameters["lang"], acceptLanguage: request.headers[.acceptLanguage]),
            alternates: PublicPageAlternate.all(path: request.uri.path, query: request.uri.query, publicURL: publicURL),
            publicURL: publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL, pool: pool)
        var context = context
        context.publicVisit = visit
        do {
            return try await next(request, context)
        } catch let problem as Problem {
            return shell.publicProblem(problem, visit: visit)
        }
    }

    /// The language of a public page: `?lang=` when it is one of ours, then the first of ours `Accept-Language`
    /// prefers, then ``defaultLanguage``.
    static func language(query: Substring?, acceptLanguage: String?) -> Language {
        if let asked = query.flatMap({ Language(rawValue: String($0)) }) { return asked }
        if let acceptLanguage, VisitorPage.namesOurs(acceptLanguage) {
            return PageSessionMiddleware.language(acceptLanguage: acceptLanguage)
        }
        return defaultLanguage
    }
}
