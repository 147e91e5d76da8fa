import Gateway
import HTTPTypes

/// Why a sign-in through a provider did not sign anyone in: what the log says (never a token or secret),
/// the status of the page, and which words the person is shown.
public struct OIDCFailure: Error, Sendable, CustomStringConvertible {
    /// What the person is told, in their words (``OIDCPageWords``).
    public enum Kind: Sendable, Equatable {
        /// No such municipality, or it has no provider configured: 404.
        case notConfigured
        /// The attempt is unknown, was used, lapsed, or was started in another browser: 400.
        case attemptInvalid
        /// The person cancelled at the provider (`error=access_denied`): 403.
        case cancelled
        /// The provider said no, or answered something that does not prove who the person is: 403.
        case notVerified
        /// The person proved an address, but it is not (or not verifiably) one of this municipality's: 403.
        case noAccount
        /// The provider could not be reached or answered nonsense: 502.
        case providerUnavailable
    }

    /// What the person is told.
    public var kind: Kind
    /// Why, for the log.
    public var reason: String
    /// What was wrong with the provider's discovery document (or its key set) when that is why: the
    /// administrator's page words it.
    public var discovery: IdentityProviderDiscoveryProblem?

    /// A failure of `kind`, with `reason` for the log.
    public init(_ kind: Kind, _ reason: String, discovery: IdentityProviderDiscoveryProblem? = nil) {
        self.kind = kind
        self.reason = reason
        self.discovery = discovery
    }

    /// The page's status.
    public var status: HTTPResponse.Status {
        switch kind {
        case .notConfigured: .notFound
        case .attemptInvalid: .badRequest
        case .cancelled, .notVerified, .noAccount: .forbidden
        case .providerUnavailable: .badGateway
        }
    }

    public var description: String { reason }
}
