import Gateway
import Vocabulary

/// The words of the municipality's digest defaults on `/admin/municipality`, in one language; every language
/// has every word (``Localised``). The fields' own words are ``NotificationsPageWords``'. Templates read them as
/// `{{defaults.…}}`.
struct NotificationDefaultsWords: Sendable {
    var sectionTitle: String
    var intro: String
    var hourHint: String
    var save: String

    static let all = Localised(nl: dutch, en: english, fr: french, es: spanish)

    /// Every language's words as templates read them, made once.
    static let templates = PageShell.templateObjects(all)

    static let english = NotificationDefaultsWords(
        sectionTitle: "Digest defaults",
        intro:
            "What a person of your municipality gets until they choose for themselves on their settings page. "
            + "People who already chose keep their choice.",
        hourHint: "On each person's own clock (their time zone).", save: "Save digest defaults")

    static let dutch = NotificationDefaultsWords(
        sectionTitle: "Standaardinstellingen voor overzichten",
        intro:
            "Wat iemand van je gemeente krijgt tot die zelf kiest op de eigen instellingenpagina. "
            + "Wie al koos, houdt die keuze.",
        hourHint: "Op ieders eigen klok (de eigen tijdzone).", save: "Standaardinstellingen opslaan")

    static let french = NotificationDefaultsWords(
        sectionTitle: "Résumés par défaut",
        intro:
            "Ce que reçoit une personne de votre commune tant qu'elle n'a pas choisi elle-même sur sa page de "
            + "paramètres. Qui a déjà choisi garde son choix.",
        hourHint: "À l'heure de chacun (son propre fuseau horaire).", save: "Enregistrer les résumés par défaut")

    static let spanish = NotificationDefaultsWords(
        sectionTitle: "Resúmenes predeterminados",
        intro:
            "Lo que recibe una persona de su municipio hasta que elija por sí misma en su página de ajustes. "
            + "Quien ya eligió conserva su elección.",
        hourHint: "En el reloj de cada persona (su propia zona horaria).",
        save: "Guardar los resúmenes predeterminados")
}
