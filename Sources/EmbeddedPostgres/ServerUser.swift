import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The system user that runs the PostgreSQL server programs when this process is root.
struct ServerUser: Sendable, Equatable {
    /// The account name, `postgres`.
    var name: String
    /// Its user id.
    var uid: uid_t
    /// Its primary group id.
    var gid: gid_t
    /// All groups it belongs to, primary group included.
    var groups: [gid_t]
    /// The `runuser` program that switches to it.
    var runuserPath: String

    /// The account PostgreSQL's own packages create, and the superuser role name used here.
    static let defaultName = "postgres"

    /// Whether this process runs as root, so the server programs must run as another user.
    static var processIsRoot: Bool { geteuid() == 0 }

    /// The server user for this process: `nil` when not root, else the `postgres` account,
    /// created as a system user (no home, no login shell) when it does not exist yet.
    ///
    /// - Throws: `EmbeddedPostgresError` with code `systemUserFailed`.
    static func forCurrentProcess(logger: Logger) async throws -> ServerUser? {
        guard processIsRoot else { return nil }
        let directories = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"]
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        guard let runuser = PostgresBinaryLocator.findExecutable("runuser", in: path + directories) else {
            throw EmbeddedPostgresError(
                .systemUserFailed,
                "Running as root, but `runuser` (util-linux) was not found to run PostgreSQL as `\(defaultName)`"
            )
        }
        if let user = lookUp(defaultName, runuserPath: runuser) {
            return user
        }
        logger.notice("Creating the system user that runs PostgreSQL", metadata: ["postgres.user": "\(defaultName)"])
        let runner = CommandRunner(serverUser: nil, logger: logger)
        var failures: [String] = []
        if let useradd = PostgresBinaryLocator.findExecutable("useradd", in: path + directories) {
            let arguments = [
                "--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", defaultName,
            ]
            let result = try await runner.run(useradd, arguments, asServerUser: false)
            if !result.succeeded {
                failures.append(result.error(.systemUserFailed, "useradd failed").message)
            }
        } else if let adduser = PostgresBinaryLocator.findExecutable("adduser", in: path + directories) {
            let arguments = ["--system", "--group", "--no-create-home", "--shell", "/usr/sbin/nologin", defaultName]
            let result = try await runner.run(adduser, arguments, asServerUser: false)
            if !result.succeeded {
                failures.append(result.error(.systemUserFailed, "adduser failed").message)
            }
        } else {
            failures.append("neither `useradd` nor `adduser` was found")
        }
        // Another process may have created it meanwhile, making our attempt fail harmlessly.
        if let user = lookUp(defaultName, runuserPath: runuser) {
            return user
        }
        throw EmbeddedPostgresError(
            .systemUserFailed,
            "Could not create the `\(defaultName)` system user that runs PostgreSQL as root: "
                + failures.joined(separator: "; ")
        )
    }

    /// The account called `name`, if it exists.
    static func lookUp(_ name: String, runuserPath: String) -> ServerUser? {
        var entry = passwd()
        var found: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16_384)
        guard getpwnam_r(name, &entry, &buffer, buffer.count, &found) == 0, found != nil else { return nil }
        let uid = entry.pw_uid
        let gid = entry.pw_gid
        var count: Int32 = 64
        var groups = [gid_t](repeating: 0, count: Int(count))
        #if canImport(Darwin)
            let listed = groups.withUnsafeMutableBufferPointer { buffer in
                buffer.baseAddress!.withMemoryRebound(to: Int32.self, capacity: buffer.count) {
                    getgrouplist(name, Int32(bitPattern: gid), $0, &count)
                }
            }
        #else
            let listed = getgrouplist(name, gid, &groups, &count)
        #endif
        let memberships = listed >= 0 ? Array(groups.prefix(Int(count))) : [gid]
        return ServerUser(name: name, uid: uid, gid: gid, groups: memberships, runuserPath: runuserPath)
    }
}
