import Vocabulary

/// The words of the page shell and of the gateway's own pages (sign-in, settings, errors), and of the sign-in
/// mail, in one language; every language has every word (``Localised``).
public struct PageWords: Sendable {
    var skipLink: String
    var mainNavigation: String
    var dashboard: String
    var settings: String
    var signIn: String
    var signOut: String
    var language: String
    var signedInAs: String
    var errorSummary: String
    var signInTitle: String
    var signInIntro: String
    var emailLabel: String
    var emailHint: String
    var sendLink: String
    var emailMissing: String
    var emailInvalid: String
    var sentTitle: String
    var sentBody: String
    var confirmTitle: String
    var confirmBody: String
    var confirmButton: String
    var linkUsedTitle: String
    var linkExpiredTitle: String
    var linkUnknownTitle: String
    var linkGoneBody: String
    var askNewLink: String
    var forbiddenTitle: String
    var forbiddenBody: String
    var notFoundTitle: String
    var notFoundBody: String
    var tooManyTitle: String
    var tooManyBody: String
    var problemTitle: String
    var settingsTitle: String
    var preferences: String
    var timeZone: String
    var timeZoneHint: String
    var timeZoneInvalid: String
    var save: String
    var sessionsTitle: String
    var sessionsIntro: String
    var started: String
    var lastSeen: String
    var thisDevice: String
    var browser: String
    var signOutEverywhere: String
    var mailSubject: String
    var mailBody: String

    /// Every language's words.
    public static let all = Localised(nl: dutch, en: english, fr: french, es: spanish)

    /// The words in `language`.
    public static func of(_ language: Language) -> PageWords { all[language] }

    /// The languages as the locale switch offers them: each in its own words.
    public static func languageName(_ language: Language) -> String {
        switch language {
        case .nl: "Nederlands"
        case .en: "English"
        case .fr: "Français"
        case .es: "Español"
        }
    }

    static let english = PageWords(
        skipLink: "Skip to main content", mainNavigation: "Main menu", dashboard: "My partnerships",
        settings: "Settings", signIn: "Sign in", signOut: "Sign out", language: "Language",
        signedInAs: "Signed in as", errorSummary: "There is a problem",
        signInTitle: "Sign in", signInIntro: "We will e-mail you a link to sign in. It works once, for 15 minutes.",
        emailLabel: "E-mail address", emailHint: "The address your municipality registered for you.",
        sendLink: "Send me a sign-in link", emailMissing: "Enter your e-mail address",
        emailInvalid: "Enter an e-mail address like name@example.org",
        sentTitle: "Check your e-mail",
        sentBody:
            "If the address belongs to an account, a sign-in link is on its way. Open it within 15 minutes on this device.",
        confirmTitle: "Sign in to stedenband", confirmBody: "Press the button to sign in.",
        confirmButton: "Sign in", linkUsedTitle: "This link has been used",
        linkExpiredTitle: "This link has expired", linkUnknownTitle: "This link is not valid",
        linkGoneBody: "A sign-in link works once, for 15 minutes.", askNewLink: "Ask for a new sign-in link",
        forbiddenTitle: "The form could not be accepted",
        forbiddenBody:
            "The form was sent without its security code, or from another site. Go back, reload the page and try again.",
        notFoundTitle: "Page not found", notFoundBody: "There is no such page, or you may not see it.",
        tooManyTitle: "Too many attempts", tooManyBody: "Wait a minute, then try again.",
        problemTitle: "Something went wrong", settingsTitle: "Settings", preferences: "Language and time zone",
        timeZone: "Time zone", timeZoneHint: "For example Europe/Brussels or Africa/Dakar.",
        timeZoneInvalid: "Enter a time zone such as Europe/Brussels", save: "Save",
        sessionsTitle: "Where you are signed in", sessionsIntro: "Each browser you signed in with.",
        started: "Signed in", lastSeen: "Last used", thisDevice: "this browser",
        browser: "Browser", signOutEverywhere: "Sign out everywhere",
        mailSubject: "Sign in to stedenband ({municipality})",
        mailBody: """
            Hello {name},

            Open this link to sign in to stedenband for {municipality}. It works once, for {minutes} minutes:

            {url}

            If you did not ask to sign in, you can ignore this e-mail.
            """)

    static let dutch = PageWords(
        skipLink: "Naar de inhoud", mainNavigation: "Hoofdmenu", dashboard: "Mijn stedenbanden",
        settings: "Instellingen", signIn: "Aanmelden", signOut: "Afmelden", language: "Taal",
        signedInAs: "Aangemeld als", errorSummary: "Er is een probleem",
        signInTitle: "Aanmelden",
        signInIntro: "We mailen je een link om je aan te melden. Hij werkt één keer, 15 minuten lang.",
        emailLabel: "E-mailadres", emailHint: "Het adres waarmee je gemeente je registreerde.",
        sendLink: "Stuur me een aanmeldlink", emailMissing: "Vul je e-mailadres in",
        emailInvalid: "Vul een e-mailadres in zoals naam@voorbeeld.be",
        sentTitle: "Kijk in je mailbox",
        sentBody:
            "Als het adres bij een account hoort, is er een aanmeldlink onderweg. Open hem binnen 15 minuten op dit toestel.",
        confirmTitle: "Aanmelden bij stedenband", confirmBody: "Druk op de knop om je aan te melden.",
        confirmButton: "Aanmelden", linkUsedTitle: "Deze link is al gebruikt",
        linkExpiredTitle: "Deze link is verlopen", linkUnknownTitle: "Deze link is niet geldig",
        linkGoneBody: "Een aanmeldlink werkt één keer, 15 minuten lang.", askNewLink: "Vraag een nieuwe aanmeldlink",
        forbiddenTitle: "Het formulier kon niet aanvaard worden",
        forbiddenBody:
            "Het formulier kwam zonder zijn veiligheidscode of van een andere site. Ga terug, laad de pagina opnieuw en probeer nog eens.",
        notFoundTitle: "Pagina niet gevonden", notFoundBody: "Deze pagina bestaat niet, of je mag ze niet zien.",
        tooManyTitle: "Te veel pogingen", tooManyBody: "Wacht een minuut en probeer het dan opnieuw.",
        problemTitle: "Er ging iets mis", settingsTitle: "Instellingen", preferences: "Taal en tijdzone",
        timeZone: "Tijdzone", timeZoneHint: "Bijvoorbeeld Europe/Brussels of Africa/Dakar.",
        timeZoneInvalid: "Vul een tijdzone in zoals Europe/Brussels", save: "Bewaren",
        sessionsTitle: "Waar je aangemeld bent", sessionsIntro: "Elke browser waarmee je je aanmeldde.",
        started: "Aangemeld", lastSeen: "Laatst gebruikt", thisDevice: "deze browser",
        browser: "Browser", signOutEverywhere: "Overal afmelden",
        mailSubject: "Aanmelden bij stedenband ({municipality})",
        mailBody: """
            Dag {name},

            Open deze link om je aan te melden bij stedenband voor {municipality}. Hij werkt één keer, {minutes} minuten lang:

            {url}

            Vroeg je niet om je aan te melden? Dan kun je deze e-mail negeren.
            """)

    static let french = PageWords(
        skipLink: "Aller au contenu", mainNavigation: "Menu principal", dashboard: "Mes partenariats",
        settings: "Paramètres", signIn: "Se connecter", signOut: "Se déconnecter", language: "Langue",
        signedInAs: "Connecté·e en tant que", errorSummary: "Il y a un problème",
        signInTitle: "Se connecter",
        signInIntro: "Nous vous envoyons un lien de connexion par e-mail. Il fonctionne une fois, pendant 15 minutes.",
        emailLabel: "Adresse e-mail", emailHint: "L’adresse que votre commune a enregistrée pour vous.",
        sendLink: "M’envoyer un lien de connexion", emailMissing: "Saisissez votre adresse e-mail",
        emailInvalid: "Saisissez une adresse e-mail comme nom@exemple.org",
        sentTitle: "Consultez vos e-mails",
        sentBody:
            "Si l’adresse correspond à un compte, un lien de connexion est en route. Ouvrez-le dans les 15 minutes sur cet appareil.",
        confirmTitle: "Se connecter à stedenband", confirmBody: "Appuyez sur le bouton pour vous connecter.",
        confirmButton: "Se connecter", linkUsedTitle: "Ce lien a déjà été utilisé",
        linkExpiredTitle: "Ce lien a expiré", linkUnknownTitle: "Ce lien n’est pas valide",
        linkGoneBody: "Un lien de connexion fonctionne une fois, pendant 15 minutes.",
        askNewLink: "Demander un nouveau lien de connexion",
        forbiddenTitle: "Le formulaire n’a pas pu être accepté",
        forbiddenBody:
            "Le formulaire a été envoyé sans son code de sécurité, ou depuis un autre site. Revenez en arrière, rechargez la page et réessayez.",
        notFoundTitle: "Page introuvable", notFoundBody: "Cette page n’existe pas, ou vous ne pouvez pas la voir.",
        tooManyTitle: "Trop de tentatives", tooManyBody: "Attendez une minute, puis réessayez.",
        problemTitle: "Une erreur s’est produite", settingsTitle: "Paramètres", preferences: "Langue et fuseau horaire",
        timeZone: "Fuseau horaire", timeZoneHint: "Par exemple Africa/Dakar ou Europe/Brussels.",
        timeZoneInvalid: "Saisissez un fuseau horaire comme Africa/Dakar", save: "Enregistrer",
        sessionsTitle: "Où vous êtes connecté·e",
        sessionsIntro: "Chaque navigateur avec lequel vous vous êtes connecté·e.",
        started: "Connexion", lastSeen: "Dernière utilisation", thisDevice: "ce navigateur",
        browser: "Navigateur", signOutEverywhere: "Se déconnecter partout",
        mailSubject: "Connexion à stedenband ({municipality})",
        mailBody: """
            Bonjour {name},

            Ouvrez ce lien pour vous connecter à stedenband pour {municipality}. Il fonctionne une fois, pendant {minutes} minutes :

            {url}

            Si vous n’avez pas demandé à vous connecter, ignorez cet e-mail.
            """)

    static let spanish = PageWords(
        skipLink: "Ir al contenido", mainNavigation: "Menú principal", dashboard: "Mis hermanamientos",
        settings: "Configuración", signIn: "Iniciar sesión", signOut: "Cerrar sesión", language: "Idioma",
        signedInAs: "Sesión iniciada como", errorSummary: "Hay un problema",
        signInTitle: "Iniciar sesión",
        signInIntro: "Le enviaremos por correo un enlace para iniciar sesión. Funciona una vez, durante 15 minutos.",
        emailLabel: "Correo electrónico", emailHint: "La dirección que su municipio registró para usted.",
        sendLink: "Enviarme un enlace de acceso", emailMissing: "Escriba su correo electrónico",
        emailInvalid: "Escriba un correo electrónico como nombre@ejemplo.org",
        sentTitle: "Revise su correo",
        sentBody:
            "Si la dirección pertenece a una cuenta, le hemos enviado un enlace de acceso. Ábralo en los próximos 15 minutos en este dispositivo.",
        confirmTitle: "Iniciar sesión en stedenband", confirmBody: "Pulse el botón para iniciar sesión.",
        confirmButton: "Iniciar sesión", linkUsedTitle: "Este enlace ya se ha usado",
        linkExpiredTitle: "Este enlace ha caducado", linkUnknownTitle: "Este enlace no es válido",
        linkGoneBody: "Un enlace de acceso funciona una vez, durante 15 minutos.",
        askNewLink: "Pedir un nuevo enlace de acceso",
        forbiddenTitle: "No se pudo aceptar el formulario",
        forbiddenBody:
            "El formulario se envió sin su código de seguridad o desde otro sitio. Vuelva atrás, recargue la página e inténtelo de nuevo.",
        notFoundTitle: "Página no encontrada", notFoundBody: "Esta página no existe o no puede verla.",
        tooManyTitle: "Demasiados intentos", tooManyBody: "Espere un minuto y vuelva a intentarlo.",
        problemTitle: "Algo salió mal", settingsTitle: "Configuración", preferences: "Idioma y zona horaria",
        timeZone: "Zona horaria", timeZoneHint: "Por ejemplo America/Guatemala o Europe/Brussels.",
        timeZoneInvalid: "Escriba una zona horaria como America/Guatemala", save: "Guardar",
        sessionsTitle: "Dónde ha iniciado sesión", sessionsIntro: "Cada navegador con el que inició sesión.",
        started: "Inicio de sesión", lastSeen: "Último uso", thisDevice: "este navegador",
        browser: "Navegador", signOutEverywhere: "Cerrar sesión en todas partes",
        mailSubject: "Iniciar sesión en stedenband ({municipality})",
        mailBody: """
            Hola, {name}:

            Abra este enlace para iniciar sesión en stedenband para {municipality}. Funciona una vez, durante {minutes} minutos:

            {url}

            Si no pidió iniciar sesión, puede ignorar este correo.
            """)
}
