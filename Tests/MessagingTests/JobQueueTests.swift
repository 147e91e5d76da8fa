import Foundation
import Messaging
import Postgres
import TestSupport
import Testing

@Suite("The job queue")
struct JobQueueTests {
    private static func record(_ label: String) -> JobKind {
        JobKind(name: "tests.record") { context in
            let args = try context.job.decodeArgs([String: String].self)
            try await context.pool.query("INSERT INTO effects.log (label) VALUES (\(args["label"] ?? label))")
        }
    }

    @Test("a job runs once, and finished jobs leave the claim path")
    func runsOnce() async throws {
        let fixture = try await QueueFixture.make("queueonce")
        let ids = try await fixture.enqueue([try NewJob(kind: "tests.record", args: ["label": "one"])])
        let workers = fixture.workers([Self.record("one")])
        #expect(try await workers.drain() == 1)
        #expect(try await workers.drain() == 0)
        #expect(try await fixture.effects() == ["one"])
        #expect(try await fixture.job(ids[0]).state == .completed)
    }

    @Test("a job scheduled for later waits for the clock")
    func scheduledJobs() async throws {
        let fixture = try await QueueFixture.make("queuelater")
        let later = fixture.clock.now().addingTimeInterval(3600)
        try await fixture.enqueue([try NewJob(kind: "tests.record", args: ["label": "later"], runAt: later)])
        let workers = fixture.workers([Self.record("later")])
        #expect(try await workers.drain() == 0)
        fixture.clock.advance(by: 3599)
        #expect(try await workers.drain() == 0)
        fixture.clock.advance(by: 1)
        #expect(try await workers.drain() == 1)
    }

    @Test("failures back off by the clock, are discarded after the last attempt with their errors, then retried")
    func backoffDiscardAndRetry() async throws {
        let fixture = try await QueueFixture.make("queuediscard")
        let kind = JobKind(name: "tests.fail", maxAttempts: 3) { _ in throw FlakyFailure() }
        let id = try await fixture.enqueue([try NewJob(kind: "tests.fail")])[0]
        let workers = fixture.workers([kind])
        let policy = RetryPolicy(random: { 0 })
        for attempt in 1...2 {
            let before = fixture.clock.now()
            #expect(try await workers.drain() == 1)
            let job = try await fixture.job(id)
            #expect(job.state == .available)
            #expect(job.attempt == attempt)
            #expect(abs(job.runAt.timeIntervalSince(before) - policy.delay(afterAttempt: attempt)) < 0.001)
            fixture.clock.advance(by: policy.delay(afterAttempt: attempt))
        }
        #expect(try await workers.drain() == 1)
        let discarded = try await fixture.job(id)
        #expect(discarded.state == .discarded)
        #expect(discarded.errors.map(\.attempt) == [1, 2, 3])
        #expect(discarded.errors.allSatisfy { $0.error == "flaky failure" })
        #expect(try await workers.drain() == 0)

        try await fixture.retry(id)
        // A fresh set of attempts, per the kind: the errors of the earlier ones are kept.
        let again = try await fixture.job(id)
        #expect(again.state == .available)
        #expect(again.attempt == 0)
        #expect(again.maxAttempts == nil)
        #expect(again.finishedAt == nil)
        #expect(again.errors.count == 3)
        #expect(try await workers.drain() == 1)
        let retriedOnce = try await fixture.job(id)
        #expect(retriedOnce.state == .available)
        #expect(retriedOnce.attempt == 1)
        #expect(abs(retriedOnce.runAt.timeIntervalSince(fixture.clock.now()) - policy.delay(afterAttempt: 1)) < 0.001)
    }

    @Test("a job cancelled before it ran gets its kind's attempts when retried, not one")
    func retryCancelledJobGetsTheKindsAttempts() async throws {
        let fixture = try await QueueFixture.make("queueretrycancelled")
        let kind = JobKind(name: "tests.fail", maxAttempts: 3) { _ in throw FlakyFailure() }
        let id = try await fixture.enqueue([try NewJob(kind: "tests.fail")])[0]
        #expect(try await fixture.pool.withConnection { try await fixture.queue.cancel(id, on: $0) })
        try await fixture.retry(id)
        let retried = try await fixture.job(id)
        #expect(retried.state == .available)
        #expect(retried.attempt == 0)
        #expect(retried.maxAttempts == nil)
        let workers = fixture.workers([kind])
        let policy = RetryPolicy(random: { 0 })
        for attempt in 1...2 {
            #expect(try await workers.drain() == 1)
            let job = try await fixture.job(id)
            #expect(job.state == .available, "attempt \(attempt) of 3 must not be the last")
            #expect(job.attempt == attempt)
            fixture.clock.advance(by: policy.delay(afterAttempt: attempt))
        }
        #expect(try await workers.drain() == 1)
        let discarded = try await fixture.job(id)
        #expect(discarded.state == .discarded)
        #expect(discarded.attempt == 3)
    }

    @Test("a job cancelled while it runs cannot be retried until its attempt ended")
    func retryRefusesACancelledJobStillRunning() async throws {
        let fixture = try await QueueFixture.make("queueretryrunning")
        let gate = Gate()
        let slow = JobKind(name: "tests.gated") { _ in await gate.pass() }
        let id = try await fixture.enqueue([try NewJob(kind: "tests.gated")])[0]
        let first = Task { try await fixture.workers([slow], name: "first").drain() }
        try await gate.arrived()
        await #expect(throws: JobRetryRefused(id: id, reason: .notRetryable(.running))) {
            try await fixture.retry(id)
        }
        #expect(try await fixture.pool.withConnection { try await fixture.queue.cancel(id, on: $0) })
        await #expect(throws: JobRetryRefused(id: id, reason: .stillRunning)) { try await fixture.retry(id) }
        let stillCancelled = try await fixture.job(id)
        #expect(stillCancelled.state == .cancelled)
        #expect(stillCancelled.attempt == 1)

        gate.open()
        #expect(try await first.value == 1)
        let ended = try await fixture.job(id)
        #expect(ended.state == .cancelled, "the attempt's end does not undo the cancellation")
        try await fixture.retry(id)
        let retried = try await fixture.job(id)
        #expect(retried.state == .available)
        #expect(retried.attempt == 0)
        #expect(try await fixture.workers([slow], name: "second").drain() == 1)
        let done = try await fixture.job(id)
        #expect(done.state == .completed)
        #expect(done.attempt == 1)
        #expect(done.claimedBy == "second")
    }

    @Test("a cancelled job whose worker died while running it can be retried once its heartbeat is stale")
    func retryAcceptsACancelledJobWhoseWorkerDied() async throws {
        let fixture = try await QueueFixture.make("queueretrydead")
        let id = try await fixture.enqueue([try NewJob(kind: "tests.record", args: ["label": "late"])])[0]
        let admin = try await fixture.database.connectAsAdmin()
        try await admin.query(
            """
            UPDATE messaging.jobs SET state = 'cancelled', attempt = 1, claim = 1, claimed_by = 'dead-worker',
                heartbeat_at = \(fixture.clock.now()), finished_at = \(fixture.clock.now())
            """
        )
        await #expect(throws: JobRetryRefused(id: id, reason: .stillRunning)) { try await fixture.retry(id) }
        fixture.clock.advance(by: 31)
        try await fixture.retry(id)
        #expect(try await fixture.workers([Self.record("x")]).drain() == 1)
        #expect(try await fixture.effects() == ["late"])
    }

    @Test("retry refuses completed and unknown jobs, and a job whose unique key another job holds")
    func retryRefusals() async throws {
        let fixture = try await QueueFixture.make("queueretryrefused")
        let done = try await fixture.enqueue([try NewJob(kind: "tests.record", args: ["label": "done"])])[0]
        #expect(try await fixture.workers([Self.record("x")]).drain() == 1)
        await #expect(throws: JobRetryRefused(id: done, reason: .notRetryable(.completed))) {
            try await fixture.retry(done)
        }
        let unknown = JobID(rawValue: 987_654_321)
        await #expect(throws: JobRetryRefused(id: unknown, reason: .noSuchJob)) { try await fixture.retry(unknown) }

        let failing = JobKind(name: "tests.fail", maxAttempts: 1) { _ in throw FlakyFailure() }
        let job = try NewJob(kind: "tests.fail", uniqueKey: "digest:user-1")
        let discarded = try await fixture.enqueue([job])[0]
        #expect(try await fixture.workers([failing]).drain() == 1)
        #expect(try await fixture.job(discarded).state == .discarded)
        // A discarded job no longer holds its key, so the same work could be enqueued again meanwhile.
        let successor = try #require(try await fixture.enqueue([job]).first)
        await #expect(throws: JobRetryRefused(id: discarded, reason: .duplicate(of: successor))) {
            try await fixture.retry(discarded)
        }
        let untouched = try await fixture.job(discarded)
        #expect(untouched.state == .discarded)
        #expect(untouched.attempt == 1)
        // Once the successor finished, the key is free and the retry goes through.
        #expect(try await fixture.workers([failing]).drain() == 1)
        try await fixture.retry(discarded)
        #expect(try await fixture.job(discarded).state == .available)
    }

    @Test("an attempt that runs past its kind's timeout is cancelled and counted as failed")
    func timeout() async throws {
        let fixture = try await QueueFixture.make("queuetimeout")
        let kind = JobKind(name: "tests.hang", maxAttempts: 1, timeout: .milliseconds(100)) { _ in
            try await Task.sleep(for: .seconds(60))
        }
        let id = try await fixture.enqueue([try NewJob(kind: "tests.hang")])[0]
        let clock = ContinuousClock()
        let began = clock.now
        #expect(try await fixture.workers([kind]).drain() == 1)
        // Well under the handler's 60 s, which it would take without the timeout; a loaded CI run once took 11 s.
        #expect(clock.now - began < .seconds(30))
        let job = try await fixture.job(id)
        #expect(job.state == .discarded)
        #expect(job.errors.first?.error.contains("timeout") == true)
    }

    @Test("a cancelled job does not run, and cancelling a finished job is refused")
    func cancel() async throws {
        let fixture = try await QueueFixture.make("queuecancel")
        let ids = try await fixture.enqueue([
            try NewJob(kind: "tests.record", args: ["label": "cancelled"]),
            try NewJob(kind: "tests.record", args: ["label": "kept"]),
        ])
        let cancelled = try await fixture.pool.withConnection { try await fixture.queue.cancel(ids[0], on: $0) }
        #expect(cancelled)
        let workers = fixture.workers([Self.record("x")])
        #expect(try await workers.drain() == 1)
        #expect(try await fixture.effects() == ["kept"])
        let again = try await fixture.pool.withConnection { try await fixture.queue.cancel(ids[1], on: $0) }
        #expect(!again)
    }

    @Test("a unique job is enqueued once while one is waiting or running")
    func uniqueJobs() async throws {
        let fixture = try await QueueFixture.make("queueunique")
        let job = try NewJob(kind: "tests.record", args: ["label": "digest"], uniqueKey: "digest:user-1:2026-11-29")
        #expect(try await fixture.enqueue([job, job]).count == 1)
        #expect(try await fixture.enqueue([job]).isEmpty)
        #expect(try await fixture.workers([Self.record("x")]).drain() == 1)
        #expect(try await fixture.enqueue([job]).count == 1)
    }

    @Test("a job whose worker died is rescued after its heartbeat goes stale, and runs again")
    func rescuesStaleJobs() async throws {
        let fixture = try await QueueFixture.make("queuerescue")
        try await fixture.enqueue([try NewJob(kind: "tests.record", args: ["label": "rescued"])])
        // A worker claims the job and dies: it stays running, its heartbeat frozen.
        let admin = try await fixture.database.connectAsAdmin()
        try await admin.query(
            """
            UPDATE messaging.jobs SET state = 'running', attempt = 1, heartbeat_at = \(fixture.clock.now()),
                claimed_by = 'dead-worker'
            """
        )
        let rescuer = JobRescuer(
            configuration: .init(staleAfter: .seconds(30)),
            pool: fixture.pool,
            queue: fixture.queue,
            logger: TestLogger.make("rescuer")
        )
        fixture.clock.advance(by: 29)
        #expect(try await rescuer.runOnce() == 0)
        fixture.clock.advance(by: 2)
        #expect(try await rescuer.runOnce() == 1)
        let workers = fixture.workers([Self.record("x")])
        #expect(try await workers.drain() == 1)
        #expect(try await fixture.effects() == ["rescued"])
        let job = try await fixture.pool.withConnection {
            try await fixture.queue.list(state: .completed, kind: nil, on: $0)
        }
        #expect(job.first?.errors.first?.error.contains("dead-worker") == true)
    }

    @Test("the cleaner prunes finished jobs after the retention, and only those")
    func cleaner() async throws {
        let fixture = try await QueueFixture.make("queueclean")
        try await fixture.enqueue([
            try NewJob(kind: "tests.record", args: ["label": "done"]),
            try NewJob(
                kind: "tests.record", args: ["label": "waiting"],
                runAt: fixture.clock.now().addingTimeInterval(86_400 * 2)),
        ])
        #expect(try await fixture.workers([Self.record("x")]).drain() == 1)
        let cleaner = JobCleaner(
            configuration: .init(retention: .seconds(3600)),
            pool: fixture.pool,
            queue: fixture.queue,
            logger: TestLogger.make("cleaner")
        )
        #expect(try await cleaner.runOnce() == 0)
        fixture.clock.advance(by: 3601)
        #expect(try await cleaner.runOnce() == 1)
        let left = try await fixture.pool.withConnection { try await fixture.queue.stats(on: $0) }
        #expect(left.totals["available"] == 1)
        #expect(left.totals["completed"] == 0)
    }

    @Test("a periodic job is enqueued once per period by two enqueuers")
    func periodicOncePerPeriod() async throws {
        let fixture = try await QueueFixture.make("queueperiodic")
        let periodic = PeriodicJob(name: "tests.tick", schedule: .every(60)) {
            try NewJob(kind: "tests.record", args: ["label": "tick"])
        }
        let enqueuers = (0..<2).map { _ in
            PeriodicJobEnqueuer(
                jobs: [periodic], pool: fixture.pool, queue: fixture.queue, logger: TestLogger.make("periodic"))
        }
        for enqueuer in enqueuers { #expect(try await enqueuer.runOnce().isEmpty) }
        var enqueued = 0
        for _ in 0..<3 {
            fixture.clock.advance(by: 60)
            try await withThrowingTaskGroup(of: Int.self) { group in
                for enqueuer in enqueuers { group.addTask { try await enqueuer.runOnce().count } }
                for try await count in group { enqueued += count }
            }
        }
        #expect(enqueued == 3)
        // Periods missed while nothing ran are skipped, not made up for.
        fixture.clock.advance(by: 600)
        #expect(try await enqueuers[0].runOnce() == ["tests.tick"])
        #expect(try await enqueuers[1].runOnce().isEmpty)
        #expect(try await fixture.workers([Self.record("x")]).drain() == 4)
    }

    @Test("daily schedules follow the local time across a daylight-saving change")
    func dailyAcrossDST() throws {
        let brussels = try #require(TimeZone(identifier: "Europe/Brussels"))
        let periodic = PeriodicJob(name: "tests.daily", schedule: .daily(hour: 8, minute: 0, timeZone: brussels)) {
            try NewJob(kind: "tests.record")
        }
        // 2026-03-28 08:00 in Brussels is 07:00 UTC (CET); the next day, after the change, 06:00 UTC (CEST).
        let beforeChange = ISO8601DateFormatter().date(from: "2026-03-28T07:00:00Z")!
        let next = periodic.nextRunForTesting(after: beforeChange)
        #expect(next == ISO8601DateFormatter().date(from: "2026-03-29T06:00:00Z"))
    }

    @Test("two worker pools on one database run 1,000 jobs, each exactly once")
    func twoWorkerPools() async throws {
        let fixture = try await QueueFixture.make("queuetwo")
        let admin = try await fixture.database.connectAsAdmin()
        try await admin.query("CREATE TABLE effects.runs (job bigint, worker text)")
        try await admin.query("GRANT INSERT ON effects.runs TO stedenband_app")
        let jobs = try (0..<1_000).map { try NewJob(kind: "tests.run", args: ["n": $0]) }
        try await fixture.enqueue(jobs)
        func kind(_ worker: String) -> JobKind {
            JobKind(name: "tests.run") { context in
                try await context.pool.query("INSERT INTO effects.runs VALUES (\(context.job.id.rawValue), \(worker))")
            }
        }
        // Two pools of their own stand for two processes.
        let second = QueueFixture(
            database: fixture.database,
            pool: PostgresConnectionPool(
                configuration: .init(connection: fixture.database.appConfiguration, maximumConnections: 8),
                logger: TestLogger.make("second")
            ),
            clock: fixture.clock,
            queue: fixture.queue,
            tenantID: fixture.tenantID
        )
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask { try await fixture.workers([kind("a")], concurrency: 20, name: "a").drain() }
            group.addTask { try await second.workers([kind("b")], concurrency: 20, name: "b").drain() }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(counts.reduce(0, +) == 1_000)
        let runs = try await admin.query("SELECT count(*), count(DISTINCT job) FROM effects.runs")
        #expect(try runs[0].decode((Int, Int).self) == (1_000, 1_000))
        let stats = try await fixture.pool.withConnection { try await fixture.queue.stats(on: $0) }
        #expect(stats.totals["completed"] == 1_000)
    }

    @Test("the defaults: 20 attempts, rescue after 30 s, finished jobs kept 24 h")
    func defaults() async throws {
        #expect(PostgresJobQueue.defaultMaxAttempts == 20)
        #expect(JobKind(name: "tests.any") { _ in }.maxAttempts == 20)
        #expect(JobRescuer.Configuration().staleAfter == .seconds(30))
        #expect(JobCleaner.Configuration().retention == .seconds(24 * 3600))

        // And the queue acts on them: a job without a limit of its own is discarded after its 20th attempt.
        let fixture = try await QueueFixture.make("queuedefaults")
        let id = try await fixture.enqueue([try NewJob(kind: "tests.fail")])[0]
        let workers = fixture.workers([JobKind(name: "tests.fail") { _ in throw FlakyFailure() }])
        for attempt in 1...19 {
            #expect(try await workers.drain() == 1)
            let job = try await fixture.job(id)
            #expect(job.state == .available && job.attempt == attempt)
            fixture.clock.advance(by: RetryPolicy(random: { 0 }).delay(afterAttempt: attempt))
        }
        #expect(try await workers.drain() == 1)
        let discarded = try await fixture.job(id)
        #expect(discarded.state == .discarded && discarded.attempt == 20)
    }

    @Test("the rescuer's default leaves a job alone for 30 s, and the cleaner's for 24 h")
    func rescueAndRetentionDefaultsAct() async throws {
        let fixture = try await QueueFixture.make("queuedefaultsact")
        try await fixture.enqueue([try NewJob(kind: "tests.record", args: ["label": "x"])])
        let admin = try await fixture.database.connectAsAdmin()
        try await admin.query(
            "UPDATE messaging.jobs SET state = 'running', attempt = 1, heartbeat_at = \(fixture.clock.now())")
        let rescuer = JobRescuer(pool: fixture.pool, queue: fixture.queue, logger: TestLogger.make("rescuer"))
        fixture.clock.advance(by: 29)
        #expect(try await rescuer.runOnce() == 0)
        fixture.clock.advance(by: 2)
        #expect(try await rescuer.runOnce() == 1)

        #expect(try await fixture.workers([Self.record("x")]).drain() == 1)
        let cleaner = JobCleaner(pool: fixture.pool, queue: fixture.queue, logger: TestLogger.make("cleaner"))
        fixture.clock.advance(by: 24 * 3600 - 1)
        #expect(try await cleaner.runOnce() == 0)
        fixture.clock.advance(by: 2)
        #expect(try await cleaner.runOnce() == 1)
    }

    @Test("retries wait the backoff plus the injected jitter, up to a tenth more")
    func jitterIsApplied() async throws {
        #expect(RetryPolicy(random: { 0 }).delay(afterAttempt: 2) == 31)
        #expect(abs(RetryPolicy(random: { 0.5 }).delay(afterAttempt: 2) - 31 * 1.05) < 1e-9)
        #expect(RetryPolicy(random: { 0.999 }).delay(afterAttempt: 2) < 31 * 1.1)

        let fixture = try await QueueFixture.make("queuejitter")
        let id = try await fixture.enqueue([try NewJob(kind: "tests.fail")])[0]
        let workers = fixture.workers(
            [JobKind(name: "tests.fail") { _ in throw FlakyFailure() }], retryPolicy: RetryPolicy(random: { 0.5 }))
        let before = fixture.clock.now()
        #expect(try await workers.drain() == 1)
        let job = try await fixture.job(id)
        #expect(abs(job.runAt.timeIntervalSince(before) - 16 * 1.05) < 0.001)
    }

    @Test("jobs are claimed by priority first, then by run_at, then by id")
    func claimOrder() async throws {
        let fixture = try await QueueFixture.make("queueorder")
        let now = fixture.clock.now()
        func job(_ label: String, priority: Int, secondsAgo: TimeInterval) throws -> NewJob {
            try NewJob(
                kind: "tests.order", args: ["label": label], priority: priority,
                runAt: now.addingTimeInterval(-secondsAgo))
        }
        try await fixture.enqueue([
            try job("old-but-low", priority: 2, secondsAgo: 100),
            try job("recent", priority: 1, secondsAgo: 1),
            try job("older", priority: 1, secondsAgo: 5),
            try job("older-later-id", priority: 1, secondsAgo: 5),
            try job("urgent", priority: 0, secondsAgo: 0),
            try job("not-yet", priority: 0, secondsAgo: -60),
        ])
        let recorder = Recorder()
        let kind = JobKind(name: "tests.order") { context in
            await recorder.record(try context.job.decodeArgs([String: String].self)["label"] ?? "?")
        }
        // One at a time, so the order they run in is the order they were claimed in.
        #expect(try await fixture.workers([kind], concurrency: 1).drain() == 5)
        #expect(await recorder.labels == ["urgent", "older", "older-later-id", "recent", "old-but-low"])
    }

    @Test("a daily job in an IANA zone is enqueued once per day by two processes, across a DST change")
    func dailyOncePerPeriodWithTwoProcesses() async throws {
        let fixture = try await QueueFixture.make("queuedaily")
        let brussels = try #require(TimeZone(identifier: "Europe/Brussels"))
        let periodic = PeriodicJob(name: "tests.daily", schedule: .daily(hour: 8, minute: 0, timeZone: brussels)) {
            try NewJob(kind: "tests.record", args: ["label": "daily"])
        }
        // Two pools of their own stand for two processes.
        let pools = (0..<2).map { index in
            PostgresConnectionPool(
                configuration: .init(connection: fixture.database.appConfiguration, maximumConnections: 2),
                logger: TestLogger.make("daily\(index)")
            )
        }
        let enqueuers = pools.map {
            PeriodicJobEnqueuer(jobs: [periodic], pool: $0, queue: fixture.queue, logger: TestLogger.make("daily"))
        }
        let iso = ISO8601DateFormatter()
        fixture.clock.set(try #require(iso.date(from: "2026-03-27T12:00:00Z")))
        var enqueued = 0
        // Three days, an hour at a time, both processes checking together each hour.
        for _ in 0...72 {
            try await withThrowingTaskGroup(of: Int.self) { group in
                for enqueuer in enqueuers { group.addTask { try await enqueuer.runOnce().count } }
                for try await count in group { enqueued += count }
            }
            fixture.clock.advance(by: 3600)
        }
        #expect(enqueued == 3)
        let admin = try await fixture.database.connectAsAdmin()
        let rows = try await admin.query("SELECT created_at FROM messaging.jobs ORDER BY created_at")
        let times = try rows.map { try $0.decode(Date.self, column: 0) }
        // 08:00 in Brussels: 07:00 UTC before the change to summer time on the 29th, 06:00 UTC after it.
        #expect(
            times
                == ["2026-03-28T07:00:00Z", "2026-03-29T06:00:00Z", "2026-03-30T06:00:00Z"].map { iso.date(from: $0)! })
        for pool in pools { await pool.close() }
    }
}
