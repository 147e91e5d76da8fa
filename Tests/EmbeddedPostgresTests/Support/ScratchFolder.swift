import Foundation
import Logging
import Testing

@testable import EmbeddedPostgres

#if canImport(Glibc)
    import Glibc
#endif

/// A fresh folder under /tmp for one test, and the tools to look at the cluster made in it.
///
/// `ScratchFolder.with` stops any server left running and removes the folder (and a fallback socket
/// folder under /tmp) when the test ends, whether it passed, failed an expectation or threw.
struct ScratchFolder {
    /// The mkdtemp folder (mode 0700, like `mktemp -d`).
    let root: String
    /// The cluster folder inside it.
    let directory: String
    /// The programs and the runner the tests use to check the cluster from outside.
    let binaries: PostgresBinaries
    /// Runs programs as the server user when root, like the code under test.
    let runner: CommandRunner

    /// Quiet: the tests assert on results and errors, which carry the detail.
    static let logger = Logger(label: "EmbeddedPostgresTests") { _ in SwiftLogNoOpLogHandler() }

    /// The cluster's layout.
    var layout: ClusterLayout { ClusterLayout(directory: directory) }

    /// Runs `body` with a new scratch folder whose cluster folder is `<root>/<subpath>`, then cleans up.
    static func with(
        subpath: String = "cluster",
        _ body: (ScratchFolder) async throws -> Void
    ) async throws {
        var template = Array("/tmp/embedded-pg-test.XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        let root = String(cString: try #require(made))
        let runner = CommandRunner(serverUser: try await ServerUser.forCurrentProcess(logger: logger), logger: logger)
        let scratch = ScratchFolder(
            root: root,
            directory: root + "/" + subpath,
            binaries: try await PostgresBinaryLocator.system().locate(runner: runner),
            runner: runner
        )
        do {
            try await body(scratch)
        } catch {
            await scratch.cleanUp()
            throw error
        }
        await scratch.cleanUp()
    }

    /// An `EmbeddedPostgres` for this folder.
    func embedded(databaseName: String = "stedenband") -> EmbeddedPostgres {
        EmbeddedPostgres(directory: directory, databaseName: databaseName, logger: Self.logger)
    }

    /// Runs `sql` through psql against `url`, as the server user when root (the socket is 0700).
    func psql(_ url: String, _ sql: String) async throws -> CommandResult {
        try await runner.run(binaries.psql, ["-X", "-v", "ON_ERROR_STOP=1", url, "-tAc", sql])
    }

    /// The exit status of `pg_ctl status`: 0 running, 3 not running, 4 no cluster.
    func pgCtlStatus() async throws -> Int32 {
        try await runner.run(binaries.pgCtl, ["-D", layout.dataDirectory, "status"]).exitStatus
    }

    /// Whether the socket file exists.
    var socketExists: Bool {
        FileManager.default.fileExists(atPath: layout.socketFile)
    }

    /// Stops a server left running (immediate mode: nothing to keep) and removes the folders.
    func cleanUp() async {
        if FileManager.default.fileExists(atPath: layout.postmasterPIDFile) {
            _ = try? await runner.run(binaries.pgCtl, ["-D", layout.dataDirectory, "-m", "immediate", "-w", "stop"])
        }
        if layout.usesFallbackSocketDirectory {
            try? FileManager.default.removeItem(atPath: layout.socketDirectory)
        }
        try? FileManager.default.removeItem(atPath: root)
    }
}

/// Asserts that `path` is a folder with mode 0700 owned by the user that runs postgres.
func expectPrivateFolder(_ path: String, owner: ServerUser?, sourceLocation: SourceLocation = #_sourceLocation) {
    var status = stat()
    #expect(stat(path, &status) == 0, "stat \(path)", sourceLocation: sourceLocation)
    #expect(status.st_mode & 0o777 == 0o700, "mode of \(path)", sourceLocation: sourceLocation)
    #expect(status.st_uid == owner?.uid ?? geteuid(), "owner of \(path)", sourceLocation: sourceLocation)
}
