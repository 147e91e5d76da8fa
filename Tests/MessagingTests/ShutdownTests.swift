import Foundation
import Messaging
import Postgres
import ServiceLifecycleTestKit
import TestSupport
import Testing

@Suite("Graceful shutdown of the workers")
struct ShutdownTests {
    @Test("running jobs get the grace period to finish; the rest return to the queue, their attempt not counted")
    func shutdownReturnsClaimedJobs() async throws {
        let fixture = try await QueueFixture.make("shutdown")
        // The quick job finishes only when the test lets it, after shutdown began: no race against a timer.
        let quickGate = Gate()
        let slowStarted = Gate()
        slowStarted.open()
        let quickKind = JobKind(name: "tests.quick") { _ in await quickGate.pass() }
        let slow = JobKind(name: "tests.slow") { _ in
            await slowStarted.pass()
            try await Task.sleep(for: .seconds(600))
        }
        let ids = try await fixture.enqueue([
            try NewJob(kind: "tests.quick"),
            try NewJob(kind: "tests.slow"),
            try NewJob(kind: "tests.slow"),
        ])
        var kinds = JobKinds()
        kinds.register(quickKind)
        kinds.register(slow)
        let workers = JobWorkers(
            configuration: .init(concurrency: 10, shutdownGracePeriod: .seconds(3), workerName: "shutdown"),
            kinds: kinds,
            pool: fixture.pool,
            queue: fixture.queue,
            listenOn: nil,
            logger: TestLogger.make("shutdown")
        )
        try await testGracefulShutdown { trigger in
            let running = Task { try await workers.run() }
            try await quickGate.arrived()
            try await slowStarted.arrived(2)
            #expect(workers.runningCount == 3)
            trigger.triggerGracefulShutdown()
            quickGate.open()
            try await running.value
        }
        #expect(workers.runningCount == 0)
        let quick = try await fixture.job(ids[0])
        #expect(quick.state == .completed)
        for id in ids.dropFirst() {
            let job = try await fixture.job(id)
            #expect(job.state == .available)
            #expect(job.attempt == 0)
            #expect(job.claimedBy == nil)
        }
    }
}
