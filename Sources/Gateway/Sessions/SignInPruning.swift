import Foundation
import Postgres

/// Deletes old sign-in rows: sessions (a municipality's people's and platform administrators')
/// ``sessionRetention`` after they ended (so the settings page's history and an investigation of a recent
/// sign-in still have them); mailed links (both kinds), OpenID sign-in attempts and invitations
/// ``linkRetention`` after they were used, accepted or lapsed (a lapsed invitation of a person who never signed
/// in stays: it marks them invited). Run every hour by the server's periodic job (``jobKind``); the SQL is the
/// owner-run `platform.prune_sign_ins` (migrations 0024 and 0027), which alone may delete across
/// municipalities.
public struct SignInPruning: Sendable, Equatable {
    /// How long a session's row stays after it ended (`SESSION_RETENTION`, seconds).
    public var sessionRetention = defaultSessionRetention
    /// How long a link's or an attempt's row stays after it was used or lapsed (`SIGN_IN_RETENTION`, seconds).
    public var linkRetention = defaultLinkRetention
    /// The sessions' idle timeout: a session unused this long ended then.
    public var idleTimeout = SessionSettings.defaultIdleTimeout

    /// The default for sessions: 30 days.
    public static let defaultSessionRetention: Duration = .seconds(30 * 24 * 3600)
    /// The default for links and attempts: 1 day.
    public static let defaultLinkRetention: Duration = .seconds(24 * 3600)
    /// The periodic job's kind and unique key.
    public static let jobKind = "platform.prune_sign_ins"
    /// How often the job runs: every hour.
    public static let interval: TimeInterval = 3600

    /// The defaults.
    public init() {}

    /// The settings in `environment`, the sessions' idle timeout from `sessions`.
    /// - Throws: ``GatewaySettingError`` naming a value that cannot be used.
    public static func load(from environment: [String: String], sessions: SessionSettings) throws -> SignInPruning {
        var pruning = SignInPruning()
        func seconds(_ name: String, default value: Duration) throws -> Duration {
            guard let text = environment[name] else { return value }
            guard let number = Int(text.trimmingCharacters(in: .whitespaces)), number >= 0 else {
                throw GatewaySettingError(name: name, value: text, expected: "a whole number of seconds, 0 or more")
            }
            return .seconds(number)
        }
        pruning.sessionRetention = try seconds("SESSION_RETENTION", default: defaultSessionRetention)
        pruning.linkRetention = try seconds("SIGN_IN_RETENTION", default: defaultLinkRetention)
        pruning.idleTimeout = sessions.idleTimeout
        return pruning
    }

    /// What one run deleted.
    public struct Outcome: Sendable, Equatable {
        /// Sessions.
        public var sessions: Int
        /// Mailed sign-in links.
        public var links: Int
        /// OpenID sign-in attempts.
        public var attempts: Int
        /// Platform administrators' sessions.
        public var platformSessions: Int
        /// Platform administrators' mailed sign-in links.
        public var platformLinks: Int
        /// Invitations.
        public var invitations: Int

        /// An outcome.
        public init(
            sessions: Int, links: Int, attempts: Int, platformSessions: Int = 0, platformLinks: Int = 0,
            invitations: Int = 0
        ) {
            self.sessions = sessions
            self.links = links
            self.attempts = attempts
            self.platformSessions = platformSessions
            self.platformLinks = platformLinks
            self.invitations = invitations
        }
    }

    /// Deletes what is old as of `instant`, in the caller's transaction (any municipality, or none).
    @discardableResult
    public func prune(at instant: Date, on connection: PostgresConnection) async throws -> Outcome {
        let idle = Double(idleTimeout.components.seconds)
        let sessions = Double(sessionRetention.components.seconds)
        let links = Double(linkRetention.components.seconds)
        let rows = try await connection.query(
            """
            SELECT sessions, links, attempts, platform_sessions, platform_links, invitations
            FROM platform.prune_sign_ins(
                \(instant), make_interval(secs => \(idle)), make_interval(secs => \(sessions)),
                make_interval(secs => \(links)))
            """)
        let (gone, goneLinks, goneAttempts, platformSessions, platformLinks, invitations) = try rows[0].decode(
            (Int, Int, Int, Int, Int, Int).self)
        return Outcome(
            sessions: gone, links: goneLinks, attempts: goneAttempts, platformSessions: platformSessions,
            platformLinks: platformLinks, invitations: invitations)
    }
}
