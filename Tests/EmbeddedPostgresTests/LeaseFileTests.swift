import Foundation
import Testing

@testable import EmbeddedPostgres

#if canImport(Glibc)
    import Glibc
#endif

/// Counting the live leases of a folder, and the control lock that guards every decision.
@Suite("LeaseFile")
struct LeaseFileTests {
    @Test func releasedLeasesAreNotCountedAgain() async throws {
        try await ScratchFolder.with { scratch in
            let first = try LeaseFile.create(in: scratch.root)
            let second = try LeaseFile.create(in: scratch.root)
            #expect(LeaseFile.liveCount(in: scratch.root, logger: ScratchFolder.logger) == 2)
            first.remove()
            #expect(LeaseFile.liveCount(in: scratch.root, logger: ScratchFolder.logger) == 1)
            second.remove()
            #expect(LeaseFile.liveCount(in: scratch.root, logger: ScratchFolder.logger) == 0)
            #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.root).isEmpty)
        }
    }

    @Test func leaseFilesOfDeadProcessesAreRemoved() async throws {
        try await ScratchFolder.with { scratch in
            // What a crashed process leaves: the file, without anyone holding its lock.
            let orphan = scratch.root + "/4242-crashed.lease"
            #expect(FileManager.default.createFile(atPath: orphan, contents: nil))
            let live = try LeaseFile.create(in: scratch.root)
            #expect(LeaseFile.liveCount(in: scratch.root, logger: ScratchFolder.logger) == 1)
            #expect(!FileManager.default.fileExists(atPath: orphan))
            live.remove()
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/flock")))
    func leaseHeldByAnotherProcessCountsUntilThatProcessDies() async throws {
        try await ScratchFolder.with { scratch in
            let path = scratch.root + "/other-process.lease"
            let holder = Process()
            holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
            // --close: flock itself holds the lock, not the sleep it runs.
            holder.arguments = ["--exclusive", "--close", path, "/bin/sleep", "30"]
            try holder.run()
            let pid = holder.processIdentifier
            func sleepers() -> [Int32] {
                let children = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
                return children.split(separator: " ").compactMap { Int32($0) }
            }
            // Kill sleep before flock: an orphaned sleep would keep running (and keep swift-test waiting).
            func killHolder() {
                for sleeper in sleepers() {
                    kill(sleeper, SIGKILL)
                }
                kill(pid, SIGKILL)
            }
            defer { killHolder() }
            // flock starts sleep only once it holds the lock; counting earlier would find the file unlocked
            // and remove it as stale (real leases are created and counted under control.lock).
            #expect(try await poll(until: .seconds(60)) { !sleepers().isEmpty })
            #expect(LeaseFile.liveCount(in: scratch.root, logger: ScratchFolder.logger) == 1)
            killHolder()
            #expect(
                try await poll(until: .seconds(60)) {
                    LeaseFile.liveCount(in: scratch.root, logger: ScratchFolder.logger) == 0
                }
            )
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }

    @Test func controlLockWaiterProceedsWhenTheHolderReleases() async throws {
        try await ScratchFolder.with { scratch in
            let path = scratch.root + "/control.lock"
            let holder = try await FileLock.acquire(path)
            let (events, recorder) = AsyncStream.makeStream(of: String.self)
            let waiter = Task {
                let lock = try await FileLock.acquire(path)
                recorder.yield("acquired")
                lock.release()
            }
            recorder.yield("releasing")
            holder.release()
            try await waiter.value
            recorder.finish()
            var order: [String] = []
            for await event in events {
                order.append(event)
            }
            #expect(order == ["releasing", "acquired"])
        }
    }
}

/// Re-evaluates `condition` until it holds or `timeout` passes; returns whether it held.
func poll(until timeout: Duration, _ condition: () -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while !condition() {
        guard ContinuousClock.now < deadline else { return false }
        try await Task.sleep(for: .milliseconds(20))
    }
    return true
}
