import Vocabulary

/// A DAC 5-digit sector (`15112`, decentralisation and support to subnational government): what an activity
/// works on, as the OECD's Development Assistance Committee and IATI (sector vocabulary 1) name it.
public struct DACSector: Sendable, Hashable {
    /// Five digits.
    public let code: String
    /// The 3-digit category it belongs to (`151`).
    public let category: String
    /// The name in English and French (the codelist has no Dutch or Spanish).
    public let names: [Language: String]

    /// The name in `language`, in English where the codelist has none.
    public func name(_ language: Language) -> String { names[language] ?? names[.en] ?? "" }
}

/// A DAC 3-digit sector category (`151`, government and civil society, general).
public struct DACSectorCategory: Sendable, Hashable {
    public let code: String
    public let names: [Language: String]

    /// The name in `language`, in English where the codelist has none.
    public func name(_ language: Language) -> String { names[language] ?? names[.en] ?? "" }
}

/// The active DAC 5-digit sectors and their categories, shipped with the program (IATI's Sector and
/// SectorCategory codelists).
public enum DACSectors {
    /// The sectors, in the codelist's order (by code).
    public static let all: [DACSector] = generatedSectors
    /// The categories that have sectors, by code.
    public static let categories: [DACSectorCategory] = generatedCategories
    private static let byCode = Dictionary(uniqueKeysWithValues: generatedSectors.map { ($0.code, $0) })

    /// The sector with `code`, or `nil` when the codelist has no active one (a withdrawn code, a category).
    public static func sector(_ code: String) -> DACSector? { byCode[code] }

    /// The sectors of the category with `code`, in codelist order.
    public static func sectors(inCategory code: String) -> [DACSector] { all.filter { $0.category == code } }
}
