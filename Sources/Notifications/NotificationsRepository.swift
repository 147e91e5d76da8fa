import Foundation
import Gateway
import Messaging
import Postgres

/// The Notifications plugin's SQL on its own schema, `notifications`, for the service: settings, the
/// municipality's defaults, digests, the inbox and unsubscribe tokens. Every statement runs in the caller's
/// transaction, whose municipality row-level security keeps to.
///
/// The service, the inbox subscriber, the scheduler's claim and the delivery all run their statements here,
/// but for the copy of the partnerships that `Inbox` keeps from their events.
enum NotificationsRepository {
    // MARK: Settings

    /// The user's settings row, `nil` when they never had one.
    static func settings(of user: UUID, on connection: PostgresConnection) async throws -> NotificationSettings? {
        let rows = try await connection.query(
            """
            SELECT \(unsafeSQL: NotificationSettings.columns) FROM notifications.settings WHERE user_id = \(user)
            """)
        return try rows.first.map(NotificationSettings.init(row:))
    }

    /// Writes settings; a changed schedule is due again from `now`, keeping the window's start, so nothing
    /// already in the inbox is skipped.
    static func save(
        _ settings: NotificationSettings, of user: UUID, tenantID: UUID, now: Date, on connection: PostgresConnection
    ) async throws {
        let nextDue = settings.schedule.nextSend(after: now)
        // A new secret means a new or re-sent URL; otherwise the stored secret and state stay.
        let secret = settings.webhook?.secret
        try await connection.query(
            """
            INSERT INTO notifications.settings (tenant_id, user_id, frequency, hour, weekday, time_zone, locale, email,
                muted_partnerships, webhook_url, webhook_secret, window_start, next_due_at, remind_quiet,
                remind_period_ending)
            VALUES (\(tenantID), \(user), \(settings.frequency.rawValue), \(settings.hour), \(settings.weekday),
                \(settings.timeZone), \(settings.locale), \(settings.email), \(settings.mutedPartnerships)::uuid[],
                \(settings.webhook?.url), \(secret), \(now), \(nextDue), \(settings.quietReminders),
                \(settings.periodReminders))
            ON CONFLICT (tenant_id, user_id) DO UPDATE SET frequency = excluded.frequency, hour = excluded.hour,
                remind_quiet = excluded.remind_quiet, remind_period_ending = excluded.remind_period_ending,
                weekday = excluded.weekday, time_zone = excluded.time_zone, locale = excluded.locale,
                email = excluded.email, muted_partnerships = excluded.muted_partnerships,
                next_due_at = excluded.next_due_at, version = notifications.settings.version + 1,
                webhook_url = excluded.webhook_url,
                webhook_secret = CASE WHEN \(secret != nil) THEN excluded.webhook_secret
                    WHEN excluded.webhook_url IS NULL THEN NULL ELSE notifications.settings.webhook_secret END,
                webhook_disabled_at = CASE WHEN \(secret != nil) OR excluded.webhook_url IS NULL THEN NULL
                    ELSE notifications.settings.webhook_disabled_at END,
                webhook_note = CASE WHEN \(secret != nil) OR excluded.webhook_url IS NULL THEN NULL
                    ELSE notifications.settings.webhook_note END,
                webhook_failures = CASE WHEN \(secret != nil) OR excluded.webhook_url IS NULL THEN 0
                    ELSE notifications.settings.webhook_failures END
            """)
    }

    /// Those of `users` who have no settings row yet, each once.
    static func withoutSettings(_ users: [UUID], on connection: PostgresConnection) async throws -> [UUID] {
        try await connection.query(
            """
            SELECT DISTINCT u FROM unnest(\(users)::uuid[]) AS u
            WHERE NOT EXISTS (SELECT FROM notifications.settings s WHERE s.user_id = u)
            """
        ).map { try $0.decode(UUID.self, column: 0) }
    }

    /// A new user's settings row for each of `users`: the tenant's schedule, their own language and clock,
    /// the first window starting at `start`; a user who got one meanwhile keeps theirs.
    static func insertDefaults(
        _ defaults: TenantDefaults, for users: [(id: UUID, locale: String, timeZone: String)], tenantID: UUID,
        start: Date, on connection: PostgresConnection
    ) async throws {
        guard !users.isEmpty else { return }
        let due = users.map {
            NotificationSettings.defaults(defaults, locale: $0.locale, timeZone: $0.timeZone).schedule
                .nextSend(after: start)?.postgresTimestamp ?? ""
        }
        try await connection.query(
            """
            INSERT INTO notifications.settings (tenant_id, user_id, frequency, hour, weekday, time_zone, locale,
                window_start, next_due_at)
            SELECT \(tenantID), d.id, \(defaults.frequency.rawValue), \(defaults.hour), \(defaults.weekday), d.zone,
                d.locale, \(start), nullif(d.due, '')::timestamptz
            FROM unnest(\(users.map(\.id))::uuid[], \(users.map(\.locale))::text[], \(users.map(\.timeZone))::text[],
                \(due)::text[]) AS d(id, locale, zone, due)
            ON CONFLICT (tenant_id, user_id) DO NOTHING
            """)
    }

    /// The language the user chose for their digests, when they have settings.
    static func chosenLocale(of user: UUID, on connection: PostgresConnection) async throws -> String? {
        try await connection.query("SELECT locale FROM notifications.settings WHERE user_id = \(user)").first?
            .decode(String.self, column: 0)
    }

    /// Where the user's next digest window starts, when they have settings.
    static func windowStart(of user: UUID, on connection: PostgresConnection) async throws -> Date? {
        try await connection.query("SELECT window_start FROM notifications.settings WHERE user_id = \(user)").first?
            .decode(Date.self, column: 0)
    }

    // MARK: The municipality's defaults

    /// The defaults of the tenant whose scope the transaction is in; the built-in ones when it set none.
    static func tenantDefaults(on connection: PostgresConnection) async throws -> TenantDefaults {
        let rows = try await connection.query(
            "SELECT frequency, hour, weekday, quiet_after_days FROM notifications.tenant_defaults")
        guard let row = rows.first else { return .builtIn }
        let (frequency, hour, weekday, quiet) = try row.decode((String, Int, Int, Int?).self)
        return TenantDefaults(
            frequency: DigestSchedule.Frequency(rawValue: frequency) ?? TenantDefaults.builtIn.frequency, hour: hour,
            weekday: weekday, quietAfterDays: quiet)
    }

    /// Writes the defaults of `tenantID`.
    static func save(_ defaults: TenantDefaults, tenantID: UUID, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO notifications.tenant_defaults (tenant_id, frequency, hour, weekday, quiet_after_days)
            VALUES (\(tenantID), \(defaults.frequency.rawValue), \(defaults.hour), \(defaults.weekday),
                \(defaults.quietAfterDays))
            ON CONFLICT (tenant_id) DO UPDATE SET frequency = excluded.frequency, hour = excluded.hour,
                weekday = excluded.weekday, quiet_after_days = excluded.quiet_after_days,
                version = notifications.tenant_defaults.version + 1
            """)
    }

    // MARK: Digests and the inbox

    /// The user's last `limit` digests, newest first.
    static func digests(of user: UUID, limit: Int, on connection: PostgresConnection) async throws -> [DigestRecord] {
        let rows = try await connection.query(
            """
            SELECT id, window_start, window_end, frequency, status, item_count, subject, channels, sent_at, error
            FROM notifications.digests WHERE user_id = \(user) ORDER BY window_start DESC LIMIT \(limit)
            """)
        return try rows.map { row in
            let (id, start, end, frequency, status, count, subject, channels, sentAt, error) = try row.decode(
                (UUID, Date, Date, String, String, Int, String, [String], Date?, String?).self)
            return DigestRecord(
                id: id, windowStart: start, windowEnd: end, frequency: frequency, status: status, itemCount: count,
                subject: subject, channels: channels, sentAt: sentAt, error: error)
        }
    }

    /// The inbox rows of digest `digest`, for its recipient `user`: only partnerships they are a member of now
    /// and have not muted; none at all when `active` is false (the user was disabled).
    static func entries(
        ofDigest digest: UUID, user: UUID, active: Bool, muted: [UUID], on connection: PostgresConnection
    ) async throws -> [DigestEntry] {
        try await connection.query(
            """
            SELECT i.partnership_id, i.activity_id, i.occurred_at, i.item FROM notifications.inbox i
            WHERE i.digest_id = \(digest) AND \(active)
              AND \(fragment: ReadScope.digest(of: user).notifications(partnership: "i.partnership_id"))
              AND NOT i.partnership_id = ANY(\(muted)::uuid[])
            """
        ).map(entry)
    }

    /// Drops the inbox rows, in no digest yet, that tell of a report of one of `periods`' values (their items
    /// name the period since 2026-12-05; older rows stay).
    static func dropPendingReports(of periods: [UUID], on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            DELETE FROM notifications.inbox i
            WHERE i.digest_id IS NULL AND i.item->>'kind' = 'value_reported'
              AND lower(i.item->>'periodId') = ANY(\(periods.map { $0.uuidString.lowercased() })::text[])
            """)
    }

    /// The user's inbox rows in no digest yet that happened up to `now`, under the same conditions.
    static func pendingEntries(
        of user: UUID, upTo now: Date, muted: [UUID], on connection: PostgresConnection
    ) async throws -> [DigestEntry] {
        try await connection.query(
            """
            SELECT i.partnership_id, i.activity_id, i.occurred_at, i.item FROM notifications.inbox i
            WHERE i.user_id = \(user) AND i.digest_id IS NULL AND i.occurred_at <= \(now)
              AND \(fragment: ReadScope.digest(of: user).notifications(partnership: "i.partnership_id"))
              AND NOT i.partnership_id = ANY(\(muted)::uuid[])
            """
        ).map(entry)
    }

    private static func entry(_ row: PostgresRow) throws -> DigestEntry {
        let (partnership, activity, occurred, item) = try row.decode((UUID, UUID?, Date, PostgresJSON<InboxItem>).self)
        return DigestEntry(partnershipID: partnership, activityID: activity, occurredAt: occurred, item: item.value)
    }

    /// The partnerships `user` is a member of now (the ones their digests tell about), by title: what they
    /// may mute.
    static func partnerships(
        ofMember user: UUID, on connection: PostgresConnection
    ) async throws -> [(id: UUID, title: String)] {
        let rows = try await connection.query(
            """
            SELECT p.id, p.title FROM notifications.partnerships p
            JOIN notifications.members m ON m.tenant_id = p.tenant_id AND m.partnership_id = p.id
            WHERE m.user_id = \(user)
            ORDER BY lower(p.title), p.id
            """)
        return try rows.map { row in
            let (id, title) = try row.decode((UUID, String).self)
            return (id, title)
        }
    }

    // MARK: The inbox

    /// Our copy of a partnership: its title and its members now; `nil` when we never heard of it.
    static func partnership(
        _ id: UUID, on connection: PostgresConnection
    ) async throws -> (title: String, members: [UUID])? {
        let rows = try await connection.query(
            """
            SELECT p.title, coalesce(array_agg(m.user_id) FILTER (WHERE m.user_id IS NOT NULL), '{}')
            FROM notifications.partnerships p
            LEFT JOIN notifications.members m ON m.partnership_id = p.id
            WHERE p.id = \(id)
            GROUP BY p.title
            """)
        return try rows.first.map { try $0.decode((String, [UUID]).self) }
    }

    /// Writes `item` into the inbox of each of `users` who has not turned digests off, once per event.
    static func addToInbox<E: Event>(
        _ item: InboxItem, for users: [UUID], partnership: UUID, activity: UUID?, envelope: EventEnvelope<E>,
        on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            """
            INSERT INTO notifications.inbox (tenant_id, user_id, event_id, event_name, partnership_id, activity_id,
                occurred_at, item, trace_parent)
            SELECT \(envelope.tenantID), u, \(envelope.id), \(E.name), \(partnership), \(activity),
                \(envelope.occurredAt), \(try PostgresJSON(item)), \(envelope.traceParent)
            FROM unnest(\(users)::uuid[]) AS u
            WHERE NOT EXISTS (SELECT FROM notifications.settings s WHERE s.user_id = u AND s.frequency = 'off')
            ON CONFLICT DO NOTHING
            """)
    }

    /// One event's inbox item and its recipients, for ``addToInbox(_:eventName:tenantID:on:)``.
    struct InboxRow {
        var item: InboxItem
        var users: [UUID]
        var partnership: UUID
        var activity: UUID?
        var eventID: UUID
        var occurredAt: Date
        /// The event's `traceparent`, for the digest that carries it.
        var traceParent: String? = nil
    }

    /// Writes the items of several events of one name, as ``addToInbox(_:for:partnership:activity:envelope:on:)``
    /// writes each, in one statement.
    static func addToInbox(_ rows: [InboxRow], eventName: String, tenantID: UUID, on connection: PostgresConnection)
        async throws
    {
        var users: [UUID] = []
        var events: [UUID] = []
        var partnerships: [UUID] = []
        var activities: [String] = []
        var times: [String] = []
        var items: [String] = []
        var traces: [String] = []
        for row in rows {
            let item = try PostgresJSON(row.item).postgresText
            for user in row.users {
                users.append(user)
                events.append(row.eventID)
                partnerships.append(row.partnership)
                activities.append(row.activity?.postgresText ?? "")
                times.append(row.occurredAt.postgresText)
                items.append(item)
                traces.append(row.traceParent ?? "")
            }
        }
        guard !users.isEmpty else { return }
        try await connection.query(
            """
            INSERT INTO notifications.inbox (tenant_id, user_id, event_id, event_name, partnership_id, activity_id,
                occurred_at, item, trace_parent)
            SELECT \(tenantID), r.u, r.e, \(eventName), r.p, nullif(r.a, '')::uuid, r.t::timestamptz, r.i::jsonb,
                nullif(r.tp, '')
            FROM unnest(\(users)::uuid[], \(events)::uuid[], \(partnerships)::uuid[], \(activities)::text[],
                \(times)::text[], \(items)::text[], \(traces)::text[]) AS r(u, e, p, a, t, i, tp)
            WHERE NOT EXISTS (SELECT FROM notifications.settings s WHERE s.user_id = r.u AND s.frequency = 'off')
            ON CONFLICT DO NOTHING
            """)
    }

    // MARK: Claiming digests

    /// The municipalities with a user whose digest is due at `now`, across tenants (an owner-run function).
    static func dueTenants(at now: Date, on connection: PostgresConnection) async throws -> [UUID] {
        try await connection.query("SELECT notifications.due_tenants(\(now))").map {
            try $0.decode(UUID.self, column: 0)
        }
    }

    /// Up to `limit` settings rows due at `now`, locked for this transaction; rows another process holds are
    /// skipped. Each: user, window start, due at, frequency, hour, weekday, time zone, locale.
    static func dueSettings(
        at now: Date, limit: Int, on connection: PostgresConnection
    ) async throws -> [(UUID, Date, Date, String, Int, Int, String, String)] {
        try await connection.query(
            """
            SELECT user_id, window_start, next_due_at, frequency, hour, weekday, time_zone, locale
            FROM notifications.settings
            WHERE next_due_at <= \(now) AND frequency <> 'off'
            ORDER BY next_due_at, user_id
            LIMIT \(limit)
            FOR UPDATE SKIP LOCKED
            """
        ).map { try $0.decode((UUID, Date, Date, String, Int, Int, String, String).self) }
    }

    /// Opens a pending digest for each window that has something in it (the arrays run in parallel); a
    /// window another process claimed is skipped. Returns the ids of the digests opened.
    static func openDigests(
        ids: [UUID], users: [UUID], starts: [Date], ends: [Date], frequencies: [String], locales: [String],
        tenantID: UUID, now: Date, on connection: PostgresConnection
    ) async throws -> [UUID] {
        try await connection.query(
            """
            INSERT INTO notifications.digests (tenant_id, id, user_id, window_start, window_end, frequency, locale,
                item_count, subject, status, channels, created_at)
            SELECT \(tenantID), d.id, d.user_id, d.window_start, d.window_end, d.frequency, d.locale, 0, '', 'pending',
                '{}', \(now)
            FROM unnest(\(ids)::uuid[], \(users)::uuid[], \(starts.map { $0.postgresTimestamp })::timestamptz[],
                        \(ends.map { $0.postgresTimestamp })::timestamptz[], \(frequencies)::text[], \(locales)::text[])
                AS d(id, user_id, window_start, window_end, frequency, locale)
            WHERE EXISTS (
                SELECT FROM notifications.inbox i
                WHERE i.user_id = d.user_id AND i.digest_id IS NULL AND i.occurred_at < d.window_end)
            ON CONFLICT (tenant_id, user_id, window_start) DO NOTHING
            RETURNING id
            """
        ).map { try $0.decode(UUID.self, column: 0) }
    }

    /// Starts each user's next window where the claimed one ended, due at `nextDue` (empty: never), for a
    /// pipeline.
    static func advanceWindows(users: [UUID], ends: [Date], nextDue: [String]) -> PostgresQuery {
        """
        UPDATE notifications.settings s SET window_start = d.window_end, next_due_at = nullif(d.next_due, '')::timestamptz
        FROM unnest(\(users)::uuid[], \(ends.map { $0.postgresTimestamp })::timestamptz[], \(nextDue)::text[])
            AS d(user_id, window_end, next_due)
        WHERE s.user_id = d.user_id
        """
    }

    /// Puts the inbox rows of each claimed digest's window into it and counts them, for a pipeline.
    /// Per claimed digest that carries traced events, the `traceparent` of the newest (by time, then by event
    /// id, which is time-ordered): the trace its delivery job runs in (docs/logs-and-traces.md), for a pipeline after ``fillDigests(_:)``.
    static func digestTraces(_ claimed: [UUID]) -> PostgresQuery {
        """
        SELECT DISTINCT ON (i.digest_id) i.digest_id, i.trace_parent FROM notifications.inbox i
        WHERE i.digest_id = ANY(\(claimed)::uuid[]) AND i.trace_parent IS NOT NULL
        ORDER BY i.digest_id, i.occurred_at DESC, i.event_id DESC
        """
    }

    static func fillDigests(_ claimed: [UUID]) -> PostgresQuery {
        """
        WITH claimed AS (
            UPDATE notifications.inbox i SET digest_id = d.id
            FROM notifications.digests d
            WHERE d.id = ANY(\(claimed)::uuid[]) AND i.user_id = d.user_id AND i.digest_id IS NULL
              AND i.occurred_at < d.window_end
            RETURNING i.digest_id)
        UPDATE notifications.digests d SET item_count = c.n
        FROM (SELECT digest_id, count(*) AS n FROM claimed GROUP BY digest_id) c
        WHERE d.id = c.digest_id
        """
    }

    // MARK: Delivering a digest

    /// A claimed digest and its recipient's settings, as the delivery reads them.
    struct DigestToSend: Sendable {
        var user: UUID
        var windowStart: Date
        var windowEnd: Date
        var status: String
        /// The recipient's chosen language and clock; `nil` without settings (theirs as a person then).
        var locale: String?
        var timeZone: String?
        /// Digests by e-mail.
        var email: Bool
        var mutedPartnerships: [UUID]
        /// The webhook, unless disabled, and its signing secret.
        var webhookURL: String?
        var webhookSecret: String?
    }

    /// Digest `id` with its recipient's settings; `nil` when it does not exist.
    static func digestToSend(_ id: UUID, on connection: PostgresConnection) async throws -> DigestToSend? {
        let rows = try await connection.query(
            """
            SELECT d.user_id, d.window_start, d.window_end, d.status, s.locale, s.time_zone, coalesce(s.email, true),
                coalesce(s.muted_partnerships, '{}'),
                CASE WHEN s.webhook_disabled_at IS NULL THEN s.webhook_url END, s.webhook_secret
            FROM notifications.digests d
            LEFT JOIN notifications.settings s ON s.user_id = d.user_id
            WHERE d.id = \(id)
            """)
        guard let row = rows.first else { return nil }
        let (user, start, end, status, locale, timeZone, email, muted) = try row.decode(
            (UUID, Date, Date, String, String?, String?, Bool, [UUID]).self)
        return DigestToSend(
            user: user, windowStart: start, windowEnd: end, status: status, locale: locale, timeZone: timeZone,
            email: email, mutedPartnerships: muted, webhookURL: try row.decode(String?.self, column: 8),
            webhookSecret: try row.decode(String?.self, column: 9))
    }

    /// Records how a still pending digest went; `false` when it was no longer pending (another attempt
    /// recorded it first).
    static func finish(
        _ id: UUID, status: String, itemCount: Int, subject: String, channels: [String], now: Date, error: String?,
        on connection: PostgresConnection
    ) async throws -> Bool {
        try await connection.query(
            """
            UPDATE notifications.digests SET status = \(status), item_count = \(itemCount),
                subject = \(subject), channels = \(channels)::text[], sent_at = \(now),
                error = \(error)
            WHERE id = \(id) AND status = 'pending'
            """
        ).affectedRows == 1
    }

    /// Records a still pending digest `failed` with `reason`.
    static func giveUp(_ id: UUID, reason: String, now: Date, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            UPDATE notifications.digests SET status = 'failed', error = \(reason), sent_at = \(now)
            WHERE id = \(id) AND status = 'pending'
            """)
    }

    /// Counts one failed digest against the recipient's webhook at `url`; the `limit`-th in a row disables
    /// it with `note`. Returns whether it is disabled.
    static func recordWebhookFailure(
        _ digest: UUID, url: String, limit: Int, note: String, now: Date, on connection: PostgresConnection
    ) async throws -> Bool {
        // One statement, so two digests failing at once both count.
        try await connection.query(
            """
            UPDATE notifications.settings s SET webhook_failures = s.webhook_failures + 1,
                webhook_disabled_at = CASE WHEN s.webhook_failures + 1 >= \(limit)
                    THEN coalesce(s.webhook_disabled_at, \(now)) END,
                webhook_note = CASE WHEN s.webhook_failures + 1 >= \(limit)
                    THEN coalesce(s.webhook_note, \(note)) END
            FROM notifications.digests d
            WHERE d.id = \(digest) AND s.user_id = d.user_id AND s.webhook_url = \(url)
            RETURNING s.webhook_disabled_at IS NOT NULL
            """
        ).first?.decode(Bool.self, column: 0) ?? false
    }

    /// Records the digest delivered to the webhook at `url`, whose count of failures starts again.
    static func recordWebhookDelivered(_ digest: UUID, url: String, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            UPDATE notifications.digests SET channels = array_append(channels, 'webhook')
            WHERE id = \(digest) AND NOT 'webhook' = ANY(channels)
            """)
        try await connection.query(
            """
            UPDATE notifications.settings s SET webhook_failures = 0
            FROM notifications.digests d
            WHERE d.id = \(digest) AND s.user_id = d.user_id AND s.webhook_url = \(url)
              AND s.webhook_failures > 0
            """)
    }

    // MARK: Unsubscribe tokens

    /// Keeps an unsubscribe token's hash for `user`'s digests.
    static func storeUnsubscribeToken(
        _ token: String, tenantID: UUID, user: UUID, list: String, now: Date, on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            """
            INSERT INTO notifications.unsubscribe_tokens (token_hash, tenant_id, user_id, list, created_at)
            VALUES (decode(\(DigestDelivery.hashHex(token)), 'hex'), \(tenantID), \(user), \(list), \(now))
            """)
    }

    /// The user and list a token was made for, when it is one; sets the transaction's municipality to theirs.
    static func unsubscribeTokenUser(
        _ token: String, on connection: PostgresConnection
    ) async throws -> (user: UUID, list: String)? {
        try await connection.query(
            """
            SELECT user_id, list FROM notifications.find_unsubscribe_token(decode(\(DigestDelivery.hashHex(token)), 'hex'))
            """
        ).first?.decode((UUID, String).self)
    }

    /// Turns the token's list off for the user (digests, or both reminders) and marks the token used.
    static func unsubscribe(_ user: UUID, list: String, token: String, on connection: PostgresConnection) async throws {
        if list == ReminderDelivery.list {
            try await connection.query(
                """
                UPDATE notifications.settings SET remind_quiet = false, remind_period_ending = false,
                    version = version + 1
                WHERE user_id = \(user)
                """)
        } else {
            try await connection.query(
                """
                UPDATE notifications.settings SET frequency = 'off', next_due_at = NULL, version = version + 1
                WHERE user_id = \(user)
                """)
        }
        try await connection.query(
            """
            UPDATE notifications.unsubscribe_tokens SET used_at = coalesce(used_at, now())
            WHERE token_hash = decode(\(DigestDelivery.hashHex(token)), 'hex')
            """)
    }
}
