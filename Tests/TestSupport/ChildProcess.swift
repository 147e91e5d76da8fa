import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A helper program run by a test (Python, openssl), with its output captured in files and its end
/// awaited by polling, so no thread of the cooperative pool blocks on it.
public final class ChildProcess: Sendable {
    /// The child.
    public let process: Process
    /// Kept open for the child's whole life: the test servers exit when their standard input closes,
    /// which also happens when the test process dies without cleaning up.
    private let input: Pipe
    private let folder: String
    private let stdoutPath: String
    private let stderrPath: String

    /// Starts `executable arguments…`; `input` is written to its standard input, which then stays open
    /// until ``terminate(timeout:)`` or ``closeInput()``.
    public init(_ executable: String, _ arguments: [String], input: [UInt8] = []) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("stedenband-child-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        self.folder = folder
        stdoutPath = folder + "/stdout"
        stderrPath = folder + "/stderr"
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        let pipe = Pipe()
        process.standardInput = pipe
        self.process = process
        self.input = pipe
        try process.run()
        if !input.isEmpty {
            try pipe.fileHandleForWriting.write(contentsOf: input)
        }
    }

    /// Runs a program to its end and returns what it printed.
    public static func run(
        _ executable: String,
        _ arguments: [String],
        input: [UInt8] = [],
        timeout: Duration = .seconds(30)
    ) async throws -> (status: Int32, stdout: String, stderr: String) {
        let child = try ChildProcess(executable, arguments, input: input)
        child.closeInput()
        let status = try await child.exitStatus(timeout: timeout)
        return (status, child.standardOutput, child.standardError)
    }

    /// Closes the child's standard input: it reads end of file.
    public func closeInput() {
        try? input.fileHandleForWriting.close()
    }

    /// Waits for the child to exit and returns its status; kills it and throws after `timeout`.
    public func exitStatus(timeout: Duration) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                kill(process.processIdentifier, SIGKILL)
                throw ChildProcessError(
                    description: "\(process.executableURL?.path ?? "child") did not exit within \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        return process.terminationStatus
    }

    /// Stops the child: SIGTERM, then SIGKILL if it has not exited within `timeout`; returns once it is gone.
    public func terminate(timeout: Duration = .seconds(5)) async {
        closeInput()
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            while process.isRunning {
                try? await Task.sleep(for: .milliseconds(10))
            }
        }
    }

    /// Kills the child at once if it still runs (the last resort when a test dropped it without stopping
    /// it), and removes its output files.
    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
        }
        try? input.fileHandleForWriting.close()
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// What the child printed so far on standard output.
    public var standardOutput: String { read(stdoutPath) }
    /// What the child printed so far on standard error.
    public var standardError: String { read(stderrPath) }

    private func read(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }
}

/// A helper program that failed, or could not be found.
public struct ChildProcessError: Error, CustomStringConvertible {
    /// What went wrong.
    public var description: String

    /// An error explained by `description`.
    public init(description: String) {
        self.description = description
    }
}

/// The Python interpreter the test servers run on.
public enum TestPython {
    private static let found = Mutex<[String: String]>([:])

    /// An interpreter that can import `module` (nil: any Python 3): Debian's `/usr/bin/python3` first,
    /// since a `python3` earlier on PATH (pyenv, a virtualenv) often lacks the Debian packages.
    /// - Throws: naming the package to install when none fits.
    public static func interpreter(importing module: String? = nil) async throws -> String {
        let key = module ?? ""
        if let path = found.withLock({ $0[key] }) { return path }
        var candidates = ["/usr/bin/python3"]
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let path = "\(folder)/python3"
            if FileManager.default.isExecutableFile(atPath: path), !candidates.contains(path) {
                candidates.append(path)
            }
        }
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) {
            let check = try await ChildProcess.run(candidate, ["-c", "import \(module ?? "sys")"])
            if check.status == 0 {
                found.withLock { $0[key] = candidate }
                return candidate
            }
        }
        let package = module.map { "python3-\($0)" } ?? "python3"
        throw ChildProcessError(
            description:
                "no Python 3 that can import \(module ?? "sys") (tried \(candidates.joined(separator: ", "))); "
                + "install it with: apt-get install \(package) (scripts/install-deps does)")
    }

    /// The path of a script in `scripts/test-servers/`.
    public static func script(_ name: String) -> String {
        TestPaths.root + "/scripts/test-servers/" + name
    }
}
