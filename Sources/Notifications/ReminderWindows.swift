import Foundation
import Vocabulary

/// When a reminder is due: its window, whose start is the key that makes it once per window, and the instant
/// it is sent, on the person's clock. Pure: the scan (``ReminderScheduler``) reads the rows and writes what this
/// answers.
///
/// The window's start never depends on the person's clock or on when the scan runs, so every process and every
/// retry names the same window, and the hour moving across a daylight-saving change cannot make a second one.
enum ReminderWindows {
    /// How many days before a period ends its partner coordinators are reminded.
    static let periodLeadDays = 14

    /// The start of the quiet spell's current window: `lastNews + k·days` for the largest k ≥ 1 that has come
    /// by `now`; `nil` while fewer than `days` days passed. A partnership that stays quiet has a new window
    /// every `days` days; a scan that did not run for a while finds only the current one, never a backlog.
    static func quiet(lastNews: Date, days: Int, now: Date) -> Date? {
        guard days > 0 else { return nil }
        let length = TimeInterval(days) * 86_400
        let spells = ((now.timeIntervalSince(lastNews)) / length).rounded(.down)
        guard spells >= 1 else { return nil }
        return lastNews.addingTimeInterval(spells * length)
    }

    /// A period ending without a value: the window's key (`ends − 14 days` at 00:00 UTC) and where it opens for
    /// the person (local midnight of that day); `nil` before it opens or once the period's last day has passed
    /// on their calendar.
    static func periodEnding(ends: CalendarDate, now: Date, timeZone: TimeZone) -> (key: Date, opens: Date)? {
        let first = ends.daysSinceEpoch - periodLeadDays
        let key = Date(timeIntervalSince1970: TimeInterval(first) * 86_400)
        guard let opens = localMidnight(daysSinceEpoch: first, timeZone: timeZone),
            let closes = localMidnight(daysSinceEpoch: ends.daysSinceEpoch + 1, timeZone: timeZone),
            opens <= now, now < closes
        else { return nil }
        return (key, opens)
    }

    /// The person's first send hour at or after `start`, in their time zone, with the digests' rules across a
    /// daylight-saving change (``DigestSchedule``): an hour the clocks skip moves to the first minute after the
    /// gap, an hour that occurs twice is taken the first time.
    static func due(from start: Date, hour: Int, timeZone: TimeZone) -> Date {
        DigestSchedule(frequency: .daily, hour: hour, weekday: 1, timeZone: timeZone)
            .nextSend(after: start.addingTimeInterval(-0.001)) ?? start
    }

    /// Midnight, or the first instant of the day when a change skips midnight, of a calendar day in `timeZone`.
    static func localMidnight(daysSinceEpoch days: Int, timeZone: TimeZone) -> Date? {
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = .gmt
        var local = utc
        local.timeZone = timeZone
        let day = utc.dateComponents(
            [.year, .month, .day], from: Date(timeIntervalSince1970: TimeInterval(days) * 86_400))
        return local.date(from: DateComponents(year: day.year, month: day.month, day: day.day)).map {
            local.startOfDay(for: $0)
        }
    }
}
