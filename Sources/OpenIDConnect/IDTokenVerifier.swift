import Encodings
import Foundation
import JWTKit

/// Checks an ID token: its signature against the provider's published keys (jwt-kit), then that it was
/// issued by the configured issuer, for this client, lately, for this very sign-in (`nonce`).
struct IDTokenVerifier: Sendable {
    /// How far the provider's clock may be from ours.
    static let leeway: TimeInterval = 60
    /// How old a token may be when it arrives: it is fetched straight after it was issued.
    static let maximumAge: TimeInterval = 600

    let directory: ProviderDirectory
    let now: @Sendable () -> Date

    /// The person the token vouches for.
    struct Subject: Sendable, Equatable {
        var subject: String
        var email: String?
        var emailVerified: Bool
    }

    /// Verifies `token` for `client`'s sign-in that sent `nonce`.
    func verify(
        _ token: String,
        client: OIDCClient,
        metadata: ProviderMetadata,
        nonce: String
    ) async throws(OIDCFailure) -> Subject {
        let header = try Self.header(of: token)
        guard let algorithm = header.alg, metadata.acceptedAlgorithms.contains(algorithm) else {
            throw OIDCFailure(
                .notVerified, "the ID token is signed with \(header.alg ?? "no algorithm"), which is not accepted")
        }
        var keys = try await directory.keys(at: metadata.jwksURI)
        if let kid = header.kid, !keys.identifiers.contains(kid) {
            keys = try await directory.keys(at: metadata.jwksURI, refresh: true)
            guard keys.identifiers.contains(kid) else {
                throw OIDCFailure(.notVerified, "the ID token names a key (kid \(kid)) the provider does not publish")
            }
        }
        let claims: IDTokenClaims
        do {
            claims = try await keys.collection.verify(token, as: IDTokenClaims.self, iteratingKeys: header.kid == nil)
        } catch {
            guard header.kid == nil else {
                throw OIDCFailure(.notVerified, "the ID token's signature does not verify: \(Self.describe(error))")
            }
            // Without a kid, a rotated key shows only as a signature that no kept key verifies.
            keys = try await directory.keys(at: metadata.jwksURI, refresh: true)
            do {
                claims = try await keys.collection.verify(token, as: IDTokenClaims.self, iteratingKeys: true)
            } catch {
                throw OIDCFailure(.notVerified, "the ID token's signature does not verify: \(Self.describe(error))")
            }
        }
        try Self.check(claims, client: client, nonce: nonce, now: now())
        return Subject(
            subject: claims.sub.value, email: claims.email, emailVerified: claims.emailVerified?.value == true)
    }

    /// The claims' checks, after the signature's: issuer, audience, authorised party, time and nonce.
    static func check(_ claims: IDTokenClaims, client: OIDCClient, nonce: String, now: Date) throws(OIDCFailure) {
        guard claims.iss.value == client.issuer else {
            throw OIDCFailure(.notVerified, "the ID token's issuer is \(claims.iss.value), not \(client.issuer)")
        }
        guard claims.aud.value.contains(client.clientID) else {
            throw OIDCFailure(.notVerified, "the ID token's audience \(claims.aud.value) does not contain this client")
        }
        if let azp = claims.azp, azp != client.clientID {
            throw OIDCFailure(.notVerified, "the ID token was issued to another party (azp \(azp))")
        }
        if claims.aud.value.count > 1 && claims.azp == nil {
            throw OIDCFailure(.notVerified, "the ID token has several audiences and no authorised party (azp)")
        }
        guard claims.exp.value.timeIntervalSince(now) > -leeway else {
            throw OIDCFailure(.notVerified, "the ID token expired at \(claims.exp.value.formatted(.iso8601))")
        }
        guard claims.iat.value.timeIntervalSince(now) < leeway else {
            throw OIDCFailure(
                .notVerified, "the ID token was issued in the future (\(claims.iat.value.formatted(.iso8601)))")
        }
        guard now.timeIntervalSince(claims.iat.value) < maximumAge + leeway else {
            throw OIDCFailure(
                .notVerified, "the ID token was issued too long ago (\(claims.iat.value.formatted(.iso8601)))")
        }
        guard let sent = claims.nonce, sent.utf8.count == nonce.utf8.count,
            zip(sent.utf8, nonce.utf8).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0
        else {
            throw OIDCFailure(.notVerified, "the ID token's nonce is not the one this sign-in sent")
        }
    }

    /// The token's header fields the verifier chooses a key by.
    struct Header: Decodable {
        var alg: String?
        var kid: String?
    }

    static func header(of token: String) throws(OIDCFailure) -> Header {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let bytes = Base64URL.decode(parts[0]),
            let header = try? JSONDecoder().decode(Header.self, from: Data(bytes))
        else {
            throw OIDCFailure(.notVerified, "the ID token is not a signed JWT")
        }
        return header
    }

    /// jwt-kit's error, without the token.
    private static func describe(_ error: any Error) -> String {
        (error as? JWTError).map { "\($0.errorType)" } ?? "\(type(of: error))"
    }
}
