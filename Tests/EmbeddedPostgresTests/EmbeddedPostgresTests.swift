import Foundation
import Logging
import Testing

@testable import EmbeddedPostgres

#if canImport(Glibc)
    import Glibc
#endif

/// Real clusters, made with the PostgreSQL server binaries of this machine.
@Suite("EmbeddedPostgres")
struct EmbeddedPostgresTests {
    @Test func startCreatesTheClusterAndDatabaseAndReleaseStopsIt() async throws {
        try await ScratchFolder.with { scratch in
            // A name that needs quoting in SQL and percent-encoding in the URL.
            let name = "o'hara db"
            let lease = try await scratch.embedded(databaseName: name).start()

            #expect(lease.superuser == "postgres")
            #expect(lease.socketDirectory == scratch.directory + "/run")
            // The mkdtemp path holds only letters, digits, '-', '.' and '/'; only '/' needs encoding.
            let encodedSocket = lease.socketDirectory.replacingOccurrences(of: "/", with: "%2F")
            #expect(lease.url == "postgres://postgres@localhost:5432/o%27hara%20db?host=\(encodedSocket)")

            let identity = try await scratch.psql(lease.url, "SELECT current_database() || '|' || current_user")
            #expect(identity.succeeded, "\(identity.standardError)")
            #expect(identity.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == "o'hara db|postgres")

            let settings = try await scratch.psql(
                lease.url,
                """
                SELECT current_setting('listen_addresses') || '|' || current_setting('max_connections') || '|'
                    || current_setting('shared_buffers') || '|' || current_setting('unix_socket_permissions') || '|'
                    || current_setting('fsync') || '|' || current_setting('log_min_messages')
                """
            )
            #expect(
                settings.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == "|200|128MB|0700|on|warning")
            expectPrivateFolder(scratch.layout.dataDirectory, owner: scratch.runner.serverUser)
            expectPrivateFolder(scratch.layout.socketDirectory, owner: scratch.runner.serverUser)
            #expect(try await scratch.pgCtlStatus() == 0)

            try await lease.release()
            #expect(try await scratch.pgCtlStatus() == 3)
            #expect(!scratch.socketExists)
            #expect(!FileManager.default.fileExists(atPath: scratch.layout.postmasterPIDFile))
            // A second release is a no-op, not a second stop attempt.
            try await lease.release()
        }
    }

    @Test func concurrentStartsShareOneClusterUntilTheLastRelease() async throws {
        try await ScratchFolder.with { scratch in
            // Two values, as two processes would have; each start() opens its own lock descriptors.
            async let first = scratch.embedded().start()
            async let second = scratch.embedded().start()
            let (a, b) = try await (first, second)

            #expect(a.url == b.url)
            let startTime = "SELECT pg_postmaster_start_time()"
            let (seenByA, seenByB) = (
                try await scratch.psql(a.url, startTime), try await scratch.psql(b.url, startTime)
            )
            #expect(seenByA.succeeded && seenByB.succeeded)
            #expect(seenByA.standardOutput == seenByB.standardOutput)
            let pidFile = PostmasterPIDFile.inspect(
                scratch.layout.postmasterPIDFile, dataDirectory: scratch.layout.dataDirectory)
            guard case .running = pidFile else {
                Issue.record("expected a running postmaster, found \(pidFile)")
                return
            }

            try await a.release()
            #expect(try await scratch.pgCtlStatus() == 0)
            let afterFirst = try await scratch.psql(b.url, startTime)
            #expect(afterFirst.succeeded, "\(afterFirst.standardError)")
            #expect(afterFirst.standardOutput == seenByB.standardOutput, "the server must not have restarted")

            try await b.release()
            #expect(try await scratch.pgCtlStatus() == 3)
            #expect(!scratch.socketExists)
        }
    }

    @Test func laterStartReusesARunningServerItDidNotStart() async throws {
        try await ScratchFolder.with { scratch in
            let first = try await scratch.embedded().start()
            let startTime = try await scratch.psql(first.url, "SELECT pg_postmaster_start_time()")
            let second = try await scratch.embedded(databaseName: "second").start()
            // Same server (not restarted), and the second database was created in it.
            let again = try await scratch.psql(second.url, "SELECT pg_postmaster_start_time()")
            #expect(again.standardOutput == startTime.standardOutput)
            #expect(again.succeeded, "\(again.standardError)")

            try await second.release()
            #expect(try await scratch.pgCtlStatus() == 0)
            try await first.release()
            #expect(try await scratch.pgCtlStatus() == 3)
        }
    }

    @Test func staleProcessIDFileIsRemovedBeforeStarting() async throws {
        try await ScratchFolder.with { scratch in
            let postgres = scratch.embedded()
            try await postgres.start().release()
            let layout = scratch.layout
            #expect(!FileManager.default.fileExists(atPath: layout.postmasterPIDFile))

            // A crash leaves the file naming a process that is gone.
            try "999999999\n\(layout.dataDirectory)\n".write(
                toFile: layout.postmasterPIDFile, atomically: true, encoding: .utf8)
            let afterCrash = try await postgres.start()
            #expect(try await scratch.psql(afterCrash.url, "SELECT 1").succeeded)
            try await afterCrash.release()
            #expect(try await scratch.pgCtlStatus() == 3)

            // After a reboot the number may belong to a live process of the same user; postgres alone
            // would refuse to start ("lock file already exists").
            let sleeper = try await Sleeper.start(runner: scratch.runner)
            defer { sleeper.stop() }
            try "\(sleeper.pid)\n\(layout.dataDirectory)\n".write(
                toFile: layout.postmasterPIDFile, atomically: true, encoding: .utf8)
            try FileSystem.setOwner(layout.postmasterPIDFile, scratch.runner.serverUser)
            let afterReboot = try await postgres.start()
            #expect(try await scratch.psql(afterReboot.url, "SELECT 1").succeeded)
            guard
                case .running(let pid) = PostmasterPIDFile.inspect(
                    layout.postmasterPIDFile, dataDirectory: layout.dataDirectory)
            else {
                Issue.record("expected the new postmaster in postmaster.pid")
                return
            }
            #expect(pid != sleeper.pid)
            try await afterReboot.release()
            #expect(try await scratch.pgCtlStatus() == 3)
        }
    }

    @Test func longFolderPathPutsTheSocketUnderTmp() async throws {
        let deep = (1...4).map { "a-rather-long-folder-name-number-\($0)" }.joined(separator: "/")
        try await ScratchFolder.with(subpath: deep) { scratch in
            let layout = scratch.layout
            #expect((layout.runDirectory + "/.s.PGSQL.5432").utf8.count > ClusterLayout.maximumSocketPathLength)
            let lease = try await scratch.embedded().start()

            #expect(lease.socketDirectory == layout.fallbackSocketDirectory)
            #expect(lease.socketDirectory.hasPrefix("/tmp/stedenband-pg-"))
            expectPrivateFolder(lease.socketDirectory, owner: scratch.runner.serverUser)
            let result = try await scratch.psql(lease.url, "SELECT 1")
            #expect(
                result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == "1", "\(result.standardError)")

            try await lease.release()
            #expect(try await scratch.pgCtlStatus() == 3)
            #expect(!scratch.socketExists)
        }
    }

    @Test func failedStartReportsTheCommandAndTheServerLog() async throws {
        try await ScratchFolder.with { scratch in
            let postgres = scratch.embedded()
            try await postgres.start().release()
            let configuration = try FileHandle(
                forWritingTo: URL(fileURLWithPath: scratch.layout.dataDirectory + "/postgresql.conf"))
            try configuration.seekToEnd()
            try configuration.write(contentsOf: Data("no_such_setting_here = 1\n".utf8))
            try configuration.close()

            let error = await #expect(throws: EmbeddedPostgresError.self) { try await postgres.start() }
            #expect(error?.code == .startFailed)
            let description = error?.description ?? ""
            #expect(description.contains("pg_ctl -D \(scratch.layout.dataDirectory)"))
            #expect(description.contains("exited with status 1"))
            #expect(description.contains("no_such_setting_here"), "the log tail: \(description)")
            // The failed start held no lease: a fixed configuration starts again.
            #expect(try await scratch.pgCtlStatus() == 3)
        }
    }

    @Test func failedDatabaseCreationStopsTheServerItStarted() async throws {
        try await ScratchFolder.with { scratch in
            let first = try await scratch.embedded().start()
            // createdb copies template1: without it, creating another database fails.
            let renamed = try await scratch.psql(
                first.url,
                "ALTER DATABASE template1 IS_TEMPLATE false; ALTER DATABASE template1 RENAME TO template_gone"
            )
            #expect(renamed.succeeded, "\(renamed.standardError)")
            try await first.release()

            let error = await #expect(throws: EmbeddedPostgresError.self) {
                try await scratch.embedded(databaseName: "other").start()
            }
            #expect(error?.code == .commandFailed)
            #expect(error?.description.contains("createdb") == true)
            #expect(error?.description.contains("template1") == true, "the server's reason")
            #expect(try await scratch.pgCtlStatus() == 3, "no lease holds it, so it must not keep running")
        }
    }

    @Test func databaseNamesPostgresWouldTruncateAreRefused() async throws {
        for name in ["", String(repeating: "x", count: 64), "a\0b"] {
            let postgres = EmbeddedPostgres(
                directory: "/nonexistent/folder", databaseName: name, logger: ScratchFolder.logger)
            let error = await #expect(throws: EmbeddedPostgresError.self) { try await postgres.start() }
            #expect(error?.code == .invalidDatabaseName)
        }
        #expect(!FileManager.default.fileExists(atPath: "/nonexistent/folder"))
    }

    @Test func missingBinariesNameThePackageToInstall() async throws {
        try await ScratchFolder.with { scratch in
            let locator = PostgresBinaryLocator(
                pgConfigPath: scratch.root + "/no/pg_config",
                versionedRoots: [scratch.root],
                searchPath: []
            )
            let postgres = EmbeddedPostgres(
                directory: scratch.directory,
                databaseName: "stedenband",
                logger: ScratchFolder.logger,
                locator: locator
            )
            let error = await #expect(throws: EmbeddedPostgresError.self) { try await postgres.start() }
            #expect(error?.code == .binariesNotFound)
            #expect(error?.description.contains("apt-get install -y postgresql") == true)
            #expect(!FileManager.default.fileExists(atPath: scratch.directory), "nothing is created without binaries")
        }
    }
}

/// A live process of the server user that is not postgres: `sleep`, whose process id the tests put in
/// `postmaster.pid`. As root it runs through runuser, so its id is read from the shell before `exec`.
struct Sleeper {
    let process: Process
    let pid: Int32

    static func start(runner: CommandRunner) async throws -> Sleeper {
        let process = Process()
        let script = "echo $$; exec sleep 300"
        if let user = runner.serverUser {
            process.executableURL = URL(fileURLWithPath: user.runuserPath)
            process.arguments = ["-u", user.name, "--", "/bin/sh", "-c", script]
        } else {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", script]
        }
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let handle = output.fileHandleForReading
        let line = try await DedicatedThread.run(named: "sleeper") { () throws -> String in
            var bytes: [UInt8] = []
            while let byte = try handle.read(upToCount: 1)?.first, byte != UInt8(ascii: "\n") {
                bytes.append(byte)
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        let pid = try #require(Int32(line))
        #expect(PostmasterPIDFile.isPostmaster(pid, dataDirectory: "/") == false)
        #expect(kill(pid, 0) == 0)
        return Sleeper(process: process, pid: pid)
    }

    /// Kills `sleep`; runuser (or sh) then exits on its own.
    func stop() {
        kill(pid, SIGKILL)
    }
}
