import Foundation
import Gateway
import Hummingbird

/// A municipality's digest defaults: what a user who never changed their settings gets.
///
/// Only the schedule: a user's locale and time zone are their own (and come from the tenant when the user
/// is made). Changing the defaults changes nothing for users who already have a settings row: the
/// scheduler keeps their send times, so a change here never moves a window that is already open.
struct TenantDefaults: Codable, Sendable, Equatable {
    var frequency: DigestSchedule.Frequency
    var hour: Int
    /// ISO 8601: 1 is Monday, 7 Sunday.
    var weekday: Int
    /// After how many days without news a partnership reminds its members (14–365); `nil`: never.
    var quietAfterDays: Int? = TenantDefaults.defaultQuietAfterDays

    /// What a tenant that never set its own gets: a daily digest at 07:00; weekly ones on Mondays; a reminder
    /// after 90 quiet days.
    static let builtIn = TenantDefaults(frequency: .daily, hour: 7, weekday: 1)
    static let defaultQuietAfterDays = 90
    static let quietAfterDaysRange = 14...365

    /// `quietAfterDays` is written as `null` when off, not left out.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(frequency, forKey: .frequency)
        try container.encode(hour, forKey: .hour)
        try container.encode(weekday, forKey: .weekday)
        try container.encode(quietAfterDays, forKey: .quietAfterDays)
    }
}

extension TenantDefaults: ResponseEncodable {}

/// `PUT /api/v1/notifications/defaults`: the fields sent change, the others stay.
struct TenantDefaultsChanges: Gateway.RequestBody {
    static let fields: Set<String> = ["frequency", "hour", "weekday", "quietAfterDays"]
    var frequency: String?
    var hour: Int?
    var weekday: Int?
    /// A number of days, or `null` to turn the quiet-partnership reminder off for the municipality.
    var quietAfterDays: PatchField<Int> = .absent

    func validate() -> [Problem.FieldError] {
        var errors = FieldCheck.oneOf(frequency, DigestSchedule.Frequency.allCases.map(\.rawValue), field: "frequency")
        if let hour, !(0...23).contains(hour) { errors.append(.init(field: "hour", message: "must be 0 to 23")) }
        if let weekday, !(1...7).contains(weekday) {
            errors.append(.init(field: "weekday", message: "must be 1 (Monday) to 7 (Sunday)"))
        }
        if let days = quietAfterDays.newValue, !TenantDefaults.quietAfterDaysRange.contains(days) {
            errors.append(.init(field: "quietAfterDays", message: "must be 14 to 365 days, or null for never"))
        }
        return errors
    }

    func applied(to current: TenantDefaults) -> TenantDefaults {
        var defaults = current
        if let frequency { defaults.frequency = DigestSchedule.Frequency(rawValue: frequency) ?? defaults.frequency }
        if let hour { defaults.hour = hour }
        if let weekday { defaults.weekday = weekday }
        defaults.quietAfterDays = quietAfterDays.applied(to: defaults.quietAfterDays)
        return defaults
    }
}
