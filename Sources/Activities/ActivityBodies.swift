import ActivitiesContracts
import Foundation
import Gateway
import Postgres
import ReferenceData
import Vocabulary

/// The values an activity's fields may take.
enum ActivityRules {
    static let kinds = ActivityKind.allCases.map(\.rawValue)
    static let statuses = ActivityStatus.allCases.map(\.rawValue)
    static let directions = LearningDirection.allCases.map(\.rawValue)
    static let fundingSources = FundingSource.allCases.map(\.rawValue)

    static func targets(_ codes: [String]?) -> [Problem.FieldError] {
        guard let codes else { return [] }
        let unknown = codes.filter { SDGCatalogue.target($0) == nil }
        if !unknown.isEmpty {
            return [
                .init(
                    field: "sdgTargets", message: "unknown SDG target(s): \(unknown.prefix(5).joined(separator: ", "))")
            ]
        }
        if Set(codes).count != codes.count { return [.init(field: "sdgTargets", message: "must not repeat a target")] }
        return []
    }

    /// At most ten DAC 5-digit sectors of the codelist (IATI's sector vocabulary 1), none repeated.
    static func sectors(_ codes: [String]?) -> [Problem.FieldError] {
        guard let codes else { return [] }
        if codes.count > 10 { return [.init(field: "dacSectors", message: "at most 10 DAC sectors")] }
        let unknown = codes.filter { DACSectors.sector($0) == nil }
        if !unknown.isEmpty {
            return [
                .init(
                    field: "dacSectors",
                    message: "unknown DAC 5-digit sector(s): \(unknown.prefix(5).joined(separator: ", "))")
            ]
        }
        if Set(codes).count != codes.count { return [.init(field: "dacSectors", message: "must not repeat a sector")] }
        return []
    }

    /// The goals of the targets, sorted.
    static func goals(of targets: [String]) -> [Int] {
        Array(Set(targets.compactMap { SDGCatalogue.target($0)?.goal })).sorted()
    }

    static func themes(_ themes: [String]?) -> [Problem.FieldError] {
        guard let themes, let problem = Theme.problem(with: themes) else { return [] }
        return [.init(field: "themes", message: problem)]
    }

    static func budget(_ budget: BudgetInput?) -> [Problem.FieldError] {
        guard let budget else { return [] }
        var errors: [Problem.FieldError] = []
        if !isAmount(budget.planned) {
            errors.append(
                .init(field: "budget.planned", message: "must be an amount such as \"12500.00\", not negative"))
        }
        if let spent = budget.spent, !isAmount(spent) {
            errors.append(.init(field: "budget.spent", message: "must be an amount such as \"400.00\", not negative"))
        }
        if !Currencies.isValid(budget.currency) {
            errors.append(.init(field: "budget.currency", message: "must be an ISO 4217 code such as EUR"))
        }
        return errors
    }

    /// An amount of money: 1 to 12 digits, optionally a point and 1 or 2 digits; never negative.
    static func isAmount(_ text: String) -> Bool {
        let parts = text.utf8.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
        let isDigit: (UInt8) -> Bool = { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
        guard (1...12).contains(parts[0].count), parts[0].allSatisfy(isDigit) else { return false }
        return parts.count == 1 || ((1...2).contains(parts[1].count) && parts[1].allSatisfy(isDigit))
    }

    static func text(_ value: String?, field: String) -> [Problem.FieldError] {
        FieldCheck.text(value, field: field)
    }

    static func dates(_ start: CalendarDate?, _ end: CalendarDate?) -> [Problem.FieldError] {
        guard let start, let end, end < start else { return [] }
        return [.init(field: "endsOn", message: "must not be before startsOn")]
    }

    static func participants(_ value: Int?) -> [Problem.FieldError] {
        guard let value else { return [] }
        if value < 0 { return [.init(field: "participants", message: "must not be negative")] }
        // The column is an `integer`: a larger count would fail in the database instead.
        if value > Int32.max { return [.init(field: "participants", message: "must be at most \(Int32.max)")] }
        return []
    }
}

extension ActivityRules {
    /// The checks every activity field gets, whether recorded or changed; `nil` fields are not checked.
    static func check(
        title: String?,
        description: String?,
        kind: String?,
        status: String?,
        direction: String?,
        targets: [String]?,
        sectors: [String]?,
        themes: [String]?,
        budget: BudgetInput?,
        fundingSource: String?,
        participants: Int?,
        results: String?
    ) -> [Problem.FieldError] {
        FieldCheck.name(title, field: "title") + text(description, field: "description")
            + FieldCheck.oneOf(kind, kinds, field: "kind") + FieldCheck.oneOf(status, statuses, field: "status")
            + FieldCheck.oneOf(direction, directions, field: "direction") + self.targets(targets)
            + self.sectors(sectors) + self.themes(themes) + self.budget(budget)
            + FieldCheck.oneOf(fundingSource, fundingSources, field: "fundingSource")
            + self.participants(participants) + text(results, field: "results")
    }
}

/// A budget as a client sends it: amounts as strings, so no float ever touches money.
public struct BudgetInput: Codable, Sendable, Equatable {
    var planned: String
    var spent: String?
    var currency: String

}

/// A new activity, as `POST /api/v1/partnerships/{id}/activities` takes it and ``ActivitiesService`` records it.
public struct NewActivity: RequestBody {
    public static let fields: Set<String> = [
        "title", "description", "kind", "status", "startsOn", "endsOn", "direction", "sdgTargets", "themes",
        "budget", "fundingSource", "participants", "results", "dacSectors",
    ]
    var title: String
    var description: String?
    var kind: String
    var status: String?
    var startsOn: CalendarDate?
    var endsOn: CalendarDate?
    var direction: String
    var sdgTargets: [String]?
    var themes: [String]?
    var budget: BudgetInput?
    var fundingSource: String?
    var participants: Int?
    var results: String?
    var dacSectors: [String]?

    public func validate() -> [Problem.FieldError] {
        ActivityRules.check(
            title: title,
            description: description,
            kind: kind,
            status: status,
            direction: direction,
            targets: sdgTargets,
            sectors: dacSectors,
            themes: themes,
            budget: budget,
            fundingSource: fundingSource,
            participants: participants,
            results: results
        ) + ActivityRules.dates(startsOn, endsOn)
    }
}

/// A PATCH of an activity: fields left out stay; `null` clears the dates, the budget, the funding source and
/// the participants (texts are cleared with "", lists with []).
struct ActivityChanges: RequestBody {
    static let fields = NewActivity.fields
    var title: String?
    var description: String?
    var kind: String?
    var status: String?
    var startsOn: PatchField<CalendarDate>
    var endsOn: PatchField<CalendarDate>
    var direction: String?
    var sdgTargets: [String]?
    var themes: [String]?
    var budget: PatchField<BudgetInput>
    var fundingSource: PatchField<String>
    var participants: PatchField<Int>
    var results: String?
    var dacSectors: [String]?

    func validate() -> [Problem.FieldError] {
        ActivityRules.check(
            title: title,
            description: description,
            kind: kind,
            status: status,
            direction: direction,
            targets: sdgTargets,
            sectors: dacSectors,
            themes: themes,
            budget: budget.newValue,
            fundingSource: fundingSource.newValue,
            participants: participants.newValue,
            results: results
        )
    }
}

/// A progress update, as `POST /api/v1/activities/{id}/updates` takes it.
public struct NewProgressUpdate: RequestBody {
    public static let fields: Set<String> = ["body"]
    var body: String

    /// An update saying `body`.
    public init(body: String) {
        self.body = body
    }

    public func validate() -> [Problem.FieldError] {
        if body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            return [.init(field: "body", message: "must be 1 to 20000 characters")]
        }
        return FieldCheck.text(body, field: "body")
    }
}

extension BudgetInput {
    /// A budget of `planned` in `currency`, of which `spent` is spent.
    public init(planned: Amount, spent: Amount? = nil, currency: Currency) {
        self.planned = planned.description
        self.spent = spent?.description
        self.currency = currency.rawValue
    }
}

extension NewActivity {
    /// An activity to record; ``ActivitiesService`` checks it as it checks a request's body.
    public init(
        title: String, description: String? = nil, kind: ActivityKind, status: ActivityStatus? = nil,
        startsOn: CalendarDate? = nil, endsOn: CalendarDate? = nil, direction: LearningDirection,
        sdgTargets: [String]? = nil, themes: [String]? = nil, budget: BudgetInput? = nil,
        fundingSource: FundingSource? = nil, participants: Int? = nil, results: String? = nil,
        dacSectors: [String]? = nil
    ) {
        self.title = title
        self.description = description
        self.kind = kind.rawValue
        self.status = status?.rawValue
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.direction = direction.rawValue
        self.sdgTargets = sdgTargets
        self.themes = themes
        self.budget = budget
        self.fundingSource = fundingSource?.rawValue
        self.participants = participants
        self.results = results
        self.dacSectors = dacSectors
    }
}

extension ActivityChanges {
    /// A change of the DAC sectors alone, as `/activities/{id}/sectors` makes it.
    init(dacSectors: [String]) {
        self.init(
            title: nil, description: nil, kind: nil, status: nil, startsOn: .absent, endsOn: .absent, direction: nil,
            sdgTargets: nil, themes: nil, budget: .absent, fundingSource: .absent, participants: .absent,
            results: nil, dacSectors: dacSectors)
    }
}
