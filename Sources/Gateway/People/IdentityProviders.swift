import Foundation
import Postgres
import Synchronization

/// The municipality's own OpenID Connect provider, as `/admin/municipality` shows and changes it. The
/// OpenIDConnect target owns the checks, the discovery and the provider's row (the code `stedenband tenant set`
/// runs); the gateway may not import it, so the server provides them here at start-up (``provide(_:)``), as the
/// Partnerships plugin provides its partnerships to ``PartnershipDirectory``. Without a store (the gateway
/// alone, in its own tests) the page has no identity-provider section and its routes answer 404.
public final class IdentityProviders: Sendable {
    private let store = Mutex<(any IdentityProviderStore)?>(nil)

    /// No store yet.
    public init() {}

    /// The store the page uses from now on.
    public func provide(_ store: any IdentityProviderStore) {
        self.store.withLock { $0 = store }
    }

    /// The store, when one was provided.
    public var current: (any IdentityProviderStore)? { store.withLock { $0 } }
}

/// What `/admin/municipality` asks of the municipality's provider: the same checks as `stedenband tenant set`,
/// the discovery that sign-in does, and the statements the command runs, in the request's transaction.
public protocol IdentityProviderStore: Sendable {
    /// What is wrong with each field (`oidcIssuer`, `oidcClientId`, `oidcClientSecret`), in English; a `nil`
    /// secret keeps the stored one and is not checked. The checks of `stedenband tenant set`.
    func problems(issuer: String, clientID: String, secret: String?) -> [Problem.FieldError]

    /// Fetches `issuer`'s discovery document as sign-in does (the same fetcher, time-out and address rules):
    /// why it cannot be used, or `nil` when it can. Holds no database connection of its own.
    func discover(issuer: String) async -> IdentityProviderDiscoveryProblem?

    /// The provider of the municipality the transaction is scoped to, without its secret; `nil` when it has none.
    func registration(tenantID: UUID, on connection: PostgresConnection) async throws -> IdentityProviderRegistration?

    /// Sets (or replaces) the municipality's provider; a `nil` secret keeps the stored one (the provider must
    /// exist then).
    func save(
        _ registration: IdentityProviderRegistration, secret: String?, tenantID: UUID,
        on connection: PostgresConnection
    ) async throws

    /// Removes the municipality's provider; whether it had one.
    func remove(tenantID: UUID, on connection: PostgresConnection) async throws -> Bool

    /// The redirect URI the administrator registers at the provider: `{PUBLIC_URL}/sign-in/oidc/{slug}/callback`.
    func redirectURI(slug: String) -> String
}

/// A municipality's registration at its provider as its administrator sees it: never the secret.
public struct IdentityProviderRegistration: Sendable, Equatable {
    /// The issuer URL.
    public var issuer: String
    /// This server's client id at the provider.
    public var clientID: String

    /// A registration.
    public init(issuer: String, clientID: String) {
        self.issuer = issuer
        self.clientID = clientID
    }
}

/// Why an issuer's discovery document cannot be used. The page words each kind in the person's language; the
/// log has the details in English.
public enum IdentityProviderDiscoveryProblem: Sendable, Equatable {
    /// No answer: the name does not resolve, the connection is refused or times out, or the certificate fails.
    case unreachable
    /// The discovery address answered with another status than 200.
    case status(Int)
    /// The answer is not a discovery document.
    case unreadable
    /// The document names another issuer (`found`).
    case otherIssuer(found: String)
    /// The document's endpoint `name` is not https (plain http only for a provider on this machine).
    case insecureEndpoint(name: String)
    /// The provider signs ID tokens with no algorithm this server accepts.
    case noAcceptedAlgorithm
}
