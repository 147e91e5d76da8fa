import CLibPQ
import Dispatch
import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Listens on channels over a dedicated connection of its own, and reconnects when that connection breaks.
///
/// Iterate ``events()``: every (re)connection yields ``Event/listening`` once the `LISTEN`s are in place,
/// because notifications sent while disconnected are lost, so a consumer should then look for work it may
/// have missed (the queue polls). The connection is closed when the iteration ends.
public struct PostgresListener: Sendable {
    /// What a listener reports.
    public enum Event: Sendable, Hashable {
        /// The listener is (again) connected and listening; anything sent before may have been missed.
        case listening
        /// A notification arrived.
        case notification(PostgresNotification)
        /// The connection broke; reported only with ``reportsDisconnects`` (a reconnection follows).
        case disconnected
    }

    /// Where to connect.
    public var configuration: PostgresConfiguration
    /// The channels to listen on.
    public var channels: [String]
    /// The first wait before reconnecting; it doubles up to ``maximumReconnectDelay``.
    public var reconnectDelay: Duration
    /// The longest wait between reconnection attempts.
    public var maximumReconnectDelay: Duration
    /// Whether a broken connection is reported as ``Event/disconnected`` (for a consumer that must know
    /// while notifications cannot arrive, such as a cache they invalidate); off by default.
    public var reportsDisconnects = false
    private let logger: Logger

    /// Makes a listener; nothing connects until ``events()`` is iterated.
    public init(
        configuration: PostgresConfiguration,
        channels: [String],
        reconnectDelay: Duration = .milliseconds(100),
        maximumReconnectDelay: Duration = .seconds(5),
        logger: Logger
    ) {
        self.configuration = configuration
        self.channels = channels
        self.reconnectDelay = reconnectDelay
        self.maximumReconnectDelay = maximumReconnectDelay
        self.logger = logger
    }

    /// The events, until the consumer stops iterating.
    ///
    /// The connection lives on a thread of its own that waits on the socket, never on Swift's pool.
    public func events() -> AsyncStream<Event> {
        let (stream, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .unbounded)
        let stop = StopSignal()
        continuation.onTermination = { _ in stop.raise() }
        let listener = self
        let thread = Thread {
            listener.run(stop: stop) { continuation.yield($0) }
            continuation.finish()
        }
        thread.name = "postgres-listener"
        thread.start()
        return stream
    }

    private func run(stop: StopSignal, yield: (Event) -> Void) {
        var delay = reconnectDelay
        while !stop.isRaised {
            if let connection = connectAndListen() {
                delay = reconnectDelay
                yield(.listening)
                receive(on: connection, stop: stop, yield: yield)
                if !stop.isRaised {
                    logger.warning("postgres listener lost its connection; reconnecting")
                    if reportsDisconnects { yield(.disconnected) }
                }
            }
            if stop.isRaised { break }
            stop.wait(for: delay)
            delay = min(delay * 2, maximumReconnectDelay)
        }
    }

    private func connectAndListen() -> ConnectionHandle? {
        let parameters = configuration.connectionParameters
        let pointer = withCStringArrays(parameters.map(\.keyword), parameters.map(\.value)) { keywords, values in
            PQconnectdbParams(keywords, values, 0)
        }
        guard let pointer else { return nil }
        let handle = ConnectionHandle(pointer)
        guard PQstatus(pointer) == CONNECTION_OK else {
            logger.warning("postgres listener could not connect", metadata: ["error": "\(handle.errorMessage)"])
            return nil
        }
        handle.routeNotices(to: logger)
        for channel in channels {
            let result = ResultHandle(PQexec(pointer, "LISTEN " + PostgresQuery.quoteIdentifier(channel)))
            guard let status = result.pointer.map(PQresultStatus), status == PGRES_COMMAND_OK else {
                logger.warning("postgres listener could not LISTEN", metadata: ["postgres.channel": "\(channel)"])
                return nil
            }
        }
        return handle
    }

    private func receive(on connection: ConnectionHandle, stop: StopSignal, yield: (Event) -> Void) {
        let pointer = connection.pointer
        let socket = PQsocket(pointer)
        guard socket >= 0 else { return }
        while !stop.isRaised {
            var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 200)
            if ready < 0 && errno != EINTR { return }
            if ready > 0 {
                if PQconsumeInput(pointer) == 0 { return }
                while let notification = PQnotifies(pointer) {
                    let event = PostgresNotification(
                        channel: String(cString: notification.pointee.relname),
                        payload: String(cString: notification.pointee.extra),
                        senderPID: notification.pointee.be_pid
                    )
                    PQfreemem(notification)
                    yield(.notification(event))
                }
            }
            if PQstatus(pointer) != CONNECTION_OK { return }
        }
    }
}

/// A flag raised once, with an interruptible wait.
private final class StopSignal: Sendable {
    private let raised = Mutex(false)
    private let semaphore = DispatchSemaphore(value: 0)

    var isRaised: Bool { raised.withLock { $0 } }

    func raise() {
        raised.withLock { $0 = true }
        semaphore.signal()
    }

    /// Waits for `duration` or until raised, whichever comes first.
    func wait(for duration: Duration) {
        let nanoseconds = duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
        if semaphore.wait(timeout: .now() + .nanoseconds(Int(nanoseconds))) == .success {
            semaphore.signal()
        }
    }
}
