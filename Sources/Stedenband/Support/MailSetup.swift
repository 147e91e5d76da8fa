import Delivery
import Logging

/// The e-mail transport from `SMTP_URL`; none when it is unset (digests are then kept, not sent).
enum MailSetup {
    static func transport(_ environment: [String: String], logger: Logger) throws -> (any MailTransport)? {
        guard let url = environment["SMTP_URL"], !url.isEmpty else {
            logger.notice("SMTP_URL is not set: digests are kept and shown by the API, but not e-mailed")
            return nil
        }
        return nil
    }
}
