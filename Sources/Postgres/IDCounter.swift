import Synchronization

/// Hands out process-wide connection numbers.
final class IDCounter: Sendable {
    private let value = Mutex(0)

    func next() -> Int {
        value.withLock { value in
            value += 1
            return value
        }
    }
}
