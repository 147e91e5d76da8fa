/// Text as XML 1.0 can carry it.
enum XMLText {
    /// `text` without the characters XML 1.0 cannot represent at all, not even as a character reference:
    /// the C0 controls other than tab, line feed and carriage return, and U+FFFE, U+FFFF. (Swift strings
    /// hold no lone surrogates, the only other excluded range.)
    static func removingForbiddenCharacters(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars where isAllowed(scalar) {
            scalars.append(scalar)
        }
        return String(scalars)
    }

    /// True when XML 1.0's `Char` production admits `scalar`.
    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD: return true
        case 0x20...0xD7FF, 0xE000...0xFFFD, 0x1_0000...0x10_FFFF: return true
        default: return false
        }
    }

    /// `text` with markup characters escaped. A carriage return becomes `&#13;` (a parser would otherwise
    /// turn it into a line feed); in attributes tab and line feed become references too, because attribute
    /// value normalisation would turn them into spaces.
    static func escaped(_ text: String, inAttribute: Bool = false) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"" where inAttribute: escaped += "&quot;"
            case "'" where inAttribute: escaped += "&apos;"
            case "\r": escaped += "&#13;"
            case "\n" where inAttribute: escaped += "&#10;"
            case "\t" where inAttribute: escaped += "&#9;"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}
