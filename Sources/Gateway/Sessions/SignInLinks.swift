import Delivery
import Foundation
import Logging
import Postgres
import Vocabulary

/// Issues and uses the mailed sign-in links: one place for the page (`POST /sign-in`) and the command line
/// (`stedenband sign-in-link`, `stedenband demo`).
///
/// A link is single-use, valid for ``SessionSettings/linkLifetime``, and stored as the hash of its secret. An
/// address that belongs to users of several municipalities gets a link per municipality.
public struct SignInLinks: Sendable {
    /// A link made for one person.
    public struct Issued: Sendable {
        /// The person's address, as stored.
        public var email: String
        /// Their name.
        public var name: String
        /// Their language, for the mail.
        public var language: Language
        /// Their municipality's name.
        public var municipality: String
        /// The address a mail's `From` should carry: the municipality's sender, if it has one.
        public var sender: String?
        /// `{PUBLIC_URL}/sign-in/link/{secret}`.
        public var url: String
    }

    let settings: SessionSettings
    let mail: (any MailTransport)?
    let logger: Logger

    /// Links for the site at `settings.publicURL`, mailed through `mail` (none: written to the log and
    /// standard error).
    public init(settings: SessionSettings, mail: (any MailTransport)?, logger: Logger) {
        self.settings = settings
        self.mail = mail
        self.logger = logger
    }

    /// Makes a link for each active user with `email` in an active municipality, in the caller's transaction
    /// (which must not be scoped to a municipality yet; it is left unscoped). Nothing is sent: see
    /// ``deliver(_:)``, to call once the transaction committed.
    ///
    /// - Parameter next: A path on this site to go to once signed in; anything else is dropped.
    public func issue(
        for email: String, next: String?, at now: Date, on connection: PostgresConnection
    ) async throws -> [Issued] {
        let candidates = try await connection.query(
            """
            SELECT tenant_id, user_id, email, name, locale, tenant_name, sender_email
            FROM platform.sign_in_candidates(\(email.trimmingCharacters(in: .whitespaces)))
            """)
        let expires = now.addingTimeInterval(TimeInterval(SessionSettings.linkLifetime.components.seconds))
        let path = PageRedirect.sitePath(next)
        var issued: [Issued] = []
        for row in candidates {
            let (tenantID, userID, stored, name, locale, municipality, sender) = try row.decode(
                (UUID, UUID, String, String, String, String, String?).self)
            let secret = SessionSecret.generate()
            try await connection.query("SELECT set_config('app.tenant_id', \(tenantID.uuidString.lowercased()), true)")
            // The person's links that can no longer be used go: the table holds only what might still be.
            try await connection.query(
                "DELETE FROM platform.sign_in_links WHERE user_id = \(userID) AND expires_at < \(now)")
            try await connection.query(
                """
                INSERT INTO platform.sign_in_links (tenant_id, link_hash, user_id, next_path, created_at, expires_at)
                VALUES (\(tenantID), decode(\(secret.hashHex), 'hex'), \(userID), \(path), \(now), \(expires))
                """)
            issued.append(
                Issued(
                    email: stored, name: name, language: Language.resolving(locale), municipality: municipality,
                    sender: sender, url: "\(settings.publicURL)/sign-in/link/\(secret.value)"))
        }
        if !issued.isEmpty { try await connection.query("SELECT set_config('app.tenant_id', '', true)") }
        // A platform administrator with this address gets a link of their own (PlatformAdminSignIn).
        issued += try await PlatformAdminSignIn.issue(
            for: email, next: next, at: now, settings: settings, on: connection)
        return issued
    }

    /// Mails each link in its person's language; without a mail transport, writes it to the log (notice) and
    /// to standard error instead, so that a newcomer running the server locally can sign in. A mail that
    /// cannot be sent is logged, never shown: the page's answer must not depend on the address.
    public func deliver(_ issued: [Issued]) async {
        for link in issued {
            await linkMail.send(
                letter(link), orWrite: "sign-in link for \(link.email): \(link.url)", what: "sign-in mail")
        }
    }

    /// The mail for one link, in the person's language.
    public func message(_ link: Issued) -> MailMessage { linkMail.message(letter(link)) }

    private var linkMail: LinkMail { LinkMail(mail: mail, logger: logger, publicURL: settings.publicURL) }

    private func letter(_ link: Issued) -> LinkMail.Letter {
        let words = PageWords.of(link.language)
        return LinkMail.Letter(
            email: link.email, name: link.name, municipality: link.municipality, sender: link.sender,
            subject: words.mailSubject, body: words.mailBody,
            values: [
                ("name", link.name), ("municipality", link.municipality),
                ("minutes", "\(SessionSettings.linkLifetime.components.seconds / 60)"), ("url", link.url),
            ])
    }
}
