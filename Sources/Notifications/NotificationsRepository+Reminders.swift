import Foundation
import Postgres
import Vocabulary

/// The reminders' statements: the scan's candidates, the reminders it makes, and what their delivery reads.
extension NotificationsRepository {
    /// The municipalities with a partnership or a period that could remind, across tenants (an owner-run
    /// function).
    static func reminderTenants(on connection: PostgresConnection) async throws -> [UUID] {
        try await connection.query("SELECT notifications.reminder_tenants()").map {
            try $0.decode(UUID.self, column: 0)
        }
    }

    /// A member of a partnership with no news since `lastNews`.
    struct QuietCandidate: Sendable {
        var partnership: UUID
        var title: String
        var lastNews: Date
        var user: UUID
    }

    /// The coordinators and partner coordinators of every partnership exploring or active, not deleted, whose
    /// last news is at or before `quietSince`.
    static func quietCandidates(quietSince: Date, on connection: PostgresConnection) async throws -> [QuietCandidate] {
        try await connection.query(
            """
            SELECT p.id, p.title, p.last_news_at, m.user_id
            FROM notifications.partnerships p
            JOIN notifications.members m ON m.tenant_id = p.tenant_id AND m.partnership_id = p.id
            WHERE p.deleted_at IS NULL AND p.status IN ('exploring', 'active')
              AND m.role IN ('coordinator', 'partner_coordinator') AND p.last_news_at <= \(quietSince)
            """
        ).map { row in
            let (id, title, last, user) = try row.decode((UUID, String, Date, UUID).self)
            return QuietCandidate(partnership: id, title: title, lastNews: last, user: user)
        }
    }

    /// A partner coordinator of a period without a value.
    struct PeriodCandidate: Sendable {
        var period: UUID
        var partnership: UUID
        var partnershipTitle: String
        var indicatorTitle: String
        var starts: String
        var ends: String
        var user: UUID
    }

    /// The partner coordinators of every period still `draft` or `returned` whose last day is between `from`
    /// and `through` (`YYYY-MM-DD`), in partnerships not deleted.
    static func periodCandidates(
        from: String, through: String, on connection: PostgresConnection
    ) async throws -> [PeriodCandidate] {
        try await connection.query(
            """
            SELECT i.id, i.partnership_id, p.title, i.indicator_title, i.starts_on::text, i.ends_on::text, m.user_id
            FROM notifications.indicator_periods i
            JOIN notifications.partnerships p ON p.tenant_id = i.tenant_id AND p.id = i.partnership_id
            JOIN notifications.members m ON m.tenant_id = i.tenant_id AND m.partnership_id = i.partnership_id
            WHERE NOT i.deleted AND i.status IN ('draft', 'returned') AND p.deleted_at IS NULL
              AND m.role = 'partner_coordinator' AND i.ends_on BETWEEN \(from)::date AND \(through)::date
            """
        ).map { row in
            let (period, partnership, title, indicator, starts, ends, user) = try row.decode(
                (UUID, UUID, String, String, String, String, UUID).self)
            return PeriodCandidate(
                period: period, partnership: partnership, partnershipTitle: title, indicatorTitle: indicator,
                starts: starts, ends: ends, user: user)
        }
    }

    /// What the scan needs of a person's settings.
    struct ReminderSettings: Sendable {
        var digestsOn: Bool
        var hour: Int
        var timeZone: String
        var quiet: Bool
        var periodEnding: Bool
        var muted: Set<UUID>
    }

    static func reminderSettings(
        of users: [UUID], on connection: PostgresConnection
    ) async throws -> [UUID: ReminderSettings] {
        var found: [UUID: ReminderSettings] = [:]
        for row in try await connection.query(
            """
            SELECT user_id, frequency, hour, time_zone, remind_quiet, remind_period_ending, muted_partnerships
            FROM notifications.settings WHERE user_id = ANY(\(users)::uuid[])
            """)
        {
            let (user, frequency, hour, zone, quiet, period, muted) = try row.decode(
                (UUID, String, Int, String, Bool, Bool, [UUID]).self)
            found[user] = ReminderSettings(
                digestsOn: frequency != DigestSchedule.Frequency.off.rawValue, hour: hour, timeZone: zone,
                quiet: quiet, periodEnding: period, muted: Set(muted))
        }
        return found
    }

    /// One reminder the scan makes.
    struct NewReminder: Sendable {
        var id: UUID
        var user: UUID
        var kind: String
        var subject: UUID
        var windowStart: Date
        var dueAt: Date
        var channel: String
    }

    /// Makes the reminders that do not exist yet; answers the ids of those made. A reminder for the digest is
    /// handed over at once (`sent`); one by mail waits for its job (`pending`).
    static func makeReminders(
        _ reminders: [NewReminder], tenantID: UUID, now: Date, on connection: PostgresConnection
    ) async throws -> Set<UUID> {
        guard !reminders.isEmpty else { return [] }
        let made = try await connection.query(
            """
            INSERT INTO notifications.reminders (tenant_id, id, user_id, kind, subject_id, window_start, due_at, channel,
                status, created_at, sent_at)
            SELECT \(tenantID), r.id, r.u, r.k, r.s, r.w, r.d, r.c,
                CASE WHEN r.c = 'digest' THEN 'sent' ELSE 'pending' END, \(now),
                CASE WHEN r.c = 'digest' THEN \(now)::timestamptz END
            FROM unnest(\(reminders.map(\.id))::uuid[], \(reminders.map(\.user))::uuid[], \(reminders.map(\.kind))::text[],
                \(reminders.map(\.subject))::uuid[], \(reminders.map { $0.windowStart.postgresTimestamp })::timestamptz[],
                \(reminders.map { $0.dueAt.postgresTimestamp })::timestamptz[], \(reminders.map(\.channel))::text[])
                AS r(id, u, k, s, w, d, c)
            ON CONFLICT (tenant_id, user_id, kind, subject_id, window_start) DO NOTHING
            RETURNING id
            """
        ).map { try $0.decode(UUID.self, column: 0) }
        return Set(made)
    }

    /// A reminder to mail, with what its message says, as it is now.
    struct ReminderToSend: Sendable {
        var user: UUID
        var kind: String
        var subject: UUID
        var windowStart: Date
        var status: String
        var locale: String?
        var timeZone: String?
        var stillWanted: Bool
        /// The partnership: its id, title and whether it is still quiet, exploring or active, and not deleted.
        var partnership: UUID?
        var partnershipTitle: String
        var lastNews: Date?
        var stillDue: Bool
        var isMember: Bool
        var indicatorTitle: String?
        var starts: String?
        var ends: String?
    }

    static func reminderToSend(_ id: UUID, on connection: PostgresConnection) async throws -> ReminderToSend? {
        let rows = try await connection.query(
            """
            SELECT r.user_id, r.kind, r.subject_id, r.window_start, r.status, s.locale, s.time_zone,
                CASE r.kind WHEN 'quiet_partnership' THEN coalesce(s.remind_quiet, true)
                    ELSE coalesce(s.remind_period_ending, true) END
                    AND NOT coalesce(coalesce(i.partnership_id, r.subject_id) = ANY(s.muted_partnerships), false),
                p.id, coalesce(p.title, ''), p.last_news_at,
                CASE r.kind
                    WHEN 'quiet_partnership' THEN p.deleted_at IS NULL AND p.status IN ('exploring', 'active')
                        AND p.last_news_at < r.window_start
                    ELSE NOT coalesce(i.deleted, true) AND i.status IN ('draft', 'returned') AND p.deleted_at IS NULL
                END,
                EXISTS (SELECT FROM notifications.members m WHERE m.partnership_id = p.id AND m.user_id = r.user_id
                    AND m.role IN ('coordinator', 'partner_coordinator')),
                i.indicator_title, i.starts_on::text, i.ends_on::text
            FROM notifications.reminders r
            LEFT JOIN notifications.settings s ON s.user_id = r.user_id
            LEFT JOIN notifications.indicator_periods i ON r.kind = 'period_ending' AND i.id = r.subject_id
            LEFT JOIN notifications.partnerships p ON p.id = coalesce(i.partnership_id, r.subject_id)
            WHERE r.id = \(id)
            """)
        guard let row = rows.first else { return nil }
        let (user, kind, subject, start, status, locale, zone) = try row.decode(
            (UUID, String, UUID, Date, String, String?, String?).self)
        return ReminderToSend(
            user: user, kind: kind, subject: subject, windowStart: start, status: status, locale: locale,
            timeZone: zone, stillWanted: try row.decode(Bool?.self, column: 7) ?? false,
            partnership: try row.decode(UUID?.self, column: 8),
            partnershipTitle: try row.decode(String.self, column: 9),
            lastNews: try row.decode(Date?.self, column: 10), stillDue: try row.decode(Bool?.self, column: 11) ?? false,
            isMember: try row.decode(Bool.self, column: 12), indicatorTitle: try row.decode(String?.self, column: 13),
            starts: try row.decode(String?.self, column: 14), ends: try row.decode(String?.self, column: 15))
    }

    /// Records how a still pending reminder went; `false` when another attempt recorded it first.
    static func finishReminder(
        _ id: UUID, status: String, now: Date, error: String?, on connection: PostgresConnection
    ) async throws -> Bool {
        try await connection.query(
            """
            UPDATE notifications.reminders SET status = \(status), sent_at = \(now), error = \(error)
            WHERE id = \(id) AND status = 'pending'
            """
        ).affectedRows == 1
    }
}
