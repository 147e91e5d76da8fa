import CCurl
import Foundation
import Logging

/// Posts signed JSON webhooks through libcurl, on threads of its own.
///
/// Each request carries `Content-Type: application/json`, `User-Agent: stedenband` and a
/// ``WebhookSignature`` header. Redirects are not followed: a receiver that moved must be reconfigured,
/// rather than have signed payloads follow a `Location` anywhere.
///
/// Users choose the URLs, so a webhook must not become a way into the network the server runs in: only
/// https, and only addresses its ``WebhookAddressPolicy`` permits (the public internet, by default), checked
/// on every address as the connection opens, after resolution. No proxy from the environment is used: a
/// proxy would make the connection on the sender's behalf, past that check.
public struct WebhookSender: Sendable {
    /// How long one delivery may take by default, from connecting to the last byte of the answer.
    public static let defaultTimeout = Duration.seconds(10)
    /// How many webhooks may be in flight at once by default; more wait their turn.
    public static let defaultConcurrency = 4

    private let timeout: Duration
    private let caCertificatePath: String?
    /// The addresses deliveries may connect to.
    public private(set) var addressPolicy: WebhookAddressPolicy
    /// `host:port:address` entries that replace resolution, as curl's `--resolve`: lets tests make a name
    /// resolve to an address of their choice.
    var pinnedAddresses: [String] = []
    private let now: @Sendable () -> Date
    private let threads: TransferThreads
    private let logger: Logger

    /// A sender.
    /// - Parameters:
    ///   - timeout: the limit for one whole delivery.
    ///   - caCertificatePath: a PEM file of CA certificates to trust instead of the system's.
    ///   - addressPolicy: the addresses deliveries may connect to.
    ///   - concurrency: how many threads carry the transfers.
    ///   - now: the clock the signature's timestamp comes from.
    public init(
        timeout: Duration = WebhookSender.defaultTimeout,
        caCertificatePath: String? = nil,
        addressPolicy: WebhookAddressPolicy = .publicOnly,
        concurrency: Int = WebhookSender.defaultConcurrency,
        now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger
    ) {
        self.timeout = timeout
        self.caCertificatePath = caCertificatePath
        self.addressPolicy = addressPolicy
        self.now = now
        self.threads = TransferThreads(count: concurrency, name: "webhook")
        self.logger = logger
    }

    /// The same sender (its threads shared), connecting only to the addresses `policy` permits.
    public func with(addressPolicy policy: WebhookAddressPolicy) -> WebhookSender {
        var sender = self
        sender.addressPolicy = policy
        return sender
    }

    /// Posts `body` to `url`, signed with `secret`, and returns the receiver's 2xx status.
    /// - Parameters:
    ///   - headers: extra header fields (a delivery id, an event name); CR and LF are refused.
    /// - Throws: ``DeliveryError``: transient for a timeout, a connection failure, 5xx, 408 or 429;
    ///   permanent for any other answer (3xx, 4xx), for a URL that is not https, and when every address
    ///   the host resolved to is one the ``addressPolicy`` refuses (nothing is sent then).
    @discardableResult
    public func send(
        _ body: some DataProtocol,
        to url: String,
        secret: String,
        headers: [(name: String, value: String)] = []
    ) async throws(DeliveryError) -> Int {
        guard let host = WebhookURLCheck.host(url) else {
            throw DeliveryError(
                isTransient: false, description: "a webhook URL must be https, with a host and no user name",
                cause: .invalidRequest)
        }
        for header in headers {
            let isSafe =
                HeaderField.isValidName(header.name)
                && !header.value.unicodeScalars.contains { $0.properties.generalCategory == .control && $0 != "\t" }
            guard isSafe else {
                throw DeliveryError(
                    isTransient: false, description: "webhook header \(header.name) is not valid",
                    cause: .invalidRequest)
            }
        }
        let payload = Array(body)
        let lines =
            [
                "Content-Type: application/json",
                "\(WebhookSignature.headerName): \(WebhookSignature.header(secret: secret, timestamp: now(), body: payload))",
                // libcurl would otherwise wait for a 100 Continue before sending a large body.
                "Expect:",
            ] + headers.map { "\($0.name): \($0.value)" }
        let timeout = timeout
        let caCertificatePath = caCertificatePath
        let policy = addressPolicy
        let pinned = pinnedAddresses
        let started = ContinuousClock.now
        let outcome = await threads.run { cancellation in
            Result { () throws(DeliveryError) -> Int in
                let curl = try CurlTransfer()
                try curl.set(CURLOPT_URL, url)
                try curl.set(CURLOPT_PROTOCOLS_STR, "https")
                try curl.set(CURLOPT_FOLLOWLOCATION, 0)
                // No proxy, whatever `https_proxy` or `all_proxy` say: the proxy would connect, unchecked.
                try curl.set(CURLOPT_PROXY, "")
                try curl.set(CURLOPT_NOPROXY, "*")
                try curl.connectOnly(to: policy)
                if !pinned.isEmpty { try curl.set(CURLOPT_RESOLVE, list: pinned) }
                try curl.set(CURLOPT_USERAGENT, "stedenband")
                try curl.set(CURLOPT_HTTPHEADER, list: lines)
                try curl.setPostBody(payload)
                if let caCertificatePath { try curl.set(CURLOPT_CAINFO, caCertificatePath) }
                try curl.set(CURLOPT_TIMEOUT_MS, milliseconds: timeout)
                let outcome = curl.perform(cancellation: cancellation)
                if outcome.result != CURLE_OK, curl.refusedEveryAddress {
                    throw DeliveryError(
                        isTransient: false,
                        description:
                            "webhook delivery refused: \(host) resolves only to addresses that are not allowed",
                        cause: .refusedAddress)
                }
                return try Self.status(from: outcome)
            }
        }
        let elapsed = ContinuousClock.now - started
        switch outcome {
        case .success(let status):
            logger.info(
                "webhook delivered", metadata: ["webhook.status": "\(status)", "webhook.duration": "\(elapsed)"])
            return status
        case .failure(let error):
            logger.warning(
                "webhook not delivered",
                metadata: [
                    "webhook.error": "\(error.description)", "webhook.transient": "\(error.isTransient)",
                    "webhook.duration": "\(elapsed)",
                ]
            )
            throw error
        }
    }

    /// The status of a finished transfer, or why it does not count as delivered.
    static func status(from outcome: CurlTransfer.Outcome) throws(DeliveryError) -> Int {
        guard outcome.result == CURLE_OK else {
            let cause: DeliveryError.Cause
            switch outcome.result {
            case CURLE_OPERATION_TIMEDOUT: cause = .timedOut
            case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE: cause = .certificate
            case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL: cause = .invalidRequest
            default: cause = .connectionFailed
            }
            let isPermanent = cause == .certificate || cause == .invalidRequest
            throw DeliveryError(
                isTransient: !isPermanent, description: "webhook delivery failed: \(outcome.message)", cause: cause)
        }
        let status = outcome.responseCode
        switch status {
        case 200..<300:
            return status
        case 408, 429, 500..<600:
            throw DeliveryError(isTransient: true, description: "webhook receiver answered \(status)", code: status)
        default:
            throw DeliveryError(isTransient: false, description: "webhook receiver answered \(status)", code: status)
        }
    }
}
