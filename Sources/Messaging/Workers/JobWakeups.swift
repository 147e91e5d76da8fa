import Logging
import Postgres

/// Wakes the ``JobProducer``: at once on a NOTIFY on ``PostgresJobQueue/channel`` (the listener), on a
/// finished job, and on a timer in case a notification was missed. Wake-ups that arrive while the producer
/// is busy fold into one.
final class JobWakeups: Sendable {
    /// The wake-ups, for the producer alone to wait on.
    let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation
    private let listener: PostgresListener?

    /// Makes the wake-ups; `listenOn` is the connection to LISTEN with (nil: the timer only).
    init(listenOn: PostgresConfiguration?, logger: Logger) {
        self.listener = listenOn.map {
            PostgresListener(configuration: $0, channels: [PostgresJobQueue.channel], logger: logger)
        }
        (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Wakes the producer, or makes sure that it looks again once it waits.
    func wake() { continuation.yield() }

    /// Wakes the producer on every notification, until cancelled.
    func listen() async {
        guard let listener else { return }
        for await _ in listener.events() {
            wake()
            if Task.isCancelled { break }
        }
    }

    /// Wakes the producer every `interval`, until cancelled.
    func tick(every interval: Duration) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            wake()
        }
    }
}
