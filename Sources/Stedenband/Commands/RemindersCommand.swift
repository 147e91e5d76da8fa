import ArgumentParser
import Foundation
import Logging
import Migrations
import Notifications
import Postgres

/// `stedenband reminders run --at <instant>`: the reminder scan, run as if at that instant.
struct RemindersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reminders",
        abstract: "Operate the reminders of quiet partnerships and ending periods.",
        subcommands: [Run.self]
    )

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make the reminders due at an instant: into digests, or queued as mails of their own.",
            discussion: """
                The workers of a running `stedenband serve` or `stedenband worker` send the mails. Running it \
                twice for the same instant makes nothing more: each (person, subject, window) is reminded once.
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
                guard let parsed = DigestsCommand.Run.parse(at) else {
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
                        .scheduleReminders(at: instant)
                }
                if json {
                    printOutput(#"{"digest": \#(outcome.digest), "mail": \#(outcome.mail)}"#)
                } else {
                    printOutput(
                        "Made \(outcome.digest + outcome.mail) reminder(s) due at \(instant.formatted(.iso8601)): "
                            + "\(outcome.digest) into digests, \(outcome.mail) by mail of their own.")
                }
            }
        }
    }
}
