import Vocabulary

/// One of the 17 Sustainable Development Goals.
public struct SDGGoal: Sendable, Hashable {
    /// 1 to 17.
    public let number: Int
    /// The official colour, `#RRGGBB`.
    public let colour: String
    /// Short names ("No poverty") in every language.
    public let shortNames: [Language: String]
    /// Titles in English, French and Spanish (no openly licensed Dutch titles exist).
    public let titles: [Language: String]

    /// The short name in `language`.
    public func shortName(_ language: Language) -> String { shortNames[language] ?? shortNames[.en] ?? "" }

    /// The title in `language`, in English where no translation exists.
    public func title(_ language: Language) -> String { titles[language] ?? titles[.en] ?? "" }
}

/// One of the 169 SDG targets, such as `3.d`.
public struct SDGTarget: Sendable, Hashable {
    /// The code: goal, dot, number or letter (`3.8`, `3.d`).
    public let code: String
    /// The goal it belongs to.
    public let goal: Int
    /// The text in English, French and Spanish.
    public let texts: [Language: String]

    /// The text in `language`, in English where no translation exists (Dutch).
    public func text(_ language: Language) -> String { texts[language] ?? texts[.en] ?? "" }
}

/// The SDG goals and targets, shipped with the program.
public enum SDGCatalogue {
    /// The goals, 1 to 17.
    public static let goals: [SDGGoal] = generatedGoals
    /// The targets, in the order of their codes.
    public static let targets: [SDGTarget] = generatedTargets
    private static let targetsByCode = Dictionary(uniqueKeysWithValues: generatedTargets.map { ($0.code, $0) })

    /// The target with `code`, or `nil` when no such target exists.
    public static func target(_ code: String) -> SDGTarget? { targetsByCode[code] }

    /// The goal numbered `number`, or `nil` outside 1…17.
    public static func goal(_ number: Int) -> SDGGoal? {
        SDGGoalID(rawValue: number).map(goal)
    }

    /// The goal `id` names: every id names one.
    public static func goal(_ id: SDGGoalID) -> SDGGoal { goals[id.rawValue - 1] }

    /// The target `id` names, or `nil` when a code of the right form names no target (`3.z`).
    public static func target(_ id: SDGTargetID) -> SDGTarget? { targetsByCode[id.rawValue] }

    /// The id of a target that exists, or `nil`: what the API accepts as an SDG target.
    public static func targetID(_ code: String) -> SDGTargetID? {
        SDGTargetID(rawValue: code).flatMap { target($0) == nil ? nil : $0 }
    }

    /// Every target's code, in the catalogue's order (`1.1` … `17.19`).
    public static var targetCodes: [String] { targets.map(\.code) }

    /// The goals' numbers, 1 to 17.
    public static var goalNumbers: ClosedRange<Int> { 1...goals.count }

    /// The targets of one goal.
    public static func targets(ofGoal number: Int) -> [SDGTarget] { targets.filter { $0.goal == number } }
}

/// ISO 3166-1 alpha-2 country codes.
public enum Countries {
    /// The English name of `code`, or `nil` when it is not a current code.
    public static func name(_ code: String) -> String? { generatedNames[code] }

    /// True for a current two-letter code such as `SN` or `BJ`.
    public static func isValid(_ code: String) -> Bool { generatedNames[code] != nil }

    /// Every code.
    public static var codes: [String] { generatedNames.keys.sorted() }
}

/// ISO 4217 currency codes.
public enum Currencies {
    /// The English name of `code`, or `nil` when it is not a current code.
    public static func name(_ code: String) -> String? { generatedNames[code] }

    /// True for a current three-letter code such as `EUR` or `XOF`.
    public static func isValid(_ code: String) -> Bool { generatedNames[code] != nil }

    /// Every code.
    public static var codes: [String] { generatedNames.keys.sorted() }
}
