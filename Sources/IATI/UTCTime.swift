import Foundation
import Vocabulary

/// Instants as the schema's `xsd:dateTime` and calendar days, both in UTC, computed by arithmetic so the
/// result never depends on the machine's time zone or locale.
enum UTCTime {
    /// `YYYY-MM-DDThh:mm:ssZ` (the fraction of a second dropped), or `nil` outside the years 1…9999.
    static func dateTime(_ instant: Date) -> String? {
        guard let (day, secondOfDay) = split(instant) else { return nil }
        func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let time = "\(pad(secondOfDay / 3600)):\(pad(secondOfDay / 60 % 60)):\(pad(secondOfDay % 60))"
        return "\(day)T\(time)Z"
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
        guard let day = civilDate(daysSinceEpoch: days) else { return nil }
        return (day, whole - days * 86_400)
    }

    /// The day `days` after 1970-01-01 (Howard Hinnant's civil_from_days, the inverse of
    /// ``CalendarDate/daysSinceEpoch``).
    static func civilDate(daysSinceEpoch days: Int) -> CalendarDate? {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return CalendarDate(year: year, month: month, day: day)
    }
}
