import Gateway
import Vocabulary

/// The words of `/library` and `/library/lessons/{id}` in one language; every language has every word
/// (``Localised``). Templates read them by property name (`{{page.heading}}`).
struct LibraryPageWords: Sendable {
    var heading: String
    var intro: String
    var search: String
    var words: String
    var wordsHint: String
    var theme: String
    var themeHint: String
    var sdgTarget: String
    var sdgTargetHint: String
    var policyDomain: String
    var anyDomain: String
    var country: String
    var countryHint: String
    var side: String
    var eitherSide: String
    var find: String
    var everything: String
    var errorSummary: String
    var results: String
    var nothing: String
    var nothingWith: String
    var next: String
    var learntBy: String
    var ask: String
    var sharedOn: String
    var readAll: String
    var back: String
    /// The contact, by role: "the partner coordinator of {partnership} ({municipality})".
    var coordinatorOf: String
    var partnerCoordinatorOf: String
    /// What to say about a refused filter, by field.
    var messages: [String: String]

    static let all = Localised(nl: dutch, en: english, fr: french, es: spanish)
    static let templates = PageShell.templateObjects(all)

    static let english = LibraryPageWords(
        heading: "Library of lessons",
        intro:
            "What the municipalities of this platform learnt with their partners, and chose to share with each other. Search in any language: a policy domain's name finds its lessons in every language.",
        search: "Search", words: "Words", wordsHint: "Such as birth registration or registre",
        theme: "Theme", themeHint: "A tag such as covid-19", sdgTarget: "SDG target", sdgTargetHint: "Such as 16.9",
        policyDomain: "Policy domain", anyDomain: "Any policy domain", country: "Partner's country",
        countryHint: "Two letters, such as BJ for Benin", side: "Who learnt", eitherSide: "Either side",
        find: "Search the library", everything: "Show every lesson", errorSummary: "There is a problem",
        results: "Lessons", nothing: "No shared lesson yet.", nothingWith: "No shared lesson matches: {filters}.",
        next: "Next page", learntBy: "Learnt by {name}", ask: "Ask", sharedOn: "Shared on {date}",
        readAll: "Read the whole lesson", back: "Back to the library",
        coordinatorOf: "the coordinator of {partnership} ({municipality})",
        partnerCoordinatorOf: "the partner coordinator of {partnership} ({municipality})",
        messages: [
            "theme": "Enter a theme as a lowercase tag, such as covid-19",
            "sdgTarget": "Enter an SDG target such as 16.9",
            "policyDomain": "Choose a policy domain from the list",
            "country": "Enter the country as two capital letters, such as BJ",
            "side": "Choose who learnt",
        ])

    static let dutch = LibraryPageWords(
        heading: "Bibliotheek van lessen",
        intro:
            "Wat de gemeenten van dit platform met hun partners leerden en met elkaar wilden delen. Zoek in elke taal: de naam van een beleidsdomein vindt zijn lessen in alle talen.",
        search: "Zoeken", words: "Woorden", wordsHint: "Bijvoorbeeld burgerlijke stand of registre",
        theme: "Thema", themeHint: "Een label zoals covid-19", sdgTarget: "SDG-subdoel",
        sdgTargetHint: "Bijvoorbeeld 16.9", policyDomain: "Beleidsdomein", anyDomain: "Alle beleidsdomeinen",
        country: "Land van de partner", countryHint: "Twee letters, bijvoorbeeld BJ voor Benin",
        side: "Wie leerde", eitherSide: "Beide zijden", find: "Zoek in de bibliotheek",
        everything: "Toon alle lessen", errorSummary: "Er is een probleem", results: "Lessen",
        nothing: "Nog geen gedeelde lessen.", nothingWith: "Geen gedeelde les voldoet aan: {filters}.",
        next: "Volgende pagina", learntBy: "Geleerd door {name}", ask: "Vraag het aan",
        sharedOn: "Gedeeld op {date}", readAll: "Lees de hele les", back: "Terug naar de bibliotheek",
        coordinatorOf: "de coördinator van {partnership} ({municipality})",
        partnerCoordinatorOf: "de partnercoördinator van {partnership} ({municipality})",
        messages: [
            "theme": "Geef een thema als label in kleine letters, zoals covid-19",
            "sdgTarget": "Geef een SDG-subdoel zoals 16.9",
            "policyDomain": "Kies een beleidsdomein uit de lijst",
            "country": "Geef het land als twee hoofdletters, zoals BJ",
            "side": "Kies wie leerde",
        ])

    static let french = LibraryPageWords(
        heading: "Bibliothèque des leçons",
        intro:
            "Ce que les communes de cette plateforme ont appris avec leurs partenaires et ont choisi de partager entre elles. Cherchez dans toute langue : le nom d'un domaine trouve ses leçons dans toutes les langues.",
        search: "Rechercher", words: "Mots", wordsHint: "Par exemple état civil ou burgerlijke stand",
        theme: "Thème", themeHint: "Une étiquette comme covid-19", sdgTarget: "Cible ODD",
        sdgTargetHint: "Par exemple 16.9", policyDomain: "Domaine d'action", anyDomain: "Tous les domaines",
        country: "Pays du partenaire", countryHint: "Deux lettres, par exemple BJ pour le Bénin",
        side: "Qui a appris", eitherSide: "Les deux côtés", find: "Chercher dans la bibliothèque",
        everything: "Montrer toutes les leçons", errorSummary: "Il y a un problème", results: "Leçons",
        nothing: "Aucune leçon partagée pour l'instant.",
        nothingWith: "Aucune leçon partagée ne correspond à : {filters}.", next: "Page suivante",
        learntBy: "Appris par {name}", ask: "Demandez à", sharedOn: "Partagée le {date}",
        readAll: "Lire toute la leçon", back: "Retour à la bibliothèque",
        coordinatorOf: "le coordinateur de {partnership} ({municipality})",
        partnerCoordinatorOf: "le coordinateur partenaire de {partnership} ({municipality})",
        messages: [
            "theme": "Saisissez un thème en minuscules, comme covid-19",
            "sdgTarget": "Saisissez une cible ODD comme 16.9",
            "policyDomain": "Choisissez un domaine dans la liste",
            "country": "Saisissez le pays en deux lettres majuscules, comme BJ",
            "side": "Choisissez qui a appris",
        ])

    static let spanish = LibraryPageWords(
        heading: "Biblioteca de lecciones",
        intro:
            "Lo que los municipios de esta plataforma aprendieron con sus socios y eligieron compartir entre sí. Busque en cualquier idioma: el nombre de un ámbito encuentra sus lecciones en todos los idiomas.",
        search: "Buscar", words: "Palabras", wordsHint: "Por ejemplo registro civil o registre",
        theme: "Tema", themeHint: "Una etiqueta como covid-19", sdgTarget: "Meta ODS",
        sdgTargetHint: "Por ejemplo 16.9",
        policyDomain: "Ámbito de política", anyDomain: "Todos los ámbitos", country: "País del socio",
        countryHint: "Dos letras, por ejemplo BJ para Benín", side: "Quién aprendió", eitherSide: "Ambos lados",
        find: "Buscar en la biblioteca", everything: "Mostrar todas las lecciones", errorSummary: "Hay un problema",
        results: "Lecciones", nothing: "Todavía no hay lecciones compartidas.",
        nothingWith: "Ninguna lección compartida coincide con: {filters}.", next: "Página siguiente",
        learntBy: "Aprendido por {name}", ask: "Pregunte a", sharedOn: "Compartida el {date}",
        readAll: "Leer la lección entera", back: "Volver a la biblioteca",
        coordinatorOf: "el coordinador de {partnership} ({municipality})",
        partnerCoordinatorOf: "el coordinador socio de {partnership} ({municipality})",
        messages: [
            "theme": "Escriba un tema en minúsculas, como covid-19",
            "sdgTarget": "Escriba una meta ODS como 16.9",
            "policyDomain": "Elija un ámbito de la lista",
            "country": "Escriba el país con dos letras mayúsculas, como BJ",
            "side": "Elija quién aprendió",
        ])
}
