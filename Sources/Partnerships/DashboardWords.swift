import Vocabulary

/// The dashboard's words in one language; every language has every word.
struct DashboardWords: Sendable {
    var heading: String
    var empty: String
    var more: String
    /// "Since your last visit ({date})".
    var changesSince: String
    /// The heading when there was no earlier visit.
    var recentChanges: String
    var noChanges: String
    var moreChanges: String
    var partnershipCreated: String
    var partnershipChanged: String
    var status: String
    /// "{name} joined the partnership".
    var memberAdded: String
    var someone: String

    static let all = Localised(
        nl: DashboardWords(
            heading: "Mijn stedenbanden", empty: "Je bent nog bij geen enkele stedenband betrokken.",
            more: "Alleen de eerste {count} worden getoond.", changesSince: "Nieuw sinds je vorige bezoek ({date})",
            recentChanges: "Recente wijzigingen", noChanges: "Niets nieuws sinds je vorige bezoek.",
            moreChanges: "Alle activiteiten", partnershipCreated: "Nieuwe stedenband",
            partnershipChanged: "De stedenband is gewijzigd", status: "status",
            memberAdded: "{name} is lid geworden", someone: "iemand"),
        en: DashboardWords(
            heading: "My partnerships", empty: "You are not part of any partnership yet.",
            more: "Only the first {count} are shown.", changesSince: "New since your last visit ({date})",
            recentChanges: "Recent changes", noChanges: "Nothing new since your last visit.",
            moreChanges: "All activities", partnershipCreated: "New partnership",
            partnershipChanged: "The partnership was changed", status: "status",
            memberAdded: "{name} joined", someone: "someone"),
        fr: DashboardWords(
            heading: "Mes partenariats", empty: "Vous ne participez encore à aucun partenariat.",
            more: "Seuls les {count} premiers sont affichés.",
            changesSince: "Nouveau depuis votre dernière visite ({date})", recentChanges: "Changements récents",
            noChanges: "Rien de nouveau depuis votre dernière visite.", moreChanges: "Toutes les activités",
            partnershipCreated: "Nouveau partenariat", partnershipChanged: "Le partenariat a été modifié",
            status: "statut", memberAdded: "{name} a rejoint le partenariat", someone: "quelqu'un"),
        es: DashboardWords(
            heading: "Mis hermanamientos", empty: "Todavía no participa en ningún hermanamiento.",
            more: "Solo se muestran los {count} primeros.", changesSince: "Novedades desde su última visita ({date})",
            recentChanges: "Cambios recientes", noChanges: "Nada nuevo desde su última visita.",
            moreChanges: "Todas las actividades", partnershipCreated: "Nuevo hermanamiento",
            partnershipChanged: "El hermanamiento se ha modificado", status: "estado",
            memberAdded: "{name} se ha unido", someone: "alguien")
    )
}
