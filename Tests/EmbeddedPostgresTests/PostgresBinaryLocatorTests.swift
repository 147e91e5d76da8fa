import Foundation
import Logging
import Testing

@testable import EmbeddedPostgres

/// Finding the binaries, on fake installations made of empty executable files.
@Suite("PostgresBinaryLocator")
struct PostgresBinaryLocatorTests {
    let runner = CommandRunner(serverUser: nil, logger: ScratchFolder.logger)

    /// Makes executable files `names` in `folder`.
    func install(_ names: [String], in folder: String, contents: String = "#!/bin/sh\nexit 0\n") throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for name in names {
            let path = folder + "/" + name
            try contents.write(toFile: path, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        }
    }

    let all = PostgresBinaries.serverPrograms + PostgresBinaries.clientPrograms

    @Test func picksTheNewestCompleteVersion() async throws {
        try await ScratchFolder.with { scratch in
            try install(all, in: scratch.root + "/9.6/bin")
            try install(all, in: scratch.root + "/14/bin")
            try install(["postgres", "initdb"], in: scratch.root + "/16/bin")  // no pg_ctl: incomplete
            try install([], in: scratch.root + "/notaversion/bin")
            let locator = PostgresBinaryLocator(
                pgConfigPath: "/nonexistent/pg_config", versionedRoots: [scratch.root], searchPath: [])

            let binaries = try await locator.locate(runner: runner)
            #expect(binaries.directory == scratch.root + "/14/bin")
            #expect(binaries.pgCtl == scratch.root + "/14/bin/pg_ctl")
            #expect(binaries.psql == scratch.root + "/14/bin/psql")
        }
    }

    @Test func prefersPgConfigBindir() async throws {
        try await ScratchFolder.with { scratch in
            let chosen = scratch.root + "/chosen"
            try install(PostgresBinaries.serverPrograms, in: chosen)
            try install(all, in: scratch.root + "/17/bin")
            // Client programs not beside the server ones are taken from PATH.
            try install(PostgresBinaries.clientPrograms, in: scratch.root + "/path")
            try install(["pg_config"], in: scratch.root + "/tools", contents: "#!/bin/sh\necho '\(chosen)'\n")
            let locator = PostgresBinaryLocator(
                pgConfigPath: scratch.root + "/tools/pg_config",
                versionedRoots: [scratch.root],
                searchPath: [scratch.root + "/path"]
            )

            let binaries = try await locator.locate(runner: runner)
            #expect(binaries.directory == chosen)
            #expect(binaries.initdb == chosen + "/initdb")
            #expect(binaries.createdb == scratch.root + "/path/createdb")
        }
    }

    @Test func missingBinariesThrowTheInstallHint() async throws {
        try await ScratchFolder.with { scratch in
            try install(["postgres"], in: scratch.root + "/15/bin")
            let locator = PostgresBinaryLocator(pgConfigPath: nil, versionedRoots: [scratch.root], searchPath: [])

            let error = await #expect(throws: EmbeddedPostgresError.self) { try await locator.locate(runner: runner) }
            #expect(error?.code == .binariesNotFound)
            let hint =
                "PostgreSQL server binaries not found: install them with `apt-get install -y postgresql` "
                + "(Debian/Ubuntu)"
            #expect(error?.description.contains(hint) == true)
            #expect(error?.description.contains("\(scratch.root)/*/bin") == true, "says where it looked")
        }
    }

    @Test func versionFoldersSortNumerically() async throws {
        try await ScratchFolder.with { scratch in
            for name in ["9", "10", "9.6", "16", "latest"] {
                try FileManager.default.createDirectory(
                    atPath: scratch.root + "/" + name, withIntermediateDirectories: true)
            }
            let order = PostgresBinaryLocator.versionDirectories(under: scratch.root)
            #expect(order == ["16", "10", "9.6", "9"].map { scratch.root + "/\($0)/bin" })
            #expect(PostgresBinaryLocator.versionDirectories(under: scratch.root + "/missing").isEmpty)
        }
    }
}
