import Foundation
import Testing
import Vocabulary

@testable import Activities

/// The import's reasons as keys: every refusal a row can meet has a key the page words in every language, and
/// the API's English words stay what they were.
@Suite("The import's reasons: keys worded in every language, the API's English kept")
struct ImportReasonTests {
    static let dogbo = UUID()

    /// The reasons of one row with `values` (and a known partnership unless it says otherwise).
    static func reasons(_ values: [String: String]) -> [String: ImportReason] {
        var row = ["partnership": "roeselare–dogbo", "title": "A row", "kind": "other", "direction": "mutual"]
        row.merge(values) { _, new in new }
        let (_, problems) = ActivityImporter.activity(from: row, partnerships: ["roeselare–dogbo": dogbo])
        return Dictionary(problems.map { ($0.column, $0.reason) }, uniquingKeysWith: { first, _ in first })
    }

    @Test("each bad cell is a reason of its own, none left as English words only")
    func everyCheckHasAKey() {
        let cases: [([String: String], String, ImportReason)] = [
            (["partnership": "nowhere"], "partnership", .unknownPartnership),
            (["title": String(repeating: "x", count: 201)], "title", .textLength(maximum: 200)),
            (["title": "a\u{7}b"], "title", .controlCharacters),
            (["description": String(repeating: "x", count: 20_001)], "description", .tooLong(maximum: 20_000)),
            (["kind": "party"], "kind", .oneOf(ActivityRules.kinds)),
            (["status": "done"], "status", .oneOf(ActivityRules.statuses)),
            (["direction": "east"], "direction", .oneOf(ActivityRules.directions)),
            (["fundingsource": "lottery"], "fundingSource", .oneOf(ActivityRules.fundingSources)),
            (["startson": "soon"], "startsOn", .badDate),
            (["startson": "2020-05-01", "endson": "2020-04-01"], "endsOn", .endsBeforeStart),
            (["sdgtargets": "3.d 99.9"], "sdgTargets", .unknownTargets("99.9")),
            (["sdgtargets": "3.d 3.d"], "sdgTargets", .repeatedTarget),
            (["themes": "Covid"], "themes", .badTheme),
            (["themes": (1...21).map { "t\($0)" }.joined(separator: ",")], "themes", .tooManyThemes),
            (["budgetplanned": "-5"], "budgetPlanned", .badAmount(example: "12500.00")),
            (["budgetplanned": "5", "budgetspent": "lots"], "budgetSpent", .badAmount(example: "400.00")),
            (["budgetspent": "5"], "budgetPlanned", .plannedMissing),
            (["budgetplanned": "5", "currency": "EURO"], "currency", .badCurrency),
            (["participants": "many"], "participants", .notWholeNumber),
            (["participants": "-1"], "participants", .negative),
            (["participants": "99999999999"], "participants", .tooLarge),
        ]
        for (values, column, reason) in cases {
            #expect(Self.reasons(values)[column] == reason, "\(values)")
        }
    }

    @Test("every reason has Dutch, French and Spanish words of its own; English is the API's words")
    func wordedInEveryLanguage() {
        let reasons: [ImportReason] = [
            .noHeader, .notUTF8, .unclosedQuote, .missingColumn("kind"), .unknownColumn("colour"),
            .sharedPartnershipTitle, .unknownPartnership, .badDate, .notWholeNumber, .plannedMissing,
            .textLength(maximum: 200), .controlCharacters, .tooLong(maximum: 20_000), .nulCharacter,
            .oneOf(["a", "b"]), .unknownTargets("99.9"), .repeatedTarget, .tooManyThemes, .badTheme,
            .badAmount(example: "400.00"), .badCurrency, .endsBeforeStart, .negative, .tooLarge,
        ]
        for reason in reasons {
            let english = ImportWords.reason(reason, in: .en)
            #expect(english.lowercased().hasPrefix(reason.english.lowercased()), "\(reason)")
            for language in [Language.nl, .fr, .es] {
                let words = ImportWords.reason(reason, in: language)
                #expect(!words.isEmpty && words.lowercased() != english.lowercased(), "\(reason) in \(language)")
            }
        }
        // A check the table does not know yet is shown as the API words it, never dropped.
        #expect(ImportReason(checked: "title", message: "must rhyme") == .other("must rhyme"))
        #expect(ImportWords.reason(.other("must rhyme"), in: .fr) == "must rhyme")
    }
}
