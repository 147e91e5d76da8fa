import Gateway
import Vocabulary

/// The words of an activity's DAC sectors on its page and on the page that chooses them, in one language. The
/// sectors' own names are the codelist's: English and French (Dutch and Spanish pages show them in English, as
/// they show the SDG targets).
struct ActivitySectorWords: Sendable {
    var heading: String
    var choose: String
    var pageHeading: String
    var hint: String
    var save: String
    var cancel: String
    var tooMany: String

    static let all = Localised(
        nl: ActivitySectorWords(
            heading: "DAC-sectoren", choose: "DAC-sectoren kiezen", pageHeading: "DAC-sectoren van de activiteit",
            hint:
                "De sectoren van de OESO waarmee financiers activiteiten indelen (het IATI-bestand vermeldt ze). Kies er hoogstens tien.",
            save: "Bewaren", cancel: "Annuleren", tooMany: "Kies hoogstens tien sectoren, elk één keer"),
        en: ActivitySectorWords(
            heading: "DAC sectors", choose: "Choose DAC sectors", pageHeading: "The activity's DAC sectors",
            hint:
                "The OECD's sectors funders classify activities under (the IATI file names them). Choose at most ten.",
            save: "Save", cancel: "Cancel", tooMany: "Choose at most ten sectors, each once"),
        fr: ActivitySectorWords(
            heading: "Secteurs CAD", choose: "Choisir les secteurs CAD", pageHeading: "Les secteurs CAD de l’activité",
            hint:
                "Les secteurs de l’OCDE sous lesquels les bailleurs classent les activités (le fichier IATI les mentionne). Choisissez-en dix au plus.",
            save: "Enregistrer", cancel: "Annuler", tooMany: "Choisissez dix secteurs au plus, chacun une fois"),
        es: ActivitySectorWords(
            heading: "Sectores CAD", choose: "Elegir los sectores CAD", pageHeading: "Los sectores CAD de la actividad",
            hint:
                "Los sectores de la OCDE con los que los financiadores clasifican las actividades (el archivo IATI los nombra). Elija diez como máximo.",
            save: "Guardar", cancel: "Cancelar", tooMany: "Elija diez sectores como máximo, cada uno una vez"))

    /// The words as the templates read them (`{{sectorWords.heading}}`).
    static let templates = PageShell.templateObjects(all)
}
