import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Vocabulary

/// `GET /sign-in/oidc/{tenant-slug}` (off to the municipality's provider) and
/// `GET /sign-in/oidc/{tenant-slug}/callback` (back from it: a session starts, or a page says why not).
public struct OIDCSignInController: Sendable {
    let signIn: OIDCSignIn
    let sessions: any OIDCSessionStarter

    /// The controller; `sessions` starts the session of a verified person.
    public init(signIn: OIDCSignIn, sessions: any OIDCSessionStarter) {
        self.signIn = signIn
        self.sessions = sessions
    }

    /// The two routes.
    public var routes: RouteCollection<GatewayRequestContext> {
        let routes = RouteCollection(context: GatewayRequestContext.self)
        routes.get("sign-in/oidc/:slug") { request, context in try await start(request, context) }
        routes.get("sign-in/oidc/:slug/callback") { request, context in try await callback(request, context) }
        return routes
    }

    /// The cookie that ties the callback to the browser that started the sign-in; `__Host-` prefixed when
    /// `PUBLIC_URL` is https.
    public var cookieName: String { signIn.settings.isSecure ? "__Host-stedenband_oidc" : "stedenband_oidc" }

    func start(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let slug = try context.parameters.require("slug")
        guard Self.isPlausibleSlug(slug) else {
            return failurePage(
                OIDCFailure(.notConfigured, "no municipality can have the slug \(slug.prefix(80))"), request, context,
                locale: nil, setsCookies: false)
        }
        let next = request.uri.queryParameters["next"].map(String.init)
        let started: OIDCSignIn.Start
        do {
            started = try await signIn.start(slug: slug, next: next)
        } catch let failure as OIDCFailure {
            return failurePage(
                failure, request, context, slug: slug, locale: await signIn.locale(slug: slug), setsCookies: false)
        }
        context.logger.info("sign-in sent to the municipality's provider", metadata: ["oidc.tenant": "\(slug)"])
        var response = Response(
            status: .seeOther, headers: [.location: started.location, .cacheControl: "no-store"])
        response.setCookie(stateCookie(started.state, maxAge: Int(signIn.settings.attemptLifetime.components.seconds)))
        return response
    }

    func callback(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let slug = try context.parameters.require("slug")
        let query = request.uri.queryParameters
        let callback = OIDCSignIn.Callback(
            code: query["code"].map(String.init), state: query["state"].map(String.init),
            error: query["error"].map(String.init), cookieState: request.cookies[cookieName]?.value)
        var response: Response
        do {
            guard Self.isPlausibleSlug(slug) else {
                throw OIDCFailure(.notConfigured, "no municipality can have the slug \(slug.prefix(80))")
            }
            let person = try await signIn.finish(slug: slug, callback: callback)
            context.logger.info(
                "signed in through the municipality's provider",
                metadata: ["oidc.tenant": "\(slug)", "user.id": "\(person.userID.uuidString.lowercased())"])
            response = try await sessions.startSession(for: person, request: request, context: context)
        } catch let failure as OIDCFailure {
            let locale = Self.isPlausibleSlug(slug) ? await signIn.locale(slug: slug) : nil
            response = failurePage(failure, request, context, slug: slug, locale: locale)
        }
        // The attempt is over, whatever its outcome: the cookie goes.
        response.setCookie(stateCookie("", maxAge: 0))
        return response
    }

    private func stateCookie(_ value: String, maxAge: Int) -> Cookie {
        Cookie(
            name: cookieName, value: value, maxAge: maxAge, path: "/", secure: signIn.settings.isSecure,
            httpOnly: true, sameSite: .lax)
    }

    /// The page of a failed sign-in, inside the layout, logged with its reason: the person reads only what
    /// happened and what to do, in their language; the reason (never a token or secret) goes to the log.
    /// A sign-in that could not start sets no cookie at all (`setsCookies`).
    private func failurePage(
        _ failure: OIDCFailure,
        _ request: Request,
        _ context: GatewayRequestContext,
        slug: String? = nil,
        locale: String?,
        setsCookies: Bool = true
    ) -> Response {
        context.logger.notice(
            "sign-in through the municipality's provider refused",
            metadata: [
                "oidc.tenant": "\(slug?.prefix(80) ?? "")", "oidc.reason": "\(failure.reason)",
                "http.status": "\(failure.status.code)",
            ])
        let page = VisitorPage(publicURL: signIn.settings.publicURL)
        let language = page.language(request, preferred: locale.flatMap(Language.init(rawValue:)))
        let words = OIDCPageWords.of(failure.kind, in: language)
        var response = page.message(
            heading: words.title, paragraphs: [words.explanation], link: ("/sign-in", words.back),
            status: failure.status, language: language, setsTokenCookie: setsCookies, request: request,
            context: context)
        response.headers[.contentSecurityPolicy] = PageSecurityPolicy.pages.description
        return response
    }

    /// Whether `slug` could be a municipality's (`platform.tenants.slug`'s check): no query otherwise.
    static func isPlausibleSlug(_ slug: String) -> Bool {
        (1...63).contains(slug.utf8.count)
            && slug.utf8.allSatisfy {
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "-")
            }
    }
}
