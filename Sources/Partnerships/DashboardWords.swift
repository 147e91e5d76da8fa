import Vocabulary

/// The dashboard's words in one language; every language has every word.
struct DashboardWords: Sendable {
    var heading: String
    var empty: String
    var more: String

    static let all = Localised(
        nl: DashboardWords(
            heading: "Mijn stedenbanden", empty: "Je bent nog bij geen enkele stedenband betrokken.",
            more: "Alleen de eerste {count} worden getoond."),
        en: DashboardWords(
            heading: "My partnerships", empty: "You are not part of any partnership yet.",
            more: "Only the first {count} are shown."),
        fr: DashboardWords(
            heading: "Mes partenariats", empty: "Vous ne participez encore à aucun partenariat.",
            more: "Seuls les {count} premiers sont affichés."),
        es: DashboardWords(
            heading: "Mis hermanamientos", empty: "Todavía no participa en ningún hermanamiento.",
            more: "Solo se muestran los {count} primeros.")
    )
}
