import Foundation
import Hummingbird
import Logging

/// Starts a browser session once a person has proved who they are, by a mailed link or (another lane) their
/// municipality's identity provider: the one way a sign-in ends, so every sign-in gets a new secret, ends the
/// browser's previous session, sets the same cookie and goes to a path on this site only.
public struct SessionStarter: Sendable {
    let settings: SessionSettings
    let now: @Sendable () -> Date

    /// A starter with the environment's session settings and clock.
    public init(environment: GatewayEnvironment) {
        self.settings = environment.settings.sessions
        self.now = environment.now
    }

    /// Signs the person in, in the request's transaction (which must be scoped to `tenantID`), and answers 303 to
    /// `next` when it is a path on this site, else to `/`, with the new session's cookie.
    public func signIn(
        tenantID: UUID, userID: UUID, next: String?, request: Request, context: GatewayRequestContext
    ) async throws -> Response {
        let connection = try context.requireConnection()
        let instant = now()
        if let old = context.page?.person?.sessionID {
            try await SessionStore.end(old, at: instant, on: connection)
        }
        let session = try await SessionStore.start(
            tenantID: tenantID, userID: userID, at: instant, settings: settings,
            userAgent: request.headers[.userAgent] ?? "", clientAddress: context.clientAddress.map { "\($0)" } ?? "",
            on: connection)
        context.logger.info("signed in", metadata: ["user.id": "\(userID.uuidString.lowercased())"])
        var response = PageRedirect.seeOther(PageRedirect.sitePath(next) ?? "/")
        response.setCookie(
            PageCookies.cookie(
                settings.sessionCookieName, session.value, settings: settings,
                maxAge: Int(settings.maximumAge.components.seconds)))
        return response
    }
}
