import Vocabulary

/// The words of the report page in one language; every language has every word.
struct ReportWords: Sendable {
    var language: Language
    var localeIdentifier: String
    var title: String
    var generated: String
    var sdgHeading: String
    var splitNote: String
    var budgetPerYear: String
    var directions: String
    var overview: String
    var goal: String
    var activities: String
    var partnerships: String
    var planned: String
    var spent: String
    var total: String
    var year: String
    var undated: String
    var noBudget: String
    var reciprocity: String
    var partnershipsByStatus: String
    var activitiesByStatus: String
    var activitiesByKind: String
    var countries: String
    /// The heading of the learning directions' column.
    var directionHeading: String
    /// The lessons per side under the direction bar: "Roeselare learnt 4 lessons, Dogbo 3" (the municipality,
    /// its lessons, the partner's name or the partners in words, theirs).
    var lessons: @Sendable (_ municipality: String, _ own: Int, _ partner: String?, _ theirs: Int) -> String

    /// A learning direction in words (``LearningDirection/name(in:)``).
    func direction(_ direction: LearningDirection) -> String { direction.name(in: language) }

    /// Every language's words.
    static let all = Localised(nl: dutch, en: english, fr: french, es: spanish)

    static func of(_ language: Language) -> ReportWords { all[language] }

    static let english = ReportWords(
        language: .en, localeIdentifier: "en_GB", title: "Partnerships report", generated: "Generated on",
        sdgHeading: "Activities per Sustainable Development Goal",
        splitNote:
            "An activity counts once in each of its goals; its budget is split evenly over its goals, so the totals add up to the real budget. Amounts are never added across currencies.",
        budgetPerYear: "Budget per year (planned and spent)", directions: "Learning direction", overview: "Overview",
        goal: "Goal", activities: "Activities", partnerships: "Partnerships", planned: "Planned", spent: "Spent",
        total: "Total", year: "Year", undated: "no date", noBudget: "No budgets recorded.",
        reciprocity: "Reciprocity share (%)", partnershipsByStatus: "Partnerships by status",
        activitiesByStatus: "Activities by status", activitiesByKind: "Activities by kind",
        countries: "Per partner country",
        directionHeading: "Direction",
        lessons: { municipality, own, partner, theirs in
            "\(municipality) learnt \(own) \(own == 1 ? "lesson" : "lessons"), \(partner ?? "the partner municipalities") \(theirs)"
        })

    static let dutch = ReportWords(
        language: .nl, localeIdentifier: "nl_BE", title: "Rapport stedenbanden", generated: "Gemaakt op",
        sdgHeading: "Activiteiten per duurzame-ontwikkelingsdoelstelling",
        splitNote:
            "Een activiteit telt één keer mee bij elk van haar doelen; haar budget wordt gelijk verdeeld over die doelen, zodat de totalen het echte budget geven. Bedragen in verschillende munten worden nooit opgeteld.",
        budgetPerYear: "Budget per jaar (gepland en besteed)", directions: "Leerrichting", overview: "Overzicht",
        goal: "Doel", activities: "Activiteiten", partnerships: "Stedenbanden", planned: "Gepland", spent: "Besteed",
        total: "Totaal", year: "Jaar", undated: "zonder datum", noBudget: "Geen budgetten geregistreerd.",
        reciprocity: "Aandeel wederkerigheid (%)", partnershipsByStatus: "Stedenbanden per status",
        activitiesByStatus: "Activiteiten per status", activitiesByKind: "Activiteiten per soort",
        countries: "Per partnerland",
        directionHeading: "Richting",
        lessons: { municipality, own, partner, theirs in
            "\(municipality) leerde \(own) \(own == 1 ? "les" : "lessen"), \(partner ?? "de partnergemeenten") \(theirs)"
        })

    static let french = ReportWords(
        language: .fr, localeIdentifier: "fr_BE", title: "Rapport des partenariats", generated: "Établi le",
        sdgHeading: "Activités par objectif de développement durable",
        splitNote:
            "Une activité compte une fois dans chacun de ses objectifs ; son budget est réparti également entre eux, de sorte que les totaux donnent le budget réel. Les montants de devises différentes ne sont jamais additionnés.",
        budgetPerYear: "Budget par année (prévu et dépensé)", directions: "Sens de l’apprentissage", overview: "Aperçu",
        goal: "Objectif", activities: "Activités", partnerships: "Partenariats", planned: "Prévu", spent: "Dépensé",
        total: "Total", year: "Année", undated: "sans date", noBudget: "Aucun budget enregistré.",
        reciprocity: "Part de réciprocité (%)", partnershipsByStatus: "Partenariats par statut",
        activitiesByStatus: "Activités par statut", activitiesByKind: "Activités par type",
        countries: "Par pays partenaire",
        directionHeading: "Sens",
        lessons: { municipality, own, partner, theirs in
            "\(municipality) a appris \(own) \(own <= 1 ? "leçon" : "leçons"), \(partner ?? "les communes partenaires") \(theirs)"
        })

    static let spanish = ReportWords(
        language: .es, localeIdentifier: "es_ES", title: "Informe de hermanamientos", generated: "Generado el",
        sdgHeading: "Actividades por Objetivo de Desarrollo Sostenible",
        splitNote:
            "Una actividad cuenta una vez en cada uno de sus objetivos; su presupuesto se reparte por igual entre ellos, de modo que los totales suman el presupuesto real. Nunca se suman importes de monedas distintas.",
        budgetPerYear: "Presupuesto por año (previsto y gastado)", directions: "Dirección del aprendizaje",
        overview: "Resumen", goal: "Objetivo", activities: "Actividades", partnerships: "Hermanamientos",
        planned: "Previsto", spent: "Gastado", total: "Total", year: "Año", undated: "sin fecha",
        noBudget: "No hay presupuestos registrados.", reciprocity: "Proporción de reciprocidad (%)",
        partnershipsByStatus: "Hermanamientos por estado", activitiesByStatus: "Actividades por estado",
        activitiesByKind: "Actividades por tipo", countries: "Por país socio",
        directionHeading: "Dirección",
        lessons: { municipality, own, partner, theirs in
            "\(municipality) aprendió \(own) \(own == 1 ? "lección" : "lecciones"), \(partner ?? "los municipios socios") \(theirs)"
        })
}
