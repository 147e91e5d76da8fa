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
        let bytes = try cell.utf8(accepting: [.uuid])
        if let uuid = parseCanonicalUUID(bytes) { return uuid }
        guard let uuid = UUID(uuidString: String(decoding: bytes, as: UTF8.self)) else {
            throw .invalidValue("not a UUID")
        }
        return uuid
    }
}

/// Reads the form PostgreSQL prints a `uuid` in, `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` in hex, without making
/// a `String` (Foundation's `UUID(uuidString:)` goes through `sscanf`, a tenth of a list page's decoding);
/// `nil` for any other text, which `UUID(uuidString:)` then reads or refuses.
func parseCanonicalUUID(_ bytes: ArraySlice<UInt8>) -> UUID? {
    guard bytes.count == 36 else { return nil }
    func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte &- UInt8(ascii: "A") &+ 10
        default: return nil
        }
    }
    var value: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    let parsed = withUnsafeMutableBytes(of: &value) { out -> Bool in
        var index = bytes.startIndex
        for position in 0..<16 {
            if position == 4 || position == 6 || position == 8 || position == 10 {
                guard bytes[index] == UInt8(ascii: "-") else { return false }
                index += 1
            }
            guard let high = nibble(bytes[index]), let low = nibble(bytes[index + 1]) else { return false }
            out[position] = high << 4 | low
            index += 2
        }
        return true
    }
    return parsed ? UUID(uuid: value) : nil
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
