import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One lease's mark in `<folder>/leases/`: a file of its own, exclusively flock'ed while the lease lives.
///
/// Why not one shared flock on a single `users.lock`, tested with a non-blocking exclusive lock by the last
/// user out? Because a lock belongs to an open file description, and any fork in this process (a
/// `posix_spawn` by another thread, say) copies the descriptor table: until that child reaches `exec`,
/// which under load takes milliseconds, the copy keeps a just-released shared lock alive and the last
/// user wrongly sees another one. With a file per lease, a released lease unlinks its file before closing
/// it, so no copy of it can be counted; a file whose lock can be taken belongs to a process that died.
struct LeaseFile: Sendable {
    /// The lease's file.
    let path: String
    /// The exclusive lock on it.
    let lock: FileLock

    /// Creates and locks a new lease file in `directory`. Call with `control.lock` held.
    ///
    /// - Throws: `EmbeddedPostgresError` with code `lockFailed`.
    static func create(in directory: String) throws -> LeaseFile {
        let path = "\(directory)/\(getpid())-\(UUID().uuidString.lowercased()).lease"
        let descriptor = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw EmbeddedPostgresError(.lockFailed, "Could not create \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let reason = String(cString: strerror(errno))
            _ = close(descriptor)
            _ = unlink(path)
            throw EmbeddedPostgresError(.lockFailed, "Could not lock \(path): \(reason)")
        }
        return LeaseFile(path: path, lock: FileLock(path: path, descriptor: descriptor))
    }

    /// Ends the lease: unlinks the file first, then drops the lock, so no scan can count it again.
    func remove() {
        _ = unlink(path)
        lock.release()
    }

    /// How many leases in `directory` are alive, removing the files of leases whose process died.
    /// Call with `control.lock` held.
    static func liveCount(in directory: String, logger: Logger) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var live = 0
        for name in names where name.hasSuffix(".lease") {
            let path = directory + "/" + name
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { continue }  // Removed meanwhile.
            defer { _ = close(descriptor) }
            if flock(descriptor, LOCK_EX | LOCK_NB) == 0 {
                logger.info("Removing the lease file of a process that is gone", metadata: ["postgres.file": "\(path)"])
                _ = unlink(path)
            } else {
                live += 1
            }
        }
        return live
    }
}
