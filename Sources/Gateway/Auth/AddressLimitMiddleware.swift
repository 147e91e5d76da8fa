import HTTPTypes
import Hummingbird

/// Finds the client's address, and limits per address the public routes that need no token.
///
/// The client's address is the peer's, or, when the peer is one of ``TrustedProxies``, the right-most
/// untrusted address of `X-Forwarded-For`. Each request to a public route (`/readyz`, `/openapi.json`,
/// `/unsubscribe/…`, and any unknown path) takes one request from the address's bucket, before any
/// database work; an empty bucket is a 429. `/healthz` is left alone, since a refused liveness probe gets a
/// healthy process restarted. Under `/api/v1` the authentication
/// middleware charges the same bucket, but only for missing, malformed or refused tokens.
public struct AddressLimitMiddleware: RouterMiddleware {
    public typealias Context = GatewayRequestContext

    let limiter: RateLimiter
    let trustedProxies: TrustedProxies

    /// Makes the middleware.
    public init(limiter: RateLimiter, trustedProxies: TrustedProxies) {
        self.limiter = limiter
        self.trustedProxies = trustedProxies
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
        if !(path == "/api/v1" || path.hasPrefix("/api/v1/") || path == "/healthz" || path == "/assets/stedenband.css"),
            let wait = limiter.acquire(context.addressKey)
        {
            throw Problem.tooManyRequests(retryAfter: wait, by: .address)
        }
        return try await next(request, context)
    }
}

extension GatewayRequestContext {
    /// The key of the client's address bucket; requests whose address is unknown (not over TCP) share one.
    var addressKey: String { clientAddress?.limitKey ?? "unknown" }
}
