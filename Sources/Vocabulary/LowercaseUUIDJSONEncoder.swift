import Foundation

/// The `JSONEncoder` of everything this server writes as JSON: API answers, webhook bodies, command output,
/// and the JSON it stores (events, jobs' arguments, read models). It writes every `UUID` value in lower case
/// (`"01a23da7-f74c-…"`, the form RFC 9562 recommends), where Foundation's encoder writes `uuidString`, upper
/// case; everything else it writes exactly as `JSONEncoder` does, with the options set on it. Decoding needs
/// nothing of the kind: `UUID(uuidString:)` reads either case, so JSON stored before is read as it was.
///
/// It changes `UUID` values only, found by their type at any depth: a string that merely looks like a UUID (a
/// title someone typed) is written as it is. A test fails when a `JSONEncoder()` is made anywhere else in
/// `Sources/`.
public final class LowercaseUUIDJSONEncoder: JSONEncoder, @unchecked Sendable {
    /// `value` as JSON, its UUIDs in lower case.
    public override func encode<T: Encodable>(_ value: T) throws -> Data {
        try super.encode(LowercaseUUIDs(value))
    }
}

/// A value that `JSONEncoder` writes itself, so it is handed over untouched: its strategies for dates, data
/// and URLs, and its own writing of numbers and strings, only apply to a value it sees as what it is.
private protocol WrittenAsIs {}
extension String: WrittenAsIs {}
extension Bool: WrittenAsIs {}
extension Int: WrittenAsIs {}
extension Int8: WrittenAsIs {}
extension Int16: WrittenAsIs {}
extension Int32: WrittenAsIs {}
extension Int64: WrittenAsIs {}
extension UInt: WrittenAsIs {}
extension UInt8: WrittenAsIs {}
extension UInt16: WrittenAsIs {}
extension UInt32: WrittenAsIs {}
extension UInt64: WrittenAsIs {}
extension Double: WrittenAsIs {}
extension Float: WrittenAsIs {}
extension Date: WrittenAsIs {}
extension Data: WrittenAsIs {}
extension URL: WrittenAsIs {}
extension Decimal: WrittenAsIs {}

/// A value encoded through ``LowercasingEncoder``, so each UUID within it, at any depth, is written lower case.
/// A UUID itself becomes its lower-case string; a value `JSONEncoder` writes itself goes to it untouched.
private struct LowercaseUUIDs<Value: Encodable>: Encodable {
    let value: Value

    init(_ value: Value) { self.value = value }

    func encode(to encoder: any Encoder) throws {
        if let id = value as? UUID {
            var container = encoder.singleValueContainer()
            try container.encode(id.uuidString.lowercased())
        } else if value is any WrittenAsIs {
            var container = encoder.singleValueContainer()
            try container.encode(value)
        } else {
            try value.encode(to: LowercasingEncoder(base: encoder))
        }
    }
}

/// An `Encoder` that hands everything to `base`, except a `UUID`, which it hands over as its lower-case string;
/// its containers wrap every other value they are given again, so the rule reaches every depth.
private struct LowercasingEncoder: Encoder {
    let base: any Encoder

    var codingPath: [any CodingKey] { base.codingPath }
    var userInfo: [CodingUserInfoKey: Any] { base.userInfo }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(LowercasingKeyedContainer(base: base.container(keyedBy: type)))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        LowercasingUnkeyedContainer(base: base.unkeyedContainer())
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        LowercasingSingleValueContainer(base: base.singleValueContainer())
    }
}

private struct LowercasingKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    var base: KeyedEncodingContainer<Key>

    var codingPath: [any CodingKey] { base.codingPath }

    mutating func encodeNil(forKey key: Key) throws { try base.encodeNil(forKey: key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { try base.encode(value, forKey: key) }
    mutating func encode(_ value: String, forKey key: Key) throws { try base.encode(value, forKey: key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { try base.encode(value, forKey: key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { try base.encode(value, forKey: key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { try base.encode(value, forKey: key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try base.encode(value, forKey: key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try base.encode(value, forKey: key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try base.encode(value, forKey: key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try base.encode(value, forKey: key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try base.encode(value, forKey: key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try base.encode(value, forKey: key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try base.encode(value, forKey: key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try base.encode(value, forKey: key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try base.encode(value, forKey: key) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        if let id = value as? UUID {
            try base.encode(id.uuidString.lowercased(), forKey: key)
        } else if value is any WrittenAsIs {
            try base.encode(value, forKey: key)
        } else {
            try base.encode(LowercaseUUIDs(value), forKey: key)
        }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        KeyedEncodingContainer(
            LowercasingKeyedContainer<NestedKey>(base: base.nestedContainer(keyedBy: keyType, forKey: key)))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        LowercasingUnkeyedContainer(base: base.nestedUnkeyedContainer(forKey: key))
    }

    mutating func superEncoder() -> any Encoder { LowercasingEncoder(base: base.superEncoder()) }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        LowercasingEncoder(base: base.superEncoder(forKey: key))
    }
}

private struct LowercasingUnkeyedContainer: UnkeyedEncodingContainer {
    var base: any UnkeyedEncodingContainer

    var codingPath: [any CodingKey] { base.codingPath }
    var count: Int { base.count }

    mutating func encodeNil() throws { try base.encodeNil() }
    mutating func encode(_ value: Bool) throws { try base.encode(value) }
    mutating func encode(_ value: String) throws { try base.encode(value) }
    mutating func encode(_ value: Double) throws { try base.encode(value) }
    mutating func encode(_ value: Float) throws { try base.encode(value) }
    mutating func encode(_ value: Int) throws { try base.encode(value) }
    mutating func encode(_ value: Int8) throws { try base.encode(value) }
    mutating func encode(_ value: Int16) throws { try base.encode(value) }
    mutating func encode(_ value: Int32) throws { try base.encode(value) }
    mutating func encode(_ value: Int64) throws { try base.encode(value) }
    mutating func encode(_ value: UInt) throws { try base.encode(value) }
    mutating func encode(_ value: UInt8) throws { try base.encode(value) }
    mutating func encode(_ value: UInt16) throws { try base.encode(value) }
    mutating func encode(_ value: UInt32) throws { try base.encode(value) }
    mutating func encode(_ value: UInt64) throws { try base.encode(value) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        if let id = value as? UUID {
            try base.encode(id.uuidString.lowercased())
        } else if value is any WrittenAsIs {
            try base.encode(value)
        } else {
            try base.encode(LowercaseUUIDs(value))
        }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey>
    {
        KeyedEncodingContainer(LowercasingKeyedContainer<NestedKey>(base: base.nestedContainer(keyedBy: keyType)))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        LowercasingUnkeyedContainer(base: base.nestedUnkeyedContainer())
    }

    mutating func superEncoder() -> any Encoder { LowercasingEncoder(base: base.superEncoder()) }
}

private struct LowercasingSingleValueContainer: SingleValueEncodingContainer {
    var base: any SingleValueEncodingContainer

    var codingPath: [any CodingKey] { base.codingPath }

    mutating func encodeNil() throws { try base.encodeNil() }
    mutating func encode(_ value: Bool) throws { try base.encode(value) }
    mutating func encode(_ value: String) throws { try base.encode(value) }
    mutating func encode(_ value: Double) throws { try base.encode(value) }
    mutating func encode(_ value: Float) throws { try base.encode(value) }
    mutating func encode(_ value: Int) throws { try base.encode(value) }
    mutating func encode(_ value: Int8) throws { try base.encode(value) }
    mutating func encode(_ value: Int16) throws { try base.encode(value) }
    mutating func encode(_ value: Int32) throws { try base.encode(value) }
    mutating func encode(_ value: Int64) throws { try base.encode(value) }
    mutating func encode(_ value: UInt) throws { try base.encode(value) }
    mutating func encode(_ value: UInt8) throws { try base.encode(value) }
    mutating func encode(_ value: UInt16) throws { try base.encode(value) }
    mutating func encode(_ value: UInt32) throws { try base.encode(value) }
    mutating func encode(_ value: UInt64) throws { try base.encode(value) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        if let id = value as? UUID {
            try base.encode(id.uuidString.lowercased())
        } else if value is any WrittenAsIs {
            try base.encode(value)
        } else {
            try base.encode(LowercaseUUIDs(value))
        }
    }
}
