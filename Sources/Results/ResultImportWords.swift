import Gateway
import Vocabulary

/// The words of the results' upload on `/import`, in one language; every language has every word. They follow
/// the glossary (nulmeting, streefwaarde; valeur de référence, valeur cible; línea de base, valor meta).
struct ResultImportWords: Sendable {
    var heading: String
    var intro: String
    var file: String
    var hint: String
    var button: String
    var chooseFile: String
    /// "Imported: 1 result, 1 indicator and 4 periods defined or changed."
    var done: @Sendable (ImportedResults) -> String
    var refused: String
    var problems: String
    var row: String
    var column: String
    var reason: String

    static let all = Localised(
        nl: ResultImportWords(
            heading: "Resultaten importeren",
            intro:
                "Laad een spreadsheet op die als CSV bewaard is: een rij per periode van een indicator. Alles wordt "
                + "geïmporteerd of niets. Opnieuw importeren verandert niets wat al zo is.",
            file: "CSV-bestand met resultaten",
            hint: "Een kopregel met de kolomnamen, zoals activity of partnership, result, indicator, measure.",
            button: "Resultaten importeren", chooseFile: "Kies een CSV-bestand",
            done: {
                "Geïmporteerd: \($0.results) resultaten, \($0.indicators) indicatoren en \($0.periods) periodes "
                    + "nieuw of gewijzigd."
            },
            refused: "De resultaten zijn niet geïmporteerd: zie de rijen hieronder",
            problems: "Rijen die niet geïmporteerd konden worden", row: "Rij", column: "Kolom", reason: "Reden"),
        en: ResultImportWords(
            heading: "Import results",
            intro:
                "Upload a spreadsheet saved as CSV: one row per period of an indicator, all imported or none. "
                + "Importing it again changes nothing that is already so.",
            file: "CSV file of results",
            hint: "A header row naming the columns, such as activity or partnership, result, indicator, measure.",
            button: "Import results", chooseFile: "Choose a CSV file",
            done: {
                "Imported: \($0.results) results, \($0.indicators) indicators and \($0.periods) periods defined "
                    + "or changed."
            },
            refused: "The results were not imported: see the rows below",
            problems: "Rows that could not be imported", row: "Row", column: "Column", reason: "Reason"),
        fr: ResultImportWords(
            heading: "Importer des résultats",
            intro:
                "Téléversez un tableur enregistré en CSV : une ligne par période d’un indicateur, tout est importé "
                + "ou rien. L’importer à nouveau ne change rien de ce qui est déjà ainsi.",
            file: "Fichier CSV de résultats",
            hint:
                "Une ligne d’en-tête nommant les colonnes, comme activity ou partnership, result, indicator, measure.",
            button: "Importer les résultats", chooseFile: "Choisissez un fichier CSV",
            done: {
                "Importé : \($0.results) résultats, \($0.indicators) indicateurs et \($0.periods) périodes créés "
                    + "ou modifiés."
            },
            refused: "Les résultats n’ont pas été importés : voyez les lignes ci-dessous",
            problems: "Lignes qui n’ont pas pu être importées", row: "Ligne", column: "Colonne", reason: "Raison"),
        es: ResultImportWords(
            heading: "Importar resultados",
            intro:
                "Suba una hoja de cálculo guardada como CSV: una fila por período de un indicador; se importa todo o "
                + "nada. Importarla de nuevo no cambia nada de lo que ya es así.",
            file: "Archivo CSV de resultados",
            hint:
                "Una fila de cabecera con los nombres de las columnas, como activity o partnership, result, indicator, measure.",
            button: "Importar resultados", chooseFile: "Elija un archivo CSV",
            done: {
                "Importado: \($0.results) resultados, \($0.indicators) indicadores y \($0.periods) períodos "
                    + "creados o modificados."
            },
            refused: "Los resultados no se importaron: vea las filas más abajo",
            problems: "Filas que no se pudieron importar", row: "Fila", column: "Columna", reason: "Motivo"))

    /// Every language's words as templates read them, made once.
    static let templates = PageShell.templateObjects(all)

    /// `reason` in `language`.
    static func reason(_ reason: ResultImportReason, in language: Language) -> String { reasons[language](reason) }

    /// Every reason in every language (an exhaustive `switch` per language, so a new ``ResultImportReason`` makes
    /// the compiler ask each language for its words); English is the API's words.
    static let reasons = Localised<Labels<ResultImportReason>>(
        nl: {
            switch $0 {
            case .noHeader: "Het bestand heeft geen kopregel met de kolomnamen."
            case .notUTF8: "Het bestand is geen UTF-8-tekst: bewaar het als ‘CSV UTF-8’."
            case .unclosedQuote: "Een veld tussen aanhalingstekens wordt nooit gesloten."
            case .missingColumn(let column): "De kolom \(column) ontbreekt."
            case .unknownColumn(let column): "De kolom \(column) is onbekend."
            case .noParent: "Geef de activiteit of de stedenband waartoe het resultaat behoort."
            case .bothParents: "Geef een activiteit of een stedenband, niet allebei."
            case .unknownActivity: "Geen activiteit van de gemeente heeft deze titel of id."
            case .sharedActivityTitle: "Meerdere activiteiten hebben deze titel: geef de id van de activiteit."
            case .unknownPartnership: "Geen stedenband van de gemeente heeft deze titel of id."
            case .sharedPartnershipTitle: "Meerdere stedenbanden hebben deze titel: geef de id van de stedenband."
            case .required: "Dit veld is verplicht."
            case .badDate: "Geef een datum als JJJJ-MM-DD of DD/MM/JJJJ."
            case .badYear: "Geef een jaartal zoals 2019."
            case .badYesNo: "Geef yes of no."
            case .periodDatesTogether: "Geef periodStart en periodEnd allebei."
            case .periodMissing: "Geef de periode als er een streefwaarde of gerealiseerde waarde is."
            case .baselineYearMissing: "Geef het jaar van de nulmeting als er een waarde of toelichting is."
            case .differs(let row): "Verschilt van rij \(row), die hetzelfde resultaat of dezelfde indicator noemt."
            case .approvedWith(let value?): "Goedgekeurd met \(value): stuur de waarde eerst terug."
            case .approvedWith(nil): "Goedgekeurd met een andere toelichting: stuur de waarde eerst terug."
            case .textLength(let maximum): "Geef 1 tot \(maximum) tekens."
            case .controlCharacters: "Mag geen stuurtekens bevatten."
            case .tooLong(let maximum): "Geef hoogstens \(maximum) tekens."
            case .nulCharacter: "Mag geen NUL-teken bevatten."
            case .oneOf(let allowed): "Moet een van deze zijn: \(allowed.joined(separator: ", "))."
            case .badSDGTarget: "Geef een SDG-subdoel zoals 16.9."
            case .yearRange: "Geef een jaar van 1900 tot 2200."
            case .badNumber: "Geef een getal zoals 74,5: niet negatief, hoogstens 6 decimalen."
            case .percentageAbove100: "Een percentage is hoogstens 100."
            case .notWhole: "Geef een geheel getal voor deze meetwijze."
            case .qualitativeTakesComment: "Een kwalitatieve indicator krijgt alleen een toelichting."
            case .numberRequired: "Geef een getal: deze indicator wordt in getallen gemeten."
            case .commentRequired: "Geef een toelichting: een kwalitatieve indicator wordt in woorden gerapporteerd."
            case .endsBeforeStart: "Het einde mag niet voor het begin liggen."
            case .overlaps(let other): "Overlapt met de periode \(other)."
            case .measureHoldsValues: "Periodes hebben al waarden in de huidige meetwijze."
            case .other(let english): english
            }
        },
        en: { $0.english.prefix(1).uppercased() + $0.english.dropFirst() + "." },
        fr: {
            switch $0 {
            case .noHeader: "Le fichier n’a pas de ligne d’en-tête avec les noms des colonnes."
            case .notUTF8: "Le fichier n’est pas du texte UTF-8 : enregistrez-le en « CSV UTF-8 »."
            case .unclosedQuote: "Un champ entre guillemets n’est jamais fermé."
            case .missingColumn(let column): "La colonne \(column) manque."
            case .unknownColumn(let column): "La colonne \(column) est inconnue."
            case .noParent: "Indiquez l’activité ou le partenariat auquel appartient le résultat."
            case .bothParents: "Indiquez une activité ou un partenariat, pas les deux."
            case .unknownActivity: "Aucune activité de la commune n’a ce titre ou cet identifiant."
            case .sharedActivityTitle: "Plusieurs activités ont ce titre : indiquez l’identifiant de l’activité."
            case .unknownPartnership: "Aucun partenariat de la commune n’a ce titre ou cet identifiant."
            case .sharedPartnershipTitle:
                "Plusieurs partenariats ont ce titre : indiquez l’identifiant du partenariat."
            case .required: "Ce champ est obligatoire."
            case .badDate: "Saisissez une date au format AAAA-MM-JJ ou JJ/MM/AAAA."
            case .badYear: "Saisissez une année comme 2019."
            case .badYesNo: "Saisissez yes ou no."
            case .periodDatesTogether: "Indiquez periodStart et periodEnd ensemble."
            case .periodMissing: "Indiquez la période lorsqu’une valeur cible ou atteinte est donnée."
            case .baselineYearMissing:
                "Indiquez l’année de la valeur de référence lorsqu’une valeur ou un commentaire est donné."
            case .differs(let row): "Diffère de la ligne \(row), qui nomme le même résultat ou indicateur."
            case .approvedWith(let value?): "Approuvée avec \(value) : renvoyez d’abord la valeur."
            case .approvedWith(nil): "Approuvée avec un autre commentaire : renvoyez d’abord la valeur."
            case .textLength(let maximum): "Saisissez de 1 à \(maximum) caractères."
            case .controlCharacters: "Ne doit pas contenir de caractères de contrôle."
            case .tooLong(let maximum): "Saisissez au plus \(maximum) caractères."
            case .nulCharacter: "Ne doit pas contenir de caractère NUL."
            case .oneOf(let allowed): "Doit être l’une de ces valeurs : \(allowed.joined(separator: ", "))."
            case .badSDGTarget: "Saisissez une cible ODD comme 16.9."
            case .yearRange: "Saisissez une année de 1900 à 2200."
            case .badNumber: "Saisissez un nombre comme 74,5 : non négatif, 6 décimales au plus."
            case .percentageAbove100: "Un pourcentage vaut au plus 100."
            case .notWhole: "Saisissez un nombre entier pour cette mesure."
            case .qualitativeTakesComment: "Un indicateur qualitatif ne prend qu’un commentaire."
            case .numberRequired: "Saisissez un nombre : cet indicateur se mesure en nombres."
            case .commentRequired: "Saisissez un commentaire : un indicateur qualitatif se déclare en mots."
            case .endsBeforeStart: "La fin ne peut pas précéder le début."
            case .overlaps(let other): "Chevauche la période \(other)."
            case .measureHoldsValues: "Des périodes ont déjà des valeurs dans la mesure actuelle."
            case .other(let english): english
            }
        },
        es: {
            switch $0 {
            case .noHeader: "El archivo no tiene una fila de cabecera con los nombres de las columnas."
            case .notUTF8: "El archivo no es texto UTF-8: guárdelo como «CSV UTF-8»."
            case .unclosedQuote: "Un campo entre comillas nunca se cierra."
            case .missingColumn(let column): "Falta la columna \(column)."
            case .unknownColumn(let column): "La columna \(column) es desconocida."
            case .noParent: "Indique la actividad o el hermanamiento al que pertenece el resultado."
            case .bothParents: "Indique una actividad o un hermanamiento, no ambos."
            case .unknownActivity: "Ninguna actividad del municipio tiene este título o identificador."
            case .sharedActivityTitle:
                "Varias actividades tienen este título: indique el identificador de la actividad."
            case .unknownPartnership: "Ningún hermanamiento del municipio tiene este título o identificador."
            case .sharedPartnershipTitle:
                "Varios hermanamientos tienen este título: indique el identificador del hermanamiento."
            case .required: "Este campo es obligatorio."
            case .badDate: "Introduzca una fecha como AAAA-MM-DD o DD/MM/AAAA."
            case .badYear: "Introduzca un año como 2019."
            case .badYesNo: "Introduzca yes o no."
            case .periodDatesTogether: "Indique periodStart y periodEnd juntos."
            case .periodMissing: "Indique el período cuando se da un valor meta o alcanzado."
            case .baselineYearMissing: "Indique el año de la línea de base cuando se da un valor o un comentario."
            case .differs(let row): "Difiere de la fila \(row), que nombra el mismo resultado o indicador."
            case .approvedWith(let value?): "Aprobado con \(value): devuelva primero el valor."
            case .approvedWith(nil): "Aprobado con otro comentario: devuelva primero el valor."
            case .textLength(let maximum): "Introduzca de 1 a \(maximum) caracteres."
            case .controlCharacters: "No debe contener caracteres de control."
            case .tooLong(let maximum): "Introduzca como máximo \(maximum) caracteres."
            case .nulCharacter: "No debe contener el carácter NUL."
            case .oneOf(let allowed): "Debe ser uno de estos valores: \(allowed.joined(separator: ", "))."
            case .badSDGTarget: "Introduzca una meta ODS como 16.9."
            case .yearRange: "Introduzca un año de 1900 a 2200."
            case .badNumber: "Introduzca un número como 74,5: no negativo, 6 decimales como máximo."
            case .percentageAbove100: "Un porcentaje es como máximo 100."
            case .notWhole: "Introduzca un número entero para esta medida."
            case .qualitativeTakesComment: "Un indicador cualitativo solo admite un comentario."
            case .numberRequired: "Introduzca un número: este indicador se mide en números."
            case .commentRequired: "Introduzca un comentario: un indicador cualitativo se informa con palabras."
            case .endsBeforeStart: "El fin no puede ser anterior al inicio."
            case .overlaps(let other): "Se superpone con el período \(other)."
            case .measureHoldsValues: "Hay períodos con valores en la medida actual."
            case .other(let english): english
            }
        })
}
