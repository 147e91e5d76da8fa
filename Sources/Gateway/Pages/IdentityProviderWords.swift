import Foundation
import Vocabulary

/// The words of `/admin/municipality`'s identity-provider section and its notices, in one language; every
/// language has every word (``Localised``). Templates read them as `{{oidc.…}}`.
struct IdentityProviderWords: Sendable {
    var heading: String
    var intro: String
    var configured: String
    var notConfigured: String
    var redirectLabel: String
    var redirectHint: String
    var issuerLabel: String
    var issuerHint: String
    var clientIdLabel: String
    var clientIdHint: String
    var secretLabel: String
    var secretSetHint: String
    var secretUnsetHint: String
    var save: String
    var removeHint: String
    var remove: String
    var saved: String
    var removed: String
    var sectionSaved: String
    var issuerError: String
    var clientIdError: String
    var secretError: String
    var secretRequired: String
    var unreachable: String
    /// `{status}` is the HTTP status.
    var status: String
    var unreadable: String
    /// `{issuer}` is the issuer the document names.
    var otherIssuer: String
    /// `{name}` is the endpoint's name in the document.
    var insecureEndpoint: String
    var noAcceptedAlgorithm: String

    static let all = Localised(nl: dutch, en: english, fr: french, es: spanish)

    static func of(_ language: Language) -> IdentityProviderWords { all[language] }

    /// Every language's words as templates read them, made once.
    static let objects = all.map { words -> [String: String] in
        let object = PageShell.templateWords(words)
        return object
    }

    /// Why the provider at the issuer cannot be used, in these words.
    func message(_ problem: IdentityProviderDiscoveryProblem) -> String {
        switch problem {
        case .unreachable: unreachable
        case .status(let code): status.replacingOccurrences(of: "{status}", with: String(code))
        case .unreadable: unreadable
        case .otherIssuer(let found): otherIssuer.replacingOccurrences(of: "{issuer}", with: String(found.prefix(200)))
        case .insecureEndpoint(let name): insecureEndpoint.replacingOccurrences(of: "{name}", with: name)
        case .noAcceptedAlgorithm: noAcceptedAlgorithm
        }
    }

    static let english = IdentityProviderWords(
        heading: "Identity provider",
        intro:
            "Your people can sign in with your municipality's own account (OpenID Connect) instead of an e-mail link.",
        configured: "An identity provider is set: “Sign in with your municipality” is offered on the sign-in page.",
        notConfigured: "No identity provider is set: your people sign in by e-mail link.",
        redirectLabel: "Redirect URI",
        redirectHint: "Register this address at your provider as the redirect URI of this client.",
        issuerLabel: "Issuer", issuerHint: "The provider's address, for example https://login.example.be/realms/town.",
        clientIdLabel: "Client id", clientIdHint: "The id your provider gave this server.",
        secretLabel: "Client secret",
        secretSetHint: "A secret is set and is never shown. Leave this empty to keep it, or enter a new one.",
        secretUnsetHint: "The secret your provider gave this server. It is never shown again.",
        save: "Save identity provider",
        removeHint: "Removing the provider stops “Sign in with your municipality”: your people sign in by e-mail link.",
        remove: "Remove identity provider",
        saved: "The identity provider is saved.", removed: "The identity provider is removed.",
        sectionSaved: "The changes are saved.",
        issuerError:
            "Enter the provider's https address, such as https://login.example.be/realms/town (plain http only to 127.0.0.1 or localhost)",
        clientIdError: "Enter the client id, 1 to 500 characters",
        secretError: "Enter the client secret on one line, at most 4000 characters",
        secretRequired: "Enter the client secret your provider gave",
        unreachable: "The provider cannot be reached at this address: check it, and that it answers",
        status: "The provider's discovery document could not be read: it answered with status {status}",
        unreadable: "This address does not answer with an OpenID Connect discovery document",
        otherIssuer: "The provider's discovery document names another issuer: {issuer}",
        insecureEndpoint: "The provider's discovery document gives an address that is not https ({name})",
        noAcceptedAlgorithm: "The provider signs with no algorithm this server accepts (such as RS256)")

    static let dutch = IdentityProviderWords(
        heading: "Identiteitsprovider",
        intro:
            "Je mensen kunnen zich aanmelden met het eigen account van je gemeente (OpenID Connect) in plaats van met een e-maillink.",
        configured:
            "Er is een identiteitsprovider ingesteld: de aanmeldpagina biedt “Aanmelden met je gemeente” aan.",
        notConfigured: "Er is geen identiteitsprovider ingesteld: je mensen melden zich aan met een e-maillink.",
        redirectLabel: "Redirect-URI",
        redirectHint: "Registreer dit adres bij je provider als redirect-URI van deze client.",
        issuerLabel: "Issuer",
        issuerHint: "Het adres van de provider, bijvoorbeeld https://login.example.be/realms/town.",
        clientIdLabel: "Client-id", clientIdHint: "De id die je provider aan deze server gaf.",
        secretLabel: "Clientgeheim",
        secretSetHint:
            "Er is een geheim ingesteld; het wordt nooit getoond. Laat dit leeg om het te houden, of vul een nieuw in.",
        secretUnsetHint: "Het geheim dat je provider aan deze server gaf. Het wordt nooit meer getoond.",
        save: "Identiteitsprovider opslaan",
        removeHint:
            "Zonder provider verdwijnt “Aanmelden met je gemeente”: je mensen melden zich aan met een e-maillink.",
        remove: "Identiteitsprovider verwijderen",
        saved: "De identiteitsprovider is opgeslagen.", removed: "De identiteitsprovider is verwijderd.",
        sectionSaved: "De wijzigingen zijn opgeslagen.",
        issuerError:
            "Vul het https-adres van de provider in, zoals https://login.example.be/realms/town (gewoon http alleen naar 127.0.0.1 of localhost)",
        clientIdError: "Vul de client-id in, 1 tot 500 tekens",
        secretError: "Vul het clientgeheim in op één regel, hoogstens 4000 tekens",
        secretRequired: "Vul het clientgeheim in dat je provider gaf",
        unreachable: "De provider is op dit adres niet bereikbaar: controleer het adres en of de provider antwoordt",
        status: "Het discovery-document van de provider kon niet gelezen worden: het antwoordde met status {status}",
        unreadable: "Dit adres antwoordt niet met een OpenID Connect-discovery-document",
        otherIssuer: "Het discovery-document van de provider noemt een andere issuer: {issuer}",
        insecureEndpoint: "Het discovery-document van de provider geeft een adres dat geen https is ({name})",
        noAcceptedAlgorithm: "De provider ondertekent met geen enkel algoritme dat deze server aanvaardt (zoals RS256)")

    static let french = IdentityProviderWords(
        heading: "Fournisseur d'identité",
        intro:
            "Vos collègues peuvent se connecter avec le compte de votre commune (OpenID Connect) plutôt que par un lien envoyé par e-mail.",
        configured:
            "Un fournisseur d'identité est configuré : la page de connexion propose « Se connecter avec votre commune ».",
        notConfigured: "Aucun fournisseur d'identité n'est configuré : vos collègues se connectent par lien e-mail.",
        redirectLabel: "URI de redirection",
        redirectHint: "Enregistrez cette adresse chez votre fournisseur comme URI de redirection de ce client.",
        issuerLabel: "Émetteur (issuer)",
        issuerHint: "L'adresse du fournisseur, par exemple https://login.example.be/realms/town.",
        clientIdLabel: "Identifiant client", clientIdHint: "L'identifiant que votre fournisseur a donné à ce serveur.",
        secretLabel: "Secret client",
        secretSetHint:
            "Un secret est enregistré ; il n'est jamais affiché. Laissez vide pour le garder, ou saisissez-en un nouveau.",
        secretUnsetHint: "Le secret que votre fournisseur a donné à ce serveur. Il ne sera plus jamais affiché.",
        save: "Enregistrer le fournisseur d'identité",
        removeHint:
            "Sans fournisseur, « Se connecter avec votre commune » disparaît : vos collègues se connectent par lien e-mail.",
        remove: "Retirer le fournisseur d'identité",
        saved: "Le fournisseur d'identité est enregistré.", removed: "Le fournisseur d'identité est retiré.",
        sectionSaved: "Les modifications sont enregistrées.",
        issuerError:
            "Saisissez l'adresse https du fournisseur, comme https://login.example.be/realms/town (http simple seulement vers 127.0.0.1 ou localhost)",
        clientIdError: "Saisissez l'identifiant client, de 1 à 500 caractères",
        secretError: "Saisissez le secret client sur une ligne, 4000 caractères au plus",
        secretRequired: "Saisissez le secret client donné par votre fournisseur",
        unreachable: "Le fournisseur est injoignable à cette adresse : vérifiez-la, et qu'il répond",
        status: "Le document de découverte du fournisseur n'a pas pu être lu : il a répondu avec le statut {status}",
        unreadable: "Cette adresse ne répond pas par un document de découverte OpenID Connect",
        otherIssuer: "Le document de découverte du fournisseur nomme un autre émetteur : {issuer}",
        insecureEndpoint: "Le document de découverte du fournisseur donne une adresse qui n'est pas https ({name})",
        noAcceptedAlgorithm: "Le fournisseur ne signe avec aucun algorithme que ce serveur accepte (comme RS256)")

    static let spanish = IdentityProviderWords(
        heading: "Proveedor de identidad",
        intro:
            "Su gente puede iniciar sesión con la cuenta de su municipio (OpenID Connect) en lugar de un enlace por correo.",
        configured:
            "Hay un proveedor de identidad configurado: la página de inicio de sesión ofrece «Iniciar sesión con su municipio».",
        notConfigured: "No hay proveedor de identidad: su gente inicia sesión con un enlace por correo.",
        redirectLabel: "URI de redirección",
        redirectHint: "Registre esta dirección en su proveedor como URI de redirección de este cliente.",
        issuerLabel: "Emisor (issuer)",
        issuerHint: "La dirección del proveedor, por ejemplo https://login.example.be/realms/town.",
        clientIdLabel: "Id de cliente", clientIdHint: "El id que su proveedor dio a este servidor.",
        secretLabel: "Secreto de cliente",
        secretSetHint:
            "Hay un secreto guardado y nunca se muestra. Déjelo vacío para conservarlo, o escriba uno nuevo.",
        secretUnsetHint: "El secreto que su proveedor dio a este servidor. Nunca se vuelve a mostrar.",
        save: "Guardar el proveedor de identidad",
        removeHint:
            "Sin proveedor desaparece «Iniciar sesión con su municipio»: su gente inicia sesión con un enlace por correo.",
        remove: "Quitar el proveedor de identidad",
        saved: "El proveedor de identidad está guardado.", removed: "El proveedor de identidad está quitado.",
        sectionSaved: "Los cambios están guardados.",
        issuerError:
            "Escriba la dirección https del proveedor, como https://login.example.be/realms/town (http simple solo hacia 127.0.0.1 o localhost)",
        clientIdError: "Escriba el id de cliente, de 1 a 500 caracteres",
        secretError: "Escriba el secreto de cliente en una línea, 4000 caracteres como máximo",
        secretRequired: "Escriba el secreto de cliente que le dio su proveedor",
        unreachable: "No se puede contactar con el proveedor en esta dirección: compruébela, y que responda",
        status: "No se pudo leer el documento de descubrimiento del proveedor: respondió con el estado {status}",
        unreadable: "Esta dirección no responde con un documento de descubrimiento de OpenID Connect",
        otherIssuer: "El documento de descubrimiento del proveedor nombra otro emisor: {issuer}",
        insecureEndpoint: "El documento de descubrimiento del proveedor da una dirección que no es https ({name})",
        noAcceptedAlgorithm: "El proveedor no firma con ningún algoritmo que este servidor acepte (como RS256)")
}
