import Foundation
import Logging
import Messaging
import Postgres

/// Claims the digests that are due: for each user whose send time has come, one digest over the window
/// that closed at that send time, holding every inbox row not yet in a digest that happened before it.
///
/// The window's end is the scheduled send time, not the moment the scheduler ran, so every process and
/// every retry computes the same window, and the unique (user, window start) lets only one of them claim
/// it. A run for an instant already handled finds nobody due and sends nothing.
struct DigestScheduler: Sendable {
    static let deliverJobKind = "notifications.deliver_digest"

    let pool: PostgresConnectionPool
    let queue: PostgresJobQueue
    let logger: Logger
    /// Users claimed per transaction.
    var batchSize = 1_000

    struct Outcome: Sendable, Equatable {
        /// Digests claimed and handed to the delivery jobs.
        var digests = 0
        /// Users whose window closed with nothing in it.
        var emptyWindows = 0
    }

    /// Claims everything due at `now`.
    @discardableResult
    func run(at now: Date) async throws -> Outcome {
        let tenants = try await pool.withConnection { connection in
            try await NotificationsRepository.dueTenants(at: now, on: connection)
        }
        var outcome = Outcome()
        for tenant in tenants {
            while true {
                let batch = try await pool.withTransaction(tenantID: tenant) { connection in
                    try await claim(tenant: tenant, at: now, on: connection)
                }
                outcome.digests += batch.digests
                outcome.emptyWindows += batch.emptyWindows
                if batch.digests + batch.emptyWindows < batchSize { break }
            }
        }
        if outcome.digests > 0 {
            logger.info(
                "digests claimed", metadata: ["digests": "\(outcome.digests)", "at": "\(now.formatted(.iso8601))"])
        }
        return outcome
    }

    private func claim(tenant: UUID, at now: Date, on connection: PostgresConnection) async throws -> Outcome {
        let due = try await NotificationsRepository.dueSettings(at: now, limit: batchSize, on: connection)
        guard !due.isEmpty else { return Outcome() }
        var users: [UUID] = []
        var starts: [Date] = []
        var ends: [Date] = []
        var nextDue: [String] = []
        var frequencies: [String] = []
        var locales: [String] = []
        for (user, start, dueAt, frequency, hour, weekday, zone, locale) in due {
            let schedule = DigestSchedule(
                frequency: DigestSchedule.Frequency(rawValue: frequency) ?? .daily, hour: hour, weekday: weekday,
                timeZone: TimeZone(identifier: zone) ?? .gmt)
            let end = max(schedule.lastSend(atOrBefore: now, notBefore: dueAt) ?? dueAt, start.addingTimeInterval(1))
            users.append(user)
            starts.append(start)
            ends.append(end)
            nextDue.append(schedule.nextSend(after: end)?.postgresTimestamp ?? "")
            frequencies.append(frequency)
            locales.append(locale)
        }
        let ids = users.map { _ in UUID.timeOrdered(at: now) }
        // A digest only for windows with something in them; a window another process claimed is skipped.
        let claimed = try await NotificationsRepository.openDigests(
            ids: ids, users: users, starts: starts, ends: ends, frequencies: frequencies, locales: locales,
            tenantID: tenant, now: now, on: connection)
        var statements: [PostgresQuery] = [
            NotificationsRepository.advanceWindows(users: users, ends: ends, nextDue: nextDue)
        ]
        guard !claimed.isEmpty else {
            try await connection.pipeline(statements)
            return Outcome(emptyWindows: users.count)
        }
        statements.append(NotificationsRepository.fillDigests(claimed))
        statements.append(NotificationsRepository.digestTraces(claimed))
        // Each delivery runs in the trace of the newest traced event its digest carries, so the mail's lines
        // can be found from the request that caused it.
        var traces: [UUID: String] = [:]
        for row in try await connection.pipeline(statements)[2] {
            let (digest, trace) = try row.decode((UUID, String).self)
            traces[digest] = trace
        }
        let jobs = try claimed.map {
            var job = try NewJob(
                kind: Self.deliverJobKind, args: DeliverDigest(digestId: $0), tenantID: tenant,
                uniqueKey: "digest:\($0.uuidString.lowercased())")
            job.traceParent = traces[$0]
            return job
        }
        try await connection.query(queue.enqueueQuery(jobs))
        await connection.afterCommit(PostgresJobQueue.notifyQuery)
        return Outcome(digests: claimed.count, emptyWindows: users.count - claimed.count)
    }
}

extension Date {
    /// The instant as timestamptz text, to the microsecond, for arrays of timestamps.
    var postgresTimestamp: String {
        formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

/// The delivery job's arguments.
struct DeliverDigest: Codable, Sendable {
    var digestId: UUID
}
