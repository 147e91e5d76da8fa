import Vocabulary

/// The words of the `/reports` page in one language (the charts and tables keep ``ReportWords``); every
/// language has every word (``Localised``). Templates read them by property name (`{{page.heading}}`).
struct ReportPageWords: Sendable {
    var heading: String
    var intro: String
    var filters: String
    var year: String
    var yearHint: String
    var partnership: String
    var allPartnerships: String
    var country: String
    var countryHint: String
    var status: String
    var anyStatus: String
    var theme: String
    var themeHint: String
    var show: String
    var everything: String
    var errorSummary: String
    var figures: String
    var activities: String
    var sdgActivities: String
    var partnerships: String
    var planned: String
    var spent: String
    var noBudget: String
    var reciprocity: String
    var downloads: String
    var sdgCSV: String
    var overviewCSV: String
    var resultsCSV: String
    var resultsPage: String
    var iati: String
    var iatiMissing: String
    var iatiNotYours: String
    var printHint: String
    /// What to say about a refused filter, by field.
    var messages: [String: String]

    static let all = Localised(nl: dutch, en: english, fr: french, es: spanish)

    /// The message for a refused filter in this language; `fallback` (the API's words) when the table has none.
    func message(_ field: String, fallback: String) -> String { messages[field] ?? fallback }

    static let english = ReportPageWords(
        heading: "Reports",
        intro:
            "Figures of the activities you can see: per Sustainable Development Goal, per year, by learning direction. Choose filters to narrow them.",
        filters: "Filters", year: "Year", yearHint: "Activities running during this year, for example 2026.",
        partnership: "Partnership", allPartnerships: "All partnerships", country: "Partner country",
        countryHint: "Two capital letters, for example BJ.", status: "Activity status", anyStatus: "Any status",
        theme: "Theme", themeHint: "For example covid-19.", show: "Show the report", everything: "Clear the filters",
        errorSummary: "There is a problem", figures: "In figures", activities: "Activities",
        sdgActivities: "Activities with an SDG goal", partnerships: "Partnerships", planned: "Budget planned",
        spent: "Budget spent", noBudget: "none recorded", reciprocity: "Reciprocity share", downloads: "Downloads",
        sdgCSV: "SDG report, for a spreadsheet (CSV)", overviewCSV: "Overview, for a spreadsheet (CSV)",
        resultsCSV: "Results: indicators and approved values, for a spreadsheet (CSV)",
        resultsPage: "Results report, to print",
        iati: "The municipality's activities as an IATI 2.03 file (XML)",
        iatiMissing:
            "The IATI file needs the municipality's IATI organisation identifier and type: an administrator sets them.",
        iatiNotYours: "The IATI file is the municipality's publication: its coordinators download it.",
        printHint: "Printing this page prints the report without the site's header.",
        messages: [
            "year": "Enter a year such as 2020", "partnershipId": "Choose a partnership from the list",
            "country": "Enter a country as two capital letters, such as BJ",
            "status": "Choose a status from the list",
            "theme": "Enter a theme of at most 40 characters, such as covid-19",
        ])

    static let dutch = ReportPageWords(
        heading: "Rapporten",
        intro:
            "Cijfers van de activiteiten die je kunt zien: per duurzame-ontwikkelingsdoelstelling, per jaar, per leerrichting. Kies filters om ze te beperken.",
        filters: "Filters", year: "Jaar", yearHint: "Activiteiten die in dit jaar lopen, bijvoorbeeld 2026.",
        partnership: "Stedenband", allPartnerships: "Alle stedenbanden", country: "Partnerland",
        countryHint: "Twee hoofdletters, bijvoorbeeld BJ.", status: "Status van de activiteit",
        anyStatus: "Elke status", theme: "Thema", themeHint: "Bijvoorbeeld covid-19.", show: "Rapport tonen",
        everything: "Filters wissen", errorSummary: "Er is een probleem", figures: "In cijfers",
        activities: "Activiteiten", sdgActivities: "Activiteiten met een SDG", partnerships: "Stedenbanden",
        planned: "Gepland budget", spent: "Besteed budget", noBudget: "niets geregistreerd",
        reciprocity: "Aandeel wederkerigheid", downloads: "Downloads",
        sdgCSV: "SDG-rapport, voor een rekenblad (CSV)", overviewCSV: "Overzicht, voor een rekenblad (CSV)",
        resultsCSV: "Resultaten: indicatoren en goedgekeurde waarden, voor een rekenblad (CSV)",
        resultsPage: "Resultatenrapport, om af te drukken",
        iati: "De activiteiten van de gemeente als IATI 2.03-bestand (XML)",
        iatiMissing:
            "Voor het IATI-bestand zijn de IATI-organisatie-identificatie en het type van de gemeente nodig: een beheerder stelt ze in.",
        iatiNotYours: "Het IATI-bestand is de publicatie van de gemeente: haar coördinatoren downloaden het.",
        printHint: "Wie deze pagina afdrukt, drukt het rapport af zonder de hoofding van de site.",
        messages: [
            "year": "Geef een jaar zoals 2020", "partnershipId": "Kies een stedenband uit de lijst",
            "country": "Geef een land als twee hoofdletters, zoals BJ", "status": "Kies een status uit de lijst",
            "theme": "Geef een thema van hoogstens 40 tekens, zoals covid-19",
        ])

    static let french = ReportPageWords(
        heading: "Rapports",
        intro:
            "Les chiffres des activités que vous pouvez voir : par objectif de développement durable, par année, par sens de l’apprentissage. Choisissez des filtres pour les restreindre.",
        filters: "Filtres", year: "Année", yearHint: "Les activités en cours cette année-là, par exemple 2026.",
        partnership: "Partenariat", allPartnerships: "Tous les partenariats", country: "Pays partenaire",
        countryHint: "Deux majuscules, par exemple BJ.", status: "Statut de l’activité", anyStatus: "Tout statut",
        theme: "Thème", themeHint: "Par exemple covid-19.", show: "Afficher le rapport",
        everything: "Effacer les filtres", errorSummary: "Il y a un problème", figures: "En chiffres",
        activities: "Activités", sdgActivities: "Activités avec un ODD", partnerships: "Partenariats",
        planned: "Budget prévu", spent: "Budget dépensé", noBudget: "aucun enregistré",
        reciprocity: "Part de réciprocité", downloads: "Téléchargements",
        sdgCSV: "Rapport ODD, pour un tableur (CSV)", overviewCSV: "Aperçu, pour un tableur (CSV)",
        resultsCSV: "Résultats : indicateurs et valeurs approuvées, pour un tableur (CSV)",
        resultsPage: "Rapport des résultats, à imprimer",
        iati: "Les activités de la commune en fichier IATI 2.03 (XML)",
        iatiMissing:
            "Le fichier IATI demande l’identifiant et le type d’organisation IATI de la commune : un administrateur les saisit.",
        iatiNotYours: "Le fichier IATI est la publication de la commune : ses coordinateurs le téléchargent.",
        printHint: "Imprimer cette page imprime le rapport sans l’en-tête du site.",
        messages: [
            "year": "Saisissez une année comme 2020", "partnershipId": "Choisissez un partenariat dans la liste",
            "country": "Saisissez un pays en deux majuscules, comme BJ",
            "status": "Choisissez un statut dans la liste",
            "theme": "Saisissez un thème de 40 caractères au plus, comme covid-19",
        ])

    static let spanish = ReportPageWords(
        heading: "Informes",
        intro:
            "Las cifras de las actividades que puede ver: por Objetivo de Desarrollo Sostenible, por año, por dirección del aprendizaje. Elija filtros para acotarlas.",
        filters: "Filtros", year: "Año", yearHint: "Actividades en curso ese año, por ejemplo 2026.",
        partnership: "Hermanamiento", allPartnerships: "Todos los hermanamientos", country: "País socio",
        countryHint: "Dos mayúsculas, por ejemplo BJ.", status: "Estado de la actividad",
        anyStatus: "Cualquier estado", theme: "Tema", themeHint: "Por ejemplo covid-19.", show: "Mostrar el informe",
        everything: "Quitar los filtros", errorSummary: "Hay un problema", figures: "En cifras",
        activities: "Actividades", sdgActivities: "Actividades con un ODS", partnerships: "Hermanamientos",
        planned: "Presupuesto previsto", spent: "Presupuesto gastado", noBudget: "ninguno registrado",
        reciprocity: "Proporción de reciprocidad", downloads: "Descargas",
        sdgCSV: "Informe ODS, para una hoja de cálculo (CSV)", overviewCSV: "Resumen, para una hoja de cálculo (CSV)",
        resultsCSV: "Resultados: indicadores y valores aprobados, para una hoja de cálculo (CSV)",
        resultsPage: "Informe de resultados, para imprimir",
        iati: "Las actividades del municipio en un archivo IATI 2.03 (XML)",
        iatiMissing:
            "El archivo IATI necesita el identificador y el tipo de organización IATI del municipio: un administrador los introduce.",
        iatiNotYours: "El archivo IATI es la publicación del municipio: lo descargan sus coordinadores.",
        printHint: "Al imprimir esta página se imprime el informe sin la cabecera del sitio.",
        messages: [
            "year": "Introduzca un año como 2020", "partnershipId": "Elija un hermanamiento de la lista",
            "country": "Introduzca un país con dos mayúsculas, como BJ", "status": "Elija un estado de la lista",
            "theme": "Introduzca un tema de 40 caracteres como máximo, como covid-19",
        ])
}
