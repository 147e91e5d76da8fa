import Foundation

/// Runs blocking work (flock, reading a pipe to its end) on a thread of its own.
///
/// The Swift concurrency pool has as many threads as cores; a call that blocks there for seconds
/// (waiting for another process's lock, or for `initdb` to close its output) would starve every
/// other task of the server, so such calls never run on it.
enum DedicatedThread {
    /// Runs `body` on a new thread and resumes the caller with its result.
    static func run<Value: Sendable>(
        named name: String,
        _ body: @escaping @Sendable () throws -> Value
    ) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try body() })
            }
            thread.name = name
            thread.start()
        }
    }

    /// Runs non-throwing `body` on a new thread and resumes the caller with its result.
    static func run<Value: Sendable>(
        named name: String,
        _ body: @escaping @Sendable () -> Value
    ) async -> Value {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: body())
            }
            thread.name = name
            thread.start()
        }
    }
}
