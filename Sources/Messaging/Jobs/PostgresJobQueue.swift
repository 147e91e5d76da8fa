import Foundation
import Postgres
import RequestTracing

/// The job queue's SQL, run on connections the caller provides, so an enqueue joins the caller's
/// transaction (a rolled-back transaction enqueues nothing).
public struct PostgresJobQueue: Sendable {
    /// The clock every timestamp comes from.
    public let clock: any WallClock

    /// The channel workers listen on; a NOTIFY there (sent after commit) wakes them.
    public static let channel = "messaging_jobs"
    /// The default number of attempts before a job is discarded.
    public static let defaultMaxAttempts = 20
    /// The longest error text kept per attempt.
    static let maximumErrorLength = 2_000

    /// Makes the queue.
    public init(clock: any WallClock = SystemClock()) {
        self.clock = clock
    }

    /// Inserts jobs in one statement (duplicates of a unique job are skipped), and wakes the workers at commit.
    ///
    /// - Returns: The ids of the jobs inserted.
    @discardableResult
    public func enqueue(_ jobs: [NewJob], on connection: PostgresConnection) async throws -> [JobID] {
        guard !jobs.isEmpty else { return [] }
        let rows = try await connection.query(enqueueQuery(jobs))
        await connection.afterCommit(PostgresJobQueue.notifyQuery)
        return try rows.map { JobID(rawValue: try $0.decode(Int64.self, column: 0)) }
    }

    /// The insert statement for `jobs`, for callers that pipeline it with their own statements.
    public func enqueueQuery(_ jobs: [NewJob]) -> PostgresQuery {
        let now = clock.now()
        let kinds = jobs.map(\.kind)
        let tenants = jobs.map { $0.tenantID?.postgresText ?? "" }
        let args = jobs.map(\.args)
        let priorities = jobs.map(\.priority)
        let runAts = jobs.map { ($0.runAt ?? now).postgresText }
        let attempts = jobs.map { $0.maxAttempts.map(String.init) ?? "" }
        let uniqueKeys = jobs.map { $0.uniqueKey ?? "" }
        let traces = jobs.map { $0.traceParent ?? "" }
        return """
            INSERT INTO messaging.jobs (kind, tenant_id, args, priority, run_at, max_attempts, unique_key, created_at,
                                        trace_parent)
            SELECT k, nullif(t, '')::uuid, a::jsonb, p::smallint, r::timestamptz, nullif(m, '')::int, nullif(u, ''), \(now),
                   nullif(tp, '')
            FROM unnest(\(kinds)::text[], \(tenants)::text[], \(args)::text[], \(priorities)::int8[],
                        \(runAts)::text[], \(attempts)::text[], \(uniqueKeys)::text[], \(traces)::text[])
                AS job(k, t, a, p, r, m, u, tp)
            ON CONFLICT (unique_key) WHERE unique_key IS NOT NULL AND state IN ('available', 'running') DO NOTHING
            RETURNING id
            """
    }

    /// Wakes the workers. Sent after the enqueueing transaction has committed
    /// (`PostgresConnection.afterCommit`), never inside it: a NOTIFY in a transaction holds a database-wide
    /// lock until its commit reaches the disk, and would make every enqueueing transaction commit alone.
    public static let notifyQuery: PostgresQuery = "SELECT pg_notify(\(PostgresJobQueue.channel), '')"

    /// Where the previous claim stopped in the claim order (priority, run_at, id).
    ///
    /// Claimed jobs leave dead entries at the front of the claim index until VACUUM removes them, and a scan
    /// from the start walks all of them: under sustained load each claim would get slower than the last.
    /// Starting after the previous claim's last job skips them. A job that sorts before the cursor (a higher
    /// priority, a `run_at` in the past) is found by the next full scan, which the workers make whenever a
    /// claim comes back short and at least once per poll interval.
    public struct ClaimCursor: Sendable, Hashable {
        var priority: Int
        var runAt: Date
        var id: Int64
    }

    /// Claims up to `limit` due jobs of the given kinds, in (priority, run_at, id) order, skipping rows
    /// other workers hold, starting after `cursor` when given.
    ///
    /// - Returns: The jobs, and the cursor after the last of them.
    func claim(
        kinds: [String],
        limit: Int,
        worker: String,
        after cursor: ClaimCursor? = nil,
        on connection: PostgresConnection
    ) async throws -> (jobs: [ClaimedJob], cursor: ClaimCursor?) {
        let now = clock.now()
        // One statement claims the whole batch, inside messaging.claim_jobs (the app role cannot update jobs
        // itself: they belong to every tenant). The function walks the claim index whatever the statistics
        // say.
        let claim: PostgresQuery = """
            SELECT id, kind, tenant_id, args, attempt, max_attempts, run_at, priority, claim, trace_parent
            FROM messaging.claim_jobs(\(kinds)::text[], \(limit)::int, \(worker)::text,
                \(cursor?.priority ?? -1)::smallint, \(cursor?.runAt.postgresText ?? "-infinity")::timestamptz,
                \(cursor?.id ?? 0)::bigint, \(now)::timestamptz)
            """
        // The claim need not wait for its commit to reach the disk: if the server crashes first, the job is
        // simply available again. It cannot be lost while a handler's effect survives, because the handler's
        // synchronous commit flushes the write-ahead log, claim included. Enqueues and deliveries stay
        // synchronous. The setting ends with the transaction.
        let results = try await connection.pipeline([
            "BEGIN",
            "SET LOCAL synchronous_commit = off",
            claim,
            "COMMIT",
        ])
        let rows = results[2]
        var last: ClaimCursor?
        let jobs = try rows.map { row in
            let (id, kind, tenant, args, attempt, maxAttempts, runAt, priority, claim, trace) = try row.decode(
                (Int64, String, UUID?, String, Int, Int?, Date, Int, Int64, String?).self
            )
            let key = ClaimCursor(priority: priority, runAt: runAt, id: id)
            if let current = last {
                if (key.priority, key.runAt, key.id) > (current.priority, current.runAt, current.id) { last = key }
            } else {
                last = key
            }
            return ClaimedJob(
                id: JobID(rawValue: id),
                kind: kind,
                tenantID: tenant,
                args: args,
                attempt: attempt,
                maxAttempts: maxAttempts,
                runAt: runAt,
                claim: claim,
                traceParent: trace.flatMap(TraceParent.init(header:))
            )
        }
        return (jobs, last)
    }

    // Results are fenced on the claim. A worker whose heartbeats stalled may still be running a job that the
    // rescuer returned to the queue and another worker claimed again; its late completion, failure, release
    // or heartbeat must not touch the later claim's row. Each claim increments `claim`, and every function
    // below matches the claim the worker holds, not just `state = 'running'`.
    //
    // A job an operator cancelled while it ran stays `cancelled`, but its worker still holds the claim until
    // the attempt ends: heartbeats keep `heartbeat_at` fresh meanwhile, and the attempt's end clears it, so
    // `retry` can tell a cancelled job that still runs from one that stopped.
    //
    // The statements live in migrations/0016_messaging_jobs_row_security.sql: jobs belong to every tenant,
    // and the app role reaches them across tenants only through those SECURITY DEFINER functions.

    /// Marks claimed jobs completed, in one statement (a job cancelled meanwhile stays cancelled).
    func complete(_ claims: [JobClaim], on connection: PostgresConnection) async throws {
        guard !claims.isEmpty else { return }
        try await connection.query(
            """
            SELECT messaging.complete_jobs(\(claims.map { Int($0.id.rawValue) })::int8[],
                \(claims.map { Int($0.claim) })::int8[], \(clock.now())::timestamptz)
            """
        )
    }

    /// The statement that marks one claimed job completed, for handlers that complete inside their
    /// transaction; its one row holds 1, or 0 when the claim was lost (the job was rescued, and perhaps
    /// claimed again).
    func completeQuery(_ job: ClaimedJob) -> PostgresQuery {
        """
        SELECT messaging.complete_jobs(ARRAY[\(job.id.rawValue)]::int8[], ARRAY[\(job.claim)]::int8[],
            \(clock.now())::timestamptz)
        """
    }

    /// Records a failed attempt: back to `available` at `retryAt`, or `discarded` when `retryAt` is `nil`
    /// (a job cancelled meanwhile stays cancelled, with the error kept).
    func fail(_ job: ClaimedJob, error: String, retryAt: Date?, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            SELECT messaging.fail_job(\(job.id.rawValue), \(job.claim),
                \(String(error.prefix(Self.maximumErrorLength)))::text, \(retryAt)::timestamptz,
                \(clock.now())::timestamptz)
            """
        )
    }

    /// Refreshes the heartbeat of the jobs this worker holds, in one statement.
    ///
    /// - Returns: How many of them the worker still holds.
    @discardableResult
    func heartbeat(_ claims: [JobClaim], on connection: PostgresConnection) async throws -> Int {
        guard !claims.isEmpty else { return 0 }
        let rows = try await connection.query(
            """
            SELECT messaging.heartbeat_jobs(\(claims.map { Int($0.id.rawValue) })::int8[],
                \(claims.map { Int($0.claim) })::int8[], \(clock.now())::timestamptz)
            """
        )
        return try rows[0].decode(Int.self, column: 0)
    }

    /// Returns claimed jobs to the queue (graceful shutdown); `countAttempt: false` for jobs never started.
    func release(_ claims: [JobClaim], countAttempt: Bool, on connection: PostgresConnection) async throws {
        guard !claims.isEmpty else { return }
        try await connection.query(
            """
            SELECT messaging.release_jobs(\(claims.map { Int($0.id.rawValue) })::int8[],
                \(claims.map { Int($0.claim) })::int8[], \(countAttempt)::boolean, \(clock.now())::timestamptz)
            """
        )
    }

    /// Returns running jobs whose heartbeat is older than `staleAfter` to the queue (their worker died).
    /// A job rescued after its last attempt is discarded by the worker that claims it next, which knows its
    /// kind's limit.
    ///
    /// - Returns: How many it rescued.
    @discardableResult
    public func rescue(staleAfter: TimeInterval, on connection: PostgresConnection) async throws -> Int {
        let now = clock.now()
        let rows = try await connection.query(
            """
            SELECT messaging.rescue_jobs(\(now.addingTimeInterval(-staleAfter))::timestamptz, \(now)::timestamptz)
            """
        )
        return try rows[0].decode(Int.self, column: 0)
    }

    /// Deletes up to `limit` jobs that finished more than `retention` ago.
    ///
    /// - Returns: How many it deleted.
    @discardableResult
    public func clean(retention: TimeInterval, limit: Int = 10_000, on connection: PostgresConnection) async throws
        -> Int
    {
        let rows = try await connection.query(
            """
            SELECT messaging.clean_jobs(\(clock.now().addingTimeInterval(-retention))::timestamptz, \(limit)::int)
            """
        )
        return try rows[0].decode(Int.self, column: 0)
    }

    /// Cancels an available or running job (a running one finishes its attempt, but is not retried).
    ///
    /// - Returns: False when no such job is waiting or running.
    public func cancel(_ id: JobID, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query(
            "SELECT messaging.cancel_job(\(id.rawValue), \(clock.now())::timestamptz)"
        )
        return try rows[0].decode(Bool.self, column: 0)
    }

    /// Makes a discarded or cancelled job available now with a fresh set of attempts (its own `max_attempts`,
    /// or its kind's when it has none); an available job scheduled for later runs now.
    ///
    /// Completed jobs are not retried (their effects happened; enqueue a new job), nor running ones, nor a
    /// job cancelled while it ran until its worker has ended the attempt or stopped sending heartbeats for
    /// `staleAfter` seconds: it would be claimed again while the first attempt still runs. A job whose
    /// `unique_key` another waiting or running job holds is refused too.
    ///
    /// - Throws: ``JobRetryRefused`` saying why, or the database's error. A refusal for a duplicate that
    ///   raced this call is reported as ``JobRetryRefused``, but leaves a caller's transaction aborted.
    public func retry(
        _ id: JobID,
        staleAfter: TimeInterval = Double(JobRescuer.Configuration.defaultStaleAfter.components.seconds),
        on connection: PostgresConnection
    ) async throws {
        let now = clock.now()
        let stale = now.addingTimeInterval(-staleAfter)
        let retried: Int
        do {
            let rows = try await connection.query(
                "SELECT messaging.retry_job(\(id.rawValue), \(stale)::timestamptz, \(now)::timestamptz)"
            )
            retried = try rows[0].decode(Int.self, column: 0)
        } catch {
            // Another retry or enqueue took the key between the check and the write.
            guard error.sqlState == .uniqueViolation else { throw error }
            throw JobRetryRefused(id: id, reason: .duplicate(of: nil))
        }
        if retried == 1 {
            await connection.afterCommit(Self.notifyQuery)
            return
        }
        // Say why: the function changes nothing in each of these cases.
        let found = try await connection.query(
            "SELECT state, still_running, duplicate FROM messaging.retry_refusal(\(id.rawValue), \(stale)::timestamptz)"
        )
        guard let row = found.first else { throw JobRetryRefused(id: id, reason: .noSuchJob) }
        let (state, stillRunning, duplicate) = try row.decode((String, Bool, Int64?).self)
        let jobState = JobState(rawValue: state) ?? .running
        if jobState == .cancelled && stillRunning { throw JobRetryRefused(id: id, reason: .stillRunning) }
        if let duplicate { throw JobRetryRefused(id: id, reason: .duplicate(of: JobID(rawValue: duplicate))) }
        throw JobRetryRefused(id: id, reason: .notRetryable(jobState))
    }

    /// Counts by kind and state, and the age of the oldest due job.
    public func stats(on connection: PostgresConnection) async throws -> JobStats {
        let now = clock.now()
        let rows = try await connection.query("SELECT kind, state, jobs FROM messaging.job_counts()")
        var byKind: [String: [String: Int]] = [:]
        var totals: [String: Int] = Dictionary(uniqueKeysWithValues: JobState.allCases.map { ($0.rawValue, 0) })
        for row in rows {
            let (kind, state, count) = try row.decode((String, String, Int).self)
            byKind[kind, default: [:]][state] = count
            totals[state, default: 0] += count
        }
        let oldest = try await connection.query("SELECT messaging.oldest_due_job(\(now)::timestamptz)")
        let age = try oldest[0].decode(Date?.self, column: 0).map { now.timeIntervalSince($0) } ?? 0
        return JobStats(
            kinds: byKind.keys.sorted().map { JobStats.KindCounts(kind: $0, counts: byKind[$0]!) },
            totals: totals,
            oldestAvailableAgeSeconds: max(0, age)
        )
    }

    /// Lists jobs, newest first, optionally of one state and kind.
    public func list(state: JobState?, kind: String?, limit: Int = 50, on connection: PostgresConnection)
        async throws -> [JobRecord]
    {
        let rows = try await connection.query(
            """
            SELECT id, kind, tenant_id, state, priority, run_at, attempt, max_attempts, errors, unique_key,
                   claimed_by, created_at, finished_at
            FROM messaging.list_jobs(\(state?.rawValue)::text, \(kind)::text, \(limit)::int)
            """
        )
        return try Self.records(rows)
    }

    /// The jobs enqueued in the trace `traceID` (32 hex digits), of every municipality, oldest first: what
    /// one request caused, for `stedenband jobs list --trace` and `diagnostics trace`.
    public func list(traceID: String, limit: Int = 200, on connection: PostgresConnection) async throws -> [JobRecord] {
        let rows = try await connection.query(
            """
            SELECT id, kind, tenant_id, state, priority, run_at, attempt, max_attempts, errors, unique_key,
                   claimed_by, created_at, finished_at, trace_parent
            FROM messaging.trace_jobs(\(traceID.lowercased())::text, \(limit)::int)
            """
        )
        return try Self.records(rows)
    }

    private static func records(_ rows: PostgresRows) throws -> [JobRecord] {
        try rows.map { row in
            JobRecord(
                id: JobID(rawValue: try row.decode(Int64.self, column: 0)),
                kind: try row.decode(String.self, column: 1),
                tenantID: try row.decode(UUID?.self, column: 2),
                state: JobState(rawValue: try row.decode(String.self, column: 3)) ?? .available,
                priority: try row.decode(Int.self, column: 4),
                runAt: try row.decode(Date.self, column: 5),
                attempt: try row.decode(Int.self, column: 6),
                maxAttempts: try row.decode(Int?.self, column: 7),
                errors: try row.decode(PostgresJSON<[JobAttemptError]>.self, column: 8).value,
                uniqueKey: try row.decode(String?.self, column: 9),
                claimedBy: try row.decode(String?.self, column: 10),
                createdAt: try row.decode(Date.self, column: 11),
                finishedAt: try row.decode(Date?.self, column: 12),
                traceParent: try row.count > 13 ? row.decode(String?.self, column: 13) : nil
            )
        }
    }
}
