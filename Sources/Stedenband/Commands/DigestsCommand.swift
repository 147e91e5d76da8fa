import ArgumentParser
import Foundation
import Logging
import Migrations
import Notifications
import Postgres

/// `stedenband digests run --at <instant>`: the digest scheduler, run as if at that instant.
struct DigestsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digests",
        abstract: "Operate the notification digests.",
        subcommands: [Run.self]
    )

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Claim the digests due at an instant and queue their delivery.",
            discussion: """
                The workers of a running `stedenband serve` or `stedenband worker` send them. Running it twice \
                for the same instant claims nothing more: each (user, window) is claimed once.
                """
        )

        @Option(help: "The instant, in RFC 3339 (2020-04-02T07:00:00Z); now by default.")
        var at: String?

        @Flag(help: "Print the outcome as JSON.")
        var json = false

        @Option(help: "A folder of migration files to use instead of the built-in ones (env STEDENBAND_MIGRATIONS).")
        var migrations: String?

        func run() async throws {
            let instant: Date
            if let at {
                guard let parsed = Self.parse(at) else {
                    throw ValidationError("--at must be an RFC 3339 instant such as 2020-04-02T07:00:00Z")
                }
                instant = parsed
            } else {
                instant = Date()
            }
            let logger = LogSetup.bootstrap(defaultLevel: .warning)
            try await DatabaseAccess(logger: logger).withDatabase { logins in
                let assembly = try ServerAssembly(
                    server: try await logins.server(),
                    migrations: try MigrationSet.resolve(directory: migrations),
                    poolSize: 2,
                    logger: logger
                )
                let outcome = try await assembly.closingPool {
                    try await NotificationsService(pool: assembly.pool, queue: assembly.queue, logger: logger)
                        .scheduleDigests(at: instant)
                }
                if json {
                    printOutput(#"{"digests": \#(outcome.digests), "emptyWindows": \#(outcome.emptyWindows)}"#)
                } else {
                    printOutput(
                        "Claimed \(outcome.digests) digest(s) due at \(instant.formatted(.iso8601)); "
                            + "\(outcome.emptyWindows) window(s) closed with nothing in them.")
                }
            }
        }

        static func parse(_ text: String) -> Date? {
            let withFraction = ISO8601DateFormatter()
            withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            let plain = ISO8601DateFormatter()
            plain.formatOptions = [.withInternetDateTime]
            return plain.date(from: text) ?? withFraction.date(from: text)
        }
    }
}
