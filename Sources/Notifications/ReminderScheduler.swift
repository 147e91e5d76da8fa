import Foundation
import Gateway
import Logging
import Messaging
import Postgres
import Vocabulary

/// The scan that makes reminders: a partnership where nothing was posted or reported for the municipality's
/// number of days reminds its coordinators and partner coordinators; a period that ends within 14 days without
/// a value reminds its partner coordinators. Once per window and person (``ReminderWindows``), in the person's
/// digest when their digests are on, else by a mail of its own at their send hour.
///
/// Every process and every retry computes the same windows, and the reminders' unique key lets one of them
/// make each reminder: a scan run twice, or by two processes at once, makes nothing more.
struct ReminderScheduler: Sendable {
    static let deliverJobKind = "notifications.deliver_reminder"

    let pool: PostgresConnectionPool
    let queue: PostgresJobQueue
    let people: any People
    let logger: Logger

    struct Outcome: Sendable, Equatable, Codable {
        /// Reminders written into an inbox, for the next digest.
        var digest = 0
        /// Reminders handed to their own mail's job.
        var mail = 0
    }

    /// Makes every reminder due at `now`.
    @discardableResult
    func run(at now: Date) async throws -> Outcome {
        let tenants = try await pool.withConnection { connection in
            try await NotificationsRepository.reminderTenants(on: connection)
        }
        var outcome = Outcome()
        for tenant in tenants {
            let made = try await pool.withTransaction(tenantID: tenant) { connection in
                try await scan(tenant: tenant, at: now, on: connection)
            }
            outcome.digest += made.digest
            outcome.mail += made.mail
        }
        if outcome.digest + outcome.mail > 0 {
            logger.info(
                "reminders made",
                metadata: [
                    "digest": "\(outcome.digest)", "mail": "\(outcome.mail)", "at": "\(now.formatted(.iso8601))",
                ])
        }
        return outcome
    }

    private func scan(tenant: UUID, at now: Date, on connection: PostgresConnection) async throws -> Outcome {
        let defaults = try await NotificationsRepository.tenantDefaults(on: connection)
        var quiet: [NotificationsRepository.QuietCandidate] = []
        if let days = defaults.quietAfterDays {
            quiet = try await NotificationsRepository.quietCandidates(
                quietSince: now.addingTimeInterval(-TimeInterval(days) * 86_400), on: connection)
        }
        // Every clock on earth is within a day of UTC: the windows below keep to each person's own.
        let periods = try await NotificationsRepository.periodCandidates(
            from: Self.utcDay(now.addingTimeInterval(-86_400)),
            through: Self.utcDay(now.addingTimeInterval(TimeInterval(ReminderWindows.periodLeadDays + 1) * 86_400)),
            on: connection)
        let users = Array(Set(quiet.map(\.user) + periods.map(\.user)))
        guard !users.isEmpty else { return Outcome() }
        try await NotificationsService.ensureSettings(
            for: users, tenantID: tenant, start: now, people: people, on: connection)
        let settings = try await NotificationsRepository.reminderSettings(of: users, on: connection)

        var reminders: [NotificationsRepository.NewReminder] = []
        var items: [UUID: (item: InboxItem, partnership: UUID, at: Date)] = [:]
        /// Adds the reminder when it has come: at once for the digest, at the send hour for a mail.
        func add(
            user: UUID, kind: String, subject: UUID, key: Date, opens: Date,
            person: NotificationsRepository.ReminderSettings,
            item: InboxItem, partnership: UUID
        ) {
            let due = ReminderWindows.due(
                from: opens, hour: person.hour, timeZone: TimeZone(identifier: person.timeZone) ?? .gmt)
            let channel = person.digestsOn ? "digest" : "mail"
            guard channel == "digest" ? opens <= now : due <= now else { return }
            let id = UUID.timeOrdered(at: now)
            reminders.append(
                .init(id: id, user: user, kind: kind, subject: subject, windowStart: key, dueAt: due, channel: channel))
            if channel == "digest" { items[id] = (item, partnership, opens) }
        }
        for candidate in quiet {
            guard let person = settings[candidate.user], person.quiet,
                !person.muted.contains(candidate.partnership), let days = defaults.quietAfterDays,
                let start = ReminderWindows.quiet(lastNews: candidate.lastNews, days: days, now: now)
            else { continue }
            let quietDays = Int((start.timeIntervalSince(candidate.lastNews) / 86_400).rounded())
            add(
                user: candidate.user, kind: "quiet_partnership", subject: candidate.partnership, key: start,
                opens: start,
                person: person,
                item: InboxItem(kind: "reminder_quiet", partnershipTitle: candidate.title, days: quietDays),
                partnership: candidate.partnership)
        }
        for candidate in periods {
            guard let person = settings[candidate.user], person.periodEnding,
                !person.muted.contains(candidate.partnership), let ends = CalendarDate(candidate.ends),
                let window = ReminderWindows.periodEnding(
                    ends: ends, now: now, timeZone: TimeZone(identifier: person.timeZone) ?? .gmt)
            else { continue }
            add(
                user: candidate.user, kind: "period_ending", subject: candidate.period, key: window.key,
                opens: window.opens, person: person,
                item: InboxItem(
                    kind: "reminder_period_ending", partnershipTitle: candidate.partnershipTitle,
                    indicatorTitle: candidate.indicatorTitle, periodStart: CalendarDate(candidate.starts),
                    periodEnd: ends, periodId: candidate.period),
                partnership: candidate.partnership)
        }
        let made = try await NotificationsRepository.makeReminders(
            reminders, tenantID: tenant, now: now, on: connection)
        guard !made.isEmpty else { return Outcome() }
        var outcome = Outcome()
        var inbox: [NotificationsRepository.InboxRow] = []
        var jobs: [NewJob] = []
        for reminder in reminders where made.contains(reminder.id) {
            if let (item, partnership, at) = items[reminder.id] {
                // Under the partnership, as the results' lines: the line names the indicator.
                inbox.append(
                    .init(
                        item: item, users: [reminder.user], partnership: partnership, activity: nil,
                        eventID: reminder.id, occurredAt: at))
                outcome.digest += 1
            } else {
                jobs.append(
                    try NewJob(
                        kind: Self.deliverJobKind, args: DeliverReminder(reminderId: reminder.id), tenantID: tenant,
                        uniqueKey: "reminder:\(reminder.id.uuidString.lowercased())"))
                outcome.mail += 1
            }
        }
        if !inbox.isEmpty {
            try await NotificationsRepository.addToInbox(
                inbox, eventName: Self.inboxEventName, tenantID: tenant, on: connection)
        }
        if !jobs.isEmpty {
            try await queue.enqueue(jobs, on: connection)
            await connection.afterCommit(PostgresJobQueue.notifyQuery)
        }
        return outcome
    }

    /// The `event_name` of a reminder's inbox row, whose `event_id` is the reminder's id.
    static let inboxEventName = "notifications.reminder"

    static func utcDay(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day())
    }
}

/// The reminder mail job's arguments.
struct DeliverReminder: Codable, Sendable {
    var reminderId: UUID
}
