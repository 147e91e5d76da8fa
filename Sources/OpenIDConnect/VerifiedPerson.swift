import Foundation
import Gateway
import Hummingbird

/// Who a provider's callback proved the browser to be: a user of the municipality whose provider it is.
public struct VerifiedPerson: Sendable, Equatable {
    /// The municipality.
    public var tenantID: UUID
    /// The user, of that municipality, whose verified address the provider vouched for.
    public var userID: UUID
    /// Where the person was going when they started to sign in: a path on this site, or `nil` for `/`.
    public var next: String?

    /// A verified person.
    public init(tenantID: UUID, userID: UUID, next: String?) {
        self.tenantID = tenantID
        self.userID = userID
        self.next = next
    }
}

/// The seam to the sessions: what the gateway passes in to start a session for a person the provider
/// verified. The e-mail link sign-in starts its sessions through the same function.
public protocol OIDCSessionStarter: Sendable {
    /// Starts a session for `person` and answers the browser: a redirect (303) to `person.next` or `/`, with
    /// the session cookie.
    func startSession(
        for person: VerifiedPerson,
        request: Request,
        context: GatewayRequestContext
    ) async throws -> Response
}
