import Delivery
import Foundation
import Logging

/// A mail that carries a link which signs its reader in: a sign-in link or an invitation. Both are worded in
/// the reader's language from a template with `{placeholders}`, sent from the municipality's sender address,
/// and, without a mail transport (as under `make run`), written to the log and to standard error with the
/// link, so a newcomer can follow it.
struct LinkMail: Sendable {
    let mail: (any MailTransport)?
    let logger: Logger
    let publicURL: String

    /// One link's mail: to whom, from which municipality, and its words.
    struct Letter {
        var email: String
        var name: String
        var municipality: String
        /// The municipality's sender address, if it has one.
        var sender: String?
        var subject: String
        var body: String
        /// The values of the template's `{placeholders}`, filled in this order, e.g. `[("url", …)]`.
        var values: [(placeholder: String, value: String)]
    }

    /// Sends `letter`; without a mail transport writes `line` instead. A mail that fails is logged as `what`.
    func send(_ letter: Letter, orWrite line: String, what: String) async {
        guard let mail else {
            logger.notice("\(line)")
            FileHandle.standardError.write(Data((line + "\n").utf8))
            return
        }
        do {
            try await mail.send(message(letter))
        } catch {
            logger.error("\(what) not sent", metadata: ["error": "\(error)"])
        }
    }

    /// The mail of `letter`, its placeholders filled in.
    func message(_ letter: Letter) -> MailMessage {
        func filled(_ template: String) -> String {
            letter.values.reduce(template) { text, value in
                text.replacingOccurrences(of: "{\(value.placeholder)}", with: value.value)
            }
        }
        let host = URL(string: publicURL)?.host ?? "localhost"
        return MailMessage(
            from: MailAddress(
                letter.sender.flatMap { $0.isEmpty ? nil : $0 } ?? "no-reply@\(host)", name: letter.municipality),
            to: [MailAddress(letter.email, name: letter.name)],
            subject: filled(letter.subject),
            text: filled(letter.body),
            headers: [("Auto-Submitted", "auto-generated")]
        )
    }
}
