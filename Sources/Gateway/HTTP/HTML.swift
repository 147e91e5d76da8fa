import Foundation
import Vocabulary

/// Pages the server writes itself (the report page, the unsubscribe confirmation).
public enum HTML {
    /// `text` safe inside an element or a quoted attribute.
    ///
    /// Works on the UTF-8 bytes (the four characters it replaces are ASCII, so no multi-byte sequence can hold
    /// them) and gives `text` back untouched when there is nothing to replace, which is most of a page's text.
    public static func escape(_ text: String) -> String {
        var text = text
        return text.withUTF8 { bytes in
            guard let first = bytes.firstIndex(where: needsEscape) else { return nil }
            var escaped: [UInt8] = []
            escaped.reserveCapacity(bytes.count + 16)
            escaped.append(contentsOf: bytes[..<first])
            for byte in bytes[first...] {
                switch byte {
                case UInt8(ascii: "&"): escaped.append(contentsOf: "&amp;".utf8)
                case UInt8(ascii: "<"): escaped.append(contentsOf: "&lt;".utf8)
                case UInt8(ascii: ">"): escaped.append(contentsOf: "&gt;".utf8)
                case UInt8(ascii: "\""): escaped.append(contentsOf: "&quot;".utf8)
                default: escaped.append(byte)
                }
            }
            return String(decoding: escaped, as: UTF8.self)
        } ?? text
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">")
            || byte == UInt8(ascii: "\"")
    }

    /// `date` as a `<time datetime="…">` value: UTC, whole seconds, `2026-12-04T15:13:56Z` (what
    /// `formatted(.iso8601)` writes, without Foundation's formatter).
    public static func datetime(_ date: Date) -> String {
        UTCTimestamp.text(secondsSince1970: Int(date.timeIntervalSince1970.rounded(.down)))
    }
}
