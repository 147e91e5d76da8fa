import Foundation
import Gateway
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Postgres
import Synchronization

/// A browser over a test client: it keeps the cookies the server sets and sends them back, and reads the
/// `csrf` field of the last page, as a browser without JavaScript does.
public final class TestBrowser: Sendable {
    private struct State {
        var cookies: [String: String] = [:]
        var csrf: String?
    }

    private let client: any TestClientProtocol
    private let state = Mutex(State())
    /// What the browser sends as `User-Agent`.
    public let userAgent: String

    /// A browser with no cookies.
    public init(_ client: any TestClientProtocol, userAgent: String = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0") {
        self.client = client
        self.userAgent = userAgent
    }

    /// The cookies it holds now, by name.
    public var cookies: [String: String] { state.withLock { $0.cookies } }

    /// The `csrf` field of the last page that had one.
    public var csrf: String? { state.withLock { $0.csrf } }

    /// Sets or, with `nil`, drops a cookie.
    public func setCookie(_ name: String, _ value: String?) {
        state.withLock { $0.cookies[name] = value }
    }

    /// `GET uri`.
    @discardableResult
    public func get(_ uri: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await send(uri, method: .get, headers: headers, body: nil)
    }

    /// `POST uri` with `form` (`application/x-www-form-urlencoded`); the page's `csrf` is added unless `csrf`
    /// says otherwise (`.some(nil)`: none).
    @discardableResult
    public func post(
        _ uri: String, form: [String: String] = [:], csrf: String?? = .none, headers: HTTPFields = [:]
    ) async throws -> TestResponse {
        var fields = form
        switch csrf {
        case .none: if let token = self.csrf { fields["csrf"] = token }
        case .some(.none): break
        case .some(.some(let token)): fields["csrf"] = token
        }
        var headers = headers
        headers[.contentType] = "application/x-www-form-urlencoded"
        let body = fields.sorted { $0.key < $1.key }.map { "\(Self.encode($0.key))=\(Self.encode($0.value))" }
            .joined(separator: "&")
        return try await send(uri, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    private func send(_ uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws
        -> TestResponse
    {
        var headers = headers
        let jar = cookies
        if !jar.isEmpty {
            headers[.cookie] = jar.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        }
        if headers[.userAgent] == nil { headers[.userAgent] = userAgent }
        let response = try await client.executeRequest(uri: uri, method: method, headers: headers, body: body)
        state.withLock { state in
            for line in response.headers[values: .setCookie] {
                let pair = line.split(separator: ";", maxSplits: 1)[0].split(separator: "=", maxSplits: 1)
                guard let name = pair.first.map(String.init) else { continue }
                let value = pair.count > 1 ? String(pair[1]) : ""
                state.cookies[name] = line.lowercased().contains("max-age=0") || value.isEmpty ? nil : value
            }
            if let token = Self.csrf(in: String(buffer: response.body)) { state.csrf = token }
        }
        return response
    }

    /// The value of the first `<input type="hidden" name="csrf" value="…">` in `html`.
    public static func csrf(in html: String) -> String? {
        html.firstMatch(of: #/name="csrf" value="([^"]+)"/#).map { String($0.output.1) }
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}

/// The time as a test sets it, for the gateway's `now`.
public final class TestClock: Sendable {
    private let instant: Mutex<Date>

    /// A clock at `start`.
    public init(_ start: Date = Date()) {
        instant = Mutex(start)
    }

    /// The time now.
    public var now: Date { instant.withLock { $0 } }

    /// Moves the clock forward.
    public func advance(by seconds: TimeInterval) {
        instant.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}

extension SignInLinks {
    /// Issues links for `email` in a transaction of its own on `pool`, as `stedenband sign-in-link` does.
    public func issue(for email: String, next: String? = nil, at now: Date, pool: PostgresConnectionPool) async throws
        -> [Issued]
    {
        try await pool.withTransaction { connection in
            try await issue(for: email, next: next, at: now, on: connection)
        }
    }
}

extension TestBrowser {
    /// A browser signed in as `email` the way a person is: a sign-in link issued as the mail would carry it,
    /// its confirm page opened and posted.
    public static func signedIn(
        _ client: any TestClientProtocol, as email: String, environment: GatewayEnvironment,
        pool: PostgresConnectionPool
    ) async throws -> TestBrowser {
        let issued = try await SignInLinks(
            settings: environment.settings.sessions, mail: nil, logger: environment.logger
        ).issue(for: email, at: Date(), pool: pool)
        guard let url = issued.first?.url else { throw SignInFailed(email: email, reason: "no link was issued") }
        let link = String(url.dropFirst(environment.settings.sessions.publicURL.count))
        let browser = TestBrowser(client)
        try await browser.get(link)
        let confirmed = try await browser.post(link)
        guard confirmed.status == .seeOther else {
            throw SignInFailed(email: email, reason: "the confirm page answered \(confirmed.status)")
        }
        return browser
    }

    public struct SignInFailed: Error, CustomStringConvertible {
        public var email: String
        public var reason: String
        public var description: String { "signing in \(email) failed: \(reason)" }
    }
}
