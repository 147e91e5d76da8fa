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

        let retried = try await fixture.pool.withConnection { try await fixture.queue.retry(id, on: $0) }
        #expect(retried)
        let again = try await fixture.job(id)
        #expect(again.state == .available && again.maxAttempts == 4)
        #expect(try await workers.drain() == 1)
        #expect(try await fixture.job(id).state == .discarded)
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
        #expect(clock.now - began < .seconds(10))
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
}
