import Crypto

/// Lowercase hexadecimal text of bytes, as hashes, secrets and signatures are stored and sent.
///
/// Both directions are table-driven: a request hashes its credential and hexes the hash, so this is on every
/// authenticated request's path.
public enum Hex {
    /// The digit of each nibble.
    private static let digits: InlineArray<16, UInt8> = [
        0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66,
    ]

    /// What each byte stands for as a hex digit (either case), or ``invalid``.
    private static let values: InlineArray<256, UInt8> = {
        var table = InlineArray<256, UInt8>(repeating: invalid)
        for digit in 0..<10 { table[0x30 + digit] = UInt8(digit) }
        for letter in 0..<6 {
            table[0x61 + letter] = UInt8(10 + letter)
            table[0x41 + letter] = UInt8(10 + letter)
        }
        return table
    }()

    /// Marks a byte that is no hex digit.
    private static let invalid: UInt8 = 0xff

    /// `bytes` as lowercase hex, two digits a byte.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        if let text = bytes.withContiguousStorageIfAvailable({ encode(buffer: UnsafeRawBufferPointer($0)) }) {
            return text
        }
        return Array(bytes).withUnsafeBytes { encode(buffer: $0) }
    }

    private static func encode(buffer bytes: UnsafeRawBufferPointer) -> String {
        let digits = Self.digits
        return String(unsafeUninitializedCapacity: bytes.count * 2) { text in
            var index = 0
            for byte in bytes {
                text[index] = digits[Int(byte >> 4)]
                text[index + 1] = digits[Int(byte & 0x0f)]
                index += 2
            }
            return index
        }
    }

    /// The bytes that hex text stands for (either case); `nil` when its length is odd or it holds anything but
    /// hex digits.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        if let bytes = text.utf8.withContiguousStorageIfAvailable({ decode(characters: $0) }) { return bytes }
        return Array(text.utf8).withUnsafeBufferPointer { decode(characters: $0) }
    }

    private static func decode(characters: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard characters.count % 2 == 0 else { return nil }
        let values = Self.values
        var valid = true
        let bytes = [UInt8](unsafeUninitializedCapacity: characters.count / 2) { bytes, count in
            var index = 0
            while index < characters.count {
                let high = values[Int(characters[index])]
                let low = values[Int(characters[index + 1])]
                // Nibbles are below 16 and ``invalid`` is not, so one test covers both digits.
                guard high | low < 16 else {
                    valid = false
                    break
                }
                bytes[index / 2] = high << 4 | low
                index += 2
            }
            count = index / 2
        }
        return valid ? bytes : nil
    }

    /// The SHA-256 of `text`'s UTF-8 bytes, in lowercase hex: how tokens' hashes and checksums are kept.
    public static func sha256(_ text: some StringProtocol) -> String {
        encode(SHA256.hash(data: Array(text.utf8)))
    }
}
