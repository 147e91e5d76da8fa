import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive flock(2) lock on a file, held through an open file descriptor of its own.
///
/// Locks taken through distinct descriptors conflict even inside one process, so two `start()` calls
/// in one process exclude each other exactly as two processes do. The kernel drops the lock when the
/// descriptor closes, including when the process dies, so a crash never leaves a lock behind.
struct FileLock: Sendable {
    /// The locked file.
    let path: String
    /// The descriptor holding the lock; opened close-on-exec so the postmaster never inherits it.
    let descriptor: Int32

    /// Takes the lock on `path` (creating the file), waiting on a dedicated thread while another holder has it.
    ///
    /// - Throws: `EmbeddedPostgresError` with code `lockFailed`.
    static func acquire(_ path: String) async throws -> FileLock {
        try await DedicatedThread.run(named: "postgres-flock") {
            // Read-only suffices for flock, and works whoever created the file.
            let descriptor = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                throw EmbeddedPostgresError(.lockFailed, "Could not open \(path): \(String(cString: strerror(errno)))")
            }
            while flock(descriptor, LOCK_EX) != 0 {
                guard errno == EINTR else {
                    let reason = String(cString: strerror(errno))
                    _ = close(descriptor)
                    throw EmbeddedPostgresError(.lockFailed, "Could not lock \(path): \(reason)")
                }
            }
            return FileLock(path: path, descriptor: descriptor)
        }
    }

    /// Drops the lock by closing the descriptor.
    func release() {
        _ = close(descriptor)
    }
}
