import EmbeddedPostgres
import Foundation

// What the benchmarks beside the server share (`make bench`, `make bench-showcase`): their error, their output,
// how they run the programs they measure against (wrk, pgbench) and the arithmetic of their figures.

/// A benchmark that cannot go on; the text says why.
public struct BenchError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Writes `line` to standard output at once (a run's progress reads as it goes).
public func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// A duration in seconds.
public func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// A figure for a table: whole from 100 up, one decimal below.
public func format(_ value: Double) -> String {
    value >= 100 ? String(Int(value.rounded())) : String(format: "%.1f", value)
}

/// The nearest-rank percentile of sorted values (as `scripts/bench-pages` takes it).
public func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    let rank = Int((fraction * Double(sorted.count)).rounded()) - 1
    return sorted[min(sorted.count - 1, max(0, rank))]
}

/// Runs commands to completion.
public enum Command {
    /// Runs `executable` and answers its standard output; a non-zero exit throws with its standard error.
    ///
    /// Through posix_spawn with no signal blocked in the child (`Subprocess`): a child of Foundation's `Process`
    /// inherits the blocked signals of the thread that spawned it, and `pgbench -T` never hears its SIGALRM.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:])
        async throws -> String
    {
        // In this folder, so the programs find the migrations and scripts by their relative paths.
        let outcome = try await Subprocess.run(
            try locate(executable), arguments,
            environment: ProcessInfo.processInfo.environment.merging(environment) { $1 },
            directory: FileManager.default.currentDirectoryPath)
        guard outcome.status == 0, !outcome.killedBySignal else {
            throw BenchError(
                "\(executable) \(arguments.joined(separator: " ")) failed (exit \(outcome.status)): "
                    + String(decoding: outcome.standardError, as: UTF8.self).suffix(2_000))
        }
        return String(decoding: outcome.standardOutput, as: UTF8.self)
    }

    /// A path as given, or found on `PATH` or among the PostgreSQL server's programs.
    public static func locate(_ executable: String) throws -> String {
        if executable.hasPrefix("/") { return executable }
        if executable.contains("/") { return FileManager.default.currentDirectoryPath + "/" + executable }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let folders =
            path.split(separator: ":").map(String.init)
            + ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).sorted().reversed()
            .map { "/usr/lib/postgresql/\($0)/bin" }
        for folder in folders where FileManager.default.isExecutableFile(atPath: "\(folder)/\(executable)") {
            return "\(folder)/\(executable)"
        }
        throw BenchError("\(executable) is not installed (scripts/install-deps installs it)")
    }
}
