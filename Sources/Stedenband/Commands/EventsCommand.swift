import ArgumentParser
import Foundation
import Kernel
import Logging
import Messaging
import Migrations
import Postgres

/// `stedenband events …`: the queued subscribers' event cursors and dead letter, for operators (docs/queue.md,
/// "Event cursors", "For operators").
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Inspect the event deliveries: how far each subscriber lags, its dead events; deliver them again.",
        subcommands: [Stats.self, Dead.self, Redeliver.self]
    )

    struct Options: ParsableArguments {
        @Flag(help: "Print JSON instead of text.")
        var json = false
    }

    // Which login. An operator's command reads like `jobs`: the migration login, switched to the app role like
    // the server's own. 0037 gives the cursors and the dead letter to the owner alone (its policies name only
    // stedenband_owner, and the app role has no grant on them), so reading them as the app role goes through
    // migration 0041's SECURITY DEFINER functions, as `jobs` goes through 0016's; no command runs as the owner.
    // `redeliver` runs a plugin's handler, so it takes the server's login (DATABASE_URL), as the other commands
    // that run the plugins do (`diagnostics probe`, `reporting rebuild`): the handler runs exactly as in
    // `worker`, as stedenband_app with row-level security scoped to the event's municipality.

    /// Runs `body` with the installed plugins' subscriptions and a pool on `login`, switched to the app role.
    static func withSubscriptions<Result>(
        login: PostgresConfiguration, logger: Logger,
        _ body: (EventSubscriptions, PostgresConnectionPool) async throws -> Result
    ) async throws -> Result {
        // The plugins register as in `serve`, which is how their subscribers become known; the assembly
        // switches its pool to the app role. No readiness is served, so no migration files are read.
        let assembly = try ServerAssembly(
            server: login, migrations: MigrationSet(migrations: []), poolSize: 2, logger: logger)
        return try await assembly.closingPool {
            try await body(assembly.kernel.bus.subscriptions, assembly.pool)
        }
    }

    /// The figures of every installed subscriber (and any other with a cursor or dead events), read on
    /// `login` switched to the app role.
    static func stats(login: PostgresConfiguration, logger: Logger) async throws -> EventCursorStats {
        try await withSubscriptions(login: login, logger: logger) { subscriptions, pool in
            try await pool.withConnection { connection in
                try await EventCursorStats.load(
                    subscribers: subscriptions.queuedSubscriberNames, at: Date(), on: connection)
            }
        }
    }

    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Per subscriber: events waiting and the oldest one's age, cursors waiting to retry, dead events.",
            discussion: """
                "waiting" counts the events a subscriber's cursors have yet to pass, over every municipality (one \
                where it has no cursor yet counts from where its cursor will start); events it does not hear count \
                too, since its cursor passes them. "retrying" counts the municipalities where a failed event \
                holds the subscriber back until its next retry.
                """
        )

        @OptionGroup var options: Options

        func run() async throws {
            let logger = LogSetup.bootstrap(defaultLevel: .warning)
            let stats = try await DatabaseAccess(logger: logger).withDatabase { logins in
                try await EventsCommand.stats(login: logins.migration, logger: logger)
            }
            if options.json {
                printJSON(stats)
                return
            }
            func column(_ text: String, _ width: Int) -> String {
                text.padding(toLength: max(width, text.count + 1), withPad: " ", startingAt: 0)
            }
            printOutput(
                column("subscriber", 36) + column("waiting", 10) + column("oldest", 12) + column("retrying", 10)
                    + column("next retry", 22) + "dead")
            for figures in stats.subscribers {
                let oldest = figures.waiting == 0 ? "-" : String(format: "%.1f s", figures.oldestWaitingAgeSeconds)
                printOutput(
                    column(figures.subscriber, 36) + column("\(figures.waiting)", 10) + column(oldest, 12)
                        + column("\(figures.retrying)", 10)
                        + column(figures.nextRetryAt.map { $0.formatted(.iso8601) } ?? "-", 22) + "\(figures.dead)")
            }
            printOutput(
                column("total", 36) + column("\(stats.waiting)", 10) + column("", 12) + column("\(stats.retrying)", 10)
                    + column("", 22) + "\(stats.dead)")
        }
    }

    struct Dead: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the dead events (they failed their last attempt), newest first, with the last error."
        )

        @OptionGroup var options: Options

        @Option(help: "Only this subscriber's dead events.")
        var subscriber: String?

        @Option(help: "The most dead events to list.")
        var limit: Int = 50

        func validate() throws {
            guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 10000") }
        }

        func run() async throws {
            let logger = LogSetup.bootstrap(defaultLevel: .warning)
            // Only 0041's functions, as the app role (see "Which login" above); listing needs no plugin.
            let dead = try await DatabaseAccess(logger: logger).withDatabase { logins in
                try await PostgresConnection.withConnection(
                    to: logins.migration.withSessionSetting("role", MigrationRunner.appRole), logger: logger
                ) { connection in
                    try await DeadEvent.list(subscriber: subscriber, limit: limit, on: connection)
                }
            }
            if options.json {
                printJSON(dead)
                return
            }
            for event in dead {
                var line =
                    "\(event.diedAt.formatted(.iso8601))\t\(event.subscriber)\t\(event.tenantSlug)"
                    + "\t\(event.eventID.uuidString.lowercased())\t\(event.eventName ?? "?")"
                    + "\tattempts \(event.errors.count)"
                if let last = event.lastError { line += "\tlast error: \(oneLine(last))" }
                printOutput(line)
            }
            if dead.isEmpty { printOutput("No dead events.") }
        }
    }

    struct Redeliver: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Deliver dead events to their subscriber again, once the cause of their failure is fixed.",
            discussion: """
                Each event is delivered in a transaction of its own, scoped to its municipality, through the \
                subscriber's own handler; when the handler succeeds the dead event is removed in the same \
                transaction. A failure keeps the dead event, adds the error to its errors, and the command exits \
                non-zero (with --all, after trying the others).
                """
        )

        @OptionGroup var options: Options

        @Option(help: "The subscriber, as `events stats` and `events dead` name it.")
        var subscriber: String

        @Option(help: "The dead event's id.")
        var event: String?

        @Flag(help: "Every dead event of the subscriber, in the order they were published.")
        var all = false

        func validate() throws {
            guard (event != nil) != all else { throw ValidationError("give either --event ID or --all") }
            if let event, UUID(uuidString: event) == nil {
                throw ValidationError("--event must be an event id (a UUID): \(event)")
            }
        }

        func run() async throws {
            let logger = LogSetup.bootstrap(defaultLevel: .warning)
            let outcome = try await DatabaseAccess(logger: logger).withDatabase { logins in
                try await EventsCommand.withSubscriptions(login: try await logins.server(), logger: logger) {
                    subscriptions, pool in
                    try await redeliver(with: DeadEvents(subscriptions: subscriptions, pool: pool, logger: logger))
                }
            }
            switch outcome {
            case .failure(let refusal):
                printError("stedenband events redeliver: \(refusal)")
                throw ExitCode.failure
            case .success(let done):
                if options.json {
                    printJSON(done)
                } else if done.isEmpty {
                    printOutput("\(subscriber) has no dead events.")
                }
                if done.contains(where: { !$0.delivered }) { throw ExitCode.failure }
            }
        }

        /// Redelivers the event or all of them, printing each outcome as it comes unless JSON is asked for.
        private func redeliver(with deadEvents: DeadEvents) async throws
            -> Result<[DeadEvents.Redelivery], DeadEvents.Refusal>
        {
            do {
                let ids =
                    if all {
                        try await deadEvents.deadEventIDs(of: subscriber)
                    } else {
                        event.flatMap(UUID.init(uuidString:)).map { [$0] } ?? []
                    }
                var done: [DeadEvents.Redelivery] = []
                for id in ids {
                    let redelivery = try await deadEvents.redeliver(id, to: subscriber)
                    done.append(redelivery)
                    if !options.json { show(redelivery) }
                }
                return .success(done)
            } catch let refusal as DeadEvents.Refusal {
                return .failure(refusal)
            }
        }

        private func show(_ redelivery: DeadEvents.Redelivery) {
            let event = "\(redelivery.eventID.uuidString.lowercased()) (\(redelivery.eventName))"
            if redelivery.delivered {
                printOutput("Delivered \(event) to \(redelivery.subscriber).")
            } else {
                printOutput(
                    "Not delivered \(event) to \(redelivery.subscriber); it stays dead: \(oneLine(redelivery.error ?? ""))"
                )
            }
        }
    }
}

/// An error on one line of a listing: an error's description can quote a statement over several lines.
private func oneLine(_ text: String) -> String {
    text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
}
