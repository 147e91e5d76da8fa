import Foundation

/// Writes one RFC 5322 header field: folded so lines stay under 78 characters where the content allows,
/// with non-ASCII text as RFC 2047 encoded-words, and never containing a bare CR or LF of its own.
///
/// A header field is built from tokens that must stay whole (a word, an encoded-word, `<addr>`); folding
/// happens only at the single spaces between them, so unfolding gives back exactly the joined tokens.
struct HeaderField {
    /// RFC 5322's recommended limit, without the CRLF.
    static let foldAt = 78
    /// RFC 5322's hard limit, without the CRLF; a field whose tokens cannot be folded under it is refused.
    static let hardLimit = 998

    let name: String
    /// The words of the value, already made safe: ASCII, no CR or LF.
    let tokens: [String]

    /// A field holding unstructured text (`Subject`, most extra fields): kept readable when it is plain
    /// ASCII, otherwise written as encoded-words. Line breaks and other control characters become spaces.
    static func unstructured(name: String, value: String) -> HeaderField {
        let text = sanitized(value)
        let isPlain = text.unicodeScalars.allSatisfy { $0.isASCII } && !text.contains("=?")
        if isPlain {
            // Split on single spaces: joining with single spaces gives back runs of spaces unchanged.
            return HeaderField(
                name: name, tokens: text.split(separator: " ", omittingEmptySubsequences: false).map(String.init))
        }
        return HeaderField(name: name, tokens: encodedWords(text, firstLineUsed: name.utf8.count + 2))
    }

    /// `text` with every control character (CR and LF included) replaced by a space, so that no caller
    /// can start a new header field or end the header block.
    static func sanitized(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}" {
                scalars.append(" ")
            } else {
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// `text` as RFC 2047 B-encoded UTF-8 words, each a whole number of Unicode scalars and at most 75
    /// characters; the first word is shorter when it must share a line with `Name: `.
    static func encodedWords(_ text: String, firstLineUsed: Int) -> [String] {
        let overhead = "=?utf-8?B??=".utf8.count
        let fullBudget = (75 - overhead) / 4 * 3
        let firstBudget = max(0, (foldAt - firstLineUsed - overhead) / 4 * 3)
        var words: [String] = []
        var chunk: [UInt8] = []
        var budget = firstBudget >= 6 ? firstBudget : fullBudget
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if chunk.count + bytes.count > budget, !chunk.isEmpty {
                words.append("=?utf-8?B?\(Data(chunk).base64EncodedString())?=")
                chunk = []
                budget = fullBudget
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty {
            words.append("=?utf-8?B?\(Data(chunk).base64EncodedString())?=")
        }
        return words
    }

    /// True when `name` is a valid field name: printable ASCII without a colon.
    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { $0 >= 33 && $0 <= 126 && $0 != UInt8(ascii: ":") }
    }

    /// The field as it goes on the wire, ending in CRLF.
    /// - Throws: when a token is too long to fit on a line of 998 characters.
    func rendered() throws(DeliveryError) -> String {
        var output = name + ":"
        var lineLength = output.utf8.count
        var isFirstToken = true
        for token in tokens {
            let length = token.utf8.count
            let fitsOnLine = lineLength + 1 + length <= Self.foldAt
            // Fold only before a non-empty token: folding before an empty one (a run of spaces) could leave
            // a line of nothing but white space, which RFC 5322 forbids. Never fold before the first token:
            // readers keep the folding white space as part of the value.
            if !fitsOnLine, !isFirstToken, length > 0 {
                output += "\r\n " + token
                lineLength = 1 + length
            } else {
                output += " " + token
                lineLength += 1 + length
            }
            isFirstToken = false
            guard lineLength <= Self.hardLimit else {
                throw DeliveryError(
                    isTransient: false, description: "header field \(name) has a word too long for one line")
            }
        }
        return output + "\r\n"
    }
}
