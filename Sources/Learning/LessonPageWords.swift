import Foundation
import Gateway
import Vocabulary

/// The words of the lessons' section on an activity's page and of the forms that write, change and delete a
/// lesson, in one language; every language has every word (``Localised``). Templates read the `String`
/// properties by name (`{{words.heading}}`); the messages stand beside the field they concern, so each says
/// what to do.
struct LessonPageWords: Sendable {
    var heading: String
    /// A list's heading, by who learnt: "What {name} learnt".
    var learnt: String
    var nothingYet: String
    var write: String
    var edit: String
    var delete: String
    var shared: String
    var published: String
    var policyDomain: String
    /// Between a label and its value: ": ", and in French " : " (a no-break space before the colon).
    var colon: String
    var themes: String
    var themesHint: String
    var sdgTargets: String
    var sdgTargetsHint: String
    var newHeading: String
    var editHeading: String
    var title: String
    var body: String
    var bodyHint: String
    var side: String
    /// A side as a radio's label or the partner coordinator's fixed side: "{name} ({side})".
    var sideChoice: String
    var chooseDomain: String
    var language: String
    var otherLanguage: String
    var languageCode: String
    var languageCodeHint: String
    var visibility: String
    var share: String
    var shareHint: String
    var publish: String
    var publishHint: String
    /// Above the words a partner coordinator wrote, for a coordinator who may change only the tags.
    var partnerWords: String
    var save: String
    var cancel: String
    var errorSummary: String
    var staleTitle: String
    var staleBody: String
    /// "Delete “{title}”?"
    var deleteQuestion: String
    var deleteBody: String
    var confirmDelete: String
    var titleMessage: String
    var bodyMessage: String
    var sideMessage: String
    /// A partner coordinator who named the Flemish side: "{partner}" is the partner's name.
    var partnerSideMessage: String
    var themesMessage: String
    var sdgTargetsMessage: String
    var policyDomainMessage: String
    var languageMessage: String
    var languageCodeMessage: String
    var publishedMessage: String
    /// Any other refusal the page does not know by name (a coordinator's change to a partner coordinator's words).
    var notYoursMessage: String

    static let all = Localised(nl: dutch, en: english, fr: french, es: spanish)
    static let templates = PageShell.templateObjects(all)

    /// The message beside `field` (the JSON API's field name), in these words; `partner` names the partner.
    func message(_ field: String, partner: String, forbidden: Bool) -> String {
        switch field {
        case "title": titleMessage
        case "body": bodyMessage
        case "side": forbidden ? partnerSideMessage.replacingOccurrences(of: "{partner}", with: partner) : sideMessage
        case "themes": themesMessage
        case "sdgTargets": sdgTargetsMessage
        case "policyDomain": policyDomainMessage
        case "language": languageMessage
        case "languageCode": languageCodeMessage
        case "published", "shared": publishedMessage
        default: notYoursMessage
        }
    }

    static let english = LessonPageWords(
        heading: "What we learnt", learnt: "What {name} learnt", nothingYet: "Nothing written yet.",
        write: "Write what you learnt", edit: "Change", delete: "Delete",
        shared: "Shared with the other municipalities",
        published: "Published on the showcase", policyDomain: "Policy domain", colon: ": ", themes: "Themes",
        themesHint: "Lowercase tags separated by commas, for example covid-19, hygiene.", sdgTargets: "SDG targets",
        sdgTargetsHint:
            "At most 10. To choose more than one, hold Ctrl (⌘ on a Mac) while you click; on a phone, tick each.",
        newHeading: "Write what you learnt", editHeading: "Change the lesson", title: "Title",
        body: "What was learnt",
        bodyHint: "What you tried, what worked and what you would do differently, in a few paragraphs.",
        side: "Who learnt", sideChoice: "{name} ({side})", chooseDomain: "Choose a policy domain",
        language: "Language of the lesson", otherLanguage: "Another language", languageCode: "Other language's code",
        languageCodeHint: "Only for another language: two or three lowercase letters, such as fon.",
        visibility: "Who reads it", share: "Share with the other municipalities",
        shareHint:
            "Everyone signed in at any municipality of this platform then finds it in the library, with your municipality, the partnership and the role of who wrote it, never their name.",
        publish: "Publish on the showcase",
        publishHint:
            "Anyone on the internet then reads it on the public showcase, once the partnership is published too. A published lesson is shared as well.",
        partnerWords:
            "The partner municipality's coordinator wrote these words: only they and the author change them. You can change the tags, share it, publish it or delete it.",
        save: "Save the lesson", cancel: "Cancel", errorSummary: "There is a problem",
        staleTitle: "Someone changed this lesson since you opened it",
        staleBody: "Nothing was saved. Check what you typed against the lesson as it is now, then save again.",
        deleteQuestion: "Delete “{title}”?",
        deleteBody: "The lesson is gone for good, from the library and the showcase too.",
        confirmDelete: "Delete the lesson", titleMessage: "Enter a title of at most 200 characters",
        bodyMessage: "Write what was learnt, in at most 20,000 characters", sideMessage: "Choose who learnt",
        partnerSideMessage: "As partner coordinator you write what {partner} learnt",
        themesMessage: "Enter at most 20 lowercase tags such as covid-19, separated by commas",
        sdgTargetsMessage: "Choose at most 10 SDG targets from the list",
        policyDomainMessage: "Choose a policy domain from the list",
        languageMessage: "Choose the language the lesson is written in",
        languageCodeMessage: "Enter the language's code in two or three lowercase letters, such as fon",
        publishedMessage: "A published lesson is shared too: tick both, or untick publishing",
        notYoursMessage: "Only the partner municipality's coordinators and the author change these words")

    static let dutch = LessonPageWords(
        heading: "Wat we leerden", learnt: "Wat {name} leerde", nothingYet: "Nog niets geschreven.",
        write: "Schrijf wat je leerde", edit: "Wijzigen", delete: "Verwijderen",
        shared: "Gedeeld met de andere gemeenten", published: "Gepubliceerd op de etalage",
        policyDomain: "Beleidsdomein", colon: ": ", themes: "Thema's",
        themesHint: "Tags in kleine letters, gescheiden door komma's, bijvoorbeeld covid-19, hygiene.",
        sdgTargets: "SDG-subdoelen",
        sdgTargetsHint:
            "Hoogstens 10. Houd Ctrl (⌘ op een Mac) ingedrukt om er meer dan één te kiezen; op een telefoon vink je ze aan.",
        newHeading: "Schrijf wat je leerde", editHeading: "De les wijzigen", title: "Titel", body: "Wat er geleerd is",
        bodyHint: "Wat je probeerde, wat werkte en wat je anders zou doen, in enkele alinea's.",
        side: "Wie leerde", sideChoice: "{name} ({side})", chooseDomain: "Kies een beleidsdomein",
        language: "Taal van de les", otherLanguage: "Een andere taal", languageCode: "Code van de andere taal",
        languageCodeHint: "Alleen voor een andere taal: twee of drie kleine letters, zoals fon.",
        visibility: "Wie het leest", share: "Delen met de andere gemeenten",
        shareHint:
            "Iedereen die aangemeld is bij een gemeente van dit platform vindt ze dan in de bibliotheek, met je gemeente, de stedenband en de rol van wie ze schreef, nooit diens naam.",
        publish: "Publiceren op de etalage",
        publishHint:
            "Iedereen op het internet leest ze dan op de openbare etalage, zodra ook de stedenband gepubliceerd is. Een gepubliceerde les is ook gedeeld.",
        partnerWords:
            "De coördinator van de partnergemeente schreef deze woorden: alleen zij en de auteur wijzigen ze. Jij kunt de tags wijzigen, de les delen, publiceren of verwijderen.",
        save: "De les bewaren", cancel: "Annuleren", errorSummary: "Er is een probleem",
        staleTitle: "Iemand wijzigde deze les nadat je ze opende",
        staleBody: "Er is niets bewaard. Vergelijk wat je typte met de les zoals ze nu is en bewaar opnieuw.",
        deleteQuestion: "“{title}” verwijderen?",
        deleteBody: "De les is voorgoed weg, ook uit de bibliotheek en van de etalage.",
        confirmDelete: "De les verwijderen", titleMessage: "Vul een titel in van hoogstens 200 tekens",
        bodyMessage: "Schrijf wat er geleerd is, in hoogstens 20.000 tekens", sideMessage: "Kies wie leerde",
        partnerSideMessage: "Als partnercoördinator schrijf je wat {partner} leerde",
        themesMessage: "Vul hoogstens 20 tags in kleine letters in, zoals covid-19, gescheiden door komma's",
        sdgTargetsMessage: "Kies hoogstens 10 SDG-subdoelen uit de lijst",
        policyDomainMessage: "Kies een beleidsdomein uit de lijst",
        languageMessage: "Kies de taal waarin de les geschreven is",
        languageCodeMessage: "Vul de code van de taal in met twee of drie kleine letters, zoals fon",
        publishedMessage: "Een gepubliceerde les is ook gedeeld: vink beide aan, of vink publiceren uit",
        notYoursMessage: "Alleen de coördinatoren van de partnergemeente en de auteur wijzigen deze woorden")

    static let french = LessonPageWords(
        heading: "Ce que nous avons appris", learnt: "Ce que {name} a appris",
        nothingYet: "Rien n'est encore écrit.", write: "Écrire ce que vous avez appris", edit: "Modifier",
        delete: "Supprimer", shared: "Partagée avec les autres communes", published: "Publiée dans la vitrine",
        policyDomain: "Domaine d'action", colon: "\u{00A0}: ", themes: "Thèmes",
        themesHint: "Des mots en minuscules séparés par des virgules, par exemple covid-19, hygiene.",
        sdgTargets: "Cibles ODD",
        sdgTargetsHint:
            "Au plus 10. Pour en choisir plusieurs, maintenez Ctrl (⌘ sur un Mac) en cliquant ; sur un téléphone, cochez-les.",
        newHeading: "Écrire ce que vous avez appris", editHeading: "Modifier la leçon", title: "Titre",
        body: "Ce qui a été appris",
        bodyHint: "Ce que vous avez essayé, ce qui a marché et ce que vous feriez autrement, en quelques paragraphes.",
        side: "Qui a appris", sideChoice: "{name} ({side})", chooseDomain: "Choisissez un domaine d'action",
        language: "Langue de la leçon", otherLanguage: "Une autre langue", languageCode: "Code de l'autre langue",
        languageCodeHint: "Seulement pour une autre langue : deux ou trois lettres minuscules, comme fon.",
        visibility: "Qui la lit", share: "Partager avec les autres communes",
        shareHint:
            "Toute personne connectée dans une commune de cette plateforme la trouve alors dans la bibliothèque, avec votre commune, le partenariat et le rôle de qui l'a écrite, jamais son nom.",
        publish: "Publier dans la vitrine",
        publishHint:
            "Tout internaute la lit alors dans la vitrine publique, dès que le partenariat est publié lui aussi. Une leçon publiée est aussi partagée.",
        partnerWords:
            "Le coordinateur de la commune partenaire a écrit ces mots : seuls lui et l'auteur les modifient. Vous pouvez modifier les étiquettes, partager, publier ou supprimer la leçon.",
        save: "Enregistrer la leçon", cancel: "Annuler", errorSummary: "Il y a un problème",
        staleTitle: "Quelqu'un a modifié cette leçon depuis que vous l'avez ouverte",
        staleBody:
            "Rien n'a été enregistré. Comparez ce que vous avez saisi avec la leçon telle qu'elle est, puis enregistrez à nouveau.",
        deleteQuestion: "Supprimer « {title} » ?",
        deleteBody: "La leçon disparaît pour de bon, de la bibliothèque et de la vitrine aussi.",
        confirmDelete: "Supprimer la leçon", titleMessage: "Saisissez un titre d'au plus 200 caractères",
        bodyMessage: "Écrivez ce qui a été appris, en 20 000 caractères au plus",
        sideMessage: "Choisissez qui a appris",
        partnerSideMessage: "En tant que coordinateur partenaire, vous écrivez ce que {partner} a appris",
        themesMessage: "Saisissez au plus 20 mots en minuscules comme covid-19, séparés par des virgules",
        sdgTargetsMessage: "Choisissez au plus 10 cibles ODD dans la liste",
        policyDomainMessage: "Choisissez un domaine d'action dans la liste",
        languageMessage: "Choisissez la langue dans laquelle la leçon est écrite",
        languageCodeMessage: "Saisissez le code de la langue en deux ou trois lettres minuscules, comme fon",
        publishedMessage: "Une leçon publiée est aussi partagée : cochez les deux, ou décochez la publication",
        notYoursMessage: "Seuls les coordinateurs de la commune partenaire et l'auteur modifient ces mots")

    static let spanish = LessonPageWords(
        heading: "Lo que aprendimos", learnt: "Lo que aprendió {name}", nothingYet: "Todavía no hay nada escrito.",
        write: "Escriba lo que aprendió", edit: "Modificar", delete: "Eliminar",
        shared: "Compartida con los demás municipios", published: "Publicada en la vitrina",
        policyDomain: "Ámbito de política", colon: ": ", themes: "Temas",
        themesHint: "Etiquetas en minúsculas separadas por comas, por ejemplo covid-19, hygiene.",
        sdgTargets: "Metas ODS",
        sdgTargetsHint:
            "Como máximo 10. Para elegir varias, mantenga Ctrl (⌘ en un Mac) al hacer clic; en un teléfono, márquelas.",
        newHeading: "Escriba lo que aprendió", editHeading: "Modificar la lección", title: "Título",
        body: "Lo que se aprendió",
        bodyHint: "Lo que probaron, lo que funcionó y lo que harían de otra manera, en unos párrafos.",
        side: "Quién aprendió", sideChoice: "{name} ({side})", chooseDomain: "Elija un ámbito de política",
        language: "Idioma de la lección", otherLanguage: "Otro idioma", languageCode: "Código del otro idioma",
        languageCodeHint: "Solo para otro idioma: dos o tres letras minúsculas, como fon.",
        visibility: "Quién la lee", share: "Compartir con los demás municipios",
        shareHint:
            "Toda persona con sesión iniciada en un municipio de esta plataforma la encuentra entonces en la biblioteca, con su municipio, el hermanamiento y el rol de quien la escribió, nunca su nombre.",
        publish: "Publicar en la vitrina",
        publishHint:
            "Cualquier persona en internet la lee entonces en la vitrina pública, en cuanto el hermanamiento también esté publicado. Una lección publicada también está compartida.",
        partnerWords:
            "El coordinador del municipio socio escribió estas palabras: solo él y el autor las modifican. Usted puede modificar las etiquetas, compartir, publicar o eliminar la lección.",
        save: "Guardar la lección", cancel: "Cancelar", errorSummary: "Hay un problema",
        staleTitle: "Alguien modificó esta lección después de que usted la abriera",
        staleBody: "No se guardó nada. Compare lo que escribió con la lección tal como está ahora y guarde de nuevo.",
        deleteQuestion: "¿Eliminar «{title}»?",
        deleteBody: "La lección desaparece para siempre, también de la biblioteca y de la vitrina.",
        confirmDelete: "Eliminar la lección", titleMessage: "Escriba un título de 200 caracteres como máximo",
        bodyMessage: "Escriba lo que se aprendió, en 20.000 caracteres como máximo",
        sideMessage: "Elija quién aprendió",
        partnerSideMessage: "Como coordinador/a del municipio socio, usted escribe lo que aprendió {partner}",
        themesMessage: "Escriba como máximo 20 etiquetas en minúsculas como covid-19, separadas por comas",
        sdgTargetsMessage: "Elija como máximo 10 metas ODS de la lista",
        policyDomainMessage: "Elija un ámbito de política de la lista",
        languageMessage: "Elija el idioma en que está escrita la lección",
        languageCodeMessage: "Escriba el código del idioma con dos o tres letras minúsculas, como fon",
        publishedMessage: "Una lección publicada también está compartida: marque ambas o desmarque la publicación",
        notYoursMessage: "Solo los coordinadores del municipio socio y el autor modifican estas palabras")
}
