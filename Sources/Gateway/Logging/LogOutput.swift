import Dispatch
import Glibc
import Synchronization

/// Where the log lines go: a buffer in memory, written to a file descriptor (standard error) at most every
/// ``flushInterval`` while lines arrive, when ``capacity`` bytes are waiting, at once for a line that must not
/// wait (a warning or worse), and on ``flush()`` (at exit).
///
/// swift-log's `StreamLogHandler` flushes after every line: under load, one `write` system call per request.
/// Here a burst of lines costs one call per interval, and a quiet server still shows a line within the
/// interval. A line is never split between two writes; order is kept.
public final class LogOutput: Sendable {
    /// How long a line may wait in memory by default: a quarter of a second.
    public static let defaultFlushInterval: Duration = .milliseconds(250)
    /// How many bytes may wait before they are written at once: 64 KiB.
    public static let defaultCapacity = 64 << 10

    private struct State {
        var pending: [UInt8] = []
        var flushScheduled = false
        /// The last second a timestamp was made for, and its text.
        var stampedSecond: Int = .min
        var stampedFormat = LogFormat.text
        var stamp: [UInt8] = []
    }

    /// How long a line may wait in memory while others arrive.
    public let flushInterval: Duration
    /// How many bytes may wait before they are written at once.
    public let capacity: Int
    private let sink: @Sendable (UnsafeRawBufferPointer) -> Void
    private let state = Mutex(State())

    /// Buffers lines for `sink`, which receives whole lines, in order, one call per flush.
    public init(
        flushInterval: Duration = defaultFlushInterval,
        capacity: Int = defaultCapacity,
        sink: @escaping @Sendable (UnsafeRawBufferPointer) -> Void
    ) {
        precondition(flushInterval >= .zero && capacity >= 1, "a log output needs an interval and room")
        self.flushInterval = flushInterval
        self.capacity = capacity
        self.sink = sink
    }

    /// Buffers lines for standard error.
    public convenience init(standardErrorWithFlushInterval flushInterval: Duration = defaultFlushInterval) {
        self.init(flushInterval: flushInterval) { bytes in LogOutput.writeAll(bytes, to: 2) }
    }

    /// Adds a line (its text without the timestamp, which is put in front here: for ``LogFormat/json``, as
    /// the object's opening `{"timestamp":"…"`); `urgent` writes it and everything before it at once.
    func append(timestampSeconds: Int, format: LogFormat = .text, line: (inout [UInt8]) -> Void, urgent: Bool) {
        var schedule = false
        state.withLock { state in
            if state.stampedSecond != timestampSeconds || state.stampedFormat != format {
                state.stampedSecond = timestampSeconds
                state.stampedFormat = format
                state.stamp =
                    format == .json
                    ? LogTimestamp.jsonField(secondsSince1970: timestampSeconds)
                    : LogTimestamp.utf8(secondsSince1970: timestampSeconds)
            }
            state.pending.append(contentsOf: state.stamp)
            line(&state.pending)
            if urgent || state.pending.count >= capacity || flushInterval == .zero {
                write(&state)
            } else if !state.flushScheduled {
                state.flushScheduled = true
                schedule = true
            }
        }
        if schedule {
            let nanoseconds =
                Int(flushInterval.components.seconds) * 1_000_000_000
                + Int(flushInterval.components.attoseconds / 1_000_000_000)
            DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) { [self] in
                flush()
            }
        }
    }

    /// Writes every buffered line now: at exit, and on the interval's timer.
    public func flush() {
        state.withLock { state in write(&state) }
    }

    /// How many bytes wait to be written: for tests.
    public var pendingByteCount: Int { state.withLock { $0.pending.count } }

    private func write(_ state: inout State) {
        state.flushScheduled = false
        guard !state.pending.isEmpty else { return }
        state.pending.withUnsafeBytes { sink($0) }
        state.pending.removeAll(keepingCapacity: true)
    }

    /// Writes all of `bytes` to `descriptor`, retrying after a signal or a short write; gives up on an error
    /// (a log has nowhere to report its own failure).
    static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) {
        guard var address = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let written = Glibc.write(descriptor, address, remaining)
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            remaining -= written
            address += written
        }
    }
}
