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
        let slow = JobKind(name: "tests.slow") { context in
            let milliseconds = try context.job.decodeArgs([String: Int].self)["ms"] ?? 0
            try await Task.sleep(for: .milliseconds(milliseconds))
        }
        let ids = try await fixture.enqueue([
            try NewJob(kind: "tests.slow", args: ["ms": 50]),
            try NewJob(kind: "tests.slow", args: ["ms": 600_000]),
            try NewJob(kind: "tests.slow", args: ["ms": 600_000]),
        ])
        var kinds = JobKinds()
        kinds.register(slow)
        let workers = JobWorkers(
            configuration: .init(concurrency: 10, shutdownGracePeriod: .seconds(2), workerName: "shutdown"),
            kinds: kinds,
            pool: fixture.pool,
            queue: fixture.queue,
            listenOn: nil,
            logger: TestLogger.make("shutdown")
        )
        try await testGracefulShutdown { trigger in
            let running = Task { try await workers.run() }
            let deadline = ContinuousClock.now + .seconds(10)
            while workers.runningCount < 3, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(5))
            }
            #expect(workers.runningCount == 3)
            trigger.triggerGracefulShutdown()
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
