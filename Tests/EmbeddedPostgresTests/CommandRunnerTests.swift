import Foundation
import Testing

@testable import EmbeddedPostgres

/// Running programs without a shell, capturing both pipes, reporting failures.
@Suite("CommandRunner")
struct CommandRunnerTests {
    let runner = CommandRunner(
        serverUser: nil,
        logger: ScratchFolder.logger,
        environment: ["PATH": "/usr/bin:/bin", "PGPORT": "6543", "PGHOST": "elsewhere", "KEEP": "yes"]
    )

    @Test func failureNamesTheCommandStatusAndOutputTail() async throws {
        let script = "for i in $(seq 1 30); do echo line-$i >&2; done; echo out; exit 3"
        let result = try await runner.run("/bin/sh", ["-c", script])
        #expect(!result.succeeded)
        #expect(result.exitStatus == 3)
        #expect(result.standardOutput == "out\n")

        let error = result.error(.commandFailed, "Could not do the thing")
        #expect(error.code == .commandFailed)
        #expect(error.description.hasPrefix("EmbeddedPostgres.commandFailed: Could not do the thing: `/bin/sh -c '"))
        #expect(error.description.contains("exited with status 3"))
        #expect(error.description.contains("line-30"))
        #expect(error.description.contains("line-16"))
        #expect(!error.description.contains("line-15\n"), "only the last 15 lines")
        #expect(throws: EmbeddedPostgresError.self) { try result.check(.commandFailed, "Could not") }
    }

    @Test func bothPipesAreDrainedTogether() async throws {
        // Far more than a pipe buffer (64 KiB) on each stream: reading one to its end first would deadlock.
        let script = "head -c 1000000 /dev/zero >&2; head -c 1000000 /dev/zero; head -c 1000000 /dev/zero >&2"
        let result = try await runner.run("/bin/sh", ["-c", script])
        #expect(result.succeeded)
        #expect(result.standardOutput.utf8.count == 1_000_000)
        #expect(result.standardError.utf8.count == 2_000_000)
    }

    @Test func libpqVariablesAreNotPassedOn() async throws {
        let result = try await runner.run("/usr/bin/env", [])
        #expect(result.standardOutput.contains("KEEP=yes"))
        #expect(!result.standardOutput.contains("PGPORT"))
        #expect(!result.standardOutput.contains("PGHOST"))
    }

    @Test func signalsAreReported() async throws {
        let result = try await runner.run("/bin/sh", ["-c", "kill -9 $$"])
        #expect(result.killedBySignal)
        #expect(result.exitStatus == 9)
        #expect(result.error(.commandFailed, "x").description.contains("was killed by signal 9"))
    }

    @Test func programsThatCannotStartThrow() async throws {
        let error = await #expect(throws: EmbeddedPostgresError.self) {
            try await runner.run("/nonexistent/program", [])
        }
        #expect(error?.code == .commandFailed)
    }

    @Test func childrenInheritNoDescriptorsButStandardOnes() async throws {
        let lease = try LeaseFile.create(in: NSTemporaryDirectory())
        defer { lease.remove() }
        let result = try await runner.run("/bin/ls", ["/proc/self/fd"])
        let descriptors = result.standardOutput.split(separator: "\n").compactMap { Int($0) }
        // ls itself opens one descriptor to list the folder.
        #expect(descriptors.filter { $0 > 2 }.count <= 1, "inherited: \(descriptors)")
        #expect(result.standardOutput.contains("0\n1\n2\n"))
    }
}
