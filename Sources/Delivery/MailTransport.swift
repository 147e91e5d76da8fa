// The API the notifications plugin codes against: MailAddress, MailMessage, MailTransport and
// DeliveryError. Implementations: SMTPMailer (libcurl SMTP) and WebhookSender (libcurl HTTP); see
// docs/delivery.md.

/// Something that sends e-mail.
public protocol MailTransport: Sendable {
    /// Hands `message` to the mail system; returns once the server accepted it for every recipient.
    /// - Throws: ``DeliveryError``, transient when trying again later may succeed.
    func send(_ message: MailMessage) async throws(DeliveryError)
}
