/// Instants written as text in UTC by arithmetic alone, so the result never depends on the machine's time
/// zone or locale and costs no call into libc or ICU: the API's and IATI's `2026-12-04T15:13:56Z`, the log's
/// `2026-12-04T15:13:56+0000`. The one home of the calendar arithmetic the JSON writer, the logs, PostgreSQL's
/// timestamps and IATI's dates share.
public enum UTCTimestamp {
    /// `YYYY-MM-DDThh:mm:ss` and `zone` for `seconds` since 1970-01-01T00:00:00Z, appended to `bytes`.
    ///
    /// - Parameter zone: What follows the time: `"Z"` (ISO 8601, RFC 3339) or `"+0000"` (`strftime`'s `%z`).
    public static func append(secondsSince1970 seconds: Int, zone: StaticString = "Z", to bytes: inout [UInt8]) {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = CalendarDate.civil(daysSinceEpoch: days)
        appendDigits(year, 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(month, 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(day, 2, to: &bytes)
        bytes.append(UInt8(ascii: "T"))
        appendDigits(secondOfDay / 3600, 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay / 60 % 60, 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay % 60, 2, to: &bytes)
        zone.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// The text of ``append(secondsSince1970:zone:to:)``.
    public static func text(secondsSince1970 seconds: Int, zone: StaticString = "Z") -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        append(secondsSince1970: seconds, zone: zone, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The decimal digits of `value` (not negative), zero-padded to at least `count`; a larger value keeps all
    /// its digits (a year past 9999, as a formatter would).
    public static func appendDigits(_ value: Int, _ count: Int, to bytes: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<count { divisor *= 10 }
        while divisor * 10 <= value { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }
}

extension CalendarDate {
    /// The day `days` after 1970-01-01, or `nil` outside the years 1…9999 (the inverse of ``daysSinceEpoch``).
    public init?(daysSinceEpoch days: Int) {
        let (year, month, day) = CalendarDate.civil(daysSinceEpoch: days)
        self.init(year: year, month: month, day: day)
    }

    /// The proleptic Gregorian (year, month, day) of the day `days` after 1970-01-01, for any number of days
    /// (Howard Hinnant's `civil_from_days`, the inverse of ``daysSinceEpoch``'s `days_from_civil`).
    public static func civil(daysSinceEpoch days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
