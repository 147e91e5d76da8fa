import Vocabulary

/// The words of the sign-in failure pages, in the four languages.
struct OIDCPageWords: Sendable {
    var title: String
    var explanation: String
    var back: String

    static func of(_ kind: OIDCFailure.Kind, in language: Language) -> OIDCPageWords {
        let (title, explanation) = text(kind, language)
        let back =
            switch language {
            case .nl: "Terug naar aanmelden"
            case .en: "Back to sign in"
            case .fr: "Retour à la connexion"
            case .es: "Volver a iniciar sesión"
            }
        return OIDCPageWords(title: title, explanation: explanation, back: back)
    }

    private static func text(_ kind: OIDCFailure.Kind, _ language: Language) -> (String, String) {
        switch (kind, language) {
        case (.notConfigured, .nl):
            (
                "Aanmelden niet mogelijk",
                "Deze gemeente bestaat niet hier, of heeft geen eigen aanmeldservice ingesteld."
            )
        case (.notConfigured, .en):
            ("Sign-in not available", "This municipality does not exist here, or has no identity provider set up.")
        case (.notConfigured, .fr):
            ("Connexion impossible", "Cette commune n'existe pas ici, ou n'a pas configuré de fournisseur d'identité.")
        case (.notConfigured, .es):
            (
                "No se puede iniciar sesión",
                "Este municipio no existe aquí, o no tiene un proveedor de identidad configurado."
            )
        case (.attemptInvalid, .nl):
            ("Aanmelding verlopen", "Deze aanmelding is onbekend, al gebruikt of verlopen. Begin opnieuw.")
        case (.attemptInvalid, .en):
            ("Sign-in expired", "This sign-in is unknown, was already used, or has expired. Please start again.")
        case (.attemptInvalid, .fr):
            ("Connexion expirée", "Cette connexion est inconnue, déjà utilisée ou expirée. Veuillez recommencer.")
        case (.attemptInvalid, .es):
            (
                "Inicio de sesión caducado",
                "Este inicio de sesión es desconocido, ya se usó o ha caducado. Empiece de nuevo."
            )
        case (.cancelled, .nl):
            (
                "Aanmelden geannuleerd",
                "U hebt het aanmelden bij de aanmeldservice van uw gemeente afgebroken. Er is niemand aangemeld."
            )
        case (.cancelled, .en):
            (
                "Sign-in cancelled",
                "You cancelled signing in at your municipality's identity provider. Nobody was signed in."
            )
        case (.cancelled, .fr):
            (
                "Connexion annulée",
                "Vous avez annulé la connexion auprès du fournisseur d'identité de votre commune. Personne n'a été connecté."
            )
        case (.cancelled, .es):
            (
                "Inicio de sesión cancelado",
                "Ha cancelado el inicio de sesión en el proveedor de identidad de su municipio. No se ha iniciado ninguna sesión."
            )
        case (.notVerified, .nl):
            ("Aanmelden mislukt", "De aanmeldservice van uw gemeente heeft niet bevestigd wie u bent.")
        case (.notVerified, .en):
            ("Sign-in failed", "Your municipality's identity provider did not confirm who you are.")
        case (.notVerified, .fr):
            ("Échec de la connexion", "Le fournisseur d'identité de votre commune n'a pas confirmé votre identité.")
        case (.notVerified, .es):
            ("Error al iniciar sesión", "El proveedor de identidad de su municipio no confirmó quién es usted.")
        case (.noAccount, .nl):
            (
                "Geen account gevonden",
                "Er is hier geen account van uw gemeente met het bevestigde e-mailadres dat uw aanmeldservice doorgaf."
            )
        case (.noAccount, .en):
            (
                "No account found",
                "There is no account of your municipality here with the confirmed e-mail address your identity provider gave."
            )
        case (.noAccount, .fr):
            (
                "Aucun compte trouvé",
                "Aucun compte de votre commune n'a ici l'adresse e-mail confirmée transmise par votre fournisseur d'identité."
            )
        case (.noAccount, .es):
            (
                "No se encontró ninguna cuenta",
                "No hay aquí ninguna cuenta de su municipio con la dirección de correo confirmada que dio su proveedor de identidad."
            )
        case (.providerUnavailable, .nl):
            (
                "Aanmeldservice niet bereikbaar",
                "De aanmeldservice van uw gemeente antwoordt nu niet zoals verwacht. Probeer later opnieuw."
            )
        case (.providerUnavailable, .en):
            (
                "Identity provider unavailable",
                "Your municipality's identity provider is not answering as expected. Please try again later."
            )
        case (.providerUnavailable, .fr):
            (
                "Fournisseur d'identité indisponible",
                "Le fournisseur d'identité de votre commune ne répond pas comme prévu. Réessayez plus tard."
            )
        case (.providerUnavailable, .es):
            (
                "Proveedor de identidad no disponible",
                "El proveedor de identidad de su municipio no responde como se esperaba. Inténtelo más tarde."
            )
        }
    }
}
