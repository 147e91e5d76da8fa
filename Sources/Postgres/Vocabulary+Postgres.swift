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
        let text = try cell.text(accepting: .numeric, .text, .int2, .int4, .int8)
        if text.hasPrefix("-"), let magnitude = Amount(String(text.dropFirst())) { return -magnitude }
        guard let amount = Amount(text) else { throw .invalidValue("not a decimal amount") }
        return amount
    }
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
