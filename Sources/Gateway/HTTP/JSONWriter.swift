import Foundation
import Vocabulary

/// Writes JSON text straight into bytes, with the exact output of Foundation's `JSONEncoder` (no spaces,
/// `/` escaped unless told otherwise, `\b \t \n \f \r` and `\u00xx` for the other control characters, the rest
/// of Unicode as it is), for the hot responses' hand-written encoders (``JSONWritable``).
///
/// A value written after another in an object or array gets its comma here; a key is followed by its value.
public struct JSONWriter {
    /// The text so far.
    public private(set) var bytes: [UInt8]
    /// Whether `/` is written `\/`, as `JSONEncoder` does unless `.withoutEscapingSlashes`.
    public let escapesSlashes: Bool
    private var needsComma = false

    /// Starts empty; `escapingSlashes` as `JSONEncoder`'s default.
    public init(escapingSlashes: Bool = true, capacity: Int = 1024) {
        self.escapesSlashes = escapingSlashes
        self.bytes = []
        bytes.reserveCapacity(capacity)
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = true
    }

    /// `{`; ``endObject()`` closes it.
    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    /// `}`.
    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// `[`; ``endArray()`` closes it.
    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    /// `]`.
    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// An object's key; its value comes next.
    public mutating func key(_ key: String) {
        separate()
        writeString(key)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// A string value, escaped as `JSONEncoder` escapes it.
    public mutating func string(_ value: String) {
        separate()
        writeString(value)
    }

    /// Makes room for `count` more bytes at once: a page of fifty activities is about 35 kB.
    public mutating func reserveCapacity(_ count: Int) {
        bytes.reserveCapacity(bytes.count + count)
    }

    /// An integer value.
    public mutating func int(_ value: Int) {
        separate()
        appendDigits(value.magnitude, negative: value < 0, width: 1)
    }

    /// An amount as a string, as its `description` writes it (`"12500.00"`), without making the `String`.
    public mutating func amount(_ value: Amount) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        if value.scale == 0 {
            appendDigits(value.units.magnitude, negative: value.units < 0, width: 1)
        } else {
            var divisor: UInt64 = 1
            for _ in 0..<value.scale { divisor *= 10 }
            let (whole, fraction) = value.units.magnitude.quotientAndRemainder(dividingBy: divisor)
            appendDigits(whole, negative: value.units < 0, width: 1)
            bytes.append(UInt8(ascii: "."))
            appendDigits(fraction, negative: false, width: value.scale)
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// A calendar date as a string, as its `description` writes it (`"2020-04-01"`), without making the
    /// `String`.
    public mutating func date(_ value: CalendarDate) {
        guard (0...9999).contains(value.year) else { return string(value.description) }
        separate()
        bytes.append(UInt8(ascii: "\""))
        appendDigits(UInt(value.year), negative: false, width: 4)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(UInt(value.month), negative: false, width: 2)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(UInt(value.day), negative: false, width: 2)
        bytes.append(UInt8(ascii: "\""))
    }

    /// `value`'s decimal digits, at least `width` of them (zeros in front), after a `-` when `negative`.
    private mutating func appendDigits(_ value: some UnsignedInteger & FixedWidthInteger, negative: Bool, width: Int) {
        if negative { bytes.append(UInt8(ascii: "-")) }
        var digits: InlineArray<24, UInt8> = .init(repeating: 0)
        var count = 0
        var rest = value
        repeat {
            let (quotient, digit) = rest.quotientAndRemainder(dividingBy: 10)
            digits[count] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: digit)
            count += 1
            rest = quotient
        } while rest != 0 || count < width
        while count > 0 {
            count -= 1
            bytes.append(digits[count])
        }
    }

    /// A UUID as ``LowercaseUUIDJSONEncoder`` writes it: its `uuidString` in lower case.
    public mutating func uuid(_ value: UUID) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        let digits = Self.lowerDigits
        withUnsafeBytes(of: value.uuid) { raw in
            for (index, byte) in raw.enumerated() {
                if index == 4 || index == 6 || index == 8 || index == 10 { bytes.append(UInt8(ascii: "-")) }
                bytes.append(digits[Int(byte >> 4)])
                bytes.append(digits[Int(byte & 0x0f)])
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// An instant as `JSONEncoder`'s `.iso8601` strategy writes it: UTC, whole seconds (the fraction cut
    /// off), `2026-12-04T15:13:56Z`.
    public mutating func date(_ value: Date) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        UTCTimestamp.append(secondsSince1970: Int(value.timeIntervalSince1970.rounded(.down)), to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// An array of strings.
    public mutating func strings(_ values: [String]) {
        beginArray()
        for value in values { string(value) }
        endArray()
    }

    /// An array of integers.
    public mutating func ints(_ values: [Int]) {
        beginArray()
        for value in values { int(value) }
        endArray()
    }

    private static let lowerDigits: InlineArray<16, UInt8> = [
        0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66,
    ]

    private mutating func writeString(_ value: String) {
        Self.appendString(value, escapingSlashes: escapesSlashes, to: &bytes)
    }

    /// Appends `value` to `bytes` as a JSON string, quotes included, escaped as `JSONEncoder` escapes it (`/` only
    /// when `escapingSlashes`). The log's JSON lines use it too.
    static func appendString(_ value: String, escapingSlashes: Bool, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { text in
            var start = 0
            for index in 0..<text.count {
                let byte = text[index]
                guard
                    byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
                        || (byte == UInt8(ascii: "/") && escapingSlashes)
                else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[start..<index]))
                start = index + 1
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): bytes.append(byte)
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                case 0x0a: bytes.append(UInt8(ascii: "n"))
                case 0x0c: bytes.append(UInt8(ascii: "f"))
                case 0x0d: bytes.append(UInt8(ascii: "r"))
                default:
                    bytes.append(contentsOf: "u00".utf8)
                    bytes.append(lowerDigits[Int(byte >> 4)])
                    bytes.append(lowerDigits[Int(byte & 0x0f)])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[start..<text.count]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

/// A response whose JSON is written by hand (``JSONWriter``), byte for byte what the gateway's `JSONEncoder`
/// (``GatewayResponseEncoder/shared``: sorted keys, `.iso8601` dates) makes of its `Encodable` form: for the
/// responses served most often. Write the keys in sorted order.
public protocol JSONWritable: Encodable {
    /// Writes the value as one JSON value.
    func writeJSON(to writer: inout JSONWriter)
}
