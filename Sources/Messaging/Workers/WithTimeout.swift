/// Runs `body`, and throws ``JobTimedOut`` once it has run longer than `timeout`: the body is cancelled, and
/// the error is thrown when it returns (a statement already sent finishes first).
func withTimeout(_ timeout: Duration, _ body: @escaping @Sendable () async throws -> Void) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw JobTimedOut(timeout: timeout)
        }
        try await group.next()
        group.cancelAll()
    }
}
