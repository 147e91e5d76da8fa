import Foundation
import Vocabulary

/// Instants as the schema's `xsd:dateTime` and calendar days, both in UTC, computed by arithmetic so the
/// result never depends on the machine's time zone or locale.
enum UTCTime {
    /// `YYYY-MM-DDThh:mm:ssZ` (the fraction of a second dropped), or `nil` outside the years 1…9999.
    static func dateTime(_ instant: Date) -> String? {
        guard split(instant) != nil else { return nil }
        return UTCTimestamp.text(secondsSince1970: Int(instant.timeIntervalSince1970.rounded(.down)))
    }

    /// The UTC calendar day `instant` falls on, or `nil` outside the years 1…9999.
    static func day(_ instant: Date) -> CalendarDate? {
        split(instant)?.day
    }

    private static func split(_ instant: Date) -> (day: CalendarDate, secondOfDay: Int)? {
        let seconds = instant.timeIntervalSince1970.rounded(.down)
        // 0001-01-01 and 10000-01-01 as seconds since the epoch: anything outside is not a CalendarDate.
        guard seconds.isFinite, seconds >= -62_135_596_800, seconds < 253_402_300_800 else { return nil }
        let whole = Int(seconds)
        let days = whole >= 0 ? whole / 86_400 : (whole - 86_399) / 86_400
        guard let day = CalendarDate(daysSinceEpoch: days) else { return nil }
        return (day, whole - days * 86_400)
    }
}
