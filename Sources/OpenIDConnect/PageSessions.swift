import Foundation
import Gateway
import Hummingbird
import Postgres

/// The sessions of the pages, for a person a provider verified: the browser's previous session ends, and
/// ``SessionStarter`` (the one way every sign-in ends, the mailed link's too) starts a new one with a new
/// secret, sets its cookie and answers 303 to `next` (a path on this site) or `/`.
///
/// The callback holds no request transaction while it calls the provider, so the session starts here in a
/// short transaction of its own, scoped to the person's municipality.
public struct PageSessions: OIDCSessionStarter {
    let pool: PostgresConnectionPool
    let starter: SessionStarter
    let settings: SessionSettings
    let now: @Sendable () -> Date

    /// The sessions of `environment`'s pages.
    public init(environment: GatewayEnvironment) {
        self.pool = environment.pool
        self.starter = SessionStarter(environment: environment)
        self.settings = environment.settings.sessions
        self.now = environment.now
    }

    public func startSession(
        for person: VerifiedPerson,
        request: Request,
        context: GatewayRequestContext
    ) async throws -> Response {
        if let old = request.cookies[settings.sessionCookieName].flatMap({ SessionSecret($0.value) }) {
            try await endSession(old)
        }
        return try await pool.withTransaction(tenantID: person.tenantID) { connection in
            var context = context
            context.connection = connection
            return try await starter.signIn(
                tenantID: person.tenantID, userID: person.userID, next: person.next, request: request,
                context: context)
        }
    }

    /// Ends the live session `secret` names, in its own municipality's transaction (it may be another's).
    private func endSession(_ secret: SessionSecret) async throws {
        let instant = now()
        let idleSeconds = Double(settings.idleTimeout.components.seconds)
        try await pool.withTransaction { connection in
            let rows = try await connection.query(
                """
                SELECT session_id FROM platform.authenticate_session(
                    decode(\(secret.hashHex), 'hex'), \(instant), make_interval(secs => \(idleSeconds)))
                """)
            if let id = try rows.first?.decode(UUID.self, column: 0) {
                try await SessionStore.end(id, at: instant, on: connection)
            }
        }
    }
}
