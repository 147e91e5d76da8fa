import Foundation

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
