import Delivery
import Foundation
import Gateway
import Logging
import Messaging
import Postgres
import Vocabulary

/// Mails a reminder of its own to a person whose digests are off, as ``DigestDelivery`` sends a digest: built in
/// one transaction, sent with no connection held, recorded in another. What it tells is checked again first:
/// a partnership that had news meanwhile, a period that got its value, a person who left the partnership or
/// turned the reminder off gets nothing (`dropped`).
struct ReminderDelivery: Sendable {
    let pool: PostgresConnectionPool
    let people: any People
    let mail: (any MailTransport)?
    let renderer: DigestRenderer
    let publicURL: String
    let logger: Logger

    /// The list a reminder's unsubscribe link belongs to: it turns reminders off and leaves digests on.
    static let list = "reminders"

    struct Prepared: Sendable {
        var message: ReminderMessage
        var recipient: MailAddress
        var sender: MailAddress
        var tenantSlug: String
        var token: String
    }

    /// Delivers reminder `id`; does nothing when it is no longer pending.
    func deliver(reminderID: UUID, tenantID: UUID, now: Date, lastAttempt: Bool) async throws {
        let token = DigestDelivery.makeToken()
        let outcome = try await pool.withTransaction(tenantID: tenantID) { connection in
            try await prepare(reminderID: reminderID, tenantID: tenantID, token: token, now: now, on: connection)
        }
        let prepared: Prepared
        switch outcome {
        case .none: return
        case .dropped(let reason):
            try await finish(reminderID, tenantID: tenantID, status: "dropped", now: now, error: reason)
            return
        case .ready(let ready): prepared = ready
        }
        guard let mail else {
            try await finish(
                reminderID, tenantID: tenantID, status: "failed", now: now,
                error: "e-mail is not configured: set SMTP_URL")
            return
        }
        do {
            try await mail.send(message(prepared, reminderID: reminderID, now: now))
        } catch {
            if error.isTransient && !lastAttempt { throw error }
            let reason = error.isTransient ? "gave up after the last attempt: \(error.description)" : error.description
            logger.warning(
                "reminder failed",
                metadata: ["reminder": "\(reminderID.uuidString.lowercased())", "error": "\(reason)"])
            try await finish(reminderID, tenantID: tenantID, status: "failed", now: now, error: reason)
            return
        }
        try await finish(reminderID, tenantID: tenantID, status: "sent", now: now, error: nil)
    }

    /// Records a still pending reminder `failed` when its last attempt failed before it could say how it went.
    func giveUp(reminderID: UUID, tenantID: UUID, attempts: Int, error: any Error, now: Date) async throws {
        let reason = "gave up after \(attempts) attempts: \(String(describing: error).prefix(500))"
        try await finish(reminderID, tenantID: tenantID, status: "failed", now: now, error: reason)
    }

    enum Outcome: Sendable {
        case none
        case dropped(String)
        case ready(Prepared)
    }

    func prepare(
        reminderID: UUID, tenantID: UUID, token: String, now: Date, on connection: PostgresConnection
    ) async throws -> Outcome {
        guard let reminder = try await NotificationsRepository.reminderToSend(reminderID, on: connection),
            reminder.status == "pending"
        else { return .none }
        guard let person = try await people.person(reminder.user, on: connection), person.isActive else {
            return .dropped("the person is no longer active")
        }
        guard reminder.isMember else { return .dropped("no longer a member of the partnership") }
        guard reminder.stillWanted else { return .dropped("turned off or muted") }
        guard reminder.stillDue, let partnership = reminder.partnership else {
            return .dropped(reminder.kind == "quiet_partnership" ? "news came meanwhile" : "the period has a value")
        }
        let locale = reminder.locale ?? person.locale
        let strings = DigestStrings.of(locale)
        let words = ReminderWords.all[code: locale]
        let id = { (uuid: UUID) in uuid.uuidString.lowercased() }
        let line: String
        let subject: String
        let action: String
        let link: String
        if reminder.kind == "quiet_partnership" {
            let days = reminder.lastNews.map { Int((reminder.windowStart.timeIntervalSince($0) / 86_400).rounded()) }
            line = strings.line(
                InboxItem(kind: "reminder_quiet", partnershipTitle: reminder.partnershipTitle, days: days), { _ in "" },
                { _ in "" })
            subject = words.subject(reminder.partnershipTitle)
            action = words.quietAction
            link = "\(publicURL)/partnerships/\(id(partnership))"
        } else {
            line = strings.line(
                InboxItem(
                    kind: "reminder_period_ending", partnershipTitle: reminder.partnershipTitle,
                    indicatorTitle: reminder.indicatorTitle, periodStart: reminder.starts.flatMap { CalendarDate($0) },
                    periodEnd: reminder.ends.flatMap { CalendarDate($0) }), { _ in "" }, { _ in "" })
            subject = words.subject(reminder.indicatorTitle ?? reminder.partnershipTitle)
            action = words.periodAction
            link = "\(publicURL)/periods/\(id(reminder.subject))/report"
        }
        try await NotificationsRepository.storeUnsubscribeToken(
            token, tenantID: tenantID, user: reminder.user, list: Self.list, now: now, on: connection)
        let tenantName = person.municipality.name
        let sender = person.municipality.senderEmail ?? ""
        return .ready(
            Prepared(
                message: ReminderMessage(
                    locale: Language.resolving(locale).rawValue, subject: subject,
                    greeting: strings.greeting(person.name), line: line, actionLabel: action, link: link,
                    footer: words.footer(tenantName), settingsLabel: words.settings,
                    settingsLink: "\(publicURL)/settings#notifications", unsubscribeLabel: words.unsubscribe,
                    unsubscribeLink: "\(publicURL)/unsubscribe/\(token)"),
                recipient: MailAddress(person.email, name: person.name),
                sender: MailAddress(
                    sender.isEmpty ? "no-reply@\(DigestDelivery.host(publicURL))" : sender, name: tenantName),
                tenantSlug: person.municipality.slug, token: token))
    }

    /// The message, with the list headers of RFC 2369 and RFC 8058 for the `reminders` list.
    func message(_ prepared: Prepared, reminderID: UUID, now: Date) -> MailMessage {
        let host = DigestDelivery.host(publicURL)
        let rendered = renderer.render(prepared.message)
        var unsubscribe = "<\(prepared.message.unsubscribeLink)>"
        unsubscribe += ", <mailto:\(prepared.sender.address)?subject=unsubscribe%20\(prepared.token)>"
        return MailMessage(
            from: prepared.sender,
            to: [prepared.recipient],
            subject: prepared.message.subject,
            text: rendered.text,
            html: rendered.html,
            headers: [
                ("List-Id", "<\(prepared.tenantSlug).reminders.\(host)>"),
                ("List-Unsubscribe", unsubscribe),
                ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
                ("Auto-Submitted", "auto-generated"),
            ],
            // The same reminder keeps its Message-ID through retries.
            messageID: "reminder-\(reminderID.uuidString.lowercased())@\(host)",
            date: now
        )
    }

    private func finish(_ id: UUID, tenantID: UUID, status: String, now: Date, error: String?) async throws {
        try await pool.withTransaction(tenantID: tenantID) { connection in
            _ = try await NotificationsRepository.finishReminder(
                id, status: status, now: now, error: error, on: connection)
        }
    }
}
