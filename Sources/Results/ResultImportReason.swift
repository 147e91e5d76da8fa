import Gateway
import Vocabulary

/// Why the import of results refused a file or one of its cells, as a key: the `/import` page words it in the
/// person's language (``ResultImportWords``), the API keeps its English words (``english``) in its problem+json.
enum ResultImportReason: Sendable, Equatable {
    // The file.
    case noHeader
    case notUTF8
    case unclosedQuote
    case missingColumn(String)
    case unknownColumn(String)
    // A row's activity or partnership.
    case noParent
    case bothParents
    case unknownActivity
    case sharedActivityTitle
    case unknownPartnership
    case sharedPartnershipTitle
    // A row's cells, as the import reads them.
    case required
    case badDate
    case badYear
    case badYesNo
    case periodDatesTogether
    case periodMissing
    case baselineYearMissing
    /// The row names a result or indicator an earlier row (its line) named with another value in this column.
    case differs(row: Int)
    /// The period's value is approved with another value (its text; `nil` for a qualitative indicator's comment).
    case approvedWith(String?)
    // A row's result, indicator, period or value, as the API's own checks (``ResultRules``) refuse it.
    case textLength(maximum: Int)
    case controlCharacters
    case tooLong(maximum: Int)
    case nulCharacter
    case oneOf([String])
    case badSDGTarget
    case yearRange
    case badNumber
    case percentageAbove100
    case notWhole
    case qualitativeTakesComment
    case numberRequired
    case commentRequired
    case endsBeforeStart
    case overlaps(String)
    case measureHoldsValues
    /// A check this table does not know yet: its English words, shown as they are.
    case other(String)

    /// The reason in the API's English words; the checks of ``ResultRules`` keep theirs.
    var english: String {
        switch self {
        case .noHeader: "the file has no header row"
        case .notUTF8: "the file is not UTF-8 text"
        case .unclosedQuote: "a quoted field is never closed"
        case .missingColumn(let column): "the column \(column) is missing"
        case .unknownColumn(let column): "unknown column \(column)"
        case .noParent: "give the activity or the partnership the result belongs to"
        case .bothParents: "give an activity or a partnership, not both"
        case .unknownActivity: "no activity of this municipality has this title or id"
        case .sharedActivityTitle: "several activities have this title: give the activity's id"
        case .unknownPartnership: "no partnership of this municipality has this title or id"
        case .sharedPartnershipTitle: "several partnerships have this title: give the partnership's id"
        case .required: "is required"
        case .badDate: "must be a date as YYYY-MM-DD or DD/MM/YYYY"
        case .badYear: "must be a year such as 2019"
        case .badYesNo: "must be yes or no"
        case .periodDatesTogether: "give periodStart and periodEnd together"
        case .periodMissing: "is required when a target or an actual is given"
        case .baselineYearMissing: "is required when a baseline value or comment is given"
        case .differs(let row): "differs from row \(row), which names the same result or indicator"
        case .approvedWith(let value?): "approved with \(value): return it first"
        case .approvedWith(nil): "approved with another comment: return it first"
        case .textLength(let maximum): "must be 1 to \(maximum) characters"
        case .controlCharacters: "must not contain control characters"
        case .tooLong(let maximum): "must be at most \(maximum) characters"
        case .nulCharacter: "must not contain a NUL character"
        case .oneOf(let allowed): "must be one of \(allowed.joined(separator: ", "))"
        case .badSDGTarget: "must be an SDG target such as 16.9"
        case .yearRange: "must be a year from 1900 to 2200"
        case .badNumber: "must be a number such as \"74.5\": not negative, below 10^12, at most 6 decimals"
        case .percentageAbove100: "a percentage is at most 100"
        case .notWhole: "must be a whole number for this measure"
        case .qualitativeTakesComment: "a qualitative indicator takes only a comment"
        case .numberRequired: "is required: this indicator is measured in numbers"
        case .commentRequired: "is required: a qualitative indicator is reported in words"
        case .endsBeforeStart: "must not be before start"
        case .overlaps(let other): "overlaps \(other)"
        case .measureHoldsValues: "periods hold values"
        case .other(let english): english
        }
    }

    /// The reason of a refusal by the service's own checks, told by its English words; a message this table
    /// does not word is kept as it is rather than misnamed.
    init(message: String) {
        let known: [ResultImportReason] = [
            .textLength(maximum: 200), .controlCharacters, .tooLong(maximum: 20_000),
            .tooLong(maximum: ResultRules.commentLength), .nulCharacter, .oneOf(ResultType.rawValues),
            .oneOf(IndicatorMeasure.rawValues), .badSDGTarget, .yearRange, .badNumber, .percentageAbove100, .notWhole,
            .qualitativeTakesComment, .numberRequired, .commentRequired, .endsBeforeStart, .measureHoldsValues,
            .required,
        ]
        if let reason = known.first(where: { $0.english == message }) {
            self = reason
        } else if message.hasPrefix("overlaps ") {
            self = .overlaps(String(message.dropFirst("overlaps ".count)))
        } else {
            self = .other(message)
        }
    }
}

/// One thing the import of results refused: where (the API's field, `row 3: measure`, and the row and column for
/// the page's table) and why.
struct ResultImportProblem: Sendable, Equatable {
    /// The row of the file (its line, the header being line 1); `nil` for the file as a whole.
    var row: Int?
    /// The column (`measure`, `baselineValue`), or what of the file is meant (`file`, `header`, `line 4`).
    var column: String
    var reason: ResultImportReason

    /// As the API names it: `row 3: measure`.
    var fieldError: Problem.FieldError {
        .init(field: row.map { "row \($0): \(column)" } ?? column, message: reason.english)
    }
}

/// A file of results the import refused, nothing imported: every problem found (up to
/// ``ResultImporter/maximumReportedErrors``).
struct ResultImportRefused: Error, Sendable {
    var problems: [ResultImportProblem]

    /// The API's answer: a 422 listing each row, column and reason in English.
    var problem: Problem { Problem.validation(problems.map(\.fieldError)) }
}
