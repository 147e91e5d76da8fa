import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What `data/postmaster.pid` says about the server, checked against the running processes.
///
/// postgres writes the file at start and removes it on a clean stop; after a crash or a power loss the
/// file stays, and its process id may by then belong to any other process. postgres itself gives up
/// when that process is alive and owned by its user, so a stale file is recognised and removed here.
enum PostmasterPIDFile: Equatable, Sendable {
    /// No file: the server is not running.
    case absent
    /// The file names a live postgres process working in this data directory.
    case running(pid: Int32)
    /// The file names no process, or one that is not this cluster's postmaster.
    case stale(pid: Int32?)

    /// Inspects the file at `path`, written by the cluster in `dataDirectory`.
    static func inspect(_ path: String, dataDirectory: String) -> Self {
        guard let contents = try? String(contentsOfFile: path, encoding: .utf8) else {
            return FileManager.default.fileExists(atPath: path) ? .stale(pid: nil) : .absent
        }
        let firstLine = contents.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        // A standalone backend (single-user mode) writes its process id negated.
        guard let value = Int(firstLine.trimmingCharacters(in: .whitespaces)).map(abs), value > 0,
            let pid = Int32(exactly: value)
        else { return .stale(pid: nil) }
        return isPostmaster(pid, dataDirectory: dataDirectory) ? .running(pid: pid) : .stale(pid: pid)
    }

    /// Whether `pid` is alive, is a postgres process, and works in `dataDirectory` where that can be read
    /// (postgres changes into its data directory; `/proc` shows it to root and to the owner).
    static func isPostmaster(_ pid: Int32, dataDirectory: String) -> Bool {
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        if let command = try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8) {
            let name = command.trimmingCharacters(in: .whitespacesAndNewlines)
            guard name == "postgres" || name == "postmaster" else { return false }
        }
        if let workingDirectory = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/cwd") {
            let expected = URL(fileURLWithPath: dataDirectory).resolvingSymlinksInPath().path
            return workingDirectory == expected || workingDirectory == dataDirectory
        }
        return true
    }
}
