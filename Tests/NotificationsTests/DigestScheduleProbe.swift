import Foundation

@testable import Notifications

/// Send times as the plugin computes them, for tests that must run the scheduler at the next one.
enum DigestScheduleProbe {
    static func daily(_ hour: Int, _ zone: String) -> DigestSchedule {
        DigestSchedule(frequency: .daily, hour: hour, weekday: 1, timeZone: TimeZone(identifier: zone)!)
    }

    static func weekly(weekday: Int, hour: Int, _ zone: String) -> DigestSchedule {
        DigestSchedule(frequency: .weekly, hour: hour, weekday: weekday, timeZone: TimeZone(identifier: zone)!)
    }

    /// The next daily send time at `hour` in `zone` after now.
    static func nextDaily(_ hour: Int, _ zone: String) -> Date {
        daily(hour, zone).nextSend(after: Date())!
    }
}
