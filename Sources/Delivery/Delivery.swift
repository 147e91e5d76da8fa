import CCurl
import Foundation

// The API the notifications plugin codes against. Implementations: SMTPMailer (libcurl SMTP) and
// WebhookSender (libcurl HTTP); see docs/delivery.md.

/// An e-mail address, with an optional display name.
public struct MailAddress: Sendable, Hashable {
    public var address: String
    public var name: String?

    public init(_ address: String, name: String? = nil) {
        self.address = address
        self.name = name
    }
}

/// An e-mail: a text part, optionally an HTML alternative, and extra headers (`List-Id`,
/// `List-Unsubscribe`, …).
public struct MailMessage: Sendable {
    public var from: MailAddress
    public var to: [MailAddress]
    public var subject: String
    public var text: String
    public var html: String?
    /// Extra header fields, in order; values are plain Unicode text, encoded when rendered.
    public var headers: [(name: String, value: String)]
    /// `Message-ID` without angle brackets; one is made from the sender's domain when `nil`.
    public var messageID: String?
    public var date: Date

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
    public var description: String

    public init(isTransient: Bool, description: String) {
        self.isTransient = isTransient
        self.description = description
    }
}

/// Something that sends e-mail.
public protocol MailTransport: Sendable {
    func send(_ message: MailMessage) async throws(DeliveryError)
}
