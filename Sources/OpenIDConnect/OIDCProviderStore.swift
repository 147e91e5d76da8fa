import Foundation
import Gateway
import Postgres

/// The municipality's provider as `/admin/municipality` changes it (``IdentityProviderStore``): the checks and
/// statements of `stedenband tenant set` (``OIDCClient/problems(issuer:clientID:secret:)``, ``OIDCRepository``)
/// and the discovery of sign-in (the same ``ProviderDirectory``, fetcher, time-out and address rules). The
/// server provides it to the gateway's page at start-up.
public struct OIDCProviderStore: IdentityProviderStore {
    let signIn: OIDCSignIn

    /// The store of `signIn`'s providers.
    public init(signIn: OIDCSignIn) {
        self.signIn = signIn
    }

    public func problems(issuer: String, clientID: String, secret: String?) -> [Problem.FieldError] {
        OIDCClient.problems(issuer: issuer, clientID: clientID, secret: secret)
    }

    public func discover(issuer: String) async -> IdentityProviderDiscoveryProblem? {
        do {
            // Fetched again whatever is kept: the administrator wants to know how the provider answers now.
            _ = try await signIn.directory.metadata(issuer: issuer, refresh: true)
            return nil
        } catch {
            return error.discovery ?? .unreachable
        }
    }

    public func registration(tenantID: UUID, on connection: PostgresConnection) async throws
        -> IdentityProviderRegistration?
    {
        try await OIDCRepository.registration(tenantID: tenantID, on: connection).map {
            IdentityProviderRegistration(issuer: $0.0, clientID: $0.1)
        }
    }

    public func save(
        _ registration: IdentityProviderRegistration, secret: String?, tenantID: UUID,
        on connection: PostgresConnection
    ) async throws {
        let saved = try await OIDCRepository.saveProvider(
            tenantID: tenantID, issuer: registration.issuer, clientID: registration.clientID,
            secret: secret.map(ClientSecret.init), on: connection)
        // Only a provider removed meanwhile (another administrator) leaves nothing to keep the secret of.
        guard saved else {
            throw Problem.validation([.init(field: "oidcClientSecret", message: "is required: no provider is set")])
        }
    }

    public func remove(tenantID: UUID, on connection: PostgresConnection) async throws -> Bool {
        try await OIDCRepository.removeProvider(tenantID: tenantID, on: connection)
    }

    public func redirectURI(slug: String) -> String {
        signIn.redirectURI(slug: slug)
    }
}
