import Foundation
import Testing
import Vocabulary

@Suite("UTC timestamps and calendar days by arithmetic")
struct UTCTimestampTests {
    /// Foundation's own ISO 8601 text, the reference the API, IATI and the logs were written with before.
    private static func reference(_ seconds: Int) -> String {
        Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(.iso8601)
    }

    @Test("writes what Foundation's ISO 8601 formatter writes, from 1582-10-15 to 9999 and around the epoch")
    func matchesFoundation() {
        var random = SystemRandomNumberGenerator()
        // Foundation's calendar is Julian before 1582-10-15, PostgreSQL's and XML Schema's proleptic Gregorian
        // (the days before are checked in `beforeTheGregorianReform`).
        let first = -12_219_292_800
        let last = 253_402_300_799
        var samples = [0, -1, 86_399, 86_400, -86_400, -86_401, 951_782_400, 4_107_542_400, first, last]
        for _ in 0..<2_000 { samples.append(Int.random(in: first...last, using: &random)) }
        for seconds in samples {
            #expect(UTCTimestamp.text(secondsSince1970: seconds) == Self.reference(seconds), "\(seconds)")
        }
    }

    @Test("counts the proleptic Gregorian calendar before 1582, as PostgreSQL does")
    func beforeTheGregorianReform() {
        // As PostgreSQL and Python's `datetime` count them.
        #expect(UTCTimestamp.text(secondsSince1970: -62_135_596_800) == "0001-01-01T00:00:00Z")
        #expect(UTCTimestamp.text(secondsSince1970: -12_219_292_801) == "1582-10-14T23:59:59Z")
        #expect(UTCTimestamp.text(secondsSince1970: -50_523_264_000) == "0368-12-25T00:00:00Z")
    }

    @Test("writes the log's `+0000` zone and keeps a fifth digit of a year")
    func zonesAndWideYears() {
        #expect(UTCTimestamp.text(secondsSince1970: 1_764_861_236, zone: "+0000") == "2025-12-04T15:13:56+0000")
        var bytes = Array("x".utf8)
        UTCTimestamp.append(secondsSince1970: 0, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "x1970-01-01T00:00:00Z")
        #expect(UTCTimestamp.text(secondsSince1970: 253_402_300_800) == "10000-01-01T00:00:00Z")
    }

    @Test("a day counted from 1970 and back, and nil outside the years 1 to 9999")
    func calendarDays() throws {
        for days in stride(from: -719_162, through: 2_932_896, by: 997) + [-719_162, 0, -1, 11_016, 2_932_896] {
            let date = try #require(CalendarDate(daysSinceEpoch: days), "\(days)")
            #expect(date.daysSinceEpoch == days)
        }
        #expect(CalendarDate(daysSinceEpoch: 0)?.description == "1970-01-01")
        #expect(CalendarDate(daysSinceEpoch: 11_016)?.description == "2000-02-29")
        #expect(CalendarDate(daysSinceEpoch: -719_163) == nil)
        #expect(CalendarDate(daysSinceEpoch: 2_932_897) == nil)
    }
}
