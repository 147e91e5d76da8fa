import Foundation
import Vocabulary

/// The words of a reminder's own mail, in the four languages; its line is the digest's (``DigestStrings``).
struct ReminderWords: Sendable {
    /// The subject: "Reminder: {partnership or indicator}".
    var subject: @Sendable (String) -> String
    var quietAction: String
    var periodAction: String
    var footer: @Sendable (String) -> String
    var settings: String
    var unsubscribe: String
    /// The unsubscribe page of a reminders link.
    var unsubscribeConfirm: String
    var unsubscribeDone: String

    static let all = Localised(
        nl: ReminderWords(
            subject: { "Herinnering: \($0)" },
            quietAction: "Post een voortgangsbericht of rapporteer een waarde",
            periodAction: "Rapporteer de waarde",
            footer: { "Je ontvangt deze herinnering als lid van partnerschappen van \($0) op stedenband." },
            settings: "Herinneringen uitzetten in je instellingen",
            unsubscribe: "Geen herinneringen meer",
            unsubscribeConfirm: "Wil je deze herinneringen niet langer ontvangen?",
            unsubscribeDone: "Je ontvangt deze herinneringen niet langer. Je overzichten blijven komen."),
        en: ReminderWords(
            subject: { "Reminder: \($0)" },
            quietAction: "Post a progress update or report a value",
            periodAction: "Report the value",
            footer: { "You receive this reminder as a member of partnerships of \($0) on stedenband." },
            settings: "Turn reminders off in your settings",
            unsubscribe: "Stop these reminders",
            unsubscribeConfirm: "Stop receiving these reminders?",
            unsubscribeDone: "You will no longer receive these reminders. Your digests keep coming."),
        fr: ReminderWords(
            subject: { "Rappel : \($0)" },
            quietAction: "Publier un point d’avancement ou rapporter une valeur",
            periodAction: "Rapporter la valeur",
            footer: { "Vous recevez ce rappel en tant que membre de partenariats de \($0) sur stedenband." },
            settings: "Désactiver les rappels dans vos paramètres",
            unsubscribe: "Ne plus recevoir ces rappels",
            unsubscribeConfirm: "Ne plus recevoir ces rappels ?",
            unsubscribeDone: "Vous ne recevrez plus ces rappels. Vos résumés continuent."),
        es: ReminderWords(
            subject: { "Recordatorio: \($0)" },
            quietAction: "Publicar una novedad o informar un valor",
            periodAction: "Informar el valor",
            footer: { "Recibe este recordatorio como miembro de hermanamientos de \($0) en stedenband." },
            settings: "Desactivar los recordatorios en su configuración",
            unsubscribe: "Dejar de recibir estos recordatorios",
            unsubscribeConfirm: "¿Dejar de recibir estos recordatorios?",
            unsubscribeDone: "Ya no recibirá estos recordatorios. Sus resúmenes siguen llegando.")
    )
}
