import Foundation
import Logging
import Messaging
import Postgres
import Synchronization
import TestSupport

/// A migrated database with one tenant, a pool connected as the server connects, and a manual clock.
struct QueueFixture {
    let database: TestDatabase
    let pool: PostgresConnectionPool
    let clock: ManualClock
    let queue: PostgresJobQueue
    let tenantID: UUID

    static func make(_ label: String) async throws -> QueueFixture {
        let database = try await TestDatabase.migrated(label)
        let admin = try await database.connectAsAdmin()
        let tenant = try await admin.query(
            "INSERT INTO platform.tenants (slug, name) VALUES ('herent', 'Herent') RETURNING id"
        )
        try await admin.query("CREATE SCHEMA effects")
        try await admin.query(
            "CREATE TABLE effects.log (tenant_id uuid, label text, at timestamptz DEFAULT clock_timestamp())")
        try await admin.query("GRANT USAGE ON SCHEMA effects TO stedenband_app")
        try await admin.query("GRANT SELECT, INSERT ON effects.log TO stedenband_app")
        let clock = ManualClock(Date())
        return QueueFixture(
            database: database,
            pool: PostgresConnectionPool(
                configuration: .init(connection: database.appConfiguration, maximumConnections: 8),
                logger: TestLogger.make("queue")
            ),
            clock: clock,
            queue: PostgresJobQueue(clock: clock),
            tenantID: try tenant[0].decode(UUID.self, column: 0)
        )
    }

    func workers(
        _ kinds: [JobKind], concurrency: Int = 10, name: String = "test-worker",
        retryPolicy: RetryPolicy = RetryPolicy(random: { 0 })
    ) -> JobWorkers {
        var registry = JobKinds()
        for kind in kinds { registry.register(kind) }
        return JobWorkers(
            configuration: .init(concurrency: concurrency, workerName: name),
            kinds: registry,
            pool: pool,
            queue: queue,
            retryPolicy: retryPolicy,
            listenOn: nil,
            logger: TestLogger.make("workers")
        )
    }

    /// The deliveries to `bus`'s queued subscribers, with no jitter in their retries.
    func deliveries(_ bus: EventBus, batchSize: Int = EventCursorWorkers.Configuration.defaultBatchSize)
        -> EventCursorWorkers
    {
        EventCursorWorkers(
            configuration: .init(batchSize: batchSize), subscriptions: bus.subscriptions, pool: pool, clock: clock,
            retryPolicy: RetryPolicy(random: { 0 }), listenOn: nil, logger: TestLogger.make("deliveries"))
    }

    /// Labels written to effects.log, as the admin sees them.
    func effects() async throws -> [String] {
        let admin = try await database.connectAsAdmin()
        let rows = try await admin.query("SELECT label FROM effects.log ORDER BY label")
        return try rows.map { try $0.decode(String.self, column: 0) }
    }

    func job(_ id: JobID) async throws -> JobRecord {
        try await pool.withConnection { connection in
            try await queue.list(state: nil, kind: nil, limit: 10_000, on: connection).first { $0.id == id }!
        }
    }

    func retry(_ id: JobID) async throws {
        try await pool.withConnection { try await queue.retry(id, on: $0) }
    }

    @discardableResult
    func enqueue(_ jobs: [NewJob]) async throws -> [JobID] {
        try await pool.withTransaction { try await queue.enqueue(jobs, on: $0) }
    }
}

/// An event for the tests.
struct SomethingHappened: Event {
    static let name = "tests.something_happened.v1"
    var aggregateID: UUID
    var aggregateVersion: Int
    var label: String
}

/// Fails the first `failures` calls, then succeeds.
actor Flaky {
    private var remaining: Int

    init(failures: Int) { remaining = failures }

    func check() throws {
        if remaining > 0 {
            remaining -= 1
            throw FlakyFailure()
        }
    }
}

struct FlakyFailure: Error, CustomStringConvertible {
    var description: String { "flaky failure" }
}

/// Holds handlers until the test opens it, and tells the test when one arrived: tests wait on it instead
/// of sleeping.
final class Gate: Sendable {
    private struct State {
        var isOpen = false
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    private let arrivals: AsyncStream<Void>
    private let arrival: AsyncStream<Void>.Continuation

    init() {
        (arrivals, arrival) = AsyncStream.makeStream(of: Void.self)
    }

    /// Called by a handler: says it arrived, then waits until the gate opens.
    func pass() async {
        arrival.yield()
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state -> Bool in
                if state.isOpen { return true }
                state.waiting.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    /// Waits until `count` handlers have arrived in all, or throws after `timeout`.
    func arrived(_ count: Int = 1, within timeout: Duration = .seconds(30)) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { [arrivals] in
                var seen = 0
                for await _ in arrivals {
                    seen += 1
                    if seen == count { return }
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw GateTimedOut()
            }
            try await group.next()
            group.cancelAll()
        }
    }

    /// Lets every waiting and later handler through.
    func open() {
        let waiting = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.isOpen = true
            defer { state.waiting.removeAll() }
            return state.waiting
        }
        for continuation in waiting { continuation.resume() }
    }
}

struct GateTimedOut: Error, CustomStringConvertible {
    var description: String { "no handler arrived at the gate in time" }
}

/// Polls `condition` until it holds or `timeout` passes; returns whether it held. For state that only the
/// database shows (no signal to await), polled often on an idle machine and with a generous deadline.
func eventually(
    within timeout: Duration = .seconds(30), _ condition: () async throws -> Bool
) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}

/// Collects what handlers saw, in order.
actor Recorder {
    private(set) var labels: [String] = []

    func record(_ label: String) { labels.append(label) }
}
