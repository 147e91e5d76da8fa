import Gateway

/// Why the import refused a file or one of its cells, as a key: the `/import` page words it in the person's
/// language (``ImportWords``), the API keeps its English words (``english``) in its problem+json.
enum ImportReason: Sendable, Equatable {
    // The file.
    case noHeader
    case notUTF8
    case unclosedQuote
    case missingColumn(String)
    case unknownColumn(String)
    // A row's partnership.
    case sharedPartnershipTitle
    case unknownPartnership
    // A row's cells, as the import reads them.
    case badDate
    case notWholeNumber
    case plannedMissing
    // A row's activity, as the API's own checks (``ActivityRules``) refuse it.
    case textLength(maximum: Int)
    case controlCharacters
    case tooLong(maximum: Int)
    case nulCharacter
    case oneOf([String])
    case unknownTargets(String)
    case repeatedTarget
    case unknownSectors(String)
    case repeatedSector
    case tooManySectors
    case tooManyThemes
    case badTheme
    /// An amount that is not one; `example` as the API's words give it (`12500.00`).
    case badAmount(example: String)
    case badCurrency
    case endsBeforeStart
    case negative
    case tooLarge
    /// A check this table does not know yet: its English words, shown as they are.
    case other(String)

    /// The import's own reasons in the API's English words (the checks of ``ActivityRules`` keep theirs).
    var english: String {
        switch self {
        case .noHeader: "the file has no header row"
        case .notUTF8: "the file is not UTF-8 text"
        case .unclosedQuote: "a quoted field is never closed"
        case .missingColumn(let column): "the column \(column) is missing"
        case .unknownColumn(let column): "unknown column \(column)"
        case .sharedPartnershipTitle: "several partnerships have this title: give the partnership's id"
        case .unknownPartnership: "no partnership of this municipality has this title or id"
        case .badDate: "must be a date as YYYY-MM-DD or DD/MM/YYYY"
        case .notWholeNumber: "must be a whole number"
        case .plannedMissing: "is required when budgetSpent is given"
        case .textLength(let maximum): "must be 1 to \(maximum) characters"
        case .controlCharacters: "must not contain control characters"
        case .tooLong(let maximum): "must be at most \(maximum) characters"
        case .nulCharacter: "must not contain a NUL character"
        case .oneOf(let allowed): "must be one of \(allowed.joined(separator: ", "))"
        case .unknownTargets(let codes): "unknown SDG target(s): \(codes)"
        case .repeatedTarget: "must not repeat a target"
        case .unknownSectors(let codes): "unknown DAC 5-digit sector(s): \(codes)"
        case .repeatedSector: "must not repeat a sector"
        case .tooManySectors: "at most 10 DAC sectors"
        case .tooManyThemes: "at most 20 themes"
        case .badTheme: "themes are lowercase tags such as covid-19"
        case .badAmount(let example): "must be an amount such as \"\(example)\", not negative"
        case .badCurrency: "must be an ISO 4217 code such as EUR"
        case .endsBeforeStart: "must not be before startsOn"
        case .negative: "must not be negative"
        case .tooLarge: "must be at most \(Int32.max)"
        case .other(let english): english
        }
    }

    /// The reason of a refusal by the activity's own checks (``NewActivity/validate()``, shared with the API),
    /// told by its column (the import's names) and its English words.
    init(checked column: String, message: String) {
        switch column {
        case "title":
            self = message.contains("control") ? .controlCharacters : .textLength(maximum: 200)
        case "description", "results":
            self = message.contains("NUL") ? .nulCharacter : .tooLong(maximum: 20_000)
        case "kind": self = .oneOf(ActivityRules.kinds)
        case "status": self = .oneOf(ActivityRules.statuses)
        case "direction": self = .oneOf(ActivityRules.directions)
        case "fundingSource": self = .oneOf(ActivityRules.fundingSources)
        case "sdgTargets":
            let prefix = "unknown SDG target(s): "
            if message.hasPrefix(prefix) {
                self = .unknownTargets(String(message.dropFirst(prefix.count)))
            } else {
                self = .repeatedTarget
            }
        case "dacSectors":
            let prefix = "unknown DAC 5-digit sector(s): "
            if message.hasPrefix(prefix) {
                self = .unknownSectors(String(message.dropFirst(prefix.count)))
            } else {
                self = message.hasPrefix("at most") ? .tooManySectors : .repeatedSector
            }
        case "themes": self = message.hasPrefix("at most") ? .tooManyThemes : .badTheme
        case "budgetPlanned": self = .badAmount(example: "12500.00")
        case "budgetSpent": self = .badAmount(example: "400.00")
        case "currency": self = .badCurrency
        case "endsOn" where message.contains("before"): self = .endsBeforeStart
        case "participants": self = message.contains("negative") ? .negative : .tooLarge
        default: self = .other(message)
        }
        // A message that is not the one this reason words is kept as it is rather than misnamed.
        if english != message { self = .other(message) }
    }
}

/// One thing the import refused: where (the API's field, `row 3: kind`, and the row and column for the page's
/// table) and why.
struct ImportProblem: Sendable, Equatable {
    /// The row of the file (its line, the header being line 1); `nil` for the file as a whole.
    var row: Int?
    /// The column (`kind`, `budgetPlanned`), or what of the file is meant (`file`, `header`, `line 4`).
    var column: String
    var reason: ImportReason
    /// The API's English words.
    var message: String

    init(row: Int? = nil, column: String, reason: ImportReason, message: String? = nil) {
        self.row = row
        self.column = column
        self.reason = reason
        self.message = message ?? reason.english
    }

    /// As the API names it: `row 3: kind`.
    var fieldError: Problem.FieldError {
        .init(field: row.map { "row \($0): \(column)" } ?? column, message: message)
    }
}

/// A file the import refused, nothing imported: every problem found (up to
/// ``ActivityImporter/maximumReportedErrors``).
struct ImportRefused: Error, Sendable {
    var problems: [ImportProblem]

    /// The API's answer: a 422 listing each row, column and reason in English.
    var problem: Problem { Problem.validation(problems.map(\.fieldError)) }
}
