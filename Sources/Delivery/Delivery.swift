import Foundation

// The API the notifications plugin codes against. Implementations: SMTPMailer (libcurl SMTP) and
// WebhookSender (libcurl HTTP); see docs/delivery.md.

/// An e-mail address, with an optional display name.
public struct MailAddress: Sendable, Hashable {
    /// The address itself, `local@domain`, in ASCII; anything else is refused when the message is sent.
    public var address: String
    /// The name shown to readers (`Stad Roeselare`); any Unicode text.
    public var name: String?

    /// An address, with the name readers see.
    public init(_ address: String, name: String? = nil) {
        self.address = address
        self.name = name
    }
}

/// An e-mail: a text part, optionally an HTML alternative, and extra headers (`List-Id`,
/// `List-Unsubscribe`, …).
public struct MailMessage: Sendable {
    /// The author, and the envelope sender (where bounces go).
    public var from: MailAddress
    /// The recipients, in the `To` field and in the envelope.
    public var to: [MailAddress]
    /// Plain Unicode text; line breaks in it become spaces.
    public var subject: String
    /// The plain-text body, always sent.
    public var text: String
    /// An HTML alternative to `text`; readers that show HTML show it instead.
    public var html: String?
    /// Extra header fields, in order; values are plain Unicode text, encoded when rendered.
    public var headers: [(name: String, value: String)]
    /// `Message-ID` without angle brackets; one is made from the sender's domain when `nil`.
    public var messageID: String?
    /// The `Date` field: when the message was written (the digest's time, not the send attempt's).
    public var date: Date

    /// A message; see the properties for what each part means.
    public init(
        from: MailAddress,
        to: [MailAddress],
        subject: String,
        text: String,
        html: String? = nil,
        headers: [(name: String, value: String)] = [],
        messageID: String? = nil,
        date: Date = Date()
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.headers = headers
        self.messageID = messageID
        self.date = date
    }
}

/// Why a delivery failed, and whether trying again later may help.
public struct DeliveryError: Error, Sendable, CustomStringConvertible {
    /// True for failures that may pass (connection refused, timeout, SMTP 4xx, HTTP 5xx or 429); false
    /// for those that will not (SMTP 5xx, a malformed address, HTTP 4xx).
    public var isTransient: Bool
    /// What went wrong, for logs; never holds a password, a message body or a webhook secret.
    public var description: String
    /// The SMTP reply code or HTTP status the server answered with, when it answered at all: lets a
    /// caller tell a refused mailbox (550) from a full one (452), or honour a 429.
    public var code: Int?
    /// What kind of failure it was, in words that may be shown to a user: unlike ``description``, which
    /// holds the transport's own text, it says nothing about the network the server sits in.
    public var cause: Cause

    /// Kinds of failure a user may be told about.
    public enum Cause: Sendable, Equatable {
        /// The server answered, with ``DeliveryError/code``.
        case answered
        /// No connection could be made, or it broke.
        case connectionFailed
        /// The server did not answer in time.
        case timedOut
        /// Every address the host resolved to is one deliveries may not connect to.
        case refusedAddress
        /// The server's certificate was not accepted.
        case certificate
        /// What was to be sent cannot be: a URL or header that is not allowed, a malformed address.
        case invalidRequest
        /// Anything else.
        case other
    }

    /// A failure; `code` is the server's SMTP reply code or HTTP status, when there was one.
    public init(isTransient: Bool, description: String, code: Int? = nil, cause: Cause? = nil) {
        self.isTransient = isTransient
        self.description = description
        self.code = code
        self.cause = cause ?? (code == nil ? .other : .answered)
    }
}

/// Something that sends e-mail.
public protocol MailTransport: Sendable {
    /// Hands `message` to the mail system; returns once the server accepted it for every recipient.
    /// - Throws: ``DeliveryError``, transient when trying again later may succeed.
    func send(_ message: MailMessage) async throws(DeliveryError)
}
