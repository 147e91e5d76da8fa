import Foundation
import Vocabulary

/// Activities summed per figure: what the SDG and overview reports are drawn from.
///
/// The same sums serve a municipality's report (from its activities, in memory) and the platform aggregate
/// (kept in `reporting.figures` by the read model, see `ReadModel+Figures.swift`), so the platform's totals
/// are the sum of the municipalities' reports by construction. The dimensions, as in
/// `migrations/0009_reporting_figures.sql`:
/// - `goal` / `target`: an activity's budget split evenly over its goals, a goal's share evenly over the
///   activity's targets of that goal, leftover cents on the first parts;
/// - `sdg`: activities with at least one goal and their whole budget; `no-goal`: the others;
/// - `all`, `status`, `kind`, `direction`, `country`, `year` (start year or `undated`), `covid-19`: the
///   overview's counts and whole budgets.
struct Figures: Sendable, Equatable {
    /// One figure in one currency (`""` for activities without a budget: they count, but add no money).
    struct Key: Sendable, Hashable {
        var dimension: String
        var value: String
        var currency: String
    }

    /// One figure over all currencies: what distinct partnerships are counted for.
    struct Reach: Sendable, Hashable {
        var dimension: String
        var value: String
    }

    struct Tally: Sendable, Equatable {
        var activities = 0
        var planned: Int64 = 0
        var spent: Int64 = 0

        static func += (lhs: inout Tally, rhs: Tally) {
            lhs.activities += rhs.activities
            lhs.planned += rhs.planned
            lhs.spent += rhs.spent
        }

        static prefix func - (tally: Tally) -> Tally {
            Tally(activities: -tally.activities, planned: -tally.planned, spent: -tally.spent)
        }

        var isZero: Bool { activities == 0 && planned == 0 && spent == 0 }
    }

    /// The dimensions of the SDG report, and of the overview.
    static let sdgDimensions = ["goal", "target", "sdg", "no-goal"]
    static let overviewDimensions = ["all", "status", "kind", "direction", "country", "year", "covid-19"]

    var tallies: [Key: Tally] = [:]
    /// Distinct partnerships per goal, target and `sdg`.
    var reach: [Reach: Int] = [:]

    init() {}

    /// The figures of `activities`, summed in memory.
    init(_ activities: [ReportedActivity]) {
        var partnerships: [Reach: Set<UUID>] = [:]
        for activity in activities {
            for (key, tally) in Self.contribution(of: activity) { tallies[key, default: Tally()] += tally }
            for reach in Self.reachedFigures(of: activity) {
                partnerships[reach, default: []].insert(activity.partnershipID)
            }
        }
        reach = partnerships.mapValues(\.count)
    }

    /// What one activity adds to the figures.
    static func contribution(of activity: ReportedActivity) -> [(Key, Tally)] {
        let currency = activity.currency ?? ""
        let whole = Tally(activities: 1, planned: activity.planned, spent: activity.spent)
        var parts: [(Key, Tally)] = []
        func add(_ dimension: String, _ value: String, _ tally: Tally) {
            parts.append((Key(dimension: dimension, value: value, currency: currency), tally))
        }
        let goals = Array(Set(activity.goals)).sorted()
        add(goals.isEmpty ? "no-goal" : "sdg", "", whole)
        let planned = Amount(cents: activity.planned).splitEvenly(into: goals.count).map(\.units)
        let spent = Amount(cents: activity.spent).splitEvenly(into: goals.count).map(\.units)
        for (index, goal) in goals.enumerated() {
            add("goal", String(goal), Tally(activities: 1, planned: planned[index], spent: spent[index]))
            let targets = targets(of: activity, in: goal)
            let targetPlanned = Amount(cents: planned[index]).splitEvenly(into: targets.count).map(\.units)
            let targetSpent = Amount(cents: spent[index]).splitEvenly(into: targets.count).map(\.units)
            for (position, target) in targets.enumerated() {
                add(
                    "target", target,
                    Tally(activities: 1, planned: targetPlanned[position], spent: targetSpent[position]))
            }
        }
        add("all", "", whole)
        add("status", activity.status, whole)
        add("kind", activity.kind, whole)
        add("direction", activity.direction, whole)
        add("country", activity.country, whole)
        add("year", activity.startYear.map(String.init) ?? "undated", whole)
        if activity.themes.contains("covid-19") { add("covid-19", "", whole) }
        return parts
    }

    /// The figures whose distinct partnerships one activity counts in, once per occurrence (a target listed
    /// twice counts twice, as in the activity counts).
    static func reachedFigures(of activity: ReportedActivity) -> [Reach] {
        let goals = Array(Set(activity.goals)).sorted()
        guard !goals.isEmpty else { return [] }
        var reached = [Reach(dimension: "sdg", value: "")]
        for goal in goals {
            reached.append(Reach(dimension: "goal", value: String(goal)))
            reached += targets(of: activity, in: goal).map { Reach(dimension: "target", value: $0) }
        }
        return reached
    }

    /// The activity's targets of `goal`, in the activity's order.
    static func targets(of activity: ReportedActivity, in goal: Int) -> [String] {
        activity.targets.filter { $0.split(separator: ".").first == Substring(String(goal)) }
    }

    /// The figures of all municipalities: tallies and distinct partnerships add up (a partnership belongs to
    /// one municipality).
    static func + (lhs: Figures, rhs: Figures) -> Figures {
        var sum = lhs
        for (key, tally) in rhs.tallies { sum.tallies[key, default: Tally()] += tally }
        sum.reach.merge(rhs.reach, uniquingKeysWith: +)
        return sum
    }

    /// Activities per value of a dimension, over all currencies; values without activities left out.
    func counts(_ dimension: String) -> [String: Int] {
        var counts: [String: Int] = [:]
        for (key, tally) in tallies where key.dimension == dimension {
            counts[key.value, default: 0] += tally.activities
        }
        return counts.filter { $0.value != 0 }
    }

    /// The budgets per value of a dimension, by currency.
    func budgets(_ dimension: String) -> [String: Budgets] {
        var budgets: [String: Budgets] = [:]
        for (key, tally) in tallies where key.dimension == dimension && tally.activities != 0 {
            if key.currency.isEmpty {
                _ = budgets[key.value, default: Budgets()]
            } else {
                budgets[key.value, default: Budgets()].add(key.currency, planned: tally.planned, spent: tally.spent)
            }
        }
        return budgets
    }
}
