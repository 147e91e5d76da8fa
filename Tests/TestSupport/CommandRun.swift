import Foundation

/// The `stedenband` binary run as a child process, with its output captured in files (pipes could fill
/// and stall a chatty child).
public final class CommandRun: Sendable {
    /// The child.
    public let process: Process
    private let stdoutPath: String
    private let stderrPath: String

    /// Starts `stedenband arguments…` with `environment` added to a minimal environment; `executable` and
    /// `currentDirectory` default to the build's binary and the test's working directory.
    public init(
        _ arguments: [String], environment: [String: String], executable: String = TestPaths.binary,
        currentDirectory: String? = nil
    ) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("stedenband-run-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        stdoutPath = folder + "/stdout"
        stderrPath = folder + "/stderr"
        FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        FileManager.default.createFile(atPath: stderrPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        process.arguments = arguments
        var base = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "LOG_LEVEL": "warning"]
        base.merge(environment) { _, new in new }
        process.environment = base
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        process.standardInput = FileHandle.nullDevice
        self.process = process
        try process.run()
    }

    /// Waits for the child to exit and returns its status; polls, so no thread of the pool blocks.
    public func exitStatus(timeout: Duration = .seconds(60)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                process.terminate()
                throw CommandTimeout(arguments: process.arguments ?? [])
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return process.terminationStatus
    }

    /// The address a `serve` child prints once it listens (`stedenband is serving on URL`), waiting for it;
    /// nil when the child exits or `timeout` passes first.
    public func servingURL(within timeout: Duration = .seconds(60)) async throws -> String? {
        let prefix = "stedenband is serving on "
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = standardOutput.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) {
                return String(line.dropFirst(prefix.count))
            }
            guard process.isRunning else { return nil }
            try await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    /// What the child printed so far on standard output.
    public var standardOutput: String { read(stdoutPath) }
    /// What the child printed so far on standard error.
    public var standardError: String { read(stderrPath) }

    private func read(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    /// Runs a command to its end.
    public static func run(
        _ arguments: [String],
        environment: [String: String],
        executable: String = TestPaths.binary,
        currentDirectory: String? = nil
    ) async throws -> (status: Int32, stdout: String, stderr: String) {
        let run = try CommandRun(
            arguments, environment: environment, executable: executable, currentDirectory: currentDirectory)
        let status = try await run.exitStatus()
        return (status, run.standardOutput, run.standardError)
    }
}

/// A child process that did not exit in time.
public struct CommandTimeout: Error, CustomStringConvertible {
    /// Its arguments.
    public var arguments: [String]

    /// Describes the command that did not exit.
    public init(arguments: [String]) {
        self.arguments = arguments
    }

    public var description: String { "stedenband \(arguments.joined(separator: " ")) did not exit in time" }
}
