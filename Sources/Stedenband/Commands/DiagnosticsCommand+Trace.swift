import ArgumentParser
import Foundation
import Logging
import Messaging
import Migrations
import Notifications
import Postgres
import RequestTracing

extension DiagnosticsCommand {
    /// `stedenband diagnostics trace ID`: the chain one trace caused (docs/logs-and-traces.md).
    struct Trace: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Show what one trace caused: its events, the jobs they caused, and the digests that carried them.",
            discussion: """
                The trace id is the 32 hex digits of a `traceparent` header, or a log line's `trace_id`. \
                Completed jobs are pruned after a while; the events and digests stay.
                """
        )

        @Argument(help: "The trace id (32 hex digits).")
        var id: String

        @Flag(help: "Print JSON instead of text.")
        var json = false

        func validate() throws {
            guard TraceParent.normalizedTraceID(id) != nil else {
                throw ValidationError("the trace id must be 32 hex digits, not all zeros")
            }
        }

        func run() async throws {
            let traceID = TraceParent.normalizedTraceID(id) ?? id
            let logger = LogSetup.bootstrap(defaultLevel: .warning)
            let chain = try await DatabaseAccess(logger: logger).withDatabase { logins in
                // An operator's command: the migration login, switched to the app role like the server's own.
                let connection = try await PostgresConnection.connect(
                    to: logins.migration.withSessionSetting("role", MigrationRunner.appRole), logger: logger)
                do {
                    let chain = try await TraceChain.read(traceID: traceID, on: connection)
                    await connection.close()
                    return chain
                } catch {
                    await connection.close()
                    throw error
                }
            }
            if json {
                printJSON(chain)
            } else {
                chain.printText()
            }
            if chain.events.isEmpty && chain.jobs.isEmpty {
                printError("stedenband diagnostics trace: nothing was published or enqueued in trace \(traceID)")
                throw ExitCode.failure
            }
        }
    }
}

/// One trace's chain: events, jobs, digests; ids in lower case.
struct TraceChain: Encodable {
    struct Event: Encodable {
        var id: String
        var tenantId: String
        var name: String
        var occurredAt: Date
        var actor: String?
        var traceParent: String
    }

    struct Job: Encodable {
        var id: Int64
        var kind: String
        var tenantId: String?
        var state: String
        var attempt: Int
        var maxAttempts: Int?
        var createdAt: Date
        var finishedAt: Date?
        var lastError: String?
        var traceParent: String?
    }

    struct Digest: Encodable {
        var id: String
        var tenantId: String
        var userId: String
        var status: String
        var channels: [String]
        var sentAt: Date?
        var error: String?
        var tracedItems: Int
    }

    var traceId: String
    var events: [Event]
    var jobs: [Job]
    var digests: [Digest]
    /// Inbox lines of the trace's events that no digest carried yet.
    var waitingDigestItems: Int

    static func read(traceID: String, on connection: PostgresConnection) async throws -> TraceChain {
        let events = try await TracedEvent.list(traceID: traceID, on: connection)
        let jobs = try await PostgresJobQueue().list(traceID: traceID, on: connection)
        var digests: [Digest] = []
        var waiting = 0
        var tenants: [UUID] = []
        for event in events where !tenants.contains(event.tenantID) { tenants.append(event.tenantID) }
        for tenant in tenants {
            let found = try await NotificationsPlugin.digests(traceID: traceID, tenantID: tenant, on: connection)
            waiting += found.waiting
            digests += found.digests.map {
                Digest(
                    id: $0.id.uuidString.lowercased(), tenantId: tenant.uuidString.lowercased(),
                    userId: $0.userID.uuidString.lowercased(), status: $0.status, channels: $0.channels,
                    sentAt: $0.sentAt, error: $0.error, tracedItems: $0.tracedItems)
            }
        }
        return TraceChain(
            traceId: traceID,
            events: events.map {
                Event(
                    id: $0.id.uuidString.lowercased(), tenantId: $0.tenantID.uuidString.lowercased(), name: $0.name,
                    occurredAt: $0.occurredAt, actor: $0.actor?.lowercased(), traceParent: $0.traceParent)
            },
            jobs: jobs.map {
                Job(
                    id: $0.id.rawValue, kind: $0.kind, tenantId: $0.tenantID?.uuidString.lowercased(),
                    state: $0.state.rawValue, attempt: $0.attempt, maxAttempts: $0.maxAttempts,
                    createdAt: $0.createdAt, finishedAt: $0.finishedAt, lastError: $0.errors.last?.error,
                    traceParent: $0.traceParent)
            },
            digests: digests,
            waitingDigestItems: waiting)
    }

    func printText() {
        printOutput("Trace \(traceId)")
        printOutput("Events (\(events.count)):")
        for event in events {
            printOutput(
                "  \(event.occurredAt.formatted(.iso8601))  \(event.name)  event \(event.id)  tenant \(event.tenantId)"
                    + (event.actor.map { "  by \($0)" } ?? ""))
        }
        printOutput("Jobs (\(jobs.count)):")
        for job in jobs {
            let attempts = job.maxAttempts.map { "\(job.attempt)/\($0)" } ?? "\(job.attempt)"
            printOutput(
                "  \(job.id)  \(job.kind)  \(job.state)  attempt \(attempts)"
                    + (job.lastError.map { "  last error: \($0)" } ?? ""))
        }
        printOutput("Digests (\(digests.count)):")
        for digest in digests {
            let channels = digest.channels.isEmpty ? "no channel" : digest.channels.joined(separator: ", ")
            printOutput(
                "  \(digest.id)  \(digest.status)  \(channels)  to user \(digest.userId)"
                    + (digest.sentAt.map { "  sent \($0.formatted(.iso8601))" } ?? "")
                    + "  (\(digest.tracedItems) line(s) of this trace)"
                    + (digest.error.map { "  error: \($0)" } ?? ""))
        }
        if waitingDigestItems > 0 {
            printOutput("\(waitingDigestItems) digest line(s) of this trace wait for their digest.")
        }
    }
}
