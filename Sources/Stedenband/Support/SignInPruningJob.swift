import Foundation
import Gateway
import Logging
import Messaging
import Postgres

/// The periodic job that deletes old sessions, sign-in links, OpenID sign-in attempts and invitations
/// (``SignInPruning``): every hour, one at a time across server processes (a unique job), without a
/// municipality (the SQL is the owner's, across all of them).
enum SignInPruningJob {
    /// The job kind the workers run.
    static func kind(_ pruning: SignInPruning, now: @escaping @Sendable () -> Date) -> JobKind {
        JobKind(name: SignInPruning.jobKind, maxAttempts: 3, timeout: .seconds(300)) { job in
            let outcome = try await job.pool.withTransaction { connection in
                try await pruning.prune(at: now(), on: connection)
            }
            job.logger.info(
                "old sign-in rows deleted",
                metadata: [
                    "prune.sessions": "\(outcome.sessions)", "prune.links": "\(outcome.links)",
                    "prune.attempts": "\(outcome.attempts)",
                    "prune.platform_sessions": "\(outcome.platformSessions)",
                    "prune.platform_links": "\(outcome.platformLinks)",
                    "prune.invitations": "\(outcome.invitations)",
                ])
        }
    }

    /// Its schedule.
    static let periodic = PeriodicJob(name: SignInPruning.jobKind, schedule: .every(SignInPruning.interval)) {
        try NewJob(kind: SignInPruning.jobKind, uniqueKey: SignInPruning.jobKind)
    }
}
