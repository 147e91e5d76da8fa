import CCurl
import Foundation
import Logging

/// HTTP requests whose answer is read (a GET, a form POST), through libcurl on threads of its own: for calls
/// to services the operator configured, such as a municipality's OpenID provider.
///
/// Redirects are not followed, and an answer longer than the body limit fails: the caller reads JSON of a
/// known, small shape. Only `https` and `http` URLs are sent; which of them a caller accepts is its own rule.
public struct HTTPFetcher: Sendable {
    /// An answer: its status and body.
    public struct Answer: Sendable {
        /// The HTTP status.
        public var status: Int
        /// The body, at most the fetcher's limit.
        public var body: [UInt8]

        /// An answer with `status` and `body`.
        public init(status: Int, body: [UInt8]) {
            self.status = status
            self.body = body
        }
    }

    /// How long one request may take by default, from connecting to the last byte of the answer.
    public static let defaultTimeout = Duration.seconds(10)
    /// The longest answer read by default, in bytes.
    public static let defaultBodyLimit = 1 << 20
    /// How many requests may be in flight at once by default; more wait their turn.
    public static let defaultConcurrency = 2

    private let timeout: Duration
    private let bodyLimit: Int
    private let caCertificatePath: String?
    private let threads: TransferThreads

    /// A fetcher.
    /// - Parameters:
    ///   - timeout: the limit for one whole request.
    ///   - bodyLimit: the longest answer read, in bytes.
    ///   - caCertificatePath: a PEM file of CA certificates to trust instead of the system's.
    ///   - concurrency: how many threads carry the requests.
    public init(
        timeout: Duration = HTTPFetcher.defaultTimeout,
        bodyLimit: Int = HTTPFetcher.defaultBodyLimit,
        caCertificatePath: String? = nil,
        concurrency: Int = HTTPFetcher.defaultConcurrency
    ) {
        self.timeout = timeout
        self.bodyLimit = bodyLimit
        self.caCertificatePath = caCertificatePath
        self.threads = TransferThreads(count: concurrency, name: "fetch")
    }

    /// `GET url`, with extra header lines (`Name: value`).
    /// - Throws: ``DeliveryError`` when no answer came (connection, timeout, certificate, too long); any
    ///   status is an answer.
    public func get(_ url: String, headers: [String] = []) async throws(DeliveryError) -> Answer {
        try await fetch(url, headers: headers, form: nil)
    }

    /// `POST url` with `fields` as `application/x-www-form-urlencoded`, and extra header lines.
    /// - Throws: ``DeliveryError`` when no answer came; any status is an answer.
    public func postForm(
        _ url: String,
        fields: [(name: String, value: String)],
        headers: [String] = []
    ) async throws(DeliveryError) -> Answer {
        let body = fields.map { Self.formEncoded($0.name) + "=" + Self.formEncoded($0.value) }.joined(separator: "&")
        return try await fetch(
            url, headers: headers + ["Content-Type: application/x-www-form-urlencoded"], form: Array(body.utf8))
    }

    /// `text` percent-encoded for a form body or a query: everything but the unreserved characters.
    public static func formEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    private func fetch(_ url: String, headers: [String], form: [UInt8]?) async throws(DeliveryError) -> Answer {
        for line in headers where line.contains("\r") || line.contains("\n") {
            throw DeliveryError(isTransient: false, description: "a header line holds CR or LF", cause: .invalidRequest)
        }
        let timeout = timeout
        let bodyLimit = bodyLimit
        let caCertificatePath = caCertificatePath
        let lines = headers + ["Accept: application/json", "Expect:"]
        let outcome = await threads.run { cancellation in
            Result { () throws(DeliveryError) -> Answer in
                let curl = try CurlTransfer()
                try curl.set(CURLOPT_URL, url)
                try curl.set(CURLOPT_PROTOCOLS_STR, "https,http")
                try curl.set(CURLOPT_FOLLOWLOCATION, 0)
                try curl.set(CURLOPT_USERAGENT, "stedenband")
                try curl.set(CURLOPT_HTTPHEADER, list: lines)
                try curl.keepResponseBody(limit: bodyLimit)
                if let form { try curl.setPostBody(form) }
                if let caCertificatePath { try curl.set(CURLOPT_CAINFO, caCertificatePath) }
                try curl.set(CURLOPT_TIMEOUT_MS, milliseconds: timeout)
                let outcome = curl.perform(cancellation: cancellation)
                guard outcome.result == CURLE_OK else {
                    let cause: DeliveryError.Cause
                    switch outcome.result {
                    case CURLE_OPERATION_TIMEDOUT: cause = .timedOut
                    case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE: cause = .certificate
                    case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL: cause = .invalidRequest
                    case CURLE_WRITE_ERROR: cause = .other
                    default: cause = .connectionFailed
                    }
                    let reason =
                        outcome.result == CURLE_WRITE_ERROR
                        ? "the answer is longer than \(bodyLimit) bytes" : outcome.message
                    throw DeliveryError(isTransient: cause != .invalidRequest, description: reason, cause: cause)
                }
                return Answer(status: outcome.responseCode, body: curl.responseBody)
            }
        }
        return try outcome.get()
    }
}
