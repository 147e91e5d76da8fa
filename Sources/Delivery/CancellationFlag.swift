import Synchronization

/// Set when the task waiting for a transfer was cancelled, so the transfer can stop early.
final class CancellationFlag: Sendable {
    private let raised = Atomic(false)

    /// Marks the transfer as no longer wanted.
    func raise() { raised.store(true, ordering: .relaxed) }

    /// True once ``raise()`` was called.
    var isRaised: Bool { raised.load(ordering: .relaxed) }
}
