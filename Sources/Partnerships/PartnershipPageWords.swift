import Gateway
import Vocabulary

/// The words of the partnership pages (`/partnerships…`) in one language; every language has every word.
struct PartnershipPageWords: Sendable {
    var listHeading: String
    var newPartnership: String
    var noneFound: String
    var filter: String
    var any: String
    var nextPage: String
    var title: String
    var partnerName: String
    var partnerCountry: String
    var partnerRegion: String
    var partnerWebsite: String
    var websiteHint: String
    var status: String
    var startedOn: String
    var endedOn: String
    var description: String
    var sdgFocus: String
    var sdgGoal: String
    var members: String
    var noMembers: String
    var name: String
    var role: String
    var edit: String
    var manageMembers: String
    var backToPartnership: String
    var create: String
    var save: String
    var editHeading: String
    var newHeading: String
    var membersHeading: String
    var addMember: String
    var user: String
    var chooseUser: String
    var changeRole: String
    var roleOf: String
    var remove: String
    var add: String
    var errorSummary: String
    var staleTitle: String
    var staleBody: String
    var nowStored: String
    var youTyped: String
    var field: String
    var noneChosen: String
    /// The public showcase: the story's field, the publish checkbox, and the address the partnership page shows.
    var story: String
    var storyHint: String
    var publish: String
    var publishHint: String
    var publicAddress: String
    var publishedYes: String
    var publishedNo: String
    var roles: Labels<PartnershipRole>
    /// The message shown beside a field the service refused, by the field's name; `invalidDate` and
    /// `endBeforeStart` are the two things a date can get wrong.
    var messages: [String: String]
    var invalidDate: String
    var endBeforeStart: String

    static let all = Localised(nl: dutch, en: english, fr: french, es: spanish)

    /// Every language's words as templates read them, made once.
    static let templates = PageShell.templateObjects(all)

    /// The message for a field error of the service (English) in this language; the service's own text when
    /// the table has none for the field.
    func message(_ error: PartnershipForm.FieldError) -> String {
        switch (error.field, error.reason) {
        case (_, .notADate): return invalidDate
        case ("endedOn", _) where error.message.contains("before"): return endBeforeStart
        default: return messages[error.field] ?? error.message
        }
    }

    static let english = PartnershipPageWords(
        listHeading: "Partnerships", newPartnership: "New partnership", noneFound: "No partnership found.",
        filter: "Show", any: "Any", nextPage: "Next page", title: "Title", partnerName: "Partner municipality",
        partnerCountry: "Country", partnerRegion: "Region (optional)", partnerWebsite: "Website (optional)",
        websiteHint: "For example https://www.example.org", status: "Status", startedOn: "Started on",
        endedOn: "Ended on", description: "Description", sdgFocus: "Sustainable Development Goals",
        sdgGoal: "Goal", members: "Members", noMembers: "No members yet.", name: "Name", role: "Role",
        edit: "Edit partnership", manageMembers: "Manage members", backToPartnership: "Back to the partnership",
        create: "Create partnership", save: "Save changes", editHeading: "Edit {title}",
        newHeading: "New partnership", membersHeading: "Members of {title}", addMember: "Add a member",
        user: "Person", chooseUser: "Choose a person", changeRole: "Change role", roleOf: "Role of {name}",
        remove: "Remove {name}", add: "Add member", errorSummary: "There is a problem",
        staleTitle: "Changed since you opened it",
        staleBody:
            "Someone saved this partnership while you were editing it. Nothing was saved. Check what is stored now, then save again to keep your version.",
        nowStored: "Stored now", youTyped: "You typed", field: "Field", noneChosen: "none",
        story: "Story for the public page",
        storyHint:
            "What anyone may read about this partnership on the showcase, in at most 5,000 characters. The description above stays internal.",
        publish: "Publish this partnership on the showcase",
        publishHint: "Anyone can then read its story, its activities and its figures without signing in.",
        publicAddress: "Public address", publishedYes: "published", publishedNo: "not published",
        roles: {
            switch $0 {
            case .coordinator: "coordinator"
            case .partnerCoordinator: "partner coordinator"
            }
        },
        messages: [
            "title": "Enter a title of 1 to 200 characters",
            "partner.name": "Enter the partner municipality's name",
            "partner.country": "Choose the partner municipality's country",
            "partner.region": "Enter a region of at most 200 characters, or leave it empty",
            "partner.website": "Enter a web address starting with http:// or https://",
            "status": "Choose a status", "description": "The description is too long",
            "sdgFocus": "Choose each goal at most once", "userId": "Choose a person of your municipality",
            "role": "Choose a role", "country": "Choose a country from the list", "sdg": "Choose a goal from 1 to 17",
            "story": "The story may hold at most 5,000 characters",
            "published": "Choose whether to publish the partnership",
        ],
        invalidDate: "Enter a real date", endBeforeStart: "The end date must not be before the start date")

    static let dutch = PartnershipPageWords(
        listHeading: "Stedenbanden", newPartnership: "Nieuwe stedenband", noneFound: "Geen stedenband gevonden.",
        filter: "Tonen", any: "Alle", nextPage: "Volgende pagina", title: "Titel", partnerName: "Partnergemeente",
        partnerCountry: "Land", partnerRegion: "Regio (niet verplicht)", partnerWebsite: "Website (niet verplicht)",
        websiteHint: "Bijvoorbeeld https://www.voorbeeld.be", status: "Status", startedOn: "Gestart op",
        endedOn: "Beëindigd op", description: "Beschrijving", sdgFocus: "Duurzame Ontwikkelingsdoelen",
        sdgGoal: "Doel", members: "Leden", noMembers: "Nog geen leden.", name: "Naam", role: "Rol",
        edit: "Stedenband bewerken", manageMembers: "Leden beheren", backToPartnership: "Terug naar de stedenband",
        create: "Stedenband aanmaken", save: "Wijzigingen bewaren", editHeading: "{title} bewerken",
        newHeading: "Nieuwe stedenband", membersHeading: "Leden van {title}", addMember: "Een lid toevoegen",
        user: "Persoon", chooseUser: "Kies een persoon", changeRole: "Rol wijzigen", roleOf: "Rol van {name}",
        remove: "{name} verwijderen", add: "Lid toevoegen", errorSummary: "Er is een probleem",
        staleTitle: "Gewijzigd sinds je het opende",
        staleBody:
            "Iemand bewaarde deze stedenband terwijl je hem bewerkte. Er werd niets bewaard. Bekijk wat nu bewaard is en bewaar opnieuw om jouw versie te houden.",
        nowStored: "Nu bewaard", youTyped: "Jij typte", field: "Veld", noneChosen: "geen",
        story: "Verhaal voor de publieke pagina",
        storyHint:
            "Wat iedereen over deze stedenband mag lezen op de etalage, in hoogstens 5.000 tekens. De beschrijving hierboven blijft intern.",
        publish: "Deze stedenband publiceren op de etalage",
        publishHint: "Iedereen kan dan zonder aan te melden het verhaal, de activiteiten en de cijfers lezen.",
        publicAddress: "Publiek adres", publishedYes: "gepubliceerd", publishedNo: "niet gepubliceerd",
        roles: {
            switch $0 {
            case .coordinator: "coördinator"
            case .partnerCoordinator: "partnercoördinator"
            }
        },
        messages: [
            "title": "Vul een titel in van 1 tot 200 tekens",
            "partner.name": "Vul de naam van de partnergemeente in",
            "partner.country": "Kies het land van de partnergemeente",
            "partner.region": "Vul een regio in van hoogstens 200 tekens, of laat het leeg",
            "partner.website": "Vul een webadres in dat begint met http:// of https://",
            "status": "Kies een status", "description": "De beschrijving is te lang",
            "sdgFocus": "Kies elk doel hoogstens één keer", "userId": "Kies een persoon van je gemeente",
            "role": "Kies een rol", "country": "Kies een land uit de lijst", "sdg": "Kies een doel van 1 tot 17",
            "story": "Het verhaal mag hoogstens 5.000 tekens tellen",
            "published": "Kies of je de stedenband publiceert",
        ],
        invalidDate: "Vul een bestaande datum in", endBeforeStart: "De einddatum mag niet voor de startdatum liggen")

    static let french = PartnershipPageWords(
        listHeading: "Partenariats", newPartnership: "Nouveau partenariat", noneFound: "Aucun partenariat trouvé.",
        filter: "Afficher", any: "Tous", nextPage: "Page suivante", title: "Titre",
        partnerName: "Commune partenaire", partnerCountry: "Pays", partnerRegion: "Région (facultatif)",
        partnerWebsite: "Site web (facultatif)", websiteHint: "Par exemple https://www.exemple.org",
        status: "Statut", startedOn: "Commencé le", endedOn: "Terminé le", description: "Description",
        sdgFocus: "Objectifs de développement durable", sdgGoal: "Objectif", members: "Membres",
        noMembers: "Pas encore de membres.", name: "Nom", role: "Rôle", edit: "Modifier le partenariat",
        manageMembers: "Gérer les membres", backToPartnership: "Retour au partenariat",
        create: "Créer le partenariat", save: "Enregistrer les modifications", editHeading: "Modifier {title}",
        newHeading: "Nouveau partenariat", membersHeading: "Membres de {title}", addMember: "Ajouter un membre",
        user: "Personne", chooseUser: "Choisissez une personne", changeRole: "Changer le rôle",
        roleOf: "Rôle de {name}", remove: "Retirer {name}", add: "Ajouter le membre",
        errorSummary: "Il y a un problème", staleTitle: "Modifié depuis que vous l’avez ouvert",
        staleBody:
            "Quelqu’un a enregistré ce partenariat pendant que vous le modifiiez. Rien n’a été enregistré. Vérifiez ce qui est enregistré maintenant, puis enregistrez à nouveau pour garder votre version.",
        nowStored: "Enregistré maintenant", youTyped: "Votre saisie", field: "Champ", noneChosen: "aucun",
        story: "Récit pour la page publique",
        storyHint:
            "Ce que chacun peut lire sur ce partenariat dans la vitrine, en 5 000 caractères au plus. La description ci-dessus reste interne.",
        publish: "Publier ce partenariat dans la vitrine",
        publishHint: "Chacun pourra alors lire son récit, ses activités et ses chiffres sans se connecter.",
        publicAddress: "Adresse publique", publishedYes: "publié", publishedNo: "non publié",
        roles: {
            switch $0 {
            case .coordinator: "coordinateur·rice"
            case .partnerCoordinator: "coordinateur·rice partenaire"
            }
        },
        messages: [
            "title": "Saisissez un titre de 1 à 200 caractères",
            "partner.name": "Saisissez le nom de la commune partenaire",
            "partner.country": "Choisissez le pays de la commune partenaire",
            "partner.region": "Saisissez une région de 200 caractères au plus, ou laissez vide",
            "partner.website": "Saisissez une adresse web commençant par http:// ou https://",
            "status": "Choisissez un statut", "description": "La description est trop longue",
            "sdgFocus": "Choisissez chaque objectif une seule fois",
            "userId": "Choisissez une personne de votre commune", "role": "Choisissez un rôle",
            "country": "Choisissez un pays dans la liste", "sdg": "Choisissez un objectif de 1 à 17",
            "story": "Le récit peut compter 5 000 caractères au plus",
            "published": "Indiquez si le partenariat est publié",
        ],
        invalidDate: "Saisissez une date valide",
        endBeforeStart: "La date de fin ne peut pas précéder la date de début")

    static let spanish = PartnershipPageWords(
        listHeading: "Hermanamientos", newPartnership: "Nuevo hermanamiento",
        noneFound: "No se encontró ningún hermanamiento.", filter: "Mostrar", any: "Todos",
        nextPage: "Página siguiente", title: "Título", partnerName: "Municipio socio", partnerCountry: "País",
        partnerRegion: "Región (opcional)", partnerWebsite: "Sitio web (opcional)",
        websiteHint: "Por ejemplo https://www.ejemplo.org", status: "Estado", startedOn: "Inicio",
        endedOn: "Fin", description: "Descripción", sdgFocus: "Objetivos de Desarrollo Sostenible",
        sdgGoal: "Objetivo", members: "Miembros", noMembers: "Todavía no hay miembros.", name: "Nombre",
        role: "Función", edit: "Editar el hermanamiento", manageMembers: "Gestionar los miembros",
        backToPartnership: "Volver al hermanamiento", create: "Crear el hermanamiento", save: "Guardar los cambios",
        editHeading: "Editar {title}", newHeading: "Nuevo hermanamiento", membersHeading: "Miembros de {title}",
        addMember: "Añadir un miembro", user: "Persona", chooseUser: "Elija una persona",
        changeRole: "Cambiar la función", roleOf: "Función de {name}", remove: "Quitar a {name}",
        add: "Añadir el miembro", errorSummary: "Hay un problema", staleTitle: "Cambiado desde que lo abrió",
        staleBody:
            "Alguien guardó este hermanamiento mientras usted lo editaba. No se guardó nada. Revise lo que está guardado ahora y vuelva a guardar para conservar su versión.",
        nowStored: "Guardado ahora", youTyped: "Lo que escribió", field: "Campo", noneChosen: "ninguno",
        story: "Relato para la página pública",
        storyHint:
            "Lo que cualquiera puede leer sobre este hermanamiento en la vitrina, en 5.000 caracteres como máximo. La descripción de arriba sigue siendo interna.",
        publish: "Publicar este hermanamiento en la vitrina",
        publishHint: "Cualquiera podrá leer entonces su relato, sus actividades y sus cifras sin iniciar sesión.",
        publicAddress: "Dirección pública", publishedYes: "publicado", publishedNo: "no publicado",
        roles: {
            switch $0 {
            case .coordinator: "coordinador/a"
            case .partnerCoordinator: "coordinador/a socio/a"
            }
        },
        messages: [
            "title": "Escriba un título de 1 a 200 caracteres",
            "partner.name": "Escriba el nombre del municipio socio",
            "partner.country": "Elija el país del municipio socio",
            "partner.region": "Escriba una región de 200 caracteres como máximo, o déjela vacía",
            "partner.website": "Escriba una dirección web que empiece por http:// o https://",
            "status": "Elija un estado", "description": "La descripción es demasiado larga",
            "sdgFocus": "Elija cada objetivo una sola vez", "userId": "Elija una persona de su municipio",
            "role": "Elija una función", "country": "Elija un país de la lista", "sdg": "Elija un objetivo del 1 al 17",
            "story": "El relato puede tener 5.000 caracteres como máximo",
            "published": "Indique si se publica el hermanamiento",
        ],
        invalidDate: "Escriba una fecha válida",
        endBeforeStart: "La fecha de fin no puede ser anterior a la fecha de inicio")
}
