import CCurl
import Foundation
import Logging

/// Sends e-mail to an SMTP server through libcurl: one connection per message, on threads of its own.
///
/// The envelope sender is the message's `from` address and the envelope recipients are its `to`
/// addresses. When the server refuses any recipient, nothing is sent and the error names the reply code:
/// the caller retries the whole message (transient) or gives up on it (permanent), never half of it.
public struct SMTPMailer: MailTransport {
    /// How many messages may be in flight at once by default; more wait their turn.
    public static let defaultConcurrency = 2

    /// The server and policy this mailer uses.
    public let configuration: SMTPConfiguration
    private let threads: TransferThreads
    private let logger: Logger

    /// A mailer for `configuration`; `concurrency` threads carry the transfers.
    public init(
        configuration: SMTPConfiguration,
        concurrency: Int = SMTPMailer.defaultConcurrency,
        logger: Logger
    ) {
        self.configuration = configuration
        self.threads = TransferThreads(count: concurrency, name: "smtp")
        var logger = logger
        logger[metadataKey: "smtp.server"] = "\(configuration.host):\(configuration.port)"
        self.logger = logger
    }

    /// A mailer for an `SMTP_URL` (see ``SMTPConfiguration/init(url:)``).
    public init(url: String, logger: Logger) throws(DeliveryError) {
        self.init(configuration: try SMTPConfiguration(url: url), logger: logger)
    }

    /// Renders `message` and hands it to the server.
    /// - Throws: ``DeliveryError``: transient for a server that cannot be reached, times out, or answers
    ///   4xx; permanent for a 5xx answer (a refused mailbox, failed authentication), a server without the
    ///   required STARTTLS, a certificate that does not verify, or a message that cannot be rendered.
    public func send(_ message: MailMessage) async throws(DeliveryError) {
        let data = try message.rendered()
        let configuration = configuration
        let started = ContinuousClock.now
        let outcome = await threads.run { cancellation in
            Result { () throws(DeliveryError) in
                try Self.transfer(data, of: message, with: configuration, cancellation: cancellation)
            }
        }
        let elapsed = ContinuousClock.now - started
        switch outcome {
        case .success:
            // Info, not debug: the line an operator looks for when following a request's trace to its mail.
            logger.info(
                "mail sent",
                metadata: [
                    "smtp.recipients": "\(message.to.count)", "smtp.bytes": "\(data.count)",
                    "smtp.duration": "\(elapsed)",
                ]
            )
        case .failure(let error):
            logger.warning(
                "mail not sent",
                metadata: [
                    "smtp.error": "\(error.description)", "smtp.transient": "\(error.isTransient)",
                    "smtp.duration": "\(elapsed)",
                ]
            )
            throw error
        }
    }

    /// The blocking part: one libcurl SMTP transfer, on a transfer thread.
    private static func transfer(
        _ data: [UInt8],
        of message: MailMessage,
        with configuration: SMTPConfiguration,
        cancellation: CancellationFlag
    ) throws(DeliveryError) {
        let curl = try CurlTransfer()
        try curl.set(CURLOPT_URL, configuration.curlURL)
        try curl.set(CURLOPT_PROTOCOLS_STR, "smtp,smtps")
        switch configuration.security {
        case .startTLS, .implicitTLS:
            try curl.set(CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue))
        case .none:
            try curl.set(CURLOPT_USE_SSL, Int(CURLUSESSL_NONE.rawValue))
        }
        if let path = configuration.caCertificatePath {
            try curl.set(CURLOPT_CAINFO, path)
        }
        if let username = configuration.username {
            try curl.set(CURLOPT_USERNAME, username)
            try curl.set(CURLOPT_PASSWORD, configuration.password ?? "")
        }
        try curl.set(CURLOPT_CONNECTTIMEOUT_MS, milliseconds: configuration.connectTimeout)
        try curl.set(CURLOPT_TIMEOUT_MS, milliseconds: configuration.transferTimeout)
        try curl.set(CURLOPT_MAIL_FROM, "<\(message.from.address)>")
        try curl.set(CURLOPT_MAIL_RCPT, list: message.to.map { "<\($0.address)>" })
        try curl.setUpload(data)
        let outcome = curl.perform(cancellation: cancellation)
        if let error = deliveryError(for: outcome) { throw error }
    }

    /// What a finished transfer means for the caller: `nil` when the server took the message.
    static func deliveryError(for outcome: CurlTransfer.Outcome) -> DeliveryError? {
        guard outcome.result != CURLE_OK else { return nil }
        let reply = outcome.responseCode
        let detail = "SMTP delivery failed: \(outcome.message)"
        // The server's own verdict comes first: RFC 5321 makes 4xx temporary and 5xx permanent.
        if (400..<500).contains(reply) {
            return DeliveryError(isTransient: true, description: detail, code: reply)
        }
        if (500..<600).contains(reply) {
            return DeliveryError(isTransient: false, description: detail, code: reply)
        }
        let code = reply == 0 ? nil : reply
        switch outcome.result {
        case CURLE_USE_SSL_FAILED:
            return DeliveryError(
                isTransient: false,
                description: "SMTP server does not offer STARTTLS, which this configuration requires "
                    + "(add ?starttls=off to SMTP_URL only for a local relay)",
                code: code
            )
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_CERTPROBLEM,
            CURLE_LOGIN_DENIED, CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL, CURLE_AUTH_ERROR:
            return DeliveryError(isTransient: false, description: detail, code: code)
        default:
            // Refused or dropped connections, timeouts, unreadable replies, a cancelled task: the next
            // attempt may well succeed.
            return DeliveryError(isTransient: true, description: detail, code: code)
        }
    }
}
