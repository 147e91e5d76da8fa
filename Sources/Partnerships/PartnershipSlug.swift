import Foundation

/// A partnership's address on the showcase (`/showcase/{municipality}/{slug}`), made from its partner's name at
/// its first publication: "Dogbo" is `dogbo`, a second Dogbo of the same municipality `dogbo-2`.
///
/// What the migration's check allows: 1 to 63 lowercase ASCII letters, digits and inner hyphens.
enum PartnershipSlug {
    static let maximumLength = 63
    /// The slug of a partner whose name has no Latin letter or digit at all.
    static let fallback = "partner"

    /// `name` in lower case, its accents folded ("Sélibaby" is `selibaby`), every run of other characters one
    /// hyphen ("Nimlaha'kok" is `nimlaha-kok`), trimmed of hyphens, at most `maximum` characters.
    static func base(_ name: String, maximum: Int = maximumLength) -> String {
        // The compatibility decomposition splits "é" into "e" and its accent, and "ﬁ" into "fi"; the accents
        // are then left out with every other character that is not a Latin letter or digit.
        var slug = ""
        var gap = false
        for scalar in name.lowercased().decomposedStringWithCompatibilityMapping.unicodeScalars {
            if let letters = folded[scalar] ?? (isLatinLetterOrDigit(scalar) ? String(scalar) : nil) {
                if gap && !slug.isEmpty { slug.append("-") }
                gap = false
                slug.append(letters)
            } else if scalar.properties.generalCategory != .nonspacingMark {
                gap = true
            }
        }
        while slug.unicodeScalars.count > maximum || slug.hasSuffix("-") {
            slug.unicodeScalars.removeLast()
        }
        return slug
    }

    /// The first slug for `name` that `taken` does not hold: the base, then the base with `-2`, `-3`, … (the
    /// base cut short so that the whole stays within ``maximumLength``).
    static func free(for name: String, taken: Set<String>) -> String {
        let whole = base(name)
        let first = whole.isEmpty ? fallback : whole
        if !taken.contains(first) { return first }
        var number = 2
        while true {
            let suffix = "-\(number)"
            let cut = base(first, maximum: maximumLength - suffix.count)
            let candidate = (cut.isEmpty ? fallback : cut) + suffix
            if !taken.contains(candidate) { return candidate }
            number += 1
        }
    }

    private static func isLatinLetterOrDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
    }

    /// Letters that no decomposition turns into Latin ones.
    private static let folded: [Unicode.Scalar: String] = [
        "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ħ": "h",
    ]
}
