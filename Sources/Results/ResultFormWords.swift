import Gateway
import Vocabulary

/// The words of the forms that define, change and delete results, indicators and periods, in one language;
/// every language has every word. The messages stand beside the field they concern, so each says what to do.
struct ResultFormWords: Sendable {
    var addResult: String
    var addIndicator: String
    var addPeriod: String
    var edit: String
    var delete: String
    var newResult: String
    var editResult: String
    var newIndicator: String
    var editIndicator: String
    var newPeriod: String
    var editPeriod: String
    var title: String
    var type: String
    var description: String
    var aggregates: String
    var aggregatesHint: String
    var measure: String
    var ascending: String
    var ascendingHint: String
    var sdgTarget: String
    var noSDGTarget: String
    var baseline: String
    var baselineHint: String
    var baselineYear: String
    var baselineValue: String
    var baselineComment: String
    var start: String
    var end: String
    var dateHint: String
    var targetValue: String
    var targetComment: String
    var save: String
    var cancel: String
    var noResults: String
    var staleTitle: String
    var staleBody: String
    /// "Delete the result “…”?"
    var deleteQuestion: @Sendable (String) -> String
    var deleteResultBody: String
    var deleteIndicatorBody: String
    var deletePeriodBody: String
    var confirmDelete: String
    var approvedHeld: String
    var titleMessage: String
    var chooseMessage: String
    var textMessage: String
    var sdgMessage: String
    var yearMessage: String
    var wholeMessage: String
    var qualitativeMessage: String
    var dateMessage: String
    var endMessage: String
    var overlapMessage: String
    var measureHeldMessage: String
    var approvedDatesMessage: String

    static let all = Localised(
        nl: ResultFormWords(
            addResult: "Een resultaat toevoegen", addIndicator: "Een indicator toevoegen",
            addPeriod: "Een periode toevoegen", edit: "Wijzigen", delete: "Verwijderen",
            newResult: "Een resultaat toevoegen", editResult: "Het resultaat wijzigen",
            newIndicator: "Een indicator toevoegen", editIndicator: "De indicator wijzigen",
            newPeriod: "Een periode toevoegen", editPeriod: "De periode wijzigen", title: "Titel", type: "Soort",
            description: "Beschrijving", aggregates: "Optelbaar met andere resultaten",
            aggregatesHint: "Of de waarden van de indicatoren bij die van andere activiteiten opgeteld mogen worden.",
            measure: "Meeteenheid", ascending: "Hoger is beter",
            ascendingHint: "Haal het vinkje weg als de waarde moet dalen, zoals een wachttijd.",
            sdgTarget: "SDG-subdoel", noSDGTarget: "Geen", baseline: "Nulmeting",
            baselineHint: "Laat het jaar leeg als er geen nulmeting is.", baselineYear: "Jaar",
            baselineValue: "Waarde", baselineComment: "Bron of toelichting", start: "Eerste dag",
            end: "Laatste dag", dateHint: "Bijvoorbeeld 2020-01-01", targetValue: "Streefwaarde",
            targetComment: "Toelichting bij de streefwaarde", save: "Bewaren", cancel: "Annuleren",
            noResults: "Nog geen resultaten.", staleTitle: "Dit werd gewijzigd sinds je het opende",
            staleBody: "Wat je typte, staat nog in het formulier. Bewaar opnieuw om het te behouden.",
            deleteQuestion: { "“\($0)” verwijderen?" },
            deleteResultBody: "De indicatoren en periodes van dit resultaat worden mee verwijderd.",
            deleteIndicatorBody: "De periodes en gerapporteerde waarden van deze indicator worden mee verwijderd.",
            deletePeriodBody: "De streefwaarde en de gerapporteerde waarde van deze periode worden mee verwijderd.",
            confirmDelete: "Ja, verwijderen",
            approvedHeld: "Dit bevat een goedgekeurde waarde. Stuur die eerst terug.",
            titleMessage: "Vul een titel in van hoogstens 200 tekens", chooseMessage: "Kies er een uit de lijst",
            textMessage: "Deze tekst is te lang", sdgMessage: "Kies een subdoel uit de lijst",
            yearMessage: "Vul een jaar in tussen 1900 en 2200",
            wholeMessage: "Vul een geheel getal in, zoals 12",
            qualitativeMessage: "Een kwalitatieve indicator krijgt geen getal, alleen een toelichting",
            dateMessage: "Vul een datum in, zoals 2020-12-31",
            endMessage: "De laatste dag valt niet voor de eerste",
            overlapMessage: "Deze periode overlapt met een andere periode van de indicator",
            measureHeldMessage: "Periodes bevatten waarden in deze meeteenheid: wis eerst hun streefwaarden",
            approvedDatesMessage: "Een goedgekeurde periode houdt haar data: stuur de waarde eerst terug"),
        en: ResultFormWords(
            addResult: "Add a result", addIndicator: "Add an indicator", addPeriod: "Add a period", edit: "Edit",
            delete: "Delete", newResult: "Add a result", editResult: "Edit the result",
            newIndicator: "Add an indicator", editIndicator: "Edit the indicator", newPeriod: "Add a period",
            editPeriod: "Edit the period", title: "Title", type: "Type", description: "Description",
            aggregates: "Can be added up with other results",
            aggregatesHint: "Whether its indicators' values may be summed with those of other activities.",
            measure: "Measure", ascending: "Higher is better",
            ascendingHint: "Untick when the value should go down, such as a waiting time.",
            sdgTarget: "SDG target", noSDGTarget: "None", baseline: "Baseline",
            baselineHint: "Leave the year empty when there is no baseline.", baselineYear: "Year",
            baselineValue: "Value", baselineComment: "Source or comment", start: "First day", end: "Last day",
            dateHint: "For example 2020-01-01", targetValue: "Target", targetComment: "Comment on the target",
            save: "Save", cancel: "Cancel", noResults: "No results yet.",
            staleTitle: "This was changed since you opened it",
            staleBody: "What you typed is still in the form. Save again to keep it.",
            deleteQuestion: { "Delete “\($0)”?" },
            deleteResultBody: "The result's indicators and periods are deleted with it.",
            deleteIndicatorBody: "The indicator's periods and reported values are deleted with it.",
            deletePeriodBody: "The period's target and reported value are deleted with it.",
            confirmDelete: "Yes, delete", approvedHeld: "This holds an approved value. Return that value first.",
            titleMessage: "Enter a title of at most 200 characters", chooseMessage: "Choose one from the list",
            textMessage: "This text is too long", sdgMessage: "Choose a target from the list",
            yearMessage: "Enter a year from 1900 to 2200", wholeMessage: "Enter a whole number, such as 12",
            qualitativeMessage: "A qualitative indicator takes no number, only a comment",
            dateMessage: "Enter a date such as 2020-12-31", endMessage: "The last day must not be before the first",
            overlapMessage: "This period overlaps another period of the indicator",
            measureHeldMessage: "Periods hold values in this measure: clear their targets first",
            approvedDatesMessage: "An approved period keeps its dates: return its value first"),
        fr: ResultFormWords(
            addResult: "Ajouter un résultat", addIndicator: "Ajouter un indicateur", addPeriod: "Ajouter une période",
            edit: "Modifier", delete: "Supprimer", newResult: "Ajouter un résultat",
            editResult: "Modifier le résultat", newIndicator: "Ajouter un indicateur",
            editIndicator: "Modifier l’indicateur", newPeriod: "Ajouter une période", editPeriod: "Modifier la période",
            title: "Titre", type: "Type", description: "Description",
            aggregates: "Peut s’additionner à d’autres résultats",
            aggregatesHint: "Si les valeurs de ses indicateurs peuvent s’additionner à celles d’autres activités.",
            measure: "Mesure", ascending: "Plus haut, c’est mieux",
            ascendingHint: "Décochez si la valeur doit baisser, comme un délai d’attente.",
            sdgTarget: "Cible ODD", noSDGTarget: "Aucune", baseline: "Valeur de référence",
            baselineHint: "Laissez l’année vide s’il n’y a pas de valeur de référence.", baselineYear: "Année",
            baselineValue: "Valeur", baselineComment: "Source ou commentaire", start: "Premier jour",
            end: "Dernier jour", dateHint: "Par exemple 2020-01-01", targetValue: "Valeur cible",
            targetComment: "Commentaire sur la valeur cible", save: "Enregistrer", cancel: "Annuler",
            noResults: "Pas encore de résultats.", staleTitle: "Ceci a été modifié depuis que vous l’avez ouvert",
            staleBody: "Ce que vous avez saisi est toujours dans le formulaire. Enregistrez à nouveau pour le garder.",
            deleteQuestion: { "Supprimer « \($0) » ?" },
            deleteResultBody: "Les indicateurs et les périodes du résultat sont supprimés avec lui.",
            deleteIndicatorBody: "Les périodes et les valeurs rapportées de l’indicateur sont supprimées avec lui.",
            deletePeriodBody: "La valeur cible et la valeur rapportée de la période sont supprimées avec elle.",
            confirmDelete: "Oui, supprimer",
            approvedHeld: "Ceci contient une valeur approuvée. Renvoyez d’abord cette valeur.",
            titleMessage: "Saisissez un titre de 200 caractères au plus",
            chooseMessage: "Choisissez-en un dans la liste",
            textMessage: "Ce texte est trop long", sdgMessage: "Choisissez une cible dans la liste",
            yearMessage: "Saisissez une année entre 1900 et 2200",
            wholeMessage: "Saisissez un nombre entier, par exemple 12",
            qualitativeMessage: "Un indicateur qualitatif ne prend pas de nombre, seulement un commentaire",
            dateMessage: "Saisissez une date, par exemple 2020-12-31",
            endMessage: "Le dernier jour ne peut pas précéder le premier",
            overlapMessage: "Cette période chevauche une autre période de l’indicateur",
            measureHeldMessage: "Des périodes ont des valeurs dans cette mesure : effacez d’abord leurs valeurs cibles",
            approvedDatesMessage: "Une période approuvée garde ses dates : renvoyez d’abord sa valeur"),
        es: ResultFormWords(
            addResult: "Añadir un resultado", addIndicator: "Añadir un indicador", addPeriod: "Añadir un período",
            edit: "Modificar", delete: "Eliminar", newResult: "Añadir un resultado",
            editResult: "Modificar el resultado", newIndicator: "Añadir un indicador",
            editIndicator: "Modificar el indicador", newPeriod: "Añadir un período", editPeriod: "Modificar el período",
            title: "Título", type: "Tipo", description: "Descripción",
            aggregates: "Se puede sumar con otros resultados",
            aggregatesHint: "Si los valores de sus indicadores pueden sumarse a los de otras actividades.",
            measure: "Medida", ascending: "Más alto es mejor",
            ascendingHint: "Desmárquelo si el valor debe bajar, como un tiempo de espera.",
            sdgTarget: "Meta ODS", noSDGTarget: "Ninguna", baseline: "Línea de base",
            baselineHint: "Deje el año vacío si no hay línea de base.", baselineYear: "Año", baselineValue: "Valor",
            baselineComment: "Fuente o comentario", start: "Primer día", end: "Último día",
            dateHint: "Por ejemplo 2020-01-01", targetValue: "Valor meta",
            targetComment: "Comentario sobre el valor meta",
            save: "Guardar", cancel: "Cancelar", noResults: "Todavía no hay resultados.",
            staleTitle: "Esto se modificó desde que lo abrió",
            staleBody: "Lo que escribió sigue en el formulario. Guarde de nuevo para conservarlo.",
            deleteQuestion: { "¿Eliminar «\($0)»?" },
            deleteResultBody: "Los indicadores y períodos del resultado se eliminan con él.",
            deleteIndicatorBody: "Los períodos y valores informados del indicador se eliminan con él.",
            deletePeriodBody: "El valor meta y el valor informado del período se eliminan con él.",
            confirmDelete: "Sí, eliminar", approvedHeld: "Esto contiene un valor aprobado. Devuelva primero ese valor.",
            titleMessage: "Escriba un título de 200 caracteres como máximo", chooseMessage: "Elija uno de la lista",
            textMessage: "Este texto es demasiado largo", sdgMessage: "Elija una meta de la lista",
            yearMessage: "Escriba un año entre 1900 y 2200", wholeMessage: "Escriba un número entero, por ejemplo 12",
            qualitativeMessage: "Un indicador cualitativo no lleva número, solo un comentario",
            dateMessage: "Escriba una fecha, por ejemplo 2020-12-31",
            endMessage: "El último día no puede ser anterior al primero",
            overlapMessage: "Este período se superpone con otro período del indicador",
            measureHeldMessage: "Hay períodos con valores en esta medida: borre primero sus valores meta",
            approvedDatesMessage: "Un período aprobado conserva sus fechas: devuelva primero su valor"))

    /// The words as the templates read them (`{{forms.addResult}}`).
    static let templates = PageShell.templateObjects(all)
}
