import Foundation

/// Quoted-printable encoding (RFC 2045 §6.7) of UTF-8 text, for message bodies.
///
/// Chosen over base64 because Dutch and French text is mostly ASCII and stays readable in the raw
/// message. Its output never contains `=_`, which is what makes the multipart boundary safe.
enum QuotedPrintable {
    /// The longest encoded line, soft line break included.
    static let maximumLineLength = 76

    /// `text` encoded, lines ending in CRLF; every line break in `text` (CRLF, CR or LF) is a hard break.
    static func encode(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count + text.utf8.count / 8)
        let lines = text.replacingLineBreaks().split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            if index > 0 { output += "\r\n" }
            encodeLine(Array(line.utf8), into: &output)
        }
        return output
    }

    private static func encodeLine(_ bytes: [UInt8], into output: inout String) {
        var lineLength = 0
        for (index, byte) in bytes.enumerated() {
            let isLast = index == bytes.count - 1
            let literal: Bool
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"):
                // White space at the end of a line may be stripped in transit, so it is encoded there.
                literal = !isLast
            case UInt8(ascii: "="):
                literal = false
            case 33...126:
                literal = true
            default:
                literal = false
            }
            var token = literal ? String(UnicodeScalar(byte)) : "=" + hex(byte)
            // Keep room for the soft break's "=", unless this is the line's last token.
            let room = isLast ? maximumLineLength : maximumLineLength - 1
            if lineLength + token.utf8.count > room {
                output += "=\r\n"
                lineLength = 0
            }
            if lineLength == 0, byte == UInt8(ascii: ".") {
                // A dot alone at the start of a line ends an SMTP message on a relay that forgets to stuff.
                token = "=2E"
            }
            output += token
            lineLength += token.utf8.count
        }
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}

extension String {
    /// The text with CRLF and lone CR turned into LF.
    func replacingLineBreaks() -> String {
        replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }
}
