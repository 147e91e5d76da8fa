import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Postgres
import Vocabulary

/// Platform administrators' sign-in: the same mailed, single-use link and the same session cookie as a
/// municipality's people, kept in tables of their own (`0023_platform_admin_sessions.sql`) because they belong
/// to no municipality. Their session turns `app.platform_admin` on as their API token does, and leaves the
/// transaction unscoped, so row-level security keeps every municipality's data from them.
///
/// The link's path is `/sign-in/platform/{secret}` (``PlatformPages`` serves it); `SignInLinks.issue` makes one
/// whenever the address is a platform administrator's, so `/sign-in` and `stedenband sign-in-link` find theirs.
enum PlatformAdminSignIn {
    /// The identity of a platform administrator's session: no municipality, as their token's.
    static func identity(_ id: UUID) -> Identity {
        Identity(tokenID: nil, tenantID: nil, userID: nil, platformAdminID: id, role: .platformAdmin)
    }

    /// The path prefix of a platform administrator's link.
    static let linkPath = "/sign-in/platform/"

    /// Makes a link for the active platform administrator with `email`, if there is one, in the caller's
    /// (unscoped) transaction.
    static func issue(
        for email: String, next: String?, at now: Date, settings: SessionSettings, on connection: PostgresConnection
    ) async throws -> [SignInLinks.Issued] {
        let secret = SessionSecret.generate()
        let expires = now.addingTimeInterval(TimeInterval(SessionSettings.linkLifetime.components.seconds))
        let rows = try await connection.query(
            """
            SELECT email, name FROM platform.issue_platform_admin_sign_in_link(
                \(email.trimmingCharacters(in: .whitespaces)), decode(\(secret.hashHex), 'hex'),
                \(PageRedirect.sitePath(next)), \(now), \(expires))
            """)
        return try rows.map { row in
            let (stored, name) = try row.decode((String, String).self)
            return SignInLinks.Issued(
                email: stored, name: name, language: .fallback, municipality: "stedenband", sender: nil,
                url: "\(settings.publicURL)\(linkPath)\(secret.value)")
        }
    }

    /// What the link is now, without using it: `valid`, `used`, `expired`, or `nil` when unknown.
    static func state(of link: SessionSecret, at now: Date, on connection: PostgresConnection) async throws -> String? {
        let rows = try await connection.query(
            "SELECT state FROM platform.platform_admin_sign_in_link_state(decode(\(link.hashHex), 'hex'), \(now))")
        return try rows.first?.decode(String.self, column: 0)
    }

    /// Uses the link and starts a session with a new secret (ending the browser's previous one); answers 303 to
    /// the link's `next` or `/platform` with the session's cookie, or `nil` with the link's state when it cannot
    /// be used (`used`, `expired`; `nil` state: unknown).
    static func signIn(
        link: SessionSecret, request: Request, context: GatewayRequestContext, environment: GatewayEnvironment
    ) async throws -> (response: Response?, state: String?) {
        let settings = environment.settings.sessions
        let connection = try context.requireConnection()
        let instant = environment.now()
        let session = SessionSecret.generate()
        let expires = instant.addingTimeInterval(TimeInterval(settings.maximumAge.components.seconds))
        let rows = try await connection.query(
            """
            SELECT state, next_path FROM platform.redeem_platform_admin_sign_in_link(
                decode(\(link.hashHex), 'hex'), decode(\(session.hashHex), 'hex'), \(instant), \(expires),
                \(request.headers[.userAgent] ?? ""), \(context.clientAddress.map { "\($0)" } ?? ""))
            """)
        guard let row = rows.first else { return (nil, nil) }
        let (state, next) = try row.decode((String, String?).self)
        guard state == "valid" else { return (nil, state) }
        if let old = context.page?.person?.sessionID {
            try await SessionStore.end(old, at: instant, on: connection)
        }
        context.logger.info("platform administrator signed in")
        var response = PageRedirect.seeOther(PageRedirect.sitePath(next) ?? "/platform")
        response.setCookie(
            PageCookies.cookie(
                settings.sessionCookieName, session.value, settings: settings,
                maxAge: Int(settings.maximumAge.components.seconds)))
        return (response, state)
    }
}
