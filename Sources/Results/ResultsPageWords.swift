import Gateway
import Vocabulary

/// The words of the results on the activity and partnership pages, in one language; every language has every
/// word. They follow the glossary (nulmeting, streefwaarde, gerealiseerde waarde; valeur de référence, valeur
/// cible, valeur atteinte; línea de base, valor meta, valor alcanzado).
struct ResultsPageWords: Sendable {
    var heading: String
    var sdgTarget: String
    var baseline: String
    var period: String
    var target: String
    var actual: String
    var status: String
    var noIndicators: String
    var noApprovedValue: String
    var report: String
    var reportHeading: String
    var comment: String
    var send: String
    var back: String
    var errorSummary: String
    var approvedNote: String
    /// The message beside a refused value, and beside a refused comment.
    var valueMessage: String
    var commentMessage: String
    var reviewHeading: String
    var reviewLink: String
    var toReportHeading: String
    var returnedBecause: String
    var nothingToReport: String
    /// "3 values to report, the first by 31 December 2020"
    var toReportCount: @Sendable (Int, String?) -> String
    /// "2 values to review"
    var toReviewCount: @Sendable (Int) -> String
    var approve: String
    var returnLabel: String
    var returnButton: String
    var nothingToReview: String
    var returnMessage: String
    /// "74 in 2020"
    var valueIn: @Sendable (String, Int) -> String
    /// "target 90 in 2023"
    var targetIn: @Sendable (String, Int) -> String

    static let all = Localised(
        nl: ResultsPageWords(
            heading: "Resultaten", sdgTarget: "SDG-subdoel", baseline: "Nulmeting", period: "Periode",
            target: "Streefwaarde", actual: "Gerealiseerde waarde", status: "Status",
            noIndicators: "Nog geen indicatoren.", noApprovedValue: "nog geen goedgekeurde waarde",
            report: "Waarde rapporteren", reportHeading: "Een waarde rapporteren", comment: "Toelichting",
            send: "Ter goedkeuring versturen", back: "Terug", errorSummary: "Er is een probleem",
            approvedNote: "Deze waarde is goedgekeurd. Een coördinator kan ze terugsturen als ze moet veranderen.",
            valueMessage: "Vul een getal in, zoals 74 of 74,5; een percentage is hoogstens 100",
            commentMessage: "Schrijf een toelichting van hoogstens 2.000 tekens",
            reviewHeading: "Te beoordelen waarden", reviewLink: "Goedkeuren of terugsturen",
            toReportHeading: "Te rapporteren waarden", returnedBecause: "Teruggestuurd",
            nothingToReport: "Niets te rapporteren.",
            toReportCount: { n, end in
                "\(n) \(n == 1 ? "waarde" : "waarden") te rapporteren" + (end.map { ", de eerste voor \($0)" } ?? "")
            },
            toReviewCount: { "\($0) \($0 == 1 ? "waarde" : "waarden") te beoordelen" }, approve: "Goedkeuren",
            returnLabel: "Waarom ze teruggaat",
            returnButton: "Terugsturen", nothingToReview: "Niets te beoordelen.",
            returnMessage: "Zeg waarom de waarde teruggaat",
            valueIn: { "\($0) in \($1)" }, targetIn: { "streefwaarde \($0) in \($1)" }),
        en: ResultsPageWords(
            heading: "Results", sdgTarget: "SDG target", baseline: "Baseline", period: "Period", target: "Target",
            actual: "Actual", status: "Status", noIndicators: "No indicators yet.",
            noApprovedValue: "no approved value yet", report: "Report a value", reportHeading: "Report a value",
            comment: "Comment", send: "Send for approval", back: "Back", errorSummary: "There is a problem",
            approvedNote: "This value is approved. A coordinator can return it if it must change.",
            valueMessage: "Enter a number such as 74 or 74.5; a percentage is at most 100",
            commentMessage: "Write a comment of at most 2,000 characters",
            reviewHeading: "Values to review", reviewLink: "Approve or return",
            toReportHeading: "Values to report", returnedBecause: "Returned", nothingToReport: "Nothing to report.",
            toReportCount: { n, end in
                "\(n) \(n == 1 ? "value" : "values") to report" + (end.map { ", the first by \($0)" } ?? "")
            },
            toReviewCount: { "\($0) \($0 == 1 ? "value" : "values") to review" }, approve: "Approve",
            returnLabel: "Why it goes back",
            returnButton: "Return", nothingToReview: "Nothing to review.",
            returnMessage: "Say why the value goes back", valueIn: { "\($0) in \($1)" },
            targetIn: { "target \($0) in \($1)" }),
        fr: ResultsPageWords(
            heading: "Résultats", sdgTarget: "Cible ODD", baseline: "Valeur de référence", period: "Période",
            target: "Valeur cible", actual: "Valeur atteinte", status: "État",
            noIndicators: "Pas encore d’indicateurs.", noApprovedValue: "pas encore de valeur approuvée",
            report: "Rapporter une valeur", reportHeading: "Rapporter une valeur", comment: "Commentaire",
            send: "Envoyer pour approbation", back: "Retour", errorSummary: "Il y a un problème",
            approvedNote: "Cette valeur est approuvée. Un coordinateur peut la renvoyer si elle doit changer.",
            valueMessage: "Saisissez un nombre, par exemple 74 ou 74,5 ; un pourcentage vaut au plus 100",
            commentMessage: "Écrivez un commentaire de 2 000 caractères au plus",
            reviewHeading: "Valeurs à examiner", reviewLink: "Approuver ou renvoyer",
            toReportHeading: "Valeurs à rapporter", returnedBecause: "Renvoyée", nothingToReport: "Rien à rapporter.",
            toReportCount: { n, end in
                "\(n) \(n == 1 ? "valeur" : "valeurs") à rapporter" + (end.map { ", la première avant le \($0)" } ?? "")
            },
            toReviewCount: { "\($0) \($0 == 1 ? "valeur" : "valeurs") à examiner" }, approve: "Approuver",
            returnLabel: "Pourquoi elle est renvoyée",
            returnButton: "Renvoyer", nothingToReview: "Rien à examiner.",
            returnMessage: "Dites pourquoi la valeur est renvoyée",
            valueIn: { "\($0) en \($1)" }, targetIn: { "valeur cible \($0) en \($1)" }),
        es: ResultsPageWords(
            heading: "Resultados", sdgTarget: "Meta ODS", baseline: "Línea de base", period: "Período",
            target: "Valor meta", actual: "Valor alcanzado", status: "Estado",
            noIndicators: "Todavía no hay indicadores.", noApprovedValue: "todavía sin valor aprobado",
            report: "Informar un valor", reportHeading: "Informar un valor", comment: "Comentario",
            send: "Enviar para aprobación", back: "Volver", errorSummary: "Hay un problema",
            approvedNote: "Este valor está aprobado. Un coordinador puede devolverlo si debe cambiar.",
            valueMessage: "Escriba un número, por ejemplo 74 o 74,5; un porcentaje es como máximo 100",
            commentMessage: "Escriba un comentario de 2000 caracteres como máximo",
            reviewHeading: "Valores por revisar", reviewLink: "Aprobar o devolver",
            toReportHeading: "Valores por informar", returnedBecause: "Devuelto", nothingToReport: "Nada por informar.",
            toReportCount: { n, end in
                "\(n) \(n == 1 ? "valor" : "valores") por informar" + (end.map { ", el primero antes del \($0)" } ?? "")
            },
            toReviewCount: { "\($0) \($0 == 1 ? "valor" : "valores") por revisar" }, approve: "Aprobar",
            returnLabel: "Por qué se devuelve",
            returnButton: "Devolver", nothingToReview: "Nada por revisar.",
            returnMessage: "Diga por qué se devuelve el valor",
            valueIn: { "\($0) en \($1)" }, targetIn: { "valor meta \($0) en \($1)" }))

    /// The words as the template reads them (`{{words.heading}}`).
    static let templates = PageShell.templateObjects(all)
}
