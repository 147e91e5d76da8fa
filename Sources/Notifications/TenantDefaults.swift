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

    /// What a tenant that never set its own gets: a daily digest at 07:00; weekly ones on Mondays.
    static let builtIn = TenantDefaults(frequency: .daily, hour: 7, weekday: 1)
}

extension TenantDefaults: ResponseEncodable {}

/// `PUT /api/v1/notifications/defaults`: the fields sent change, the others stay.
struct TenantDefaultsChanges: Gateway.RequestBody {
    static let fields: Set<String> = ["frequency", "hour", "weekday"]
    var frequency: String?
    var hour: Int?
    var weekday: Int?

    func validate() -> [Problem.FieldError] {
        var errors = FieldCheck.oneOf(frequency, DigestSchedule.Frequency.allCases.map(\.rawValue), field: "frequency")
        if let hour, !(0...23).contains(hour) { errors.append(.init(field: "hour", message: "must be 0 to 23")) }
        if let weekday, !(1...7).contains(weekday) {
            errors.append(.init(field: "weekday", message: "must be 1 (Monday) to 7 (Sunday)"))
        }
        return errors
    }

    func applied(to current: TenantDefaults) -> TenantDefaults {
        var defaults = current
        if let frequency { defaults.frequency = DigestSchedule.Frequency(rawValue: frequency) ?? defaults.frequency }
        if let hour { defaults.hour = hour }
        if let weekday { defaults.weekday = weekday }
        return defaults
    }
}
