/// A language the product speaks: the supported locales of users, tenants, digests, reports and pages.
public enum Language: String, Codable, Sendable, Hashable, CaseIterable {
    case nl, en, fr, es

    /// The language of a new municipality, and of its users when nobody chose another: the product's home
    /// is Flanders.
    public static let `default`: Language = .nl

    /// The language used when a caller's is unknown or unsupported.
    public static let fallback: Language = .en

    /// The language a locale code names, or ``fallback`` when it names none of them (or is `nil`).
    public static func resolving(_ code: String?) -> Language {
        code.flatMap(Language.init(rawValue:)) ?? fallback
    }

    /// The codes as a message lists them: `nl, en, fr or es`.
    public static var choices: String {
        let codes = allCases.map(\.rawValue)
        return codes.dropLast().joined(separator: ", ") + " or " + (codes.last ?? "")
    }
}
