import Foundation
import Vocabulary

/// The words of the digest settings on `/settings` in one language; every language has every word
/// (``Localised``). Templates read them by property name (`{{words.frequency}}`).
struct NotificationsPageWords: Sendable {
    var localeIdentifier: String
    var sectionTitle: String
    var intro: String
    var frequency: String
    var off: String
    var immediate: String
    var daily: String
    var weekly: String
    var hour: String
    var hourHint: String
    var weekday: String
    var weekdayHint: String
    var email: String
    /// The reminders' checkboxes.
    var reminders: String
    var quietReminders: String
    var periodReminders: String
    var muted: String
    var mutedHint: String
    var noPartnerships: String
    var webhook: String
    var webhookHint: String
    var webhookDisabled: String
    var save: String
    var frequencyInvalid: String
    var hourInvalid: String
    var weekdayInvalid: String
    var mutedInvalid: String
    var webhookForm: String
    var webhookAddress: String
    var secretTitle: String
    var secretBody: String
    var secretFor: String
    var backToSettings: String

    static let all = Localised(nl: dutch, en: english, fr: french, es: spanish)

    /// The name of a frequency.
    func name(_ frequency: DigestSchedule.Frequency) -> String {
        switch frequency {
        case .off: off
        case .immediate: immediate
        case .daily: daily
        case .weekly: weekly
        }
    }

    /// The names of the days, Monday (1) to Sunday (7) as ISO 8601 counts them.
    var weekdayNames: [String] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.locale = Locale(identifier: localeIdentifier)
        // The calendar's symbols start on Sunday.
        let symbols = calendar.standaloneWeekdaySymbols
        return (1...7).map { symbols[$0 % 7] }
    }

    static let english = NotificationsPageWords(
        localeIdentifier: "en-GB", sectionTitle: "Digests",
        intro: "A digest tells you by e-mail what changed in your partnerships.",
        frequency: "How often", off: "Never", immediate: "As it happens (within a minute)", daily: "Once a day",
        weekly: "Once a week", hour: "Hour", hourHint: "In your time zone:",
        weekday: "Day of the week", weekdayHint: "For a weekly digest.", email: "Send digests to my e-mail address",
        reminders: "Reminders", quietReminders: "Remind me when a partnership has had no news for a while",
        periodReminders: "Remind me 14 days before a reporting period ends without a value",
        muted: "Partnerships left out of your digests",
        mutedHint: "Tick a partnership to stop hearing about its changes.",
        noPartnerships: "You are not a member of any partnership yet.", webhook: "Webhook address (optional)",
        webhookHint: "Digests are also sent as signed JSON to this https address. Leave it empty to have none.",
        webhookDisabled: "Deliveries to this address stopped after repeated failures. Save it again to resume.",
        save: "Save digest settings", frequencyInvalid: "Choose how often you receive digests",
        hourInvalid: "Choose an hour from 0 to 23", weekdayInvalid: "Choose a day of the week",
        mutedInvalid: "Choose only among your own partnerships",
        webhookForm: "Enter an https address of at most 2000 characters, without a user name or password",
        webhookAddress: "Enter an address on the public internet",
        secretTitle: "Your webhook's signing secret",
        secretBody: "Copy it now: it is shown only this once. Every digest sent to your webhook is signed with it.",
        secretFor: "Webhook address", backToSettings: "Back to settings")

    static let dutch = NotificationsPageWords(
        localeIdentifier: "nl-BE", sectionTitle: "Overzichten",
        intro: "Een overzicht vertelt je per e-mail wat er in je partnerschappen veranderde.",
        frequency: "Hoe vaak", off: "Nooit", immediate: "Meteen (binnen een minuut)", daily: "Eén keer per dag",
        weekly: "Eén keer per week", hour: "Uur", hourHint: "In jouw tijdzone:",
        weekday: "Dag van de week", weekdayHint: "Voor een wekelijks overzicht.",
        email: "Stuur overzichten naar mijn e-mailadres",
        reminders: "Herinneringen", quietReminders: "Herinner me wanneer een partnerschap een tijd geen nieuws had",
        periodReminders: "Herinner me 14 dagen voor een rapportageperiode zonder waarde afloopt",
        muted: "Partnerschappen die niet in je overzichten komen",
        mutedHint: "Vink een partnerschap aan om niets meer over zijn wijzigingen te horen.",
        noPartnerships: "Je bent nog geen lid van een partnerschap.", webhook: "Webhookadres (niet verplicht)",
        webhookHint: "Overzichten gaan ook als ondertekende JSON naar dit https-adres. Laat het leeg voor geen.",
        webhookDisabled: "Leveringen aan dit adres stopten na herhaalde fouten. Bewaar het opnieuw om te hervatten.",
        save: "Overzichtsinstellingen bewaren", frequencyInvalid: "Kies hoe vaak je overzichten krijgt",
        hourInvalid: "Kies een uur van 0 tot 23", weekdayInvalid: "Kies een dag van de week",
        mutedInvalid: "Kies alleen uit je eigen partnerschappen",
        webhookForm: "Vul een https-adres in van hoogstens 2000 tekens, zonder gebruikersnaam of wachtwoord",
        webhookAddress: "Vul een adres op het openbare internet in",
        secretTitle: "De ondertekeningssleutel van je webhook",
        secretBody:
            "Kopieer hem nu: hij wordt maar deze ene keer getoond. Elk overzicht naar je webhook is ermee ondertekend.",
        secretFor: "Webhookadres", backToSettings: "Terug naar de instellingen")

    static let french = NotificationsPageWords(
        localeIdentifier: "fr-FR", sectionTitle: "Résumés",
        intro: "Un résumé vous dit par e-mail ce qui a changé dans vos partenariats.",
        frequency: "Fréquence", off: "Jamais", immediate: "Aussitôt (en une minute)", daily: "Une fois par jour",
        weekly: "Une fois par semaine", hour: "Heure", hourHint: "Dans votre fuseau horaire :",
        weekday: "Jour de la semaine", weekdayHint: "Pour un résumé hebdomadaire.",
        email: "Envoyer les résumés à mon adresse e-mail",
        reminders: "Rappels", quietReminders: "Me rappeler quand un partenariat reste sans nouvelles un certain temps",
        periodReminders: "Me rappeler 14 jours avant la fin d’une période de rapport sans valeur",
        muted: "Partenariats exclus de vos résumés",
        mutedHint: "Cochez un partenariat pour ne plus être informé de ses changements.",
        noPartnerships: "Vous n'êtes encore membre d'aucun partenariat.", webhook: "Adresse du webhook (facultatif)",
        webhookHint:
            "Les résumés sont aussi envoyés en JSON signé à cette adresse https. Laissez vide pour n'en avoir aucun.",
        webhookDisabled:
            "Les envois à cette adresse ont cessé après des échecs répétés. Enregistrez-la à nouveau pour reprendre.",
        save: "Enregistrer les réglages des résumés", frequencyInvalid: "Choisissez la fréquence de vos résumés",
        hourInvalid: "Choisissez une heure de 0 à 23", weekdayInvalid: "Choisissez un jour de la semaine",
        mutedInvalid: "Choisissez seulement parmi vos propres partenariats",
        webhookForm:
            "Saisissez une adresse https de 2000 caractères au plus, sans nom d'utilisateur ni mot de passe",
        webhookAddress: "Saisissez une adresse de l'internet public",
        secretTitle: "Le secret de signature de votre webhook",
        secretBody:
            "Copiez-le maintenant : il n'est montré que cette fois. Chaque résumé envoyé à votre webhook est signé avec lui.",
        secretFor: "Adresse du webhook", backToSettings: "Retour aux réglages")

    static let spanish = NotificationsPageWords(
        localeIdentifier: "es-ES", sectionTitle: "Resúmenes",
        intro: "Un resumen le cuenta por correo lo que cambió en sus hermanamientos.",
        frequency: "Frecuencia", off: "Nunca", immediate: "Al momento (en un minuto)", daily: "Una vez al día",
        weekly: "Una vez por semana", hour: "Hora", hourHint: "En su zona horaria:",
        weekday: "Día de la semana", weekdayHint: "Para un resumen semanal.",
        email: "Enviar los resúmenes a mi correo",
        reminders: "Recordatorios", quietReminders: "Recordarme cuando un hermanamiento lleva un tiempo sin novedades",
        periodReminders: "Recordarme 14 días antes de que termine un periodo de informe sin valor",
        muted: "Hermanamientos excluidos de sus resúmenes",
        mutedHint: "Marque un hermanamiento para dejar de recibir sus cambios.",
        noPartnerships: "Todavía no es miembro de ningún hermanamiento.", webhook: "Dirección del webhook (opcional)",
        webhookHint:
            "Los resúmenes se envían también como JSON firmado a esta dirección https. Déjela vacía si no quiere ninguno.",
        webhookDisabled:
            "Los envíos a esta dirección se detuvieron tras fallos repetidos. Guárdela de nuevo para reanudarlos.",
        save: "Guardar los ajustes de resúmenes", frequencyInvalid: "Elija con qué frecuencia recibe resúmenes",
        hourInvalid: "Elija una hora de 0 a 23", weekdayInvalid: "Elija un día de la semana",
        mutedInvalid: "Elija solo entre sus propios hermanamientos",
        webhookForm: "Escriba una dirección https de 2000 caracteres como máximo, sin usuario ni contraseña",
        webhookAddress: "Escriba una dirección de internet pública",
        secretTitle: "El secreto de firma de su webhook",
        secretBody:
            "Cópielo ahora: solo se muestra esta vez. Cada resumen enviado a su webhook va firmado con él.",
        secretFor: "Dirección del webhook", backToSettings: "Volver a los ajustes")
}
