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
    /// "74 in 2020"
    var valueIn: @Sendable (String, Int) -> String
    /// "target 90 in 2023"
    var targetIn: @Sendable (String, Int) -> String

    static let all = Localised(
        nl: ResultsPageWords(
            heading: "Resultaten", sdgTarget: "SDG-subdoel", baseline: "Nulmeting", period: "Periode",
            target: "Streefwaarde", actual: "Gerealiseerde waarde", status: "Status",
            noIndicators: "Nog geen indicatoren.", noApprovedValue: "nog geen goedgekeurde waarde",
            valueIn: { "\($0) in \($1)" }, targetIn: { "streefwaarde \($0) in \($1)" }),
        en: ResultsPageWords(
            heading: "Results", sdgTarget: "SDG target", baseline: "Baseline", period: "Period", target: "Target",
            actual: "Actual", status: "Status", noIndicators: "No indicators yet.",
            noApprovedValue: "no approved value yet", valueIn: { "\($0) in \($1)" },
            targetIn: { "target \($0) in \($1)" }),
        fr: ResultsPageWords(
            heading: "Résultats", sdgTarget: "Cible ODD", baseline: "Valeur de référence", period: "Période",
            target: "Valeur cible", actual: "Valeur atteinte", status: "État",
            noIndicators: "Pas encore d’indicateurs.", noApprovedValue: "pas encore de valeur approuvée",
            valueIn: { "\($0) en \($1)" }, targetIn: { "valeur cible \($0) en \($1)" }),
        es: ResultsPageWords(
            heading: "Resultados", sdgTarget: "Meta ODS", baseline: "Línea de base", period: "Período",
            target: "Valor meta", actual: "Valor alcanzado", status: "Estado",
            noIndicators: "Todavía no hay indicadores.", noApprovedValue: "todavía sin valor aprobado",
            valueIn: { "\($0) en \($1)" }, targetIn: { "valor meta \($0) en \($1)" }))

    /// The words as the template reads them (`{{words.heading}}`).
    static let templates = PageShell.templateObjects(all)
}
