import Gateway
import Vocabulary

/// The words of the activities' pages in one language; every language has every word (``Localised``).
/// Templates read them by property name (`{{words.title}}`).
struct ActivityPageWords: Sendable {
    var localeIdentifier: String
    var activities: String
    var partnership: String
    var title: String
    var description: String
    var kind: String
    var status: String
    var direction: String
    var dates: String
    var startsOn: String
    var endsOn: String
    var dateHint: String
    var sdgTargets: String
    var sdgTargetsHint: String
    var themes: String
    var themesHint: String
    var budget: String
    var planned: String
    var spent: String
    var currency: String
    var budgetHint: String
    var currencyHint: String
    var noBudget: String
    var none: String
    var edit: String
    var editHeading: String
    var newHeading: String
    var recordActivity: String
    var create: String
    var save: String
    var updates: String
    var noUpdates: String
    var updateLabel: String
    var postUpdate: String
    var olderUpdates: String
    var newestUpdates: String
    var unknownAuthor: String
    var errorSummary: String
    var staleTitle: String
    var staleBody: String
    var storedNow: String
    var youTyped: String
    var searchHeading: String
    var search: String
    var text: String
    var any: String
    var goal: String
    var target: String
    var targetHint: String
    var theme: String
    var year: String
    var nextPage: String
    var firstPage: String
    var noActivities: String
    var noResults: String
    var viewerNote: String
    /// What to say about a field the service refused, by field; the service's English words otherwise.
    var messages: [String: String]
    var endsBeforeStart: String
    var importHeading: String
    var importIntro: String
    var importFile: String
    var importHint: String
    var importButton: String
    var importChooseFile: String
    var importDone: String
    var importRefused: String
    var importProblems: String
    var importRow: String
    var importColumn: String
    var importReason: String

    static let all = Localised(nl: dutch, en: english, fr: french, es: spanish)

    /// Every language's words as templates read them, made once.
    static let templates = PageShell.templateObjects(all)

    /// The message for a refused `field` in this language; `fallback` (the service's words) when the table has
    /// none.
    func message(_ field: String, fallback: String) -> String {
        if field == "endsOn", fallback.contains("before") { return endsBeforeStart }
        return messages[field] ?? fallback
    }

    static let english = ActivityPageWords(
        localeIdentifier: "en-GB", activities: "Activities", partnership: "Partnership", title: "Title",
        description: "Description", kind: "Kind", status: "Status", direction: "Direction of learning",
        dates: "Dates", startsOn: "Starts on", endsOn: "Ends on", dateHint: "For example 2020-04-01.",
        sdgTargets: "SDG targets", sdgTargetsHint: "Open a goal to choose its targets.",
        themes: "Themes", themesHint: "Lowercase tags separated by commas, for example covid-19, hygiene.",
        budget: "Budget", planned: "Planned", spent: "Spent", currency: "Currency",
        budgetHint: "Amounts like 12500.00; leave both empty for no budget.",
        currencyHint: "A currency code such as EUR or XOF.", noBudget: "No budget", none: "None",
        edit: "Edit this activity", editHeading: "Edit activity", newHeading: "Record an activity",
        recordActivity: "Record an activity", create: "Record the activity", save: "Save changes",
        updates: "Updates", noUpdates: "No updates yet.", updateLabel: "Post an update",
        postUpdate: "Post the update", olderUpdates: "Older updates", newestUpdates: "Newest updates",
        unknownAuthor: "someone", errorSummary: "There is a problem",
        staleTitle: "This activity was changed since you opened it",
        staleBody:
            "Nothing was saved. Where it now differs from what you typed, the stored value is shown beside the field. Check your changes and save again.",
        storedNow: "Stored now", youTyped: "You typed", searchHeading: "Search activities", search: "Search",
        text: "Words", any: "Any", goal: "SDG goal", target: "SDG target", targetHint: "For example 3.d.",
        theme: "Theme", year: "Year", nextPage: "Next page", firstPage: "First page",
        noActivities: "No activities recorded yet.", noResults: "No activities match.",
        viewerNote: "You can read this activity; you cannot change it.",
        messages: [
            "title": "Enter a title of at most 200 characters", "description": "The description is too long",
            "kind": "Choose a kind from the list", "status": "Choose a status from the list",
            "direction": "Choose a direction from the list", "startsOn": "Enter a start date like 2020-04-01",
            "endsOn": "Enter an end date like 2020-06-30", "sdgTargets": "Choose SDG targets from the list",
            "themes": "Enter at most 20 lowercase tags such as covid-19, separated by commas",
            "budget.planned": "Enter the planned amount like 12500.00",
            "budget.spent": "Enter the amount spent like 400.00",
            "budget.currency": "Enter a currency code such as EUR",
            "body": "Write an update of at most 20,000 characters",
            "q": "Enter at most 200 characters", "partnershipId": "Choose a partnership from the list",
            "sdg": "Choose a goal from the list", "target": "Enter an SDG target such as 3.d",
            "year": "Enter a year such as 2020",
        ],
        endsBeforeStart: "The end date must not be before the start date", importHeading: "Import activities",
        importIntro: "Upload a spreadsheet saved as CSV: one row per activity, all imported or none.",
        importFile: "CSV file",
        importHint: "A header row naming the columns, such as partnership, title, kind, direction.",
        importButton: "Import", importChooseFile: "Choose a CSV file",
        importDone: "{count} activities imported.", importRefused: "The file was not imported: see the rows below",
        importProblems: "What to fix", importRow: "Row", importColumn: "Column", importReason: "Reason")

    static let dutch = ActivityPageWords(
        localeIdentifier: "nl-BE", activities: "Activiteiten", partnership: "Stedenband", title: "Titel",
        description: "Beschrijving", kind: "Soort", status: "Status", direction: "Richting van het leren",
        dates: "Data", startsOn: "Begint op", endsOn: "Eindigt op", dateHint: "Bijvoorbeeld 2020-04-01.",
        sdgTargets: "SDG-subdoelen", sdgTargetsHint: "Open een doel om zijn subdoelen te kiezen.",
        themes: "Thema's",
        themesHint: "Tags in kleine letters, gescheiden door komma's, bijvoorbeeld covid-19, hygiene.",
        budget: "Budget", planned: "Gepland", spent: "Uitgegeven", currency: "Munt",
        budgetHint: "Bedragen zoals 12500.00; laat beide leeg voor geen budget.",
        currencyHint: "Een muntcode zoals EUR of XOF.", noBudget: "Geen budget", none: "Geen",
        edit: "Deze activiteit wijzigen", editHeading: "Activiteit wijzigen",
        newHeading: "Een activiteit registreren", recordActivity: "Een activiteit registreren",
        create: "Activiteit registreren", save: "Wijzigingen bewaren", updates: "Voortgang",
        noUpdates: "Nog geen berichten.", updateLabel: "Een voortgangsbericht plaatsen",
        postUpdate: "Bericht plaatsen", olderUpdates: "Oudere berichten", newestUpdates: "Nieuwste berichten",
        unknownAuthor: "iemand", errorSummary: "Er is een probleem",
        staleTitle: "Deze activiteit werd gewijzigd sinds je ze opende",
        staleBody:
            "Er is niets bewaard. Waar de bewaarde waarde nu verschilt van wat je typte, staat ze naast het veld. Kijk je wijzigingen na en bewaar opnieuw.",
        storedNow: "Nu bewaard", youTyped: "Jij typte", searchHeading: "Activiteiten zoeken", search: "Zoeken",
        text: "Woorden", any: "Alle", goal: "SDG", target: "SDG-subdoel", targetHint: "Bijvoorbeeld 3.d.",
        theme: "Thema", year: "Jaar", nextPage: "Volgende pagina", firstPage: "Eerste pagina",
        noActivities: "Nog geen activiteiten geregistreerd.", noResults: "Geen activiteiten gevonden.",
        viewerNote: "Je kunt deze activiteit lezen, niet wijzigen.",
        messages: [
            "title": "Vul een titel in van hoogstens 200 tekens", "description": "De beschrijving is te lang",
            "kind": "Kies een soort uit de lijst", "status": "Kies een status uit de lijst",
            "direction": "Kies een richting uit de lijst", "startsOn": "Vul een begindatum in zoals 2020-04-01",
            "endsOn": "Vul een einddatum in zoals 2020-06-30", "sdgTargets": "Kies SDG-subdoelen uit de lijst",
            "themes": "Vul hoogstens 20 tags in kleine letters in, zoals covid-19, gescheiden door komma's",
            "budget.planned": "Vul het geplande bedrag in zoals 12500.00",
            "budget.spent": "Vul het uitgegeven bedrag in zoals 400.00",
            "budget.currency": "Vul een muntcode in zoals EUR",
            "body": "Schrijf een bericht van hoogstens 20.000 tekens", "q": "Vul hoogstens 200 tekens in",
            "partnershipId": "Kies een stedenband uit de lijst", "sdg": "Kies een doel uit de lijst",
            "target": "Vul een SDG-subdoel in zoals 3.d", "year": "Vul een jaar in zoals 2020",
        ],
        endsBeforeStart: "De einddatum mag niet voor de begindatum liggen",
        importHeading: "Activiteiten importeren",
        importIntro:
            "Laad een rekenblad op dat als CSV bewaard is: één rij per activiteit, alles of niets geïmporteerd.",
        importFile: "CSV-bestand",
        importHint: "Een kopregel met de kolommen, zoals partnership, title, kind, direction.",
        importButton: "Importeren", importChooseFile: "Kies een CSV-bestand",
        importDone: "{count} activiteiten geïmporteerd.",
        importRefused: "Het bestand is niet geïmporteerd: zie de rijen hieronder",
        importProblems: "Wat je moet aanpassen",
        importRow: "Rij", importColumn: "Kolom", importReason: "Reden")

    static let french = ActivityPageWords(
        localeIdentifier: "fr-BE", activities: "Activités", partnership: "Partenariat", title: "Titre",
        description: "Description", kind: "Type", status: "Statut", direction: "Sens de l'apprentissage",
        dates: "Dates", startsOn: "Début", endsOn: "Fin", dateHint: "Par exemple 2020-04-01.",
        sdgTargets: "Cibles des ODD", sdgTargetsHint: "Ouvrez un objectif pour choisir ses cibles.",
        themes: "Thèmes", themesHint: "Des mots en minuscules séparés par des virgules, par exemple covid-19, hygiene.",
        budget: "Budget", planned: "Prévu", spent: "Dépensé", currency: "Devise",
        budgetHint: "Des montants comme 12500.00 ; laissez les deux vides s'il n'y a pas de budget.",
        currencyHint: "Un code de devise comme EUR ou XOF.", noBudget: "Pas de budget", none: "Aucune",
        edit: "Modifier cette activité", editHeading: "Modifier l'activité",
        newHeading: "Enregistrer une activité", recordActivity: "Enregistrer une activité",
        create: "Enregistrer l'activité", save: "Enregistrer les modifications", updates: "Nouvelles",
        noUpdates: "Pas encore de nouvelles.", updateLabel: "Publier une nouvelle",
        postUpdate: "Publier", olderUpdates: "Nouvelles plus anciennes", newestUpdates: "Dernières nouvelles",
        unknownAuthor: "quelqu'un", errorSummary: "Il y a un problème",
        staleTitle: "Cette activité a été modifiée depuis que vous l'avez ouverte",
        staleBody:
            "Rien n'a été enregistré. Là où la valeur enregistrée diffère de ce que vous avez saisi, elle est affichée à côté du champ. Vérifiez vos modifications et enregistrez à nouveau.",
        storedNow: "Enregistré maintenant", youTyped: "Vous avez saisi", searchHeading: "Rechercher des activités",
        search: "Rechercher", text: "Mots", any: "Tous", goal: "ODD", target: "Cible des ODD",
        targetHint: "Par exemple 3.d.", theme: "Thème", year: "Année", nextPage: "Page suivante",
        firstPage: "Première page", noActivities: "Aucune activité enregistrée.",
        noResults: "Aucune activité ne correspond.",
        viewerNote: "Vous pouvez lire cette activité, pas la modifier.",
        messages: [
            "title": "Saisissez un titre de 200 caractères au plus", "description": "La description est trop longue",
            "kind": "Choisissez un type dans la liste", "status": "Choisissez un statut dans la liste",
            "direction": "Choisissez un sens dans la liste", "startsOn": "Saisissez une date de début comme 2020-04-01",
            "endsOn": "Saisissez une date de fin comme 2020-06-30", "sdgTargets": "Choisissez des cibles dans la liste",
            "themes": "Saisissez au plus 20 mots en minuscules comme covid-19, séparés par des virgules",
            "budget.planned": "Saisissez le montant prévu comme 12500.00",
            "budget.spent": "Saisissez le montant dépensé comme 400.00",
            "budget.currency": "Saisissez un code de devise comme EUR",
            "body": "Écrivez une nouvelle de 20 000 caractères au plus", "q": "Saisissez au plus 200 caractères",
            "partnershipId": "Choisissez un partenariat dans la liste", "sdg": "Choisissez un objectif dans la liste",
            "target": "Saisissez une cible comme 3.d", "year": "Saisissez une année comme 2020",
        ],
        endsBeforeStart: "La date de fin ne peut pas précéder la date de début",
        importHeading: "Importer des activités",
        importIntro: "Téléversez un tableur enregistré en CSV : une ligne par activité, tout ou rien n'est importé.",
        importFile: "Fichier CSV",
        importHint: "Une ligne d'en-tête nommant les colonnes, comme partnership, title, kind, direction.",
        importButton: "Importer", importChooseFile: "Choisissez un fichier CSV",
        importDone: "{count} activités importées.",
        importRefused: "Le fichier n'a pas été importé : voyez les lignes ci-dessous", importProblems: "À corriger",
        importRow: "Ligne", importColumn: "Colonne", importReason: "Raison")

    static let spanish = ActivityPageWords(
        localeIdentifier: "es-ES", activities: "Actividades", partnership: "Hermanamiento", title: "Título",
        description: "Descripción", kind: "Tipo", status: "Estado", direction: "Sentido del aprendizaje",
        dates: "Fechas", startsOn: "Empieza el", endsOn: "Termina el", dateHint: "Por ejemplo 2020-04-01.",
        sdgTargets: "Metas de los ODS", sdgTargetsHint: "Abra un objetivo para elegir sus metas.",
        themes: "Temas", themesHint: "Etiquetas en minúsculas separadas por comas, por ejemplo covid-19, hygiene.",
        budget: "Presupuesto", planned: "Previsto", spent: "Gastado", currency: "Moneda",
        budgetHint: "Importes como 12500.00; deje ambos vacíos si no hay presupuesto.",
        currencyHint: "Un código de moneda como EUR o XOF.", noBudget: "Sin presupuesto", none: "Ninguna",
        edit: "Modificar esta actividad", editHeading: "Modificar la actividad",
        newHeading: "Registrar una actividad", recordActivity: "Registrar una actividad",
        create: "Registrar la actividad", save: "Guardar los cambios", updates: "Novedades",
        noUpdates: "Todavía no hay novedades.", updateLabel: "Publicar una novedad", postUpdate: "Publicar",
        olderUpdates: "Novedades anteriores", newestUpdates: "Últimas novedades", unknownAuthor: "alguien",
        errorSummary: "Hay un problema", staleTitle: "Esta actividad cambió desde que la abrió",
        staleBody:
            "No se guardó nada. Donde el valor guardado difiere de lo que escribió, se muestra junto al campo. Revise sus cambios y guarde de nuevo.",
        storedNow: "Guardado ahora", youTyped: "Usted escribió", searchHeading: "Buscar actividades",
        search: "Buscar", text: "Palabras", any: "Todos", goal: "ODS", target: "Meta de los ODS",
        targetHint: "Por ejemplo 3.d.", theme: "Tema", year: "Año", nextPage: "Página siguiente",
        firstPage: "Primera página", noActivities: "Todavía no hay actividades registradas.",
        noResults: "Ninguna actividad coincide.", viewerNote: "Puede leer esta actividad, no modificarla.",
        messages: [
            "title": "Escriba un título de 200 caracteres como máximo",
            "description": "La descripción es demasiado larga",
            "kind": "Elija un tipo de la lista", "status": "Elija un estado de la lista",
            "direction": "Elija un sentido de la lista", "startsOn": "Escriba una fecha de inicio como 2020-04-01",
            "endsOn": "Escriba una fecha de fin como 2020-06-30", "sdgTargets": "Elija metas de la lista",
            "themes": "Escriba como máximo 20 etiquetas en minúsculas como covid-19, separadas por comas",
            "budget.planned": "Escriba el importe previsto como 12500.00",
            "budget.spent": "Escriba el importe gastado como 400.00",
            "budget.currency": "Escriba un código de moneda como EUR",
            "body": "Escriba una novedad de 20 000 caracteres como máximo", "q": "Escriba 200 caracteres como máximo",
            "partnershipId": "Elija un hermanamiento de la lista", "sdg": "Elija un objetivo de la lista",
            "target": "Escriba una meta como 3.d", "year": "Escriba un año como 2020",
        ],
        endsBeforeStart: "La fecha de fin no puede ser anterior a la de inicio",
        importHeading: "Importar actividades",
        importIntro: "Suba una hoja de cálculo guardada como CSV: una fila por actividad, se importa todo o nada.",
        importFile: "Archivo CSV",
        importHint: "Una fila de cabecera con las columnas, como partnership, title, kind, direction.",
        importButton: "Importar", importChooseFile: "Elija un archivo CSV",
        importDone: "{count} actividades importadas.",
        importRefused: "El archivo no se importó: vea las filas abajo", importProblems: "Qué corregir",
        importRow: "Fila", importColumn: "Columna", importReason: "Motivo")
}
