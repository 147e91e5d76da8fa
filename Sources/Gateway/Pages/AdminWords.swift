import Vocabulary

/// The words of the header navigation's links to the newer pages and of `/admin/municipality`, in one
/// language; every language has every word (``Localised``). Templates read them as `{{admin.…}}`.
struct AdminWords: Sendable {
    var activities: String
    var reports: String
    var library: String
    var importData: String
    var users: String
    var municipality: String
    var platform: String
    var municipalityTitle: String
    var municipalityIntro: String
    var nameLabel: String
    var defaultLocaleLabel: String
    var defaultLocaleHint: String
    var iatiHeading: String
    var iatiIntro: String
    var iatiReferenceLabel: String
    var iatiReferenceHint: String
    var iatiTypeLabel: String
    var iatiTypeHint: String
    var saveMunicipality: String
    var saved: String
    var nameError: String
    var defaultLocaleError: String
    var iatiReferenceError: String
    var iatiTypeError: String
    var onlyAdministrators: String
    var platformTitle: String
    var municipalitiesHeading: String
    var slugLabel: String
    var slugHint: String
    var statusLabel: String
    var active: String
    var disabled: String
    var createHeading: String
    var adminEmailLabel: String
    var adminNameLabel: String
    var adminNameHint: String
    var timeZoneLabel: String
    var createMunicipality: String
    var created: String
    var slugError: String
    var slugTaken: String
    var adminEmailError: String
    var adminNameError: String
    var timeZoneError: String

    static let all = Localised(nl: dutch, en: english, fr: french, es: spanish)

    static func of(_ language: Language) -> AdminWords { all[language] }

    /// Every language's words as templates read them, made once.
    static let objects = PageShell.templateObjects(all)

    static let english = AdminWords(
        activities: "Activities", reports: "Reports", library: "Library", importData: "Import", users: "Users",
        municipality: "Municipality", platform: "Platform",
        municipalityTitle: "Municipality settings",
        municipalityIntro: "What every person of your municipality sees, and what its publications carry.",
        nameLabel: "Name of the municipality", defaultLocaleLabel: "Default language",
        defaultLocaleHint: "New users get this language, and reports and exports are written in it.",
        iatiHeading: "IATI organisation",
        iatiIntro: "The IATI export publishes your activities under this organisation.",
        iatiReferenceLabel: "IATI organisation identifier",
        iatiReferenceHint:
            "The registration agency and the number there, for example BE-BCE_KBO-0207451227. Leave empty to remove it.",
        iatiTypeLabel: "IATI organisation type",
        iatiTypeHint: "The OrganisationType code: 11 for local government.",
        saveMunicipality: "Save municipality settings", saved: "The municipality settings are saved.",
        nameError: "Enter the municipality's name (at most 200 characters)",
        defaultLocaleError: "Choose a language",
        iatiReferenceError: "Enter an IATI organisation identifier like BE-BCE_KBO-0207451227",
        iatiTypeError: "Enter an organisation type code of 1 to 3 digits, like 11",
        onlyAdministrators: "Only the municipality's administrators can change its settings.",
        platformTitle: "Platform",
        municipalitiesHeading: "Municipalities",
        slugLabel: "Short name (slug)",
        slugHint: "Lowercase letters, digits and hyphens, as in addresses: for example sint-niklaas.",
        statusLabel: "Status",
        active: "active",
        disabled: "disabled",
        createHeading: "Add a municipality",
        adminEmailLabel: "E-mail address of its first administrator",
        adminNameLabel: "Name of its first administrator",
        adminNameHint: "Leave empty to use the part of the address before @.",
        timeZoneLabel: "Time zone",
        createMunicipality: "Add municipality",
        created: "The municipality is added. Its administrator signs in at /sign-in with their e-mail address.",
        slugError: "Enter 1 to 63 lowercase letters, digits and inner hyphens",
        slugTaken: "This short name is already used",
        adminEmailError: "Enter an e-mail address like name@example.be",
        adminNameError: "Enter a name of at most 200 characters",
        timeZoneError: "Enter a time zone such as Europe/Brussels")

    static let dutch = AdminWords(
        activities: "Activiteiten", reports: "Rapporten", library: "Bibliotheek", importData: "Importeren",
        users: "Gebruikers",
        municipality: "Gemeente", platform: "Platform",
        municipalityTitle: "Instellingen van de gemeente",
        municipalityIntro: "Wat iedereen van je gemeente ziet, en wat haar publicaties vermelden.",
        nameLabel: "Naam van de gemeente", defaultLocaleLabel: "Standaardtaal",
        defaultLocaleHint: "Nieuwe gebruikers krijgen deze taal; rapporten en exports worden erin geschreven.",
        iatiHeading: "IATI-organisatie",
        iatiIntro: "De IATI-export publiceert je activiteiten onder deze organisatie.",
        iatiReferenceLabel: "IATI-organisatie-identificatie",
        iatiReferenceHint:
            "Het registratieagentschap en het nummer daar, bijvoorbeeld BE-BCE_KBO-0207451227. Laat leeg om te verwijderen.",
        iatiTypeLabel: "IATI-organisatietype",
        iatiTypeHint: "De OrganisationType-code: 11 voor een lokale overheid.",
        saveMunicipality: "Instellingen van de gemeente opslaan",
        saved: "De instellingen van de gemeente zijn opgeslagen.",
        nameError: "Vul de naam van de gemeente in (hoogstens 200 tekens)",
        defaultLocaleError: "Kies een taal",
        iatiReferenceError: "Vul een IATI-organisatie-identificatie in zoals BE-BCE_KBO-0207451227",
        iatiTypeError: "Vul een organisatietypecode van 1 tot 3 cijfers in, zoals 11",
        onlyAdministrators: "Alleen de beheerders van de gemeente kunnen haar instellingen wijzigen.",
        platformTitle: "Platform",
        municipalitiesHeading: "Gemeenten",
        slugLabel: "Korte naam (slug)",
        slugHint: "Kleine letters, cijfers en koppeltekens, zoals in adressen: bijvoorbeeld sint-niklaas.",
        statusLabel: "Status",
        active: "actief",
        disabled: "uitgeschakeld",
        createHeading: "Een gemeente toevoegen",
        adminEmailLabel: "E-mailadres van de eerste beheerder",
        adminNameLabel: "Naam van de eerste beheerder",
        adminNameHint: "Laat leeg om het deel van het adres vóór @ te gebruiken.",
        timeZoneLabel: "Tijdzone",
        createMunicipality: "Gemeente toevoegen",
        created: "De gemeente is toegevoegd. Haar beheerder meldt zich aan op /sign-in met het e-mailadres.",
        slugError: "Vul 1 tot 63 kleine letters, cijfers en koppeltekens in",
        slugTaken: "Deze korte naam is al in gebruik",
        adminEmailError: "Vul een e-mailadres in zoals naam@voorbeeld.be",
        adminNameError: "Vul een naam van hoogstens 200 tekens in",
        timeZoneError: "Vul een tijdzone in zoals Europe/Brussels")

    static let french = AdminWords(
        activities: "Activités", reports: "Rapports", library: "Bibliothèque", importData: "Importer",
        users: "Utilisateurs",
        municipality: "Commune", platform: "Plateforme",
        municipalityTitle: "Paramètres de la commune",
        municipalityIntro: "Ce que voit chaque personne de votre commune, et ce que portent ses publications.",
        nameLabel: "Nom de la commune", defaultLocaleLabel: "Langue par défaut",
        defaultLocaleHint:
            "Les nouveaux utilisateurs reçoivent cette langue ; rapports et exports sont rédigés dans celle-ci.",
        iatiHeading: "Organisation IATI",
        iatiIntro: "L'export IATI publie vos activités au nom de cette organisation.",
        iatiReferenceLabel: "Identifiant d'organisation IATI",
        iatiReferenceHint:
            "L'agence d'enregistrement et le numéro chez elle, par exemple BE-BCE_KBO-0207451227. Laissez vide pour le retirer.",
        iatiTypeLabel: "Type d'organisation IATI",
        iatiTypeHint: "Le code OrganisationType : 11 pour une administration locale.",
        saveMunicipality: "Enregistrer les paramètres de la commune",
        saved: "Les paramètres de la commune sont enregistrés.",
        nameError: "Saisissez le nom de la commune (200 caractères au plus)",
        defaultLocaleError: "Choisissez une langue",
        iatiReferenceError: "Saisissez un identifiant d'organisation IATI comme BE-BCE_KBO-0207451227",
        iatiTypeError: "Saisissez un code de type d'organisation de 1 à 3 chiffres, comme 11",
        onlyAdministrators: "Seuls les administrateurs de la commune peuvent modifier ses paramètres.",
        platformTitle: "Plateforme",
        municipalitiesHeading: "Communes",
        slugLabel: "Nom court (slug)",
        slugHint: "Lettres minuscules, chiffres et traits d'union, comme dans les adresses : par exemple sint-niklaas.",
        statusLabel: "Statut",
        active: "active",
        disabled: "désactivée",
        createHeading: "Ajouter une commune",
        adminEmailLabel: "Adresse e-mail de son premier administrateur",
        adminNameLabel: "Nom de son premier administrateur",
        adminNameHint: "Laissez vide pour utiliser la partie de l'adresse avant @.",
        timeZoneLabel: "Fuseau horaire",
        createMunicipality: "Ajouter la commune",
        created: "La commune est ajoutée. Son administrateur se connecte sur /sign-in avec son adresse e-mail.",
        slugError: "Saisissez 1 à 63 lettres minuscules, chiffres et traits d'union intérieurs",
        slugTaken: "Ce nom court est déjà utilisé",
        adminEmailError: "Saisissez une adresse e-mail comme nom@exemple.be",
        adminNameError: "Saisissez un nom de 200 caractères au plus",
        timeZoneError: "Saisissez un fuseau horaire comme Europe/Brussels")

    static let spanish = AdminWords(
        activities: "Actividades", reports: "Informes", library: "Biblioteca", importData: "Importar",
        users: "Usuarios",
        municipality: "Municipio", platform: "Plataforma",
        municipalityTitle: "Ajustes del municipio",
        municipalityIntro: "Lo que ve cada persona de su municipio y lo que llevan sus publicaciones.",
        nameLabel: "Nombre del municipio", defaultLocaleLabel: "Idioma predeterminado",
        defaultLocaleHint: "Los nuevos usuarios reciben este idioma; los informes y exportaciones se escriben en él.",
        iatiHeading: "Organización IATI",
        iatiIntro: "La exportación IATI publica sus actividades a nombre de esta organización.",
        iatiReferenceLabel: "Identificador de organización IATI",
        iatiReferenceHint:
            "La agencia de registro y el número en ella, por ejemplo BE-BCE_KBO-0207451227. Déjelo vacío para quitarlo.",
        iatiTypeLabel: "Tipo de organización IATI",
        iatiTypeHint: "El código OrganisationType: 11 para una administración local.",
        saveMunicipality: "Guardar los ajustes del municipio", saved: "Los ajustes del municipio están guardados.",
        nameError: "Escriba el nombre del municipio (200 caracteres como máximo)",
        defaultLocaleError: "Elija un idioma",
        iatiReferenceError: "Escriba un identificador de organización IATI como BE-BCE_KBO-0207451227",
        iatiTypeError: "Escriba un código de tipo de organización de 1 a 3 cifras, como 11",
        onlyAdministrators: "Solo los administradores del municipio pueden cambiar sus ajustes.",
        platformTitle: "Plataforma",
        municipalitiesHeading: "Municipios",
        slugLabel: "Nombre corto (slug)",
        slugHint: "Minúsculas, cifras y guiones, como en las direcciones: por ejemplo sint-niklaas.",
        statusLabel: "Estado",
        active: "activo",
        disabled: "desactivado",
        createHeading: "Añadir un municipio",
        adminEmailLabel: "Correo electrónico de su primer administrador",
        adminNameLabel: "Nombre de su primer administrador",
        adminNameHint: "Déjelo vacío para usar la parte de la dirección antes de @.",
        timeZoneLabel: "Zona horaria",
        createMunicipality: "Añadir municipio",
        created: "El municipio está añadido. Su administrador inicia sesión en /sign-in con su correo electrónico.",
        slugError: "Escriba de 1 a 63 minúsculas, cifras y guiones interiores",
        slugTaken: "Este nombre corto ya está en uso",
        adminEmailError: "Escriba un correo electrónico como nombre@ejemplo.be",
        adminNameError: "Escriba un nombre de 200 caracteres como máximo",
        timeZoneError: "Escriba una zona horaria como Europe/Brussels")
}
