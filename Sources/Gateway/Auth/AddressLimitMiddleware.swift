import HTTPTypes
import Hummingbird

/// Finds the client's address, and limits per address the public routes that need no token.
///
/// The client's address is the peer's, or, when the peer is one of ``TrustedProxies``, the right-most
/// untrusted address of `X-Forwarded-For`. Each request to a public route (`/readyz`, `/openapi.json`,
/// `/unsubscribe/…`, the public pages, and any unknown path) takes one request from the address's bucket,
/// before any database work; an empty bucket is a 429. `/healthz` is left alone, since a refused liveness
/// probe gets a healthy process restarted. Under `/api/v1` the authentication middleware charges the same
/// bucket, but only for missing, malformed or refused tokens; a page request carrying a session cookie is
/// left to ``PageSessionMiddleware``, which does the same for sessions, so the people of one town hall
/// behind one address do not share a bucket while they work. A public page
/// (``Pages/public``) has no session, whatever cookie it carries: ``PublicPageMiddleware`` charges the
/// address for such a request, told by ``GatewayRequestContext/addressChargeLeftToPages``.
public struct AddressLimitMiddleware: RouterMiddleware {
    public typealias Context = GatewayRequestContext

    let limiter: RateLimiter
    let trustedProxies: TrustedProxies
    /// The pages' session cookie (``SessionSettings/sessionCookieName``).
    let sessionCookieName: String

    /// Makes the middleware.
    public init(limiter: RateLimiter, trustedProxies: TrustedProxies, sessionCookieName: String) {
        self.limiter = limiter
        self.trustedProxies = trustedProxies
        self.sessionCookieName = sessionCookieName
    }

    /// `X-Forwarded-For`.
    public static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.clientAddress = trustedProxies.client(
            peer: context.peerAddress, forwardedFor: request.headers[values: Self.forwardedFor])
        let path = request.uri.path
        // The pages' stylesheet is a constant in memory: it costs nothing to serve, and a page that loads it
        // should not pay twice.
        let exempt =
            path == "/api/v1" || path.hasPrefix("/api/v1/") || path == "/healthz" || path == "/assets/stedenband.css"
        // A session cookie leaves the charge to PageSessionMiddleware, which only page routes pass through: on
        // the public routes that are not pages, and on a path no route has, a cookie (made up or not) changes
        // nothing.
        let leftToPageSessions =
            !exempt && !Self.isPublicNonPage(path)
            && request.cookies[sessionCookieName].flatMap({ SessionSecret($0.value) }) != nil
        if !exempt, !leftToPageSessions, let wait = limiter.acquire(context.addressKey) {
            throw Problem.tooManyRequests(retryAfter: wait, by: .address)
        }
        guard leftToPageSessions else { return try await next(request, context) }
        // A public page has no session to charge it: PublicPageMiddleware charges the address for it.
        context.addressChargeLeftToPages = true
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            // No route has the path, so no page session charged it.
            if let wait = limiter.acquire(context.addressKey) {
                throw Problem.tooManyRequests(retryAfter: wait, by: .address)
            }
            throw error
        }
    }

    /// The routes anyone may call that are not pages: `/readyz`, `/openapi.json`, `/unsubscribe/…`.
    static func isPublicNonPage(_ path: String) -> Bool {
        path == "/readyz" || path == "/openapi.json" || path.hasPrefix("/unsubscribe/")
    }
}

extension GatewayRequestContext {
    /// The key of the client's address bucket; requests whose address is unknown (not over TCP) share one.
    var addressKey: String { clientAddress?.limitKey ?? "unknown" }
}
