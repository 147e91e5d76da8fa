import Delivery
import Foundation
import Gateway
import JWTKit

/// The providers' discovery documents and signing keys, fetched when first needed and kept for a while, so
/// that a sign-in costs the provider two calls (the code exchange, and nothing else) once they are known.
///
/// A key set is fetched again at once when a token names a key it does not hold (the provider rotated its
/// keys), but only once per token: a token signed by a key the provider does not publish is refused.
actor ProviderDirectory {
    private struct Kept<Value: Sendable>: Sendable {
        var value: Value
        var until: ContinuousClock.Instant
    }

    private let transport: any OIDCTransport
    private let lifetime: Duration
    private var documents: [String: Kept<ProviderMetadata>] = [:]
    private var keySets: [String: Kept<ProviderKeys>] = [:]

    /// The longest discovery document or key set read: both are small.
    static let answerLimit = 512 * 1024

    init(transport: any OIDCTransport, lifetime: Duration) {
        self.transport = transport
        self.lifetime = lifetime
    }

    /// The discovery document of `issuer`, checked against it; with `refresh`, fetched again whatever is kept
    /// (the administrator's page checks a provider so before saving it).
    /// - Throws: ``OIDCFailure`` (`providerUnavailable`) with the ``OIDCFailure/discovery`` problem.
    func metadata(issuer: String, refresh: Bool = false) async throws(OIDCFailure) -> ProviderMetadata {
        if !refresh, let kept = documents[issuer], kept.until > .now { return kept.value }
        let url = OIDCIssuer.discoveryURL(for: issuer)
        let body = try await fetchJSON(url, what: "discovery document")
        let metadata: ProviderMetadata
        do {
            metadata = try JSONDecoder().decode(ProviderMetadata.self, from: Data(body))
        } catch {
            throw OIDCFailure(
                .providerUnavailable, "the discovery document at \(url) cannot be read: \(error)",
                discovery: .unreadable)
        }
        if let problem = metadata.problem(forIssuer: issuer) {
            throw OIDCFailure(.providerUnavailable, problem.reason, discovery: problem.kind)
        }
        documents[issuer] = Kept(value: metadata, until: .now + lifetime)
        return metadata
    }

    /// The key set at `uri`; with `refresh`, fetched again whatever is kept.
    func keys(at uri: String, refresh: Bool = false) async throws(OIDCFailure) -> ProviderKeys {
        if !refresh, let kept = keySets[uri], kept.until > .now { return kept.value }
        let body = try await fetchJSON(uri, what: "key set")
        let keys = try await ProviderKeys.read(body, from: uri)
        keySets[uri] = Kept(value: keys, until: .now + lifetime)
        return keys
    }

    private func fetchJSON(_ url: String, what: String) async throws(OIDCFailure) -> [UInt8] {
        let answer: HTTPFetcher.Answer
        do {
            answer = try await transport.get(url, headers: [])
        } catch {
            throw OIDCFailure(
                .providerUnavailable, "the provider's \(what) at \(url) could not be fetched: \(error)",
                discovery: .unreachable)
        }
        guard answer.status == 200 else {
            throw OIDCFailure(
                .providerUnavailable, "the provider's \(what) at \(url) answered \(answer.status)",
                discovery: .status(answer.status))
        }
        return answer.body
    }
}

/// A provider's published signing keys, ready to verify with.
struct ProviderKeys: Sendable {
    /// The keys, each under its `kid` (or `#n`, its place in the set, when it has none).
    let collection: JWTKeyCollection
    /// The `kid`s of the keys.
    let identifiers: Set<String>

    /// Reads a JWKS document: keys for encryption (`"use": "enc"`) and keys of kinds jwt-kit cannot use are
    /// left out; a set with no usable key is refused.
    static func read(_ body: [UInt8], from uri: String) async throws(OIDCFailure) -> ProviderKeys {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
            let entries = object["keys"] as? [[String: Any]]
        else {
            throw OIDCFailure(.providerUnavailable, "the key set at \(uri) is not a JWKS document")
        }
        let collection = JWTKeyCollection()
        var identifiers = Set<String>()
        for (index, entry) in entries.enumerated() where (entry["use"] as? String ?? "sig") == "sig" {
            guard let data = try? JSONSerialization.data(withJSONObject: entry),
                var key = try? JWK(json: String(decoding: data, as: UTF8.self))
            else { continue }
            let identifier = key.keyIdentifier?.string ?? "#\(index)"
            key.keyIdentifier = JWKIdentifier(string: identifier)
            if (try? await collection.add(jwk: key, isDefault: identifiers.isEmpty)) != nil {
                identifiers.insert(identifier)
            }
        }
        guard !identifiers.isEmpty else {
            throw OIDCFailure(.providerUnavailable, "the key set at \(uri) holds no signing key this server can use")
        }
        return ProviderKeys(collection: collection, identifiers: identifiers)
    }
}
