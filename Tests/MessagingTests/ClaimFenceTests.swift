import Foundation
import Messaging
import Postgres
import ServiceLifecycleTestKit
import TestSupport
import Testing

@Suite("Results count only for the claim that holds the job")
struct ClaimFenceTests {
    enum LateOutcome: String, CaseIterable, CustomTestStringConvertible {
        case completes, fails, completesInItsTransaction
        var testDescription: String { rawValue }
    }

    @Test(
        "after a rescue and a second claim, the first claim's late result changes nothing",
        arguments: LateOutcome.allCases
    )
    func lateResultOfARescuedClaimIsIgnored(_ outcome: LateOutcome) async throws {
        let fixture = try await QueueFixture.make("fence\(outcome.rawValue.lowercased())")
        let firstGate = Gate()
        let secondGate = Gate()
        let first = JobKind(name: "tests.fenced") { context in
            await firstGate.pass()
            switch outcome {
            case .completes:
                return
            case .fails:
                throw FlakyFailure()
            case .completesInItsTransaction:
                try await context.pool.withTransaction { connection in
                    try await connection.query("INSERT INTO effects.log (label) VALUES ('first')")
                    try await context.complete(in: connection)
                }
            }
        }
        let second = JobKind(name: "tests.fenced") { context in
            await secondGate.pass()
            try await context.pool.query("INSERT INTO effects.log (label) VALUES ('second')")
        }
        let id = try await fixture.enqueue([try NewJob(kind: "tests.fenced")])[0]
        let rescuer = JobRescuer(
            configuration: .init(staleAfter: .seconds(30)), pool: fixture.pool, queue: fixture.queue,
            logger: TestLogger.make("rescuer"))

        // The first worker claims the job, then stalls: no heartbeat for longer than the stale age.
        let firstRun = Task { try await fixture.workers([first], name: "first").drain() }
        try await firstGate.arrived()
        fixture.clock.advance(by: 31)
        #expect(try await rescuer.runOnce() == 1)
        let secondRun = Task { try await fixture.workers([second], name: "second").drain() }
        try await secondGate.arrived()

        // The first claim ends while the second runs: the row still belongs to the second.
        firstGate.open()
        #expect(try await firstRun.value == 1)
        let during = try await fixture.job(id)
        #expect(during.state == .running)
        #expect(during.attempt == 2)
        #expect(during.claimedBy == "second")
        #expect(during.finishedAt == nil)
        #expect(during.errors.count == 1, "only the rescue is recorded, not the first claim's outcome")
        #expect(during.errors.first?.error.contains("first") == true)
        #expect(try await fixture.effects().isEmpty, "a lost claim's transaction rolls back")

        secondGate.open()
        #expect(try await secondRun.value == 1)
        let after = try await fixture.job(id)
        #expect(after.state == .completed)
        #expect(after.attempt == 2)
        #expect(after.claimedBy == "second")
        #expect(try await fixture.effects() == ["second"])
    }

    @Test("heartbeats keep flowing while handlers hold every connection of the pool")
    func heartbeatsDoNotWaitForThePool() async throws {
        let fixture = try await QueueFixture.make("fenceheartbeat")
        // A pool of one connection, which the handler holds for as long as the test wants.
        let pool = PostgresConnectionPool(
            configuration: .init(connection: fixture.database.appConfiguration, maximumConnections: 1),
            logger: TestLogger.make("onepool")
        )
        let gate = Gate()
        let hog = JobKind(name: "tests.hog") { context in
            try await context.pool.withConnection { _ in await gate.pass() }
        }
        var kinds = JobKinds()
        kinds.register(hog)
        let workers = JobWorkers(
            configuration: .init(concurrency: 1, heartbeatInterval: .milliseconds(50), workerName: "hog"),
            kinds: kinds,
            pool: pool,
            queue: fixture.queue,
            listenOn: nil,
            logger: TestLogger.make("hog")
        )
        let id = try await fixture.enqueue([try NewJob(kind: "tests.hog")])[0]
        let admin = try await fixture.database.connectAsAdmin()
        func heartbeat() async throws -> Date? {
            try await admin.query("SELECT heartbeat_at FROM messaging.jobs WHERE id = \(id.rawValue)")[0]
                .decode(Date?.self, column: 0)
        }
        try await testGracefulShutdown { trigger in
            let running = Task { try await workers.run() }
            try await gate.arrived()
            #expect(await pool.openConnections == 1)
            // Later than any heartbeat so far: only a heartbeat sent while the handler holds the pool shows it.
            fixture.clock.advance(by: 60)
            let now = fixture.clock.now()
            let refreshed = try await eventually {
                guard let beat = try await heartbeat() else { return false }
                return abs(beat.timeIntervalSince(now)) < 0.001
            }
            #expect(refreshed, "the heartbeat waited for the pool")
            gate.open()
            trigger.triggerGracefulShutdown()
            try await running.value
        }
        #expect(try await fixture.job(id).state == .completed)
        await pool.close()
    }
}
