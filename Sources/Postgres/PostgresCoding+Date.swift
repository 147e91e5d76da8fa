import Foundation
import Vocabulary

extension Date: PostgresCodable {
    public static var postgresType: PostgresDataType { .timestamptz }

    /// RFC 3339 in UTC with microseconds, PostgreSQL's own precision.
    public var postgresText: String {
        let micros = (timeIntervalSince1970 * 1_000_000).rounded()
        let totalMicros = Int64(micros)
        var seconds = totalMicros / 1_000_000
        var fraction = totalMicros % 1_000_000
        if fraction < 0 {
            fraction += 1_000_000
            seconds -= 1
        }
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        let (year, month, day) = CalendarDate.civil(daysSinceEpoch: Int(days))
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(Int64(year), 4))-\(pad(Int64(month), 2))-\(pad(Int64(day), 2))T"
            + "\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))"
            + ".\(pad(fraction, 6))Z"
    }

    /// Reads `timestamptz` as the server prints it with `DateStyle=ISO`: `2024-03-01 12:30:00.5+00`.
    public static func decode(from cell: PostgresCell) throws(PostgresDecodingFailure) -> Date {
        let bytes = try cell.utf8(accepting: [.timestamptz])
        guard let date = parseTimestamp(bytes) else { throw .invalidValue("not a finite timestamp") }
        return date
    }
}

/// Parses `YYYY-MM-DD HH:MM:SS[.ffffff](+|-)HH[:MM[:SS]]`; `nil` for `infinity`, BC dates and anything else.
func parseTimestamp(_ bytes: ArraySlice<UInt8>) -> Date? {
    let text = Array(bytes)
    guard text.count >= 22, text[4] == UInt8(ascii: "-"), text[7] == UInt8(ascii: "-"),
        text[10] == UInt8(ascii: " ") || text[10] == UInt8(ascii: "T"),
        text[13] == UInt8(ascii: ":"), text[16] == UInt8(ascii: ":"),
        let year = CalendarDate.digits(text[0..<4]), let month = CalendarDate.digits(text[5..<7]),
        let day = CalendarDate.digits(text[8..<10]), let date = CalendarDate(year: year, month: month, day: day),
        let hour = CalendarDate.digits(text[11..<13]), let minute = CalendarDate.digits(text[14..<16]),
        let second = CalendarDate.digits(text[17..<19])
    else { return nil }
    var index = 19
    var micros = 0
    if index < text.count, text[index] == UInt8(ascii: ".") {
        index += 1
        var scale = 100_000
        while index < text.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(text[index]) {
            micros += Int(text[index] - UInt8(ascii: "0")) * scale
            scale /= 10
            index += 1
        }
    }
    guard index + 3 <= text.count, text[index] == UInt8(ascii: "+") || text[index] == UInt8(ascii: "-"),
        let offsetHours = CalendarDate.digits(text[(index + 1)..<(index + 3)])
    else { return nil }
    let sign = text[index] == UInt8(ascii: "-") ? -1 : 1
    var offset = offsetHours * 3600
    index += 3
    var unit = 60
    while index + 3 <= text.count, text[index] == UInt8(ascii: ":"), unit >= 1 {
        guard let part = CalendarDate.digits(text[(index + 1)..<(index + 3)]) else { return nil }
        offset += part * unit
        unit /= 60
        index += 3
    }
    guard index == text.count else { return nil }
    let seconds = date.daysSinceEpoch * 86_400 + hour * 3600 + minute * 60 + second - sign * offset
    return Date(timeIntervalSince1970: Double(seconds) + Double(micros) / 1_000_000)
}
