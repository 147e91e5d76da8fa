import Vocabulary

/// The import's reasons in words, on the `/import` page: every reason in every language (an exhaustive
/// `switch` per language, so a new ``ImportReason`` makes the compiler ask each language for its words). The
/// API keeps the English words of ``ImportReason/english``.
enum ImportWords {
    /// `reason` in `language`.
    static func reason(_ reason: ImportReason, in language: Language) -> String { reasons[language](reason) }

    static let reasons = Localised<Labels<ImportReason>>(
        nl: {
            switch $0 {
            case .noHeader: "Het bestand heeft geen kopregel met de kolomnamen."
            case .notUTF8: "Het bestand is geen UTF-8-tekst: bewaar het als ‘CSV UTF-8’."
            case .unclosedQuote: "Een veld tussen aanhalingstekens wordt nooit gesloten."
            case .missingColumn(let column): "De kolom \(column) ontbreekt."
            case .unknownColumn(let column): "De kolom \(column) is onbekend."
            case .sharedPartnershipTitle:
                "Meerdere stedenbanden hebben deze titel: geef de id van de stedenband."
            case .unknownPartnership: "Geen stedenband van de gemeente heeft deze titel of id."
            case .badDate: "Geef een datum als JJJJ-MM-DD of DD/MM/JJJJ."
            case .notWholeNumber: "Geef een geheel getal."
            case .plannedMissing: "Geef het geplande budget als er een besteed budget is."
            case .textLength(let maximum): "Geef 1 tot \(maximum) tekens."
            case .controlCharacters: "Mag geen stuurtekens bevatten."
            case .tooLong(let maximum): "Geef hoogstens \(maximum) tekens."
            case .nulCharacter: "Mag geen NUL-teken bevatten."
            case .oneOf(let allowed): "Moet een van deze zijn: \(allowed.joined(separator: ", "))."
            case .unknownTargets(let codes): "Onbekende SDG-subdoelen: \(codes)."
            case .repeatedTarget: "Een subdoel staat er meer dan eens."
            case .unknownSectors(let codes): "Onbekende DAC-sectoren: \(codes)."
            case .repeatedSector: "Een sector staat er meer dan eens."
            case .tooManySectors: "Hoogstens 10 DAC-sectoren."
            case .tooManyThemes: "Hoogstens 20 thema's."
            case .badTheme: "Thema's zijn tags in kleine letters, zoals covid-19."
            case .badAmount(let example): "Geef een bedrag zoals \(example), niet negatief."
            case .badCurrency: "Geef een ISO 4217-muntcode zoals EUR."
            case .endsBeforeStart: "De einddatum mag niet voor de begindatum liggen."
            case .negative: "Mag niet negatief zijn."
            case .tooLarge: "Het getal is te groot."
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
            case .sharedPartnershipTitle:
                "Plusieurs partenariats ont ce titre : indiquez l’identifiant du partenariat."
            case .unknownPartnership: "Aucun partenariat de la commune n’a ce titre ou cet identifiant."
            case .badDate: "Saisissez une date au format AAAA-MM-JJ ou JJ/MM/AAAA."
            case .notWholeNumber: "Saisissez un nombre entier."
            case .plannedMissing: "Indiquez le budget prévu lorsqu’un budget dépensé est donné."
            case .textLength(let maximum): "Saisissez de 1 à \(maximum) caractères."
            case .controlCharacters: "Ne doit pas contenir de caractères de contrôle."
            case .tooLong(let maximum): "Saisissez au plus \(maximum) caractères."
            case .nulCharacter: "Ne doit pas contenir de caractère NUL."
            case .oneOf(let allowed): "Doit être l’une de ces valeurs : \(allowed.joined(separator: ", "))."
            case .unknownTargets(let codes): "Cibles ODD inconnues : \(codes)."
            case .repeatedTarget: "Une cible figure plus d’une fois."
            case .unknownSectors(let codes): "Secteurs CAD inconnus : \(codes)."
            case .repeatedSector: "Un secteur figure plus d’une fois."
            case .tooManySectors: "10 secteurs CAD au plus."
            case .tooManyThemes: "20 thèmes au plus."
            case .badTheme: "Les thèmes sont des étiquettes en minuscules, comme covid-19."
            case .badAmount(let example): "Saisissez un montant comme \(example), non négatif."
            case .badCurrency: "Saisissez un code de devise ISO 4217 comme EUR."
            case .endsBeforeStart: "La date de fin ne peut pas précéder la date de début."
            case .negative: "Ne doit pas être négatif."
            case .tooLarge: "Le nombre est trop grand."
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
            case .sharedPartnershipTitle:
                "Varios hermanamientos tienen este título: indique el identificador del hermanamiento."
            case .unknownPartnership: "Ningún hermanamiento del municipio tiene este título o identificador."
            case .badDate: "Introduzca una fecha como AAAA-MM-DD o DD/MM/AAAA."
            case .notWholeNumber: "Introduzca un número entero."
            case .plannedMissing: "Indique el presupuesto previsto cuando se da un presupuesto gastado."
            case .textLength(let maximum): "Introduzca de 1 a \(maximum) caracteres."
            case .controlCharacters: "No debe contener caracteres de control."
            case .tooLong(let maximum): "Introduzca como máximo \(maximum) caracteres."
            case .nulCharacter: "No debe contener el carácter NUL."
            case .oneOf(let allowed): "Debe ser uno de estos valores: \(allowed.joined(separator: ", "))."
            case .unknownTargets(let codes): "Metas ODS desconocidas: \(codes)."
            case .repeatedTarget: "Una meta aparece más de una vez."
            case .unknownSectors(let codes): "Sectores CAD desconocidos: \(codes)."
            case .repeatedSector: "Un sector aparece más de una vez."
            case .tooManySectors: "Como máximo 10 sectores CAD."
            case .tooManyThemes: "Como máximo 20 temas."
            case .badTheme: "Los temas son etiquetas en minúsculas, como covid-19."
            case .badAmount(let example): "Introduzca un importe como \(example), no negativo."
            case .badCurrency: "Introduzca un código de moneda ISO 4217 como EUR."
            case .endsBeforeStart: "La fecha de fin no puede ser anterior a la de inicio."
            case .negative: "No debe ser negativo."
            case .tooLarge: "El número es demasiado grande."
            case .other(let english): english
            }
        })
}
