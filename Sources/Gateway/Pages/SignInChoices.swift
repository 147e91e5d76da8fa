import Foundation
import Hummingbird
import Postgres
import Vocabulary

/// The sign-in page's "Sign in with <municipality>" links: one for each active municipality whose own OpenID
/// provider is configured (`platform.oidc_sign_in_choices()`, slugs and names only), each to
/// `/sign-in/oidc/{slug}` with the page's `next`. None when no municipality has a provider.
extension SignInPages {
    /// What the template shows under the e-mail form, or `nil` when there is nothing to choose.
    func providerChoices(next: String?, context: GatewayRequestContext) async throws -> [String: Any]? {
        let rows = try await context.requireConnection().query(
            "SELECT slug, name FROM platform.oidc_sign_in_choices()")
        guard !rows.isEmpty else { return nil }
        let words = SignInChoiceWords.of(shell.language(context))
        let query = next.map { "?next=" + PageForm.encode($0) } ?? ""
        let choices = try rows.map { row -> [String: Any] in
            let (slug, name) = try row.decode((String, String).self)
            return ["href": "/sign-in/oidc/\(slug)\(query)", "label": words.signInWith(name), "slug": slug]
        }
        return ["heading": words.heading, "choices": choices]
    }
}

/// The words of the sign-in page's choice of the municipality's own sign-in, in the four languages.
struct SignInChoiceWords: Sendable {
    /// Above the links: that there is another way.
    var heading: String
    /// A link's text, with the municipality's name.
    var signInWith: @Sendable (String) -> String

    static func of(_ language: Language) -> SignInChoiceWords {
        switch language {
        case .nl:
            SignInChoiceWords(heading: "Of meld u aan met het account van uw gemeente") { "Aanmelden met \($0)" }
        case .en:
            SignInChoiceWords(heading: "Or sign in with your municipality's account") { "Sign in with \($0)" }
        case .fr:
            SignInChoiceWords(heading: "Ou connectez-vous avec le compte de votre commune") {
                "Se connecter avec \($0)"
            }
        case .es:
            SignInChoiceWords(heading: "O inicie sesión con la cuenta de su municipio") { "Iniciar sesión con \($0)" }
        }
    }
}
