import Delivery
import Logging

/// The e-mail transport from `SMTP_URL`; none when it is unset (digests are then kept, not sent).
enum MailSetup {
    static func transport(_ environment: [String: String], logger: Logger) throws -> (any MailTransport)? {
        guard let url = environment["SMTP_URL"], !url.isEmpty else {
            logger.notice("SMTP_URL is not set: digests are kept and shown by the API, but not e-mailed")
            return nil
        }
        let configuration: SMTPConfiguration
        do {
            configuration = try SMTPConfiguration(url: url)
        } catch {
            throw ConfigurationProblem(reason: "SMTP_URL: \(error.description)")
        }
        let concurrency = environment["SMTP_CONCURRENCY"].flatMap(Int.init) ?? SMTPMailer.defaultConcurrency
        return SMTPMailer(configuration: configuration, concurrency: max(1, concurrency), logger: logger)
    }

    /// A setting the server cannot start with; the message names it.
    struct ConfigurationProblem: Error, CustomStringConvertible {
        var reason: String
        var description: String { reason }
    }
}
