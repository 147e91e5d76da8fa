import Hummingbird
import Logging
import Postgres

/// The request context of every route: Hummingbird's core context, plus who is calling and the request's
/// database transaction once the authentication middleware ran.
public struct GatewayRequestContext: NotedRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// What the access log reports beyond the request and response (the tenant), shared by every copy.
    public let notes = RequestNotes()
    /// The caller, on `/api/v1` routes.
    public var identity: Identity?
    /// The SHA-256 of the caller's API token or session secret, hashed once by the middleware that read it;
    /// `nil` when the request carried none.
    public var credentialHash: CredentialHash?
    /// The request's transaction (scoped to the caller's tenant, read-only for GET), on `/api/v1` routes.
    public var connection: PostgresConnection?
    /// The address of the socket's peer: the client, or a proxy in front of it.
    public let peerAddress: IPAddress?
    /// The browser's session and language, on page routes (``PageSessionMiddleware``).
    public var page: PageSession?
    /// The language and the database reads of a public page (``PublicPageMiddleware``), on ``Pages/public``
    /// routes.
    public internal(set) var publicVisit: PublicVisit?
    /// Whether ``AddressLimitMiddleware`` left this request's charge to the page routes, for its session cookie:
    /// a public page, which has no session, charges the address then.
    var addressChargeLeftToPages = false
    /// The client's address, once ``AddressLimitMiddleware`` read it (from `X-Forwarded-For` only when
    /// the peer is a trusted proxy); else the peer's.
    public var clientAddress: IPAddress?

    /// Encodes the JSON answers: hot ones by hand, the rest with one shared `JSONEncoder`.
    public var responseEncoder: GatewayResponseEncoder { GatewayResponseEncoder() }

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.peerAddress = source.channel.remoteAddress.flatMap { IPAddress($0) }
        self.clientAddress = peerAddress
    }

    /// The caller; a route behind the authentication middleware always has one.
    public func requireIdentity() throws -> Identity {
        guard let identity else { throw Problem.unauthorized("authentication is required") }
        return identity
    }

    /// What a public page may know of its request; a route in ``Pages/public`` always has it.
    public func requirePublicVisit() throws -> PublicVisit {
        guard let publicVisit else { throw NotAPublicPage() }
        return publicVisit
    }

    /// The request's transaction; a route behind the authentication middleware always has one.
    public func requireConnection() throws -> PostgresConnection {
        guard let connection else { throw Problem.unauthorized("authentication is required") }
        return connection
    }
}

/// A handler asked for a ``PublicVisit`` outside ``Pages/public``: a mistake in the code, answered as a logged 500.
struct NotAPublicPage: Error {}
