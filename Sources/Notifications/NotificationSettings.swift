import Delivery
import Foundation
import Gateway
import Hummingbird
import Postgres
import Vocabulary

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
    /// Digests also POSTed as signed JSON to this address.
    var webhook: Webhook?
    /// Reminded when a partnership stays quiet for the municipality's number of days.
    var quietReminders: Bool = true
    /// Reminded, as a partner coordinator, 14 days before a period without a value ends.
    var periodReminders: Bool = true

    struct Webhook: Codable, Sendable, Equatable {
        var url: String
        /// Set when several digests in a row failed: no more deliveries until the URL is sent again.
        var disabledAt: Date?
        /// Why it was disabled.
        var note: String?
        /// The signing secret, shown once: in the answer to the PUT that set the URL.
        var secret: String?
    }

    /// A new user's settings: the tenant's schedule, on their own clock and in their own language (which
    /// come from the tenant when the user was made).
    static func defaults(_ tenant: TenantDefaults, locale: String, timeZone: String) -> NotificationSettings {
        NotificationSettings(
            frequency: tenant.frequency, hour: tenant.hour, weekday: tenant.weekday, timeZone: timeZone,
            locale: locale, email: true, mutedPartnerships: [])
    }

    var schedule: DigestSchedule {
        DigestSchedule(
            frequency: frequency, hour: hour, weekday: weekday,
            timeZone: TimeZone(identifier: timeZone) ?? TimeZone(identifier: "Europe/Brussels")!)
    }

    static let locales = Language.rawValues

    static let columns = """
        frequency, hour, weekday, time_zone, locale, email, muted_partnerships, webhook_url, webhook_disabled_at,
        webhook_note, remind_quiet, remind_period_ending
        """

    init(
        frequency: DigestSchedule.Frequency, hour: Int, weekday: Int, timeZone: String, locale: String, email: Bool,
        mutedPartnerships: [UUID], webhook: Webhook? = nil, quietReminders: Bool = true, periodReminders: Bool = true
    ) {
        self.webhook = webhook
        self.quietReminders = quietReminders
        self.periodReminders = periodReminders
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
        let url = try row.decode(String?.self, column: 7)
        self.init(
            frequency: DigestSchedule.Frequency(rawValue: frequency) ?? .off, hour: hour, weekday: weekday,
            timeZone: timeZone, locale: locale, email: email, mutedPartnerships: muted,
            webhook: try url.map {
                Webhook(
                    url: $0, disabledAt: try row.decode(Date?.self, column: 8),
                    note: try row.decode(String?.self, column: 9))
            }, quietReminders: try row.decode(Bool.self, column: 10),
            periodReminders: try row.decode(Bool.self, column: 11))
    }
}

/// `PUT /api/v1/me/notifications`: the fields sent change, the others stay.
struct NotificationSettingsChanges: Gateway.RequestBody {
    static let fields: Set<String> = [
        "frequency", "hour", "weekday", "timeZone", "locale", "email", "mutedPartnerships", "webhook",
        "quietReminders", "periodReminders",
    ]
    struct WebhookInput: Codable, Sendable, Equatable {
        var url: String
    }
    var frequency: String?
    var hour: Int?
    var weekday: Int?
    var timeZone: String?
    var locale: String?
    var email: Bool?
    var mutedPartnerships: [UUID]?
    /// `{"url": …}` sets (or replaces) the webhook and makes a new secret; `null` removes it.
    var webhook: PatchField<WebhookInput>
    var quietReminders: Bool? = nil
    var periodReminders: Bool? = nil

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
        // The form only; the controller then checks where the host is (WebhookURLCheck), which needs a lookup.
        if let url = webhook.newValue?.url, WebhookURLCheck.host(url) == nil {
            errors.append(.init(field: "webhook.url", message: WebhookURLCheck.formMessage))
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
        if let quietReminders { settings.quietReminders = quietReminders }
        if let periodReminders { settings.periodReminders = periodReminders }
        if let mutedPartnerships {
            settings.mutedPartnerships = Array(Set(mutedPartnerships)).sorted {
                $0.uuidString.lowercased() < $1.uuidString.lowercased()
            }
        }
        switch webhook {
        case .absent: break
        case .cleared: settings.webhook = nil
        case .set(let input):
            // A URL sent again re-enables a webhook that was disabled, with a new secret.
            settings.webhook = NotificationSettings.Webhook(url: input.url, secret: DigestDelivery.makeSecret())
        }
        return settings
    }
}

extension NotificationSettings: ResponseEncodable {}
