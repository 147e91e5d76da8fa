/// A theme tag of an activity or a lesson, such as `covid-19`.
public enum Theme {
    /// The most themes one activity or lesson carries.
    public static let maximumCount = 20

    /// A lowercase tag: a letter or digit, then up to 39 letters, digits or hyphens. Checked by hand: it runs
    /// for every row of an import, where compiling a regular expression each time dominated.
    public static func isValid(_ theme: String) -> Bool {
        let bytes = theme.utf8
        guard let first = bytes.first, (1...40).contains(bytes.count), isLowerAlphanumeric(first) else { return false }
        return bytes.allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") }
    }

    /// What is wrong with a list of themes, in words for the field `themes`; `nil` when nothing is.
    public static func problem(with themes: [String]) -> String? {
        if themes.count > maximumCount { return "at most \(maximumCount) themes" }
        if !themes.allSatisfy(isValid) { return "themes are lowercase tags such as covid-19" }
        return nil
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
