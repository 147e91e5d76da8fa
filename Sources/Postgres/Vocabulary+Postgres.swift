import Vocabulary

// The shared words as query parameters and result columns. The words are stored as text (with CHECK
// constraints in the schema), so they are sent untyped, as a `String` is, and read from any column's text.

extension CalendarDate: PostgresCodable {
    public static var postgresType: PostgresDataType { .date }
    public var postgresText: String { description }

    public static func decode(from cell: PostgresCell) throws(PostgresDecodingFailure) -> CalendarDate {
        let text = try cell.text(accepting: .date)
        guard let date = CalendarDate(text) else { throw .invalidValue("not a date between 0001 and 9999") }
        return date
    }
}

extension Amount: PostgresCodable {
    public static var postgresType: PostgresDataType { .numeric }
    public var postgresText: String { description }

    /// Reads a `numeric` column (or its text, e.g. `budget_planned::text`) exactly, with the decimals it
    /// prints: `numeric(14, 2)` gives `"12500.00"`.
    public static func decode(from cell: PostgresCell) throws(PostgresDecodingFailure) -> Amount {
        let bytes = try cell.utf8(accepting: [.numeric, .text, .int2, .int4, .int8])
        if let amount = parsePlainAmount(bytes) { return amount }
        let text = String(decoding: bytes, as: UTF8.self)
        if text.hasPrefix("-"), let magnitude = Amount(String(text.dropFirst())) { return -magnitude }
        guard let amount = Amount(text) else { throw .invalidValue("not a decimal amount") }
        return amount
    }
}

/// Reads `[-]digits[.digits]` as PostgreSQL prints a `numeric` (at most ``Amount/maximumScale`` decimals, inside
/// `Int64`) straight from its bytes, as `Amount(_:)` reads it: a list of activities spent a fifth of its
/// decoding in `Amount(_:)`'s Foundation trimming and Unicode digit checks. `nil` for anything else, which the
/// caller then reads the slow way (or refuses).
func parsePlainAmount(_ bytes: ArraySlice<UInt8>) -> Amount? {
    var index = bytes.startIndex
    let negative = index < bytes.endIndex && bytes[index] == UInt8(ascii: "-")
    if negative { index += 1 }
    var units: Int64 = 0
    var wholeDigits = 0
    var scale = 0
    var point = false
    while index < bytes.endIndex {
        let byte = bytes[index]
        index += 1
        if byte == UInt8(ascii: "."), !point {
            point = true
            continue
        }
        guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
        let (shifted, overflowShift) = units.multipliedReportingOverflow(by: 10)
        let (added, overflowAdd) = shifted.addingReportingOverflow(Int64(byte &- UInt8(ascii: "0")))
        guard !overflowShift, !overflowAdd else { return nil }
        units = added
        if point { scale += 1 } else { wholeDigits += 1 }
    }
    guard wholeDigits > 0, !point || scale > 0, scale <= Amount.maximumScale else { return nil }
    return Amount(units: negative ? -units : units, scale: scale)
}

/// A word of the vocabulary kept in a text column: sent as its raw value, read back from the column's text.
public protocol PostgresTextWord: PostgresCodable, RawRepresentable where RawValue == String {}

extension PostgresTextWord {
    public static var postgresType: PostgresDataType { .unknown }
    public var postgresText: String { rawValue }

    public static func decode(from cell: PostgresCell) throws(PostgresDecodingFailure) -> Self {
        let text = try String.decode(from: cell)
        guard let word = Self(rawValue: text) else { throw .invalidValue("not a \(Self.self): \(text)") }
        return word
    }
}

extension ActivityStatus: PostgresTextWord {}
extension ActivityKind: PostgresTextWord {}
extension LearningDirection: PostgresTextWord {}
extension FundingSource: PostgresTextWord {}
extension PartnershipStatus: PostgresTextWord {}
extension PartnershipRole: PostgresTextWord {}
extension Language: PostgresTextWord {}
extension Currency: PostgresTextWord {}
extension LessonSide: PostgresTextWord {}
