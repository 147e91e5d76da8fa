import Vocabulary

/// The words of `/platform`'s user counts, in every language (the rest of the page's words are ``AdminWords``).
struct PlatformWords: Sendable {
    /// The column of each municipality's active people.
    var people: String
    /// The column of each municipality's disabled people.
    var disabledPeople: String
    /// Before the count per role, for a screen reader and a narrow screen alike.
    var byRole: String

    /// Every language's words.
    static let all = Localised(nl: dutch, en: english, fr: french, es: spanish)

    /// The words in `language`.
    static func of(_ language: Language) -> PlatformWords { all[language] }

    static let english = PlatformWords(people: "People", disabledPeople: "Disabled people", byRole: "by role")
    static let dutch = PlatformWords(
        people: "Personen", disabledPeople: "Uitgeschakelde personen", byRole: "per rol")
    static let french = PlatformWords(
        people: "Personnes", disabledPeople: "Personnes désactivées", byRole: "par rôle")
    static let spanish = PlatformWords(
        people: "Personas", disabledPeople: "Personas desactivadas", byRole: "por rol")
}
