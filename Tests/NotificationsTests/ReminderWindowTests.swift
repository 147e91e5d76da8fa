import Foundation
import Testing
import Vocabulary

@testable import Notifications

@Suite("Reminder windows and due instants, on each person's clock")
struct ReminderWindowTests {
    private func utc(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }
    private let brussels = TimeZone(identifier: "Europe/Brussels")!

    @Test("a quiet spell opens a window every N days after the last news, none before the first")
    func quietWindows() {
        let last = utc("2026-01-01T10:00:00Z")
        #expect(ReminderWindows.quiet(lastNews: last, days: 90, now: utc("2026-03-31T09:59:59Z")) == nil)
        #expect(
            ReminderWindows.quiet(lastNews: last, days: 90, now: utc("2026-04-01T10:00:00Z"))
                == utc("2026-04-01T10:00:00Z"))
        // The same window however late the scan runs in it; the next one 90 days later, never a backlog.
        #expect(
            ReminderWindows.quiet(lastNews: last, days: 90, now: utc("2026-06-29T00:00:00Z"))
                == utc("2026-04-01T10:00:00Z"))
        #expect(
            ReminderWindows.quiet(lastNews: last, days: 90, now: utc("2026-12-01T00:00:00Z"))
                == utc("2026-09-28T10:00:00Z"))
        #expect(ReminderWindows.quiet(lastNews: last, days: 0, now: utc("2027-01-01T00:00:00Z")) == nil)
    }

    @Test("a window is due at the person's first send hour at or after its start")
    func dueAtTheSendHour() {
        // 07:00 in Brussels is 06:00 UTC in winter; a window opening at 06:00 UTC is due then, not a day later.
        #expect(
            ReminderWindows.due(from: utc("2026-01-15T06:00:00Z"), hour: 7, timeZone: brussels)
                == utc("2026-01-15T06:00:00Z"))
        #expect(
            ReminderWindows.due(from: utc("2026-01-15T06:00:01Z"), hour: 7, timeZone: brussels)
                == utc("2026-01-16T06:00:00Z"))
        #expect(
            ReminderWindows.due(
                from: utc("2026-01-15T12:00:00Z"), hour: 7, timeZone: TimeZone(identifier: "Africa/Dakar")!)
                == utc("2026-01-16T07:00:00Z"))
    }

    @Test("02:00 on the night the clocks skip it is due at 03:00 local; on the night they repeat it, the first time")
    func dueAcrossBothChanges() {
        // 29 March 2026: 02:00 does not exist in Brussels; 03:00 CEST is 01:00 UTC.
        #expect(
            ReminderWindows.due(from: utc("2026-03-28T12:00:00Z"), hour: 2, timeZone: brussels)
                == utc("2026-03-29T01:00:00Z"))
        // 25 October 2026: 02:00 happens twice; the first (CEST) is 00:00 UTC.
        #expect(
            ReminderWindows.due(from: utc("2026-10-24T12:00:00Z"), hour: 2, timeZone: brussels)
                == utc("2026-10-25T00:00:00Z"))
        // A window opening between the two 02:00s is due at the second: the first 02:00 after it opened.
        #expect(
            ReminderWindows.due(from: utc("2026-10-25T00:30:00Z"), hour: 2, timeZone: brussels)
                == utc("2026-10-25T01:00:00Z"))
    }

    @Test("a period ending reminds from local midnight 14 days before its last day until that day is over")
    func periodEndingWindow() throws {
        let ends = try #require(CalendarDate("2026-12-31"))
        // Opens at midnight of 17 December in Brussels (23:00 UTC the day before); the key is UTC midnight.
        #expect(ReminderWindows.periodEnding(ends: ends, now: utc("2026-12-16T22:59:59Z"), timeZone: brussels) == nil)
        let open = try #require(
            ReminderWindows.periodEnding(ends: ends, now: utc("2026-12-16T23:00:00Z"), timeZone: brussels))
        #expect(open.key == utc("2026-12-17T00:00:00Z"))
        #expect(open.opens == utc("2026-12-16T23:00:00Z"))
        // The key is the same on every clock; only the opening moves.
        let laPaz = try #require(
            ReminderWindows.periodEnding(
                ends: ends, now: utc("2026-12-20T00:00:00Z"), timeZone: TimeZone(identifier: "America/La_Paz")!))
        #expect(laPaz.key == open.key && laPaz.opens == utc("2026-12-17T04:00:00Z"))
        // Still on the last day in Brussels, past it after local midnight.
        #expect(ReminderWindows.periodEnding(ends: ends, now: utc("2026-12-31T22:59:59Z"), timeZone: brussels) != nil)
        #expect(ReminderWindows.periodEnding(ends: ends, now: utc("2026-12-31T23:00:00Z"), timeZone: brussels) == nil)
    }

    @Test("a period whose reminder day is the day the clocks change opens at that day's first instant")
    func periodEndingOnAChangeDay() throws {
        // 29 March 2026 + 14 = 12 April: the window opens at midnight of 29 March in Brussels (23:00 UTC on the 28th).
        let ends = try #require(CalendarDate("2026-04-12"))
        let open = try #require(
            ReminderWindows.periodEnding(ends: ends, now: utc("2026-03-29T12:00:00Z"), timeZone: brussels))
        #expect(open.opens == utc("2026-03-28T23:00:00Z"))
        #expect(
            ReminderWindows.due(from: open.opens, hour: 2, timeZone: brussels) == utc("2026-03-29T01:00:00Z"))
    }
}
