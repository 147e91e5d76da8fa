import Foundation
import Testing

@testable import Notifications

@Suite("Digest send times on each user's own clock")
struct DigestScheduleTests {
    private func utc(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }

    private func daily(_ hour: Int, _ zone: String) -> DigestSchedule {
        DigestSchedule(frequency: .daily, hour: hour, weekday: 1, timeZone: TimeZone(identifier: zone)!)
    }

    @Test("07:00 in Brussels is 06:00 UTC in winter and 05:00 UTC in summer, across both changes")
    func brusselsAcrossDaylightSaving() {
        let schedule = daily(7, "Europe/Brussels")
        #expect(schedule.nextSend(after: utc("2026-03-28T06:00:00Z")) == utc("2026-03-29T05:00:00Z"))
        #expect(schedule.nextSend(after: utc("2026-03-27T12:00:00Z")) == utc("2026-03-28T06:00:00Z"))
        #expect(schedule.nextSend(after: utc("2026-10-24T05:00:00Z")) == utc("2026-10-25T06:00:00Z"))
    }

    @Test("a send hour the clocks skip moves to the end of the gap; one they repeat is taken once")
    func skippedAndRepeatedHours() {
        let schedule = daily(2, "Europe/Brussels")
        // 29 March 2026: 02:00 does not exist in Brussels; 03:00 CEST is 01:00 UTC.
        #expect(schedule.nextSend(after: utc("2026-03-28T12:00:00Z")) == utc("2026-03-29T01:00:00Z"))
        // 25 October 2026: 02:00 happens twice; the first is 00:00 UTC, and the next send is a day later.
        let first = schedule.nextSend(after: utc("2026-10-24T12:00:00Z"))
        #expect(first == utc("2026-10-25T00:00:00Z"))
        #expect(schedule.nextSend(after: first!) == utc("2026-10-26T01:00:00Z"))
    }

    @Test("La Paz (UTC−4) and Dakar (UTC) keep their hour all year")
    func southernZones() {
        #expect(daily(7, "America/La_Paz").nextSend(after: utc("2026-03-29T00:00:00Z")) == utc("2026-03-29T11:00:00Z"))
        #expect(daily(7, "Africa/Dakar").nextSend(after: utc("2026-03-29T00:00:00Z")) == utc("2026-03-29T07:00:00Z"))
        #expect(daily(7, "Africa/Dakar").nextSend(after: utc("2026-10-25T07:00:00Z")) == utc("2026-10-26T07:00:00Z"))
    }

    @Test("weekly digests go out on the chosen ISO weekday; immediate ones at the next minute")
    func weeklyAndImmediate() {
        // 2 November 2026 is a Monday.
        let monday = DigestSchedule(
            frequency: .weekly, hour: 7, weekday: 1, timeZone: TimeZone(identifier: "Europe/Brussels")!)
        #expect(monday.nextSend(after: utc("2026-10-29T12:00:00Z")) == utc("2026-11-02T06:00:00Z"))
        let sunday = DigestSchedule(
            frequency: .weekly, hour: 18, weekday: 7, timeZone: TimeZone(identifier: "Africa/Dakar")!)
        #expect(sunday.nextSend(after: utc("2026-10-29T12:00:00Z")) == utc("2026-11-01T18:00:00Z"))
        let immediate = DigestSchedule(frequency: .immediate, hour: 0, weekday: 1, timeZone: .gmt)
        #expect(immediate.nextSend(after: utc("2026-11-29T08:15:42Z")) == utc("2026-11-29T08:16:00Z"))
        #expect(DigestSchedule(frequency: .off, hour: 7, weekday: 1, timeZone: .gmt).nextSend(after: Date()) == nil)
    }

    @Test("a scheduler that runs late closes the window at the last send time that has come")
    func lateScheduler() {
        let schedule = daily(7, "Africa/Dakar")
        // Down for two days: one digest, closing at the latest 07:00.
        #expect(
            schedule.lastSend(atOrBefore: utc("2026-04-03T09:30:00Z"), notBefore: utc("2026-04-01T07:00:00Z"))
                == utc("2026-04-03T07:00:00Z"))
        #expect(
            schedule.lastSend(atOrBefore: utc("2026-04-01T06:59:00Z"), notBefore: utc("2026-04-01T07:00:00Z")) == nil)
    }
}
