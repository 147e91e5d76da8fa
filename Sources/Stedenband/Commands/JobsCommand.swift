import ArgumentParser
import Foundation
import Logging
import Messaging
import Migrations
import Postgres
import RequestTracing

/// `stedenband jobs …`: the queue, for operators.
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "Inspect the job queue, retry discarded jobs, cancel waiting ones.",
        subcommands: [Stats.self, List.self, Retry.self, Cancel.self]
    )

    struct Options: ParsableArguments {
        @Flag(help: "Print JSON instead of text.")
        var json = false

        func withQueue<Result>(_ body: (PostgresJobQueue, PostgresConnection) async throws -> Result) async throws
            -> Result
        {
            try await withQueueAndLogins { queue, connection, _, _ in try await body(queue, connection) }
        }

        /// Like ``withQueue(_:)``, with the logins and the logger for more than the queue.
        func withQueueAndLogins<Result>(
            _ body: (PostgresJobQueue, PostgresConnection, DatabaseLogins, Logger) async throws -> Result
        ) async throws -> Result {
            let logger = LogSetup.bootstrap(defaultLevel: .warning)
            // An operator's command: the migration login, switched to the app role like the server's own.
            return try await DatabaseAccess(logger: logger).withDatabase { logins in
                let connection = try await PostgresConnection.connect(
                    to: logins.migration.withSessionSetting("role", MigrationRunner.appRole),
                    logger: logger
                )
                do {
                    let result = try await body(PostgresJobQueue(), connection, logins, logger)
                    await connection.close()
                    return result
                } catch {
                    await connection.close()
                    throw error
                }
            }
        }
    }

    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Counts by state and kind, and the age of the oldest job waiting to run."
        )

        @OptionGroup var options: Options

        func run() async throws {
            let (stats, events) = try await options.withQueueAndLogins {
                queue, connection, logins, logger -> (JobStats, EventCursorStats?) in
                let stats = try await queue.stats(on: connection)
                // Events no longer wait as jobs (docs/queue.md, "Event cursors"): an operator looking here is
                // pointed at their figures. Failing to read them leaves the jobs' figures standing.
                do {
                    return (stats, try await EventsCommand.stats(login: logins.migration, logger: logger))
                } catch {
                    printError("stedenband jobs stats: the event deliveries' figures could not be read: \(error)")
                    return (stats, nil)
                }
            }
            if options.json {
                printJSON(StatsWithEvents(jobs: stats, events: events))
                return
            }
            let states = JobState.allCases.map(\.rawValue)
            printOutput(
                "kind".padding(toLength: 40, withPad: " ", startingAt: 0)
                    + states.map { $0.padding(toLength: 11, withPad: " ", startingAt: 0) }.joined()
            )
            for kind in stats.kinds {
                printOutput(
                    kind.kind.padding(toLength: 40, withPad: " ", startingAt: 0)
                        + states.map { String(kind.counts[$0] ?? 0).padding(toLength: 11, withPad: " ", startingAt: 0) }
                        .joined()
                )
            }
            printOutput(
                "total".padding(toLength: 40, withPad: " ", startingAt: 0)
                    + states.map { String(stats.totals[$0] ?? 0).padding(toLength: 11, withPad: " ", startingAt: 0) }
                    .joined()
            )
            printOutput("Oldest job waiting to run: \(String(format: "%.1f", stats.oldestAvailableAgeSeconds)) s")
            if let events {
                printOutput(
                    "Event deliveries: \(events.waiting) events waiting, \(events.retrying) retrying, \(events.dead) dead; "
                        + "see `stedenband events stats`")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List jobs, newest first.")

        @OptionGroup var options: Options

        @Option(help: "Only jobs in this state: available, running, completed, discarded, cancelled.")
        var state: String?

        @Option(help: "Only jobs of this kind.")
        var kind: String?

        @Option(help: "The most jobs to list.")
        var limit: Int = 50

        @Option(help: "Only jobs enqueued in this trace (its 32 hex digits, from a log line's trace_id), oldest first.")
        var trace: String?

        func validate() throws {
            if let trace, TraceParent.normalizedTraceID(trace) == nil {
                throw ValidationError("--trace must be a trace id: 32 hex digits, not all zeros")
            }
            if trace != nil, state != nil || kind != nil {
                throw ValidationError("--trace lists a trace's jobs whatever their state and kind")
            }
            if let state, JobState(rawValue: state) == nil {
                throw ValidationError(
                    "--state must be one of \(JobState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 10000") }
        }

        func run() async throws {
            let jobs = try await options.withQueue { queue, connection in
                if let trace = trace.flatMap(TraceParent.normalizedTraceID) {
                    return try await queue.list(traceID: trace, limit: limit, on: connection)
                }
                return try await queue.list(
                    state: state.flatMap(JobState.init), kind: kind, limit: limit, on: connection)
            }
            if options.json {
                printJSON(jobs)
                return
            }
            for job in jobs {
                let attempts = job.maxAttempts.map { "\(job.attempt)/\($0)" } ?? "\(job.attempt)"
                var line =
                    "\(job.id)\t\(job.kind)\t\(job.state.rawValue)\tattempt \(attempts)\trun at \(job.runAt.formatted(.iso8601))"
                if let last = job.errors.last { line += "\tlast error: \(last.error)" }
                printOutput(line)
            }
            if jobs.isEmpty { printOutput("No jobs.") }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Run a discarded or cancelled job again now (with a fresh set of attempts), or a scheduled one now."
        )

        @OptionGroup var options: Options

        @Argument(help: "The job's id.")
        var id: Int64

        func run() async throws {
            do {
                try await options.withQueue { queue, connection in
                    try await queue.retry(JobID(rawValue: id), on: connection)
                }
            } catch let refused as JobRetryRefused {
                try report(false, verb: "retried", options: options, id: id, reason: refused.description)
            }
            try report(true, verb: "retried", options: options, id: id)
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a waiting or running job.")

        @OptionGroup var options: Options

        @Argument(help: "The job's id.")
        var id: Int64

        func run() async throws {
            let done = try await options.withQueue { queue, connection in
                try await queue.cancel(JobID(rawValue: id), on: connection)
            }
            try report(done, verb: "cancelled", options: options, id: id)
        }
    }
}

/// `jobs stats --json`: the jobs' figures, and beside them the event deliveries' totals (`eventDeliveries`).
private struct StatsWithEvents: Encodable {
    struct EventTotals: Encodable {
        var waiting: Int
        var retrying: Int
        var dead: Int
    }

    enum CodingKeys: String, CodingKey { case eventDeliveries }

    var jobs: JobStats
    var events: EventCursorStats?

    func encode(to encoder: any Encoder) throws {
        try jobs.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(
            events.map { EventTotals(waiting: $0.waiting, retrying: $0.retrying, dead: $0.dead) },
            forKey: .eventDeliveries)
    }
}

/// Prints the outcome, and exits non-zero when the job was not changed; `reason` says why, when known.
private func report(_ done: Bool, verb: String, options: JobsCommand.Options, id: Int64, reason: String? = nil)
    throws
{
    let why = reason ?? "no such job in a state that allows it"
    if options.json {
        var fields = ["id": "\(id)", verb: done ? "true" : "false"]
        if !done { fields["reason"] = why }
        printJSON(fields)
    } else {
        printOutput(done ? "Job \(id) \(verb)." : "Job \(id) was not \(verb): \(why).")
    }
    if !done { throw ExitCode.failure }
}
