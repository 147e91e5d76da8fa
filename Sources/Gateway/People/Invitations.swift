import Delivery
import Foundation
import Logging
import Postgres
import Vocabulary

/// Invites a person by e-mail: the one place for `/admin/users` and a partnership's members page.
///
/// The user row is made at invitation (active, never signed in: "invited"), so the caller can make them a
/// partnership's member in the same transaction and the members page shows them at once. The mailed link is
/// single use, valid ``SessionSettings/invitationLifetime``, stored as the hash of its secret
/// (`platform.invitations`), and signs them in through ``SessionStarter`` when they accept it. Inviting an
/// address that already has a user of the municipality sends a new link to that user (no second user, and
/// earlier links stop working); a disabled user's address is refused.
public struct Invitations: Sendable {
    /// What the inviter filled in; field names are the JSON API's.
    public struct Request: Sendable {
        public var email: String
        public var name: String
        /// `admin`, `coordinator`, `partner_coordinator` or `viewer`.
        public var role: String
        /// `nl`, `en`, `fr` or `es`: the invitee's language, for the mail and the pages.
        public var locale: String
        /// The partnership a partner coordinator is invited to (required for that role).
        public var partnershipID: UUID?

        /// Makes a request.
        public init(email: String, name: String, role: String, locale: String, partnershipID: UUID?) {
            self.email = email
            self.name = name
            self.role = role
            self.locale = locale
            self.partnershipID = partnershipID
        }
    }

    /// Why a field was refused; the pages say it in the person's language (``AdminUsersWords/message(_:)``).
    public enum Reason: String, Sendable {
        case emailMissing, emailInvalid, emailDisabled, nameMissing, roleInvalid, localeInvalid, partnershipMissing
    }

    /// The fields an invitation was refused for, each with its reason.
    public struct Refusal: Error, Sendable {
        public var errors: [(field: String, reason: Reason)]
    }

    /// An invitation made, to deliver once the transaction committed.
    public struct Issued: Sendable {
        /// The invited user (new, or the one the address already had).
        public var userID: UUID
        /// Whether the user was made by this invitation.
        public var isNewUser: Bool
        public var email: String
        public var name: String
        public var language: Language
        public var municipality: String
        public var sender: String?
        /// `{PUBLIC_URL}/invitations/{secret}`.
        public var url: String
    }

    let settings: SessionSettings
    let mail: (any MailTransport)?
    let logger: Logger
    let now: @Sendable () -> Date

    /// Invitations of the environment's site, mailed through its transport (none: the log and standard error).
    public init(environment: GatewayEnvironment) {
        self.settings = environment.settings.sessions
        self.mail = environment.mail
        self.logger = environment.logger
        self.now = environment.now
    }

    /// The roles `inviter` may invite: administrators any, coordinators partner coordinators and viewers, others
    /// none.
    public static func roles(invitableBy inviter: Identity.Role) -> [Identity.Role] {
        switch inviter {
        case .admin: [.admin, .coordinator, .partnerCoordinator, .viewer]
        case .coordinator: [.partnerCoordinator, .viewer]
        default: []
        }
    }

    /// Invites the person, in the caller's transaction (scoped to `access`'s municipality).
    ///
    /// - Throws: ``Problem`` 403 when `access` may not invite this role; ``Refusal`` for fields to correct.
    public func invite(_ request: Request, by access: TenantAccess, on connection: PostgresConnection) async throws
        -> Issued
    {
        let allowed = Self.roles(invitableBy: access.identity.role)
        guard !allowed.isEmpty else { throw Problem.forbidden("only administrators and coordinators invite people") }
        let email = request.email.trimmingCharacters(in: .whitespacesAndNewlines)
        let name = request.name.trimmingCharacters(in: .whitespacesAndNewlines)
        var errors: [(field: String, reason: Reason)] = []
        if email.isEmpty {
            errors.append(("email", .emailMissing))
        } else if email.utf8.count > 320 || !SignInPages.looksLikeEmail(email) {
            errors.append(("email", .emailInvalid))
        }
        if name.isEmpty || name.count > 200 { errors.append(("name", .nameMissing)) }
        let role = Identity.Role(rawValue: request.role)
        if let role, Identity.Role.municipalityRoles.contains(role), !allowed.contains(role) {
            throw Problem.forbidden("coordinators invite partner coordinators and viewers only")
        }
        if role == nil || !Identity.Role.municipalityRoles.contains(role!) { errors.append(("role", .roleInvalid)) }
        guard let language = Language(rawValue: request.locale) else {
            throw Refusal(errors: errors + [("locale", .localeInvalid)])
        }
        if role == .partnerCoordinator && request.partnershipID == nil {
            errors.append(("partnershipId", .partnershipMissing))
        }
        guard errors.isEmpty, let role else { throw Refusal(errors: errors) }

        let existing = try await connection.query(
            """
            SELECT id, disabled_at IS NOT NULL, email, name, locale FROM platform.users
            WHERE lower(email) = lower(\(email))
            """)
        let userID: UUID
        var stored = (email: email, name: name, language: language)
        if let row = existing.first {
            let (id, disabled, address, storedName, locale) = try row.decode((UUID, Bool, String, String, String).self)
            guard !disabled else { throw Refusal(errors: [("email", .emailDisabled)]) }
            userID = id
            stored = (address, storedName, Language.resolving(locale))
        } else {
            let rows = try await connection.query(
                """
                INSERT INTO platform.users (tenant_id, email, name, role, locale, time_zone)
                SELECT t.id, \(email), \(name), \(role.rawValue), \(language.rawValue), t.time_zone
                FROM platform.tenants t WHERE t.id = \(access.tenantID)
                RETURNING id
                """)
            userID = try rows[0].decode(UUID.self, column: 0)
        }
        guard let municipality = try await PostgresPeople().municipality(access.tenantID, on: connection) else {
            throw Problem.notFound("no such municipality")
        }
        let instant = now()
        let secret = SessionSecret.generate()
        let expires = instant.addingTimeInterval(TimeInterval(settings.invitationLifetime.components.seconds))
        let next = request.partnershipID.map { "/partnerships/\($0.uuidString.lowercased())" }
        // One link at a time: a new invitation replaces the ones not accepted yet.
        try await connection.query(
            "DELETE FROM platform.invitations WHERE user_id = \(userID) AND accepted_at IS NULL")
        try await connection.query(
            """
            INSERT INTO platform.invitations
                (tenant_id, link_hash, user_id, invited_by, next_path, created_at, expires_at)
            VALUES (\(access.tenantID), decode(\(secret.hashHex), 'hex'), \(userID), \(access.userID), \(next),
                    \(instant), \(expires))
            """)
        logger.info(
            "invited", metadata: ["user.id": "\(userID.uuidString.lowercased())", "new": "\(existing.isEmpty)"])
        return Issued(
            userID: userID, isNewUser: existing.isEmpty, email: stored.email, name: stored.name,
            language: stored.language, municipality: municipality.name, sender: municipality.senderEmail,
            url: "\(settings.publicURL)/invitations/\(secret.value)")
    }

    /// Mails the invitation in the invitee's language; without a mail transport, writes it to the log (notice)
    /// and standard error, as sign-in links are. A mail that cannot be sent is logged.
    public func deliver(_ issued: Issued) async {
        await linkMail.send(
            letter(issued), orWrite: "invitation for \(issued.email): \(issued.url)", what: "invitation mail")
    }

    /// The mail of an invitation, in the invitee's language.
    public func message(_ issued: Issued) -> MailMessage { linkMail.message(letter(issued)) }

    private var linkMail: LinkMail { LinkMail(mail: mail, logger: logger, publicURL: settings.publicURL) }

    private func letter(_ issued: Issued) -> LinkMail.Letter {
        let words = AdminUsersWords.of(issued.language)
        let days = settings.invitationLifetime.components.seconds / 86_400
        return LinkMail.Letter(
            email: issued.email, name: issued.name, municipality: issued.municipality, sender: issued.sender,
            subject: words.mailSubject, body: words.mailBody,
            values: [
                ("name", issued.name), ("municipality", issued.municipality), ("days", "\(max(days, 1))"),
                ("url", issued.url),
            ])
    }
}
