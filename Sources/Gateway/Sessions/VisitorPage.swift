import Foundation
import HTTPTypes
import Hummingbird
import Vocabulary

/// A page for a visitor, in the layout every page has, answered by a route outside ``Pages``' groups: the
/// OpenID Connect callback holds no request transaction while it calls the provider, so it has no
/// ``PageSessionMiddleware`` to give it a ``PageSession``. This gives it what a signed-out visitor's page
/// needs: the language (as the middleware chooses it) and the locale switch's CSRF token (the browser's
/// double-submit cookie, or a new one set with the page).
public struct VisitorPage: Sendable {
    let settings: SessionSettings
    let shell: PageShell

    /// Pages for a site at `publicURL` (its cookies' names depend on it), in the standard shell.
    public init(publicURL: String = SessionSettings.defaultPublicURL) {
        var settings = SessionSettings()
        settings.publicURL = publicURL
        self.settings = settings
        self.shell = .standard
    }

    /// A page in `language` with `heading`, `paragraphs` and a link, inside the layout, with `status`.
    ///
    /// A browser without the CSRF cookie (it opened no page of ours yet) gets one with the page, so its locale
    /// switch works, unless `setsTokenCookie` is false: then the switch's first use is refused and sets it.
    public func message(
        heading: String,
        paragraphs: [String],
        link: (href: String, text: String),
        status: HTTPResponse.Status,
        language: Language,
        setsTokenCookie: Bool = true,
        request: Request,
        context: GatewayRequestContext
    ) -> Response {
        let known = request.cookies[settings.csrfCookieName].flatMap { SessionSecret($0.value)?.value }
        let newToken = known == nil ? SessionSecret.generate().value : nil
        var context = context
        context.page = PageSession(
            person: nil, language: language, csrfToken: known ?? newToken!, path: "/sign-in",
            afterCommit: AfterCommit())
        var response = shell.message(
            heading: heading, paragraphs: paragraphs, link: link, status: status, context: context)
        if let newToken, setsTokenCookie {
            response.setCookie(PageCookies.cookie(settings.csrfCookieName, newToken, settings: settings))
        }
        return response
    }

    /// The language of a visitor's page: `?lang=`, then the visitor's language cookie (their choice on the
    /// sign-in page), then the first of ours `Accept-Language` names, then `preferred` (e.g. the
    /// municipality's language), then English.
    public func language(_ request: Request, preferred: Language?) -> Language {
        if let asked = request.uri.queryParameters["lang"].flatMap({ Language(rawValue: String($0)) }) {
            return asked
        }
        if let chosen = request.cookies[settings.languageCookieName].flatMap({ Language(rawValue: $0.value) }) {
            return chosen
        }
        if let header = request.headers[.acceptLanguage], Self.namesOurs(header) {
            return PageSessionMiddleware.language(acceptLanguage: header)
        }
        return preferred ?? .fallback
    }

    /// Whether an `Accept-Language` header names one of the four languages at all.
    static func namesOurs(_ header: String) -> Bool {
        header.split(separator: ",").contains { item in
            let tag = item.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            return Language(rawValue: String(tag.split(separator: "-").first ?? "")) != nil
        }
    }
}
