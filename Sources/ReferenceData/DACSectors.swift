import Vocabulary

/// A category of DAC sectors, the 3-digit code the 5-digit ones share (`151` Government and civil society,
/// general), to group them in a picker.
public struct DACSectorCategory: Sendable, Hashable {
    /// Three digits: `151`.
    public let code: String
    /// The name in English and French (the codelist has no Dutch or Spanish names).
    public let names: [Language: String]

    /// The name in `language`, in English where the codelist has none (Dutch, Spanish).
    public func name(_ language: Language) -> String { names[language] ?? names[.en] ?? "" }
}

/// One OECD DAC 5-digit purpose code (IATI sector vocabulary 1), such as `15112` Decentralisation and support to
/// subnational government: what an activity is about, as funders classify it.
public struct DACSector: Sendable, Hashable {
    /// Five digits: `15112`.
    public let code: String
    /// The code of its ``DACSectorCategory``: `151`.
    public let category: String
    /// The name in English and French.
    public let names: [Language: String]

    /// The name in `language`, in English where the codelist has none (Dutch, Spanish).
    public func name(_ language: Language) -> String { names[language] ?? names[.en] ?? "" }
}

/// The active DAC 5-digit sectors and their categories, from the IATI Sector and SectorCategory codelists
/// shipped with the program (`scripts/generate-reference-data`). Withdrawn codes are not here: a new activity
/// may not name one.
public enum DACSectors {
    /// The categories, in codelist order.
    public static let categories: [DACSectorCategory] = generatedCategories
    /// The sectors, in codelist order (by code).
    public static let all: [DACSector] = generatedSectors
    private static let byCode = Dictionary(uniqueKeysWithValues: generatedSectors.map { ($0.code, $0) })

    /// The active sector with `code`, or `nil` (a withdrawn code, a category, anything else).
    public static func sector(_ code: String) -> DACSector? { byCode[code] }

    /// The sectors of the category with `code`, in codelist order.
    public static func sectors(inCategory code: String) -> [DACSector] { all.filter { $0.category == code } }
}
