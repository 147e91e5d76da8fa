import Vocabulary

/// The words of `/admin/users`, of the invitation's accept page and mail, and of the "invite by e-mail" form
/// that a partnership's members page shows, in one language; every language has every word (``Localised``).
public struct AdminUsersWords: Sendable {
    public var usersTitle: String
    public var name: String
    public var email: String
    public var role: String
    public var partnerships: String
    public var status: String
    public var lastSignIn: String
    public var never: String
    public var statusActive: String
    public var statusInvited: String
    public var statusDisabled: String
    public var roleAdmin: String
    public var roleCoordinator: String
    public var rolePartnerCoordinator: String
    public var roleViewer: String
    public var inviteHeading: String
    public var inviteIntro: String
    public var partnership: String
    public var partnershipHint: String
    public var noPartnership: String
    public var language: String
    public var sendInvitation: String
    public var invitationSent: String
    public var changeRole: String
    public var roleOf: String
    public var disable: String
    public var enable: String
    public var errorSummary: String
    public var nextPage: String
    public var firstPage: String
    public var emailMissing: String
    public var emailInvalid: String
    public var emailDisabled: String
    public var nameMissing: String
    public var roleInvalid: String
    public var localeInvalid: String
    public var partnershipMissing: String
    public var cannotDemoteSelf: String
    public var cannotDisableSelf: String
    public var acceptTitle: String
    public var acceptBody: String
    public var acceptButton: String
    public var memberInviteHeading: String
    public var memberInviteIntro: String
    public var mailSubject: String
    public var mailBody: String

    /// Every language's words.
    public static let all = Localised(nl: dutch, en: english, fr: french, es: spanish)

    /// The words in `language`.
    public static func of(_ language: Language) -> AdminUsersWords { all[language] }

    /// A role's name.
    public func roleName(_ role: Identity.Role) -> String {
        switch role {
        case .admin: roleAdmin
        case .coordinator: roleCoordinator
        case .partnerCoordinator: rolePartnerCoordinator
        case .viewer, .platformAdmin: roleViewer
        }
    }

    /// What to say beside a field an invitation was refused for.
    public func message(_ reason: Invitations.Reason) -> String {
        switch reason {
        case .emailMissing: emailMissing
        case .emailInvalid: emailInvalid
        case .emailDisabled: emailDisabled
        case .nameMissing: nameMissing
        case .roleInvalid: roleInvalid
        case .localeInvalid: localeInvalid
        case .partnershipMissing: partnershipMissing
        }
    }

    /// Every language's words as a template reads them (`{{words.name}}`), by their property names; made once.
    static let templates = PageShell.templateObjects(all)

    static let english = AdminUsersWords(
        usersTitle: "Users", name: "Name", email: "E-mail address", role: "Role", partnerships: "Partnerships",
        status: "Status", lastSignIn: "Last signed in", never: "Never", statusActive: "Active",
        statusInvited: "Invited", statusDisabled: "Disabled", roleAdmin: "Administrator",
        roleCoordinator: "Coordinator", rolePartnerCoordinator: "Partner coordinator", roleViewer: "Viewer",
        inviteHeading: "Invite someone",
        inviteIntro: "They get a mail in their language with a link to sign in, valid for {days} days.",
        partnership: "Partnership", partnershipHint: "Required for a partner coordinator, who sees only it.",
        noPartnership: "None", language: "Language", sendInvitation: "Send the invitation",
        invitationSent: "Invitation sent to {email}.", changeRole: "Change role", roleOf: "Role of {name}",
        disable: "Disable {name}", enable: "Enable {name} again", errorSummary: "There is a problem",
        nextPage: "Next page", firstPage: "First page",
        emailMissing: "Enter an e-mail address",
        emailInvalid: "Enter an e-mail address in the correct format, like name@example.org",
        emailDisabled: "This address belongs to a disabled user: enable them again instead",
        nameMissing: "Enter the person's name (at most 200 characters)", roleInvalid: "Choose a role",
        localeInvalid: "Choose a language", partnershipMissing: "Choose the partner coordinator's partnership",
        cannotDemoteSelf: "You cannot take away your own administrator role",
        cannotDisableSelf: "You cannot disable yourself", acceptTitle: "Accept the invitation",
        acceptBody: "You were invited to stedenband. Accept to sign in.", acceptButton: "Accept and sign in",
        memberInviteHeading: "Invite by e-mail",
        memberInviteIntro: "A partner coordinator becomes a member of this partnership and sees only it.",
        mailSubject: "{municipality} invites you to stedenband",
        mailBody: """
            Hello {name},

            {municipality} invites you to stedenband, where its city partnerships are followed. Open this link \
            within {days} days to accept and sign in:

            {url}

            The link works once. If you did not expect this invitation, you can ignore this mail.
            """)

    static let dutch = AdminUsersWords(
        usersTitle: "Gebruikers", name: "Naam", email: "E-mailadres", role: "Rol", partnerships: "Stedenbanden",
        status: "Status", lastSignIn: "Laatst aangemeld", never: "Nooit", statusActive: "Actief",
        statusInvited: "Uitgenodigd", statusDisabled: "Uitgeschakeld", roleAdmin: "Beheerder",
        roleCoordinator: "Coördinator", rolePartnerCoordinator: "Partnercoördinator", roleViewer: "Lezer",
        inviteHeading: "Iemand uitnodigen",
        inviteIntro: "Die krijgt een mail in de eigen taal met een link om aan te melden, {days} dagen geldig.",
        partnership: "Stedenband", partnershipHint: "Verplicht voor een partnercoördinator, die alleen die ziet.",
        noPartnership: "Geen", language: "Taal", sendInvitation: "Uitnodiging versturen",
        invitationSent: "Uitnodiging verstuurd naar {email}.", changeRole: "Rol wijzigen", roleOf: "Rol van {name}",
        disable: "{name} uitschakelen", enable: "{name} weer inschakelen", errorSummary: "Er is een probleem",
        nextPage: "Volgende pagina",
        firstPage: "Eerste pagina",
        emailMissing: "Vul een e-mailadres in",
        emailInvalid: "Vul een geldig e-mailadres in, zoals naam@voorbeeld.be",
        emailDisabled: "Dit adres hoort bij een uitgeschakelde gebruiker: schakel die weer in",
        nameMissing: "Vul de naam in (hoogstens 200 tekens)", roleInvalid: "Kies een rol",
        localeInvalid: "Kies een taal", partnershipMissing: "Kies de stedenband van de partnercoördinator",
        cannotDemoteSelf: "U kunt uw eigen beheerdersrol niet afnemen",
        cannotDisableSelf: "U kunt uzelf niet uitschakelen", acceptTitle: "Uitnodiging aanvaarden",
        acceptBody: "U bent uitgenodigd voor stedenband. Aanvaard om aan te melden.",
        acceptButton: "Aanvaarden en aanmelden", memberInviteHeading: "Uitnodigen per e-mail",
        memberInviteIntro: "Een partnercoördinator wordt lid van deze stedenband en ziet alleen die.",
        mailSubject: "{municipality} nodigt u uit voor stedenband",
        mailBody: """
            Beste {name},

            {municipality} nodigt u uit voor stedenband, waar de stedenbanden van de gemeente worden opgevolgd. \
            Open deze link binnen {days} dagen om te aanvaarden en aan te melden:

            {url}

            De link werkt één keer. Verwachtte u deze uitnodiging niet, dan kunt u deze mail negeren.
            """)

    static let french = AdminUsersWords(
        usersTitle: "Utilisateurs", name: "Nom", email: "Adresse e-mail", role: "Rôle", partnerships: "Jumelages",
        status: "Statut", lastSignIn: "Dernière connexion", never: "Jamais", statusActive: "Actif",
        statusInvited: "Invité", statusDisabled: "Désactivé", roleAdmin: "Administrateur",
        roleCoordinator: "Coordinateur", rolePartnerCoordinator: "Coordinateur partenaire", roleViewer: "Lecteur",
        inviteHeading: "Inviter quelqu’un",
        inviteIntro: "La personne reçoit un e-mail dans sa langue avec un lien de connexion, valable {days} jours.",
        partnership: "Jumelage", partnershipHint: "Obligatoire pour un coordinateur partenaire, qui ne voit que lui.",
        noPartnership: "Aucun", language: "Langue", sendInvitation: "Envoyer l’invitation",
        invitationSent: "Invitation envoyée à {email}.", changeRole: "Changer le rôle", roleOf: "Rôle de {name}",
        disable: "Désactiver {name}", enable: "Réactiver {name}", errorSummary: "Il y a un problème",
        nextPage: "Page suivante",
        firstPage: "Première page",
        emailMissing: "Saisissez une adresse e-mail",
        emailInvalid: "Saisissez une adresse e-mail valide, comme nom@exemple.org",
        emailDisabled: "Cette adresse appartient à un utilisateur désactivé : réactivez-le plutôt",
        nameMissing: "Saisissez le nom de la personne (200 caractères au plus)", roleInvalid: "Choisissez un rôle",
        localeInvalid: "Choisissez une langue",
        partnershipMissing: "Choisissez le jumelage du coordinateur partenaire",
        cannotDemoteSelf: "Vous ne pouvez pas retirer votre propre rôle d’administrateur",
        cannotDisableSelf: "Vous ne pouvez pas vous désactiver vous-même", acceptTitle: "Accepter l’invitation",
        acceptBody: "Vous avez été invité à stedenband. Acceptez pour vous connecter.",
        acceptButton: "Accepter et se connecter", memberInviteHeading: "Inviter par e-mail",
        memberInviteIntro: "Un coordinateur partenaire devient membre de ce jumelage et ne voit que lui.",
        mailSubject: "{municipality} vous invite à stedenband",
        mailBody: """
            Bonjour {name},

            {municipality} vous invite à stedenband, où ses jumelages sont suivis. Ouvrez ce lien dans les \
            {days} jours pour accepter et vous connecter :

            {url}

            Le lien ne fonctionne qu’une fois. Si vous n’attendiez pas cette invitation, ignorez cet e-mail.
            """)

    static let spanish = AdminUsersWords(
        usersTitle: "Usuarios", name: "Nombre", email: "Correo electrónico", role: "Rol",
        partnerships: "Hermanamientos",
        status: "Estado", lastSignIn: "Último acceso", never: "Nunca", statusActive: "Activo",
        statusInvited: "Invitado", statusDisabled: "Desactivado", roleAdmin: "Administrador",
        roleCoordinator: "Coordinador", rolePartnerCoordinator: "Coordinador socio", roleViewer: "Lector",
        inviteHeading: "Invitar a alguien",
        inviteIntro: "Recibe un correo en su idioma con un enlace para acceder, válido {days} días.",
        partnership: "Hermanamiento", partnershipHint: "Obligatorio para un coordinador socio, que solo ve ese.",
        noPartnership: "Ninguno", language: "Idioma", sendInvitation: "Enviar la invitación",
        invitationSent: "Invitación enviada a {email}.", changeRole: "Cambiar el rol", roleOf: "Rol de {name}",
        disable: "Desactivar a {name}", enable: "Reactivar a {name}", errorSummary: "Hay un problema",
        nextPage: "Página siguiente",
        firstPage: "Primera página",
        emailMissing: "Escriba un correo electrónico",
        emailInvalid: "Escriba un correo electrónico válido, como nombre@ejemplo.org",
        emailDisabled: "Esta dirección pertenece a un usuario desactivado: reactívelo en su lugar",
        nameMissing: "Escriba el nombre de la persona (200 caracteres como máximo)", roleInvalid: "Elija un rol",
        localeInvalid: "Elija un idioma", partnershipMissing: "Elija el hermanamiento del coordinador socio",
        cannotDemoteSelf: "No puede quitarse su propio rol de administrador",
        cannotDisableSelf: "No puede desactivarse a sí mismo", acceptTitle: "Aceptar la invitación",
        acceptBody: "Le han invitado a stedenband. Acepte para acceder.", acceptButton: "Aceptar y acceder",
        memberInviteHeading: "Invitar por correo",
        memberInviteIntro: "Un coordinador socio pasa a ser miembro de este hermanamiento y solo ve ese.",
        mailSubject: "{municipality} le invita a stedenband",
        mailBody: """
            Hola, {name}:

            {municipality} le invita a stedenband, donde se siguen sus hermanamientos. Abra este enlace en los \
            próximos {days} días para aceptar y acceder:

            {url}

            El enlace funciona una sola vez. Si no esperaba esta invitación, ignore este correo.
            """)
}
