import Foundation
import Gateway
import Hummingbird
import Postgres

/// A user's digest settings as the API shows them.
struct NotificationSettings: Codable, Sendable, Equatable {
    var frequency: DigestSchedule.Frequency
    var hour: Int
    var weekday: Int
    var timeZone: String
    var locale: String
    /// Digests by e-mail to the user's address.
    var email: Bool
    /// Partnerships whose changes stay out of the digests.
    var mutedPartnerships: [UUID]

    /// A new user's settings: a daily digest at 07:00 on their own clock and in their own language (which
    /// come from the tenant when the user was made); weekly ones go out on Mondays.
    static func defaults(locale: String, timeZone: String) -> NotificationSettings {
        NotificationSettings(
            frequency: .daily, hour: 7, weekday: 1, timeZone: timeZone, locale: locale, email: true,
            mutedPartnerships: [])
    }

    var schedule: DigestSchedule {
        DigestSchedule(
            frequency: frequency, hour: hour, weekday: weekday,
            timeZone: TimeZone(identifier: timeZone) ?? TimeZone(identifier: "Europe/Brussels")!)
    }

    static let locales = ["nl", "en", "fr", "es"]

    static let columns = "frequency, hour, weekday, time_zone, locale, email, muted_partnerships"

    init(
        frequency: DigestSchedule.Frequency, hour: Int, weekday: Int, timeZone: String, locale: String, email: Bool,
        mutedPartnerships: [UUID]
    ) {
        self.frequency = frequency
        self.hour = hour
        self.weekday = weekday
        self.timeZone = timeZone
        self.locale = locale
        self.email = email
        self.mutedPartnerships = mutedPartnerships
    }

    init(row: PostgresRow) throws {
        let (frequency, hour, weekday, timeZone, locale, email, muted) = try row.decode(
            (String, Int, Int, String, String, Bool, [UUID]).self)
        self.init(
            frequency: DigestSchedule.Frequency(rawValue: frequency) ?? .off, hour: hour, weekday: weekday,
            timeZone: timeZone, locale: locale, email: email, mutedPartnerships: muted)
    }
}

/// `PUT /api/v1/me/notifications`: the fields sent change, the others stay.
struct NotificationSettingsChanges: Gateway.RequestBody {
    static let fields: Set<String> = [
        "frequency", "hour", "weekday", "timeZone", "locale", "email", "mutedPartnerships",
    ]
    var frequency: String?
    var hour: Int?
    var weekday: Int?
    var timeZone: String?
    var locale: String?
    var email: Bool?
    var mutedPartnerships: [UUID]?

    func validate() -> [Problem.FieldError] {
        var errors = FieldCheck.oneOf(frequency, DigestSchedule.Frequency.allCases.map(\.rawValue), field: "frequency")
        if let hour, !(0...23).contains(hour) { errors.append(.init(field: "hour", message: "must be 0 to 23")) }
        if let weekday, !(1...7).contains(weekday) {
            errors.append(.init(field: "weekday", message: "must be 1 (Monday) to 7 (Sunday)"))
        }
        errors += FieldCheck.timeZone(timeZone, field: "timeZone")
        errors += FieldCheck.oneOf(locale, NotificationSettings.locales, field: "locale")
        if let mutedPartnerships, mutedPartnerships.count > 1000 {
            errors.append(.init(field: "mutedPartnerships", message: "at most 1000 partnerships"))
        }
        return errors
    }

    func applied(to current: NotificationSettings) -> NotificationSettings {
        var settings = current
        if let frequency { settings.frequency = DigestSchedule.Frequency(rawValue: frequency) ?? settings.frequency }
        if let hour { settings.hour = hour }
        if let weekday { settings.weekday = weekday }
        if let timeZone { settings.timeZone = timeZone }
        if let locale { settings.locale = locale }
        if let email { settings.email = email }
        if let mutedPartnerships {
            settings.mutedPartnerships = Array(Set(mutedPartnerships)).sorted { $0.uuidString < $1.uuidString }
        }
        return settings
    }
}

/// Reading and keeping settings rows.
enum SettingsStore {
    /// The user's settings, the defaults when they have none yet.
    static func load(userID: UUID, on connection: PostgresConnection) async throws -> NotificationSettings {
        let rows = try await connection.query(
            """
            SELECT \(unsafeSQL: NotificationSettings.columns) FROM notifications.settings WHERE user_id = \(userID)
            """)
        if let row = rows.first { return try NotificationSettings(row: row) }
        let user = try await connection.query("SELECT locale, time_zone FROM platform.users WHERE id = \(userID)")
        guard let row = user.first else { throw Problem.notFound() }
        let (locale, timeZone) = try row.decode((String, String).self)
        return .defaults(locale: locale, timeZone: timeZone)
    }

    /// Writes settings; a changed schedule is due again from `now`, keeping the window's start, so nothing
    /// already in the inbox is skipped.
    static func save(
        _ settings: NotificationSettings, userID: UUID, tenantID: UUID, now: Date, on connection: PostgresConnection
    ) async throws {
        let nextDue = settings.schedule.nextSend(after: now)
        try await connection.query(
            """
            INSERT INTO notifications.settings (tenant_id, user_id, frequency, hour, weekday, time_zone, locale, email,
                muted_partnerships, window_start, next_due_at)
            VALUES (\(tenantID), \(userID), \(settings.frequency.rawValue), \(settings.hour), \(settings.weekday),
                \(settings.timeZone), \(settings.locale), \(settings.email), \(settings.mutedPartnerships)::uuid[],
                \(now), \(nextDue))
            ON CONFLICT (tenant_id, user_id) DO UPDATE SET frequency = excluded.frequency, hour = excluded.hour,
                weekday = excluded.weekday, time_zone = excluded.time_zone, locale = excluded.locale,
                email = excluded.email, muted_partnerships = excluded.muted_partnerships,
                next_due_at = excluded.next_due_at, version = notifications.settings.version + 1
            """)
    }

    /// Makes default settings for users who have none, with their first window starting at `start`.
    static func ensure(userIDs: [UUID], tenantID: UUID, start: Date, on connection: PostgresConnection) async throws {
        guard !userIDs.isEmpty else { return }
        let missing = try await connection.query(
            """
            SELECT u.id, u.locale, u.time_zone FROM platform.users u
            WHERE u.id = ANY(\(userIDs)::uuid[])
              AND NOT EXISTS (SELECT FROM notifications.settings s WHERE s.user_id = u.id)
            """)
        guard !missing.isEmpty else { return }
        var ids: [UUID] = []
        var locales: [String] = []
        var zones: [String] = []
        var due: [String] = []
        for row in missing {
            let (id, locale, zone) = try row.decode((UUID, String, String).self)
            let settings = NotificationSettings.defaults(locale: locale, timeZone: zone)
            ids.append(id)
            locales.append(locale)
            zones.append(zone)
            due.append(settings.schedule.nextSend(after: start)?.postgresTimestamp ?? "")
        }
        let defaults = NotificationSettings.defaults(locale: "en", timeZone: "UTC")
        try await connection.query(
            """
            INSERT INTO notifications.settings (tenant_id, user_id, frequency, hour, weekday, time_zone, locale,
                window_start, next_due_at)
            SELECT \(tenantID), d.id, \(defaults.frequency.rawValue), \(defaults.hour), \(defaults.weekday), d.zone,
                d.locale, \(start), nullif(d.due, '')::timestamptz
            FROM unnest(\(ids)::uuid[], \(locales)::text[], \(zones)::text[], \(due)::text[]) AS d(id, locale, zone, due)
            ON CONFLICT (tenant_id, user_id) DO NOTHING
            """)
    }
}

extension NotificationSettings: ResponseEncodable {}
