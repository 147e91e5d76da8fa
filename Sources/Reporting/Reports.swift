import Foundation
import Gateway
import Postgres
import Vocabulary

/// The planned and spent money of one currency: never added across currencies, never through a float.
struct Money: Sendable, Equatable {
    var planned = Amount.zero
    var spent = Amount.zero

    static func += (lhs: inout Money, rhs: Money) {
        lhs.planned += rhs.planned
        lhs.spent += rhs.spent
    }
}

/// Budgets keyed by currency, as JSON shows them: `{"EUR": {"planned": "2500.00", "spent": "400.00"}}`.
struct Budgets: Sendable, Equatable, Encodable {
    var byCurrency: [String: Money] = [:]

    /// Adds amounts in cents, as the figures count them.
    mutating func add(_ currency: String?, planned: Int64, spent: Int64) {
        guard let currency else { return }
        byCurrency[currency, default: Money()] += Money(planned: Amount(cents: planned), spent: Amount(cents: spent))
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for (currency, money) in byCurrency.sorted(by: { $0.key < $1.key }) {
            var amounts = container.nestedContainer(keyedBy: Key.self, forKey: Key(currency))
            try amounts.encode(money.planned, forKey: Key("planned"))
            try amounts.encode(money.spent, forKey: Key("spent"))
        }
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ value: String) { stringValue = value }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

/// What reports filter on: `year`, `partnershipId`, `country`, `status` and `theme`.
struct ReportFilter: Sendable, Equatable {
    /// Activities running during the year (undated ones are left out).
    var year: Int?
    var partnershipID: UUID?
    /// The partner's country, ISO 3166-1 alpha-2.
    var country: String?
    /// The activities' status.
    var status: String?
    var theme: String?

    var condition: PostgresQuery {
        var condition: PostgresQuery = "NOT a.deleted AND NOT p.deleted"
        if let year {
            let start = CalendarDate(year: year, month: 1, day: 1)
            let end = CalendarDate(year: year, month: 12, day: 31)
            condition =
                "\(fragment: condition) AND a.starts_on <= \(end) AND coalesce(a.ends_on, a.starts_on) >= \(start)"
        }
        if let partnershipID { condition = "\(fragment: condition) AND a.partnership_id = \(partnershipID)" }
        if let country { condition = "\(fragment: condition) AND p.partner_country = \(country)" }
        if let status { condition = "\(fragment: condition) AND a.status = \(status)" }
        if let theme { condition = "\(fragment: condition) AND \(theme) = ANY(a.themes)" }
        return condition
    }
}

/// An activity as the reports count it.
struct ReportedActivity: Sendable {
    var partnershipID: UUID
    var status: String
    var kind: String
    var direction: String
    var themes: [String]
    var goals: [Int]
    var targets: [String]
    var planned: Int64
    var spent: Int64
    var currency: String?
    var startYear: Int?
    var country: String

    /// The select list `init(_:from:)` decodes, over `reporting.activities a` and `reporting.partnerships p`.
    static let columns: PostgresQuery = """
        a.partnership_id, a.status, a.kind, a.direction, a.themes, a.sdg_goals, a.sdg_targets,
        coalesce((a.budget_planned * 100)::int8, 0), coalesce((a.budget_spent * 100)::int8, 0),
        a.budget_currency, extract(year FROM a.starts_on)::int, p.partner_country
        """
}

extension ReportedActivity {
    /// Decodes `columns`, starting at `column`.
    init(_ row: PostgresRow, from column: Int) throws {
        self.init(
            partnershipID: try row.decode(UUID.self, column: column),
            status: try row.decode(String.self, column: column + 1),
            kind: try row.decode(String.self, column: column + 2),
            direction: try row.decode(String.self, column: column + 3),
            themes: try row.decode([String].self, column: column + 4),
            goals: try row.decode([Int].self, column: column + 5),
            targets: try row.decode([String].self, column: column + 6),
            planned: try row.decode(Int64.self, column: column + 7),
            spent: try row.decode(Int64.self, column: column + 8),
            currency: try row.decode(String?.self, column: column + 9),
            startYear: try row.decode(Int?.self, column: column + 10),
            country: try row.decode(String.self, column: column + 11))
    }
}

/// `GET /api/v1/reports/sdg`: per goal and target, how many activities and partnerships contribute and
/// with how much money.
struct SDGReport: Sendable, Encodable {
    struct Target: Sendable, Encodable {
        var target: String
        var activities: Int
        var partnerships: Int
        var budget: Budgets
    }

    struct Goal: Sendable, Encodable {
        var goal: Int
        var activities: Int
        var partnerships: Int
        var budget: Budgets
        var targets: [Target]
    }

    struct Totals: Sendable, Encodable {
        /// Activities with at least one goal, each once.
        var activities: Int
        var partnerships: Int
        /// The real budget of those activities: the goals' budgets add up to it.
        var budget: Budgets
        /// Activities without any goal, and their budget, which no goal shows.
        var activitiesWithoutGoal: Int
        var budgetWithoutGoal: Budgets
    }

    var goals: [Goal]
    var totals: Totals
    /// How budgets are attributed.
    var method =
        "An activity counts once in each of its goals; its budget is split evenly over its goals, and a goal's share evenly over the activity's targets of that goal, to the cent, so the totals add up to the real budget."

    init(_ activities: [ReportedActivity]) {
        self.init(figures: Figures(activities))
    }

    /// The report drawn from summed figures (see `Figures`).
    init(figures: Figures) {
        let goalCounts = figures.counts("goal")
        let goalBudgets = figures.budgets("goal")
        let targetCounts = figures.counts("target")
        let targetBudgets = figures.budgets("target")
        func reach(_ dimension: String, _ value: String) -> Int {
            figures.reach[Figures.Reach(dimension: dimension, value: value)] ?? 0
        }
        totals = Totals(
            activities: figures.counts("sdg")[""] ?? 0, partnerships: reach("sdg", ""),
            budget: figures.budgets("sdg")[""] ?? Budgets(), activitiesWithoutGoal: figures.counts("no-goal")[""] ?? 0,
            budgetWithoutGoal: figures.budgets("no-goal")[""] ?? Budgets())
        goals = SDGGoalID.all.map(\.rawValue).map { goal in
            let key = String(goal)
            let targets = targetCounts.keys.filter { $0.split(separator: ".").first == Substring(key) }
                .sorted(by: SDGReport.targetOrder)
            return Goal(
                goal: goal, activities: goalCounts[key] ?? 0, partnerships: reach("goal", key),
                budget: goalBudgets[key] ?? Budgets(),
                targets: targets.map { target in
                    Target(
                        target: target, activities: targetCounts[target] ?? 0, partnerships: reach("target", target),
                        budget: targetBudgets[target] ?? Budgets())
                })
        }
    }

    /// `3.2` before `3.10` before `3.a`.
    static func targetOrder(_ a: String, _ b: String) -> Bool {
        let x = a.split(separator: ".").last.map(String.init) ?? a
        let y = b.split(separator: ".").last.map(String.init) ?? b
        switch (Int(x), Int(y)) {
        case (let i?, let j?): return i < j
        case (.some, nil): return true
        case (nil, .some): return false
        case (nil, nil): return x < y
        }
    }
}

/// `GET /api/v1/reports/overview`: the figures a municipality reports on its stedenbanden.
struct OverviewReport: Sendable, Encodable {
    struct Count: Sendable, Encodable {
        var key: String
        var count: Int
    }

    struct Slice: Sendable, Encodable {
        var key: String
        var activities: Int
        var budget: Budgets
    }

    var partnershipsByStatus: [Count]
    var activities: Int
    var activitiesByStatus: [Count]
    var activitiesByKind: [Count]
    var activitiesByDirection: [Count]
    /// The lessons of the activities counted, per side that learnt them (`flemish_municipality`,
    /// `partner_municipality`, both always there): the reciprocity of what was learnt, beside the directions.
    var lessonsBySide: [Count] = LessonSide.allCases.map { Count(key: $0.rawValue, count: 0) }
    /// The share of activities in which the Flemish side learns: `south_to_north` and `mutual`, 0 to 1.
    var reciprocityShare: Double
    var budget: Budgets
    /// Activities themed `covid-19`, and their budget.
    var covid19: Slice
    var byCountry: [Slice]
    /// By the year an activity starts; undated activities under `undated`.
    var byYear: [Slice]

    init(activities list: [ReportedActivity], partnershipStatuses: [String: Int]) {
        self.init(figures: Figures(list), partnershipStatuses: partnershipStatuses)
    }

    /// The report drawn from summed figures (see `Figures`).
    init(figures: Figures, partnershipStatuses: [String: Int]) {
        func counts(_ dimension: String) -> [Count] {
            figures.counts(dimension).map { Count(key: $0.key, count: $0.value) }.sorted { $0.key < $1.key }
        }
        func slices(_ dimension: String) -> [Slice] {
            let budgets = figures.budgets(dimension)
            return figures.counts(dimension).map { key, count in
                Slice(key: key, activities: count, budget: budgets[key] ?? Budgets())
            }.sorted { $0.key < $1.key }
        }
        partnershipsByStatus = partnershipStatuses.map { Count(key: $0.key, count: $0.value) }.sorted {
            $0.key < $1.key
        }
        activities = figures.counts("all")[""] ?? 0
        activitiesByStatus = counts("status")
        activitiesByKind = counts("kind")
        let directions = figures.counts("direction")
        activitiesByDirection = counts("direction")
        let reciprocal = LearningDirection.allCases.filter(\.isReciprocal).reduce(0) {
            $0 + (directions[$1.rawValue] ?? 0)
        }
        reciprocityShare = activities == 0 ? 0 : (Double(reciprocal) / Double(activities) * 1000).rounded() / 1000
        budget = figures.budgets("all")[""] ?? Budgets()
        covid19 = Slice(
            key: "covid-19", activities: figures.counts("covid-19")[""] ?? 0,
            budget: figures.budgets("covid-19")[""] ?? Budgets())
        byCountry = slices("country")
        byYear = slices("year")
    }

    /// Sets the lessons per side (a side not in `bySide` has none).
    mutating func countLessons(_ bySide: [String: Int]) {
        lessonsBySide = LessonSide.allCases.map { Count(key: $0.rawValue, count: bySide[$0.rawValue] ?? 0) }
    }

    /// The lessons of one side.
    func lessons(_ side: LessonSide) -> Int { lessonsBySide.first { $0.key == side.rawValue }?.count ?? 0 }
}
