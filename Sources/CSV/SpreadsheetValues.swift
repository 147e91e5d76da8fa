import Vocabulary

/// Dates and numbers as Belgian spreadsheets write them, read alike by the imports of activities and of results.
public enum SpreadsheetValues {
    /// A date written `YYYY-MM-DD` or `DD/MM/YYYY` (as Excel in Belgium writes it); `nil` when it is neither.
    public static func date(_ text: String) -> CalendarDate? {
        if let date = CalendarDate(text) { return date }
        let parts = text.split(separator: "/")
        guard parts.count == 3, let day = Int(parts[0]), let month = Int(parts[1]), let year = Int(parts[2]) else {
            return nil
        }
        return CalendarDate(year: year, month: month, day: day)
    }

    /// A number as a program writes it (`12500.50`), from a cell as a spreadsheet writes it.
    ///
    /// Belgian spreadsheets write 12.500,50 or 12 500,50 (often with a no-break space); programs write
    /// 12500.50. Spaces go; with a decimal comma, points group thousands and go too. A point without a comma is
    /// a decimal point. The answer is not checked: the caller's rules say whether it is a number they take.
    @inlinable
    public static func decimal(_ text: String) -> String {
        let decimalComma = text.utf8.contains(UInt8(ascii: ","))
        var number = ""
        for scalar in text.unicodeScalars where !scalar.properties.isWhitespace {
            if decimalComma && scalar == "." { continue }
            number.unicodeScalars.append(scalar == "," ? "." : scalar)
        }
        return number
    }

    /// A yes or no written `yes`, `no`, `true`, `false`, `1` or `0` (any case); `nil` when it is none of them.
    public static func yesOrNo(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "yes", "true", "1": true
        case "no", "false", "0": false
        default: nil
        }
    }
}
