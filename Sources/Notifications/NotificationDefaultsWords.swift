import Gateway
import Vocabulary

/// The words of the municipality's digest defaults on `/admin/municipality`, in one language; every language
/// has every word (``Localised``). The fields' own words are ``NotificationsPageWords``'. Templates read them as
/// `{{defaults.…}}`.
struct NotificationDefaultsWords: Sendable {
    var sectionTitle: String
    var intro: String
    var hourHint: String
    var quietAfterDays: String
    var quietAfterDaysHint: String
    var quietAfterDaysInvalid: String
    var save: String

    static let all = Localised(nl: dutch, en: english, fr: french, es: spanish)

    /// Every language's words as templates read them, made once.
    static let templates = PageShell.templateObjects(all)

    static let english = NotificationDefaultsWords(
        sectionTitle: "Digest defaults",
        intro:
            "What a person of your municipality gets until they choose for themselves on their settings page. "
            + "People who already chose keep their choice.",
        hourHint: "On each person's own clock (their time zone).",
        quietAfterDays: "Remind a partnership's members after this many days without news",
        quietAfterDaysHint: "14 to 365 days; leave it empty to never remind them.",
        quietAfterDaysInvalid: "Enter a number of days from 14 to 365, or leave it empty", save: "Save digest defaults")

    static let dutch = NotificationDefaultsWords(
        sectionTitle: "Standaardinstellingen voor overzichten",
        intro:
            "Wat iemand van je gemeente krijgt tot die zelf kiest op de eigen instellingenpagina. "
            + "Wie al koos, houdt die keuze.",
        hourHint: "Op ieders eigen klok (de eigen tijdzone).",
        quietAfterDays: "Herinner de leden van een partnerschap na zoveel dagen zonder nieuws",
        quietAfterDaysHint: "14 tot 365 dagen; laat leeg om nooit te herinneren.",
        quietAfterDaysInvalid: "Vul een aantal dagen van 14 tot 365 in, of laat het leeg",
        save: "Standaardinstellingen opslaan")

    static let french = NotificationDefaultsWords(
        sectionTitle: "Résumés par défaut",
        intro:
            "Ce que reçoit une personne de votre commune tant qu'elle n'a pas choisi elle-même sur sa page de "
            + "paramètres. Qui a déjà choisi garde son choix.",
        hourHint: "À l'heure de chacun (son propre fuseau horaire).",
        quietAfterDays: "Rappeler aux membres d’un partenariat après ce nombre de jours sans nouvelles",
        quietAfterDaysHint: "De 14 à 365 jours ; laissez vide pour ne jamais le rappeler.",
        quietAfterDaysInvalid: "Indiquez un nombre de jours de 14 à 365, ou laissez vide",
        save: "Enregistrer les résumés par défaut")

    static let spanish = NotificationDefaultsWords(
        sectionTitle: "Resúmenes predeterminados",
        intro:
            "Lo que recibe una persona de su municipio hasta que elija por sí misma en su página de ajustes. "
            + "Quien ya eligió conserva su elección.",
        hourHint: "En el reloj de cada persona (su propia zona horaria).",
        quietAfterDays: "Recordar a los miembros de un hermanamiento tras estos días sin novedades",
        quietAfterDaysHint: "De 14 a 365 días; déjelo vacío para no recordarlo nunca.",
        quietAfterDaysInvalid: "Indique un número de días de 14 a 365, o déjelo vacío",
        save: "Guardar los resúmenes predeterminados")
}
