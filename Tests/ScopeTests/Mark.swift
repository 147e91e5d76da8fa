import Foundation

/// Something of one partnership that an answer may show only to those who may see that partnership: a title, a
/// partner's name, a country, an amount, a theme, an id.
struct Mark: Sendable, Hashable, CustomStringConvertible {
    enum Kind: Sendable, Hashable {
        /// Any letter case (ids are written in either).
        case text
        /// A code such as a country's, as a word of its own.
        case code
        /// A decimal amount such as `98765.43`, in any locale's grouping and decimal mark.
        case amount
    }

    var what: String
    var value: String
    var kind: Kind

    var description: String { "\(what) «\(value)»" }

    /// Whether `text` (an answer's headers and body) shows it.
    func isShown(in text: String) -> Bool {
        switch kind {
        case .text:
            return text.lowercased().contains(value.lowercased())
        case .code:
            return text.contains(Self.regex("(^|[^A-Za-z0-9])\(value)([^A-Za-z0-9]|$)"))
        case .amount:
            // 98765.43 as JSON and CSV write it (98765.43, 98765,43) and as a page formats it for its reader
            // (98,765.43, 98.765,43, 98 765,43 with any space).
            let parts = value.split(separator: ".")
            var whole = Substring(parts[0])
            var groups: [Substring] = []
            while whole.count > 3 {
                groups.insert(whole.suffix(3), at: 0)
                whole = whole.dropLast(3)
            }
            groups.insert(whole, at: 0)
            return text.contains(
                Self.regex(
                    "(^|[^0-9])" + groups.joined(separator: "[^0-9]{0,2}") + "[.,]" + parts[1] + "([^0-9]|$)"))
        }
    }

    /// Whether the request names it itself (in its path or query): the answer may then echo it, as a page
    /// names the filters it was asked for.
    func isAsked(in uri: String) -> Bool {
        (uri.removingPercentEncoding ?? uri).lowercased().contains(value.lowercased())
    }

    private static func regex(_ pattern: String) -> Regex<AnyRegexOutput> {
        // Patterns are built above from the test's own values: a bad one is a bug in the test.
        try! Regex(pattern)
    }
}

/// A partnership with distinctive values in every field a route could show, one activity with a budget, a
/// progress note and an unshared lesson, and the marks an answer shows it by.
struct SeededPartnership: Sendable {
    var label: String
    var title: String
    var partner: String
    var country: String
    var countryName: String
    var activity: String
    var description: String
    var theme: String
    var amount: String
    var currency: String
    var note: String
    /// The words of a lesson the partnership's activity holds, written and never shared: unshared lessons stay
    /// with those who may see the partnership.
    var lessonTitle: String
    var lessonBody: String
    var id = ""
    var activityID = ""
    var resultID = ""
    var indicatorID = ""
    var periodID = ""
    var lessonID = ""

    var marks: [Mark] {
        [
            Mark(what: "\(label) title", value: title, kind: .text),
            Mark(what: "\(label) partner", value: partner, kind: .text),
            Mark(what: "\(label) country", value: country, kind: .code),
            Mark(what: "\(label) country name", value: countryName, kind: .text),
            Mark(what: "\(label) activity title", value: activity, kind: .text),
            Mark(what: "\(label) activity description", value: description, kind: .text),
            Mark(what: "\(label) theme", value: theme, kind: .text),
            Mark(what: "\(label) budget", value: amount, kind: .amount),
            Mark(what: "\(label) progress note", value: note, kind: .text),
            Mark(what: "\(label) id", value: id, kind: .text),
            Mark(what: "\(label) activity id", value: activityID, kind: .text),
            Mark(what: "\(label) result id", value: resultID, kind: .text),
            Mark(what: "\(label) indicator id", value: indicatorID, kind: .text),
            Mark(what: "\(label) period id", value: periodID, kind: .text),
            Mark(what: "\(label) lesson title", value: lessonTitle, kind: .text),
            Mark(what: "\(label) lesson body", value: lessonBody, kind: .text),
            Mark(what: "\(label) lesson id", value: lessonID, kind: .text),
        ]
    }
}
