import Foundation

extension String: PostgresCodable {
    public static var postgresType: PostgresDataType { .unknown }
    public var postgresText: String { self }

    /// Any column decodes as its text representation, so enums, `citext` and domains read as strings.
    public static func decode(from cell: PostgresCell) throws(PostgresDecodingFailure) -> String {
        String(decoding: try cell.utf8(accepting: []), as: UTF8.self)
    }
}

extension Int: PostgresCodable {
    public static var postgresType: PostgresDataType { .int8 }
    public var postgresText: String { String(self) }

    public static func decode(from cell: PostgresCell) throws(PostgresDecodingFailure) -> Int {
        try parseInteger(cell.utf8(accepting: [.int2, .int4, .int8, .oid]))
    }
}

extension Int64: PostgresCodable {
    public static var postgresType: PostgresDataType { .int8 }
    public var postgresText: String { String(self) }

    public static func decode(from cell: PostgresCell) throws(PostgresDecodingFailure) -> Int64 {
        Int64(try parseInteger(cell.utf8(accepting: [.int2, .int4, .int8, .oid])))
    }
}

extension Int32: PostgresCodable {
    public static var postgresType: PostgresDataType { .int4 }
    public var postgresText: String { String(self) }

    public static func decode(from cell: PostgresCell) throws(PostgresDecodingFailure) -> Int32 {
        let value = try parseInteger(cell.utf8(accepting: [.int2, .int4]))
        guard let narrowed = Int32(exactly: value) else { throw .invalidValue("out of range for Int32") }
        return narrowed
    }
}

/// Reads a decimal integer from ASCII digits without making a `String`.
func parseInteger(_ bytes: ArraySlice<UInt8>) throws(PostgresDecodingFailure) -> Int {
    var index = bytes.startIndex
    var negative = false
    if index < bytes.endIndex, bytes[index] == UInt8(ascii: "-") {
        negative = true
        index += 1
    }
    guard index < bytes.endIndex else { throw .invalidValue("empty integer") }
    var value = 0
    while index < bytes.endIndex {
        let digit = Int(bytes[index]) - 48
        guard digit >= 0, digit <= 9 else { throw .invalidValue("not an integer") }
        let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
        let (next, overflowB) =
            negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
        guard !overflowA, !overflowB else { throw .invalidValue("integer out of range") }
        value = next
        index += 1
    }
    return value
}

extension Double: PostgresCodable {
    public static var postgresType: PostgresDataType { .float8 }
    public var postgresText: String {
        if isNaN { return "NaN" }
        if isInfinite { return self < 0 ? "-Infinity" : "Infinity" }
        return "\(self)"
    }

    public static func decode(from cell: PostgresCell) throws(PostgresDecodingFailure) -> Double {
        let text = try cell.text(accepting: .float4, .float8)
        guard let value = Double(text) else { throw .invalidValue("not a floating-point number") }
        return value
    }
}

extension Bool: PostgresCodable {
    public static var postgresType: PostgresDataType { .bool }
    public var postgresText: String { self ? "t" : "f" }

    public static func decode(from cell: PostgresCell) throws(PostgresDecodingFailure) -> Bool {
        let bytes = try cell.utf8(accepting: [.bool])
        switch bytes.first {
        case UInt8(ascii: "t"): return true
        case UInt8(ascii: "f"): return false
        default: throw .invalidValue("not a boolean")
        }
    }
}

extension UUID: PostgresCodable {
    public static var postgresType: PostgresDataType { .uuid }
    public var postgresText: String { uuidString.lowercased() }

    public static func decode(from cell: PostgresCell) throws(PostgresDecodingFailure) -> UUID {
        guard let uuid = UUID(uuidString: try cell.text(accepting: .uuid)) else { throw .invalidValue("not a UUID") }
        return uuid
    }
}

extension Decimal: PostgresCodable {
    public static var postgresType: PostgresDataType { .numeric }

    /// The plain decimal text (`12345678901234.56`), never scientific notation.
    public var postgresText: String { description }

    /// Reads NUMERIC digit by digit: the value never passes through a binary floating-point number.
    public static func decode(from cell: PostgresCell) throws(PostgresDecodingFailure) -> Decimal {
        let text = try cell.text(accepting: .numeric, .int2, .int4, .int8)
        guard text != "NaN", let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
            throw .invalidValue("not a finite decimal number")
        }
        return value
    }
}
