import Foundation

extension MailAddress {
    /// True when `address` is a plain `local@domain` this module can put in a header and an SMTP envelope.
    ///
    /// Deliberately narrower than RFC 5321: ASCII only (no SMTPUTF8), a dot-atom local part (no quoted
    /// strings) and a host name of letters, digits and hyphens. Anything it refuses could not be sent
    /// safely anyway, and CR, LF, spaces and angle brackets can never get through it.
    public var isDeliverable: Bool {
        let bytes = Array(address.utf8)
        guard bytes.count <= 254, let at = bytes.firstIndex(of: UInt8(ascii: "@")) else { return false }
        let local = bytes[..<at]
        let domain = bytes[(at + 1)...]
        guard (1...64).contains(local.count), !domain.isEmpty else { return false }
        let localAtoms = local.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard localAtoms.allSatisfy({ !$0.isEmpty && $0.allSatisfy(Self.isAtext) }) else { return false }
        let labels = domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            (1...63).contains(label.count) && label.first != UInt8(ascii: "-") && label.last != UInt8(ascii: "-")
                && label.allSatisfy { Self.isLetterOrDigit($0) || $0 == UInt8(ascii: "-") }
        }
    }

    /// The domain part, for a generated `Message-ID`.
    var domain: String {
        address.split(separator: "@", maxSplits: 1).last.map(String.init) ?? "localhost"
    }

    /// The mailbox as header tokens: the display name (plain, quoted or encoded), then `<address>`.
    func headerTokens(firstLineUsed: Int) -> [String] {
        let angled = "<\(address)>"
        guard let name, !name.isEmpty else { return [angled] }
        let text = HeaderField.sanitized(name)
        let words = text.split(separator: " ").map(String.init)
        if words.allSatisfy({ $0.utf8.allSatisfy(Self.isAtext) }), !words.isEmpty {
            return words + [angled]
        }
        if text.unicodeScalars.allSatisfy({ $0.isASCII }) && !text.contains("=?") {
            let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return ["\"\(escaped)\"", angled]
        }
        return HeaderField.encodedWords(text, firstLineUsed: firstLineUsed) + [angled]
    }

    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// RFC 5322 `atext`: the characters allowed in an atom.
    private static func isAtext(_ byte: UInt8) -> Bool {
        isLetterOrDigit(byte) || "!#$%&'*+-/=?^_`{|}~".utf8.contains(byte)
    }
}
