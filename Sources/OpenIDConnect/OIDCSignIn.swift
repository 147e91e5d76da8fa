import Crypto
import Delivery
import Encodings
import Foundation
import Gateway
import Postgres

/// Sign-in through a municipality's OpenID provider (authorization code flow with PKCE, `state` and
/// `nonce`): where to send the browser, and who it is when it comes back.
///
/// No database connection is held while the provider is called: each step's SQL runs in a short
/// transaction of its own, scoped to the municipality.
public struct OIDCSignIn: Sendable {
    let pool: PostgresConnectionPool
    let settings: OIDCSettings
    let transport: any OIDCTransport
    let directory: ProviderDirectory
    let verifier: IDTokenVerifier

    /// The sign-in.
    /// - Parameters:
    ///   - transport: how providers are called; ``HTTPFetcher`` by default.
    ///   - now: the clock ID tokens' times are checked against.
    public init(
        pool: PostgresConnectionPool,
        settings: OIDCSettings,
        transport: (any OIDCTransport)? = nil,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.pool = pool
        self.settings = settings
        let transport =
            transport ?? HTTPFetcher(timeout: settings.httpTimeout, bodyLimit: ProviderDirectory.answerLimit)
        self.transport = transport
        self.directory = ProviderDirectory(transport: transport, lifetime: settings.metadataLifetime)
        self.verifier = IDTokenVerifier(directory: directory, now: now)
    }

    /// Where a started sign-in sends the browser, and the `state` its cookie keeps.
    public struct Start: Sendable {
        /// The provider's authorization URL, with this attempt's parameters.
        public var location: String
        /// The attempt's `state`, for the browser's cookie.
        public var state: String
        /// The municipality's language.
        public var locale: String
    }

    /// The redirect URI registered at the provider: `{PUBLIC_URL}/sign-in/oidc/{slug}/callback`.
    public func redirectURI(slug: String) -> String {
        settings.publicURL + "/sign-in/oidc/" + slug + "/callback"
    }

    /// Starts a sign-in with the provider of the municipality with `slug`.
    /// - Throws: ``OIDCFailure`` (no such municipality or provider; the provider cannot be reached), or a
    ///   database error.
    public func start(slug: String, next: String?) async throws -> Start {
        let municipality = try await municipality(slug: slug)
        guard let client = municipality.client else {
            throw OIDCFailure(.notConfigured, "the municipality \(slug) has no OpenID provider")
        }
        let metadata = try await directory.metadata(issuer: client.issuer)
        let state = RandomToken.base64URL()
        let attempt = OIDCRepository.Attempt(
            nonce: RandomToken.base64URL(), codeVerifier: RandomToken.base64URL(), next: Self.sitePath(next))
        try await pool.withTransaction(tenantID: municipality.id) { connection in
            try await OIDCRepository.insertAttempt(
                tenantID: municipality.id, stateHash: Self.hash(state), attempt: attempt,
                lifetime: settings.attemptLifetime, on: connection)
        }
        let parameters = [
            ("response_type", "code"), ("client_id", client.clientID), ("redirect_uri", redirectURI(slug: slug)),
            ("scope", "openid email profile"), ("state", state), ("nonce", attempt.nonce),
            ("code_challenge", Self.challenge(for: attempt.codeVerifier)), ("code_challenge_method", "S256"),
        ]
        let query = parameters.map { HTTPFetcher.formEncoded($0.0) + "=" + HTTPFetcher.formEncoded($0.1) }
            .joined(separator: "&")
        let endpoint = metadata.authorizationEndpoint
        return Start(
            location: endpoint + (endpoint.contains("?") ? "&" : "?") + query, state: state,
            locale: municipality.defaultLocale)
    }

    /// What the provider's redirect back carried.
    public struct Callback: Sendable {
        /// `code`, on success.
        public var code: String?
        /// `state`.
        public var state: String?
        /// `error`, when the provider did not sign the person in.
        public var error: String?
        /// The `state` this browser's cookie kept when the sign-in started.
        public var cookieState: String?

        /// The callback's parameters.
        public init(code: String?, state: String?, error: String?, cookieState: String?) {
            self.code = code
            self.state = state
            self.error = error
            self.cookieState = cookieState
        }
    }

    /// Finishes a sign-in: the attempt is taken (used once), the code exchanged, the ID token verified, and
    /// the person matched by verified address within the municipality.
    /// - Returns: the person, for the session to start.
    /// - Throws: ``OIDCFailure`` naming why nobody is signed in, or a database error.
    public func finish(slug: String, callback: Callback) async throws -> VerifiedPerson {
        guard let state = callback.state, !state.isEmpty else {
            // Some providers drop `state` from an error (RFC 6749, 4.1.2.1 asks for it). Nobody is signed in
            // either way; the person is told what the provider said, and the attempt lapses.
            if let error = callback.error {
                throw OIDCFailure(
                    Self.kind(ofError: error), "the provider answered error=\(error.prefix(100)) without state")
            }
            throw OIDCFailure(.attemptInvalid, "the callback carries no state")
        }
        guard let kept = callback.cookieState else {
            throw OIDCFailure(.attemptInvalid, "no sign-in was started in this browser (no state cookie)")
        }
        guard Self.hash(kept) == Self.hash(state) else {
            throw OIDCFailure(.attemptInvalid, "the callback's state is not the one this browser was given")
        }
        let (municipality, attempt) = try await pool.withTransaction { connection in
            guard let municipality = try await OIDCRepository.municipality(slug: slug, on: connection) else {
                return (nil, nil) as (OIDCRepository.Municipality?, OIDCRepository.Attempt?)
            }
            let attempt = try await OIDCRepository.takeAttempt(
                tenantID: municipality.id, stateHash: Self.hash(state), on: connection)
            return (municipality, attempt)
        }
        guard let municipality else {
            throw OIDCFailure(.notConfigured, "no active municipality has the slug \(slug)")
        }
        guard let client = municipality.client else {
            throw OIDCFailure(.notConfigured, "the municipality \(slug) has no OpenID provider")
        }
        guard let attempt else {
            throw OIDCFailure(.attemptInvalid, "the sign-in attempt is unknown, was used already, or lapsed")
        }
        if let error = callback.error {
            throw OIDCFailure(Self.kind(ofError: error), "the provider answered error=\(error.prefix(100))")
        }
        guard let code = callback.code, !code.isEmpty else {
            throw OIDCFailure(.attemptInvalid, "the callback carries neither a code nor an error")
        }
        let metadata = try await directory.metadata(issuer: client.issuer)
        let idToken = try await exchange(code: code, slug: slug, attempt: attempt, client: client, metadata: metadata)
        let subject = try await verifier.verify(idToken, client: client, metadata: metadata, nonce: attempt.nonce)
        guard let email = subject.email, !email.isEmpty else {
            throw OIDCFailure(.noAccount, "the provider vouched for no e-mail address (sub \(subject.subject))")
        }
        guard subject.emailVerified else {
            throw OIDCFailure(.noAccount, "the provider has not verified the address of sub \(subject.subject)")
        }
        let userID = try await pool.withTransaction(tenantID: municipality.id, readOnly: true) { connection in
            try await OIDCRepository.user(email: email, tenantID: municipality.id, on: connection)
        }
        guard let userID else {
            throw OIDCFailure(
                .noAccount, "no active user of \(slug) has the address the provider verified (sub \(subject.subject))")
        }
        return VerifiedPerson(tenantID: municipality.id, userID: userID, next: attempt.next)
    }

    /// The municipality's language for a page about `slug`, when it exists.
    public func locale(slug: String) async -> String? {
        try? await municipality(slug: slug).defaultLocale
    }

    // MARK: Steps

    private func municipality(slug: String) async throws -> OIDCRepository.Municipality {
        let found = try await pool.withTransaction { connection in
            try await OIDCRepository.municipality(slug: slug, on: connection)
        }
        guard let found else { throw OIDCFailure(.notConfigured, "no active municipality has the slug \(slug)") }
        return found
    }

    /// The code exchange at the token endpoint, authenticated as the provider allows; returns the ID token.
    private func exchange(
        code: String,
        slug: String,
        attempt: OIDCRepository.Attempt,
        client: OIDCClient,
        metadata: ProviderMetadata
    ) async throws(OIDCFailure) -> String {
        var fields: [(name: String, value: String)] = [
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI(slug: slug)),
            ("code_verifier", attempt.codeVerifier),
        ]
        var headers: [String] = []
        if metadata.usesBasicAuthentication {
            // RFC 6749, section 2.3.1: both form-encoded before they are joined.
            let credentials =
                HTTPFetcher.formEncoded(client.clientID) + ":" + HTTPFetcher.formEncoded(client.secret.value)
            headers.append("Authorization: Basic " + Data(credentials.utf8).base64EncodedString())
        } else {
            fields += [("client_id", client.clientID), ("client_secret", client.secret.value)]
        }
        let answer: HTTPFetcher.Answer
        do {
            answer = try await transport.postForm(metadata.tokenEndpoint, fields: fields, headers: headers)
        } catch {
            throw OIDCFailure(.providerUnavailable, "the token endpoint could not be reached: \(error)")
        }
        let object = try? JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any]
        guard answer.status == 200 else {
            let error = (object?["error"] as? String).map { " (\($0.prefix(100)))" } ?? ""
            let kind: OIDCFailure.Kind = answer.status >= 500 ? .providerUnavailable : .notVerified
            throw OIDCFailure(kind, "the token endpoint answered \(answer.status)\(error)")
        }
        guard let idToken = object?["id_token"] as? String else {
            throw OIDCFailure(.providerUnavailable, "the token endpoint's answer holds no id_token")
        }
        return idToken
    }

    // MARK: Values

    /// What the person is told about the provider's `error` (RFC 6749, section 4.1.2.1): `access_denied` is the
    /// person (or the provider's policy) saying no; anything else, that the provider did not confirm them.
    static func kind(ofError error: String) -> OIDCFailure.Kind {
        error == "access_denied" ? .cancelled : .notVerified
    }

    /// The SHA-256 of a `state`: what the store keys attempts by.
    static func hash(_ state: String) -> [UInt8] {
        Array(SHA256.hash(data: Data(state.utf8)))
    }

    /// PKCE's S256 challenge of `verifier` (RFC 7636, section 4.2).
    static func challenge(for verifier: String) -> String {
        Base64URL.encode(SHA256.hash(data: Data(verifier.utf8)))
    }

    /// `next` when it is a path on this site, else `nil`: the pages' own rule.
    static func sitePath(_ next: String?) -> String? {
        PageRedirect.sitePath(next)
    }
}
