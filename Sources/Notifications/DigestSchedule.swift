import Foundation

/// When a user's digests go out: the send times in their own time zone, and the window each one covers.
///
/// A daily digest goes out at `hour`:00 local time, a weekly one on `weekday` at `hour`:00, an immediate one
/// at every minute boundary. Across a daylight-saving change the local hour is kept: a send time the clocks
/// skip (02:00 on the last Sunday of March in Brussels) moves to the first minute after the gap, a send time
/// that occurs twice (02:00 in October) is taken the first time.
struct DigestSchedule: Sendable, Equatable {
    enum Frequency: String, Sendable, CaseIterable, Codable {
        case off, immediate, daily, weekly
    }

    var frequency: Frequency
    /// 0–23, local.
    var hour: Int
    /// ISO 8601: 1 is Monday, 7 Sunday.
    var weekday: Int
    var timeZone: TimeZone

    /// The first send time strictly after `date`; `nil` when digests are off.
    func nextSend(after date: Date) -> Date? {
        switch frequency {
        case .off:
            return nil
        case .immediate:
            let minute = (date.timeIntervalSince1970 / 60).rounded(.down) * 60
            return Date(timeIntervalSince1970: minute + 60)
        case .daily:
            return calendar.nextDate(
                after: date, matching: DateComponents(hour: hour, minute: 0, second: 0),
                matchingPolicy: .nextTime, repeatedTimePolicy: .first, direction: .forward)
        case .weekly:
            // Foundation counts weekdays from Sunday (1) to Saturday (7).
            return calendar.nextDate(
                after: date, matching: DateComponents(hour: hour, minute: 0, second: 0, weekday: weekday % 7 + 1),
                matchingPolicy: .nextTime, repeatedTimePolicy: .first, direction: .forward)
        }
    }

    /// The latest send time at or before `date`, at or after `notBefore`: where a window closes when the
    /// scheduler runs at `date`, however late. `nil` when none has come.
    func lastSend(atOrBefore date: Date, notBefore: Date) -> Date? {
        if frequency == .immediate {
            let minute = Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 60).rounded(.down) * 60)
            return minute >= notBefore ? minute : nil
        }
        guard var candidate = nextSend(after: notBefore.addingTimeInterval(-0.001)), candidate <= date else {
            return nil
        }
        while let next = nextSend(after: candidate), next <= date { candidate = next }
        return candidate
    }

    private var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }
}
