import Foundation

/// An element type of a one-dimensional PostgreSQL array.
public protocol PostgresArrayElement: PostgresCodable {
    /// The array type, e.g. `text[]` for `String`.
    static var postgresArrayType: PostgresDataType { get }
    /// The array types this element reads from, e.g. `int2[]`, `int4[]` and `int8[]` for `Int`.
    static var acceptedArrayTypes: [PostgresDataType] { get }
    /// The element type that each element's text is read as.
    static var postgresElementType: PostgresDataType { get }
}

extension String: PostgresArrayElement {
    public static var postgresArrayType: PostgresDataType { .textArray }
    public static var acceptedArrayTypes: [PostgresDataType] { [.textArray, .varcharArray] }
    public static var postgresElementType: PostgresDataType { .text }
}

extension Int: PostgresArrayElement {
    public static var postgresArrayType: PostgresDataType { .int8Array }
    public static var acceptedArrayTypes: [PostgresDataType] { [.int2Array, .int4Array, .int8Array] }
    public static var postgresElementType: PostgresDataType { .int8 }
}

extension UUID: PostgresArrayElement {
    public static var postgresArrayType: PostgresDataType { .uuidArray }
    public static var acceptedArrayTypes: [PostgresDataType] { [.uuidArray] }
    public static var postgresElementType: PostgresDataType { .uuid }
}

extension Decimal: PostgresArrayElement {
    public static var postgresArrayType: PostgresDataType { .numericArray }
    public static var acceptedArrayTypes: [PostgresDataType] { [.numericArray] }
    public static var postgresElementType: PostgresDataType { .numeric }
}

extension Array: PostgresEncodable where Element: PostgresArrayElement {
    public static var postgresType: PostgresDataType { Element.postgresArrayType }

    /// `{"a","b \"c\""}`: every element quoted, quotes and backslashes escaped. Built as bytes: both are
    /// ASCII, so escaping byte by byte is exact in UTF-8, and bulk writes (JSON payloads full of quotes) spend
    /// their time here.
    public var postgresText: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(2 + count * 16)
        bytes.append(UInt8(ascii: "{"))
        for (index, element) in enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(UInt8(ascii: "\""))
            var value = element.postgresText
            value.withUTF8 { utf8 in
                for byte in utf8 {
                    if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { bytes.append(UInt8(ascii: "\\")) }
                    bytes.append(byte)
                }
            }
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension Array: PostgresDecodable where Element: PostgresArrayElement {
    /// Reads a one-dimensional array; a NULL element is an error (decode `[Element?]` is not offered).
    public static func decode(from cell: PostgresCell) throws(PostgresDecodingFailure) -> [Element] {
        let bytes = try cell.utf8(accepting: Element.acceptedArrayTypes)
        guard let items = parseArrayLiteral(bytes) else { throw .invalidValue("not a one-dimensional array") }
        var result: [Element] = []
        result.reserveCapacity(items.count)
        // Text elements are the items themselves: no cell to make and read again.
        if Element.self == String.self {
            for item in items {
                guard let item = item as? Element else { throw .invalidValue("array holds NULL") }
                result.append(item)
            }
            return result
        }
        for item in items {
            guard let item else { throw .invalidValue("array holds NULL") }
            result.append(try Element.decode(from: PostgresCell(type: Element.postgresElementType, text: item)))
        }
        return result
    }
}

/// Splits PostgreSQL's array output `{a,"b c",NULL}` into its elements; `nil` for nested or malformed text.
func parseArrayLiteral(_ bytes: ArraySlice<UInt8>) -> [String?]? {
    var bytes = bytes
    // A lower bound other than 1 prints as `[0:1]={…}`.
    if bytes.first == UInt8(ascii: "[") {
        guard let equals = bytes.firstIndex(of: UInt8(ascii: "=")) else { return nil }
        bytes = bytes[(equals + 1)...]
    }
    guard bytes.first == UInt8(ascii: "{"), bytes.last == UInt8(ascii: "}") else { return nil }
    let body = bytes.dropFirst().dropLast()
    if body.isEmpty { return [] }
    var items: [String?] = []
    var current: [UInt8] = []
    var quoted = false
    var wasQuoted = false
    var escaped = false
    for byte in body {
        if escaped {
            current.append(byte)
            escaped = false
        } else if byte == UInt8(ascii: "\\") {
            escaped = true
        } else if byte == UInt8(ascii: "\"") {
            quoted.toggle()
            wasQuoted = true
        } else if byte == UInt8(ascii: ","), !quoted {
            items.append(finishArrayItem(current, wasQuoted: wasQuoted))
            current.removeAll(keepingCapacity: true)
            wasQuoted = false
        } else if byte == UInt8(ascii: "{"), !quoted {
            return nil
        } else {
            current.append(byte)
        }
    }
    guard !quoted, !escaped else { return nil }
    items.append(finishArrayItem(current, wasQuoted: wasQuoted))
    return items
}

private func finishArrayItem(_ bytes: [UInt8], wasQuoted: Bool) -> String? {
    let text = String(decoding: bytes, as: UTF8.self)
    return !wasQuoted && text == "NULL" ? nil : text
}
