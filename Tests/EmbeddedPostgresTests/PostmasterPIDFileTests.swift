import Foundation
import Testing

@testable import EmbeddedPostgres

#if canImport(Glibc)
    import Glibc
#endif

/// Telling a live postmaster from a stale file; the live case is covered by the cluster tests.
@Suite("PostmasterPIDFile")
struct PostmasterPIDFileTests {
    func inspect(_ contents: String?) throws -> PostmasterPIDFile {
        var result: PostmasterPIDFile = .absent
        let folder = NSTemporaryDirectory() + "pidfile-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/postmaster.pid"
        if let contents {
            try contents.write(toFile: path, atomically: true, encoding: .utf8)
        }
        result = PostmasterPIDFile.inspect(path, dataDirectory: folder)
        return result
    }

    @Test func missingFileIsAbsent() throws {
        #expect(try inspect(nil) == .absent)
    }

    @Test func unreadableNumberIsStale() throws {
        #expect(try inspect("") == .stale(pid: nil))
        #expect(try inspect("not a pid\n/data\n") == .stale(pid: nil))
        #expect(try inspect("99999999999999\n") == .stale(pid: nil))
    }

    @Test func processThatIsGoneIsStale() throws {
        #expect(try inspect("999999999\n/data\n") == .stale(pid: 999_999_999))
    }

    @Test func liveProcessThatIsNotPostgresIsStale() throws {
        let pid = getpid()
        #expect(kill(pid, 0) == 0)
        #expect(try inspect("\(pid)\n/data\n") == .stale(pid: pid))
        #expect(try inspect("-\(pid)\n/data\n") == .stale(pid: pid), "single-user mode writes the id negated")
    }
}
