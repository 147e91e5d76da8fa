import Dispatch
import Foundation
import Synchronization

/// A few dedicated operating-system threads that run blocking libcurl transfers.
///
/// `curl_easy_perform` blocks for as long as a transfer takes (up to its timeout), so it must never run on
/// Swift's cooperative pool, whose few threads everything else shares. Each sender owns one of these: its
/// threads bound how many transfers run at once, and later callers queue. The threads end when the last
/// reference to the pool goes, once the queued work is done.
final class TransferThreads: Sendable {
    private let queue: WorkQueue

    /// Starts `count` threads named `name-1`, `name-2`, …
    init(count: Int, name: String) {
        precondition(count > 0, "a transfer pool needs at least one thread")
        let queue = WorkQueue()
        self.queue = queue
        for index in 1...count {
            let thread = Thread { queue.run() }
            thread.name = "\(name)-\(index)"
            thread.start()
        }
    }

    deinit {
        queue.stop()
    }

    /// Runs `body` on one of the threads and returns its result; cancelling the calling task raises the
    /// flag that `body` receives, which the transfer checks as it goes.
    func run<Result: Sendable>(_ body: @escaping @Sendable (CancellationFlag) -> Result) async -> Result {
        let flag = CancellationFlag()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result, Never>) in
                queue.post { continuation.resume(returning: body(flag)) }
            }
        } onCancel: {
            flag.raise()
        }
    }

    /// Runs `body` on one of the threads, but answers `fallback` if it has not finished within `deadline`
    /// (or the calling task is cancelled): for blocking calls that cannot be interrupted, such as
    /// `getaddrinfo`. The flag `body` receives is raised then, so work still queued can skip itself.
    func run<Result: Sendable>(
        within deadline: Duration,
        otherwise fallback: Result,
        _ body: @escaping @Sendable (CancellationFlag) -> Result
    ) async -> Result {
        let flag = CancellationFlag()
        // Whichever comes first resumes the caller; the others find nothing left to resume.
        let waiting = FirstAnswer<Result>()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result, Never>) in
                waiting.wait(continuation)
                queue.post { waiting.answer(body(flag)) }
                DispatchQueue.global().asyncAfter(deadline: .now() + Self.interval(deadline)) {
                    flag.raise()
                    waiting.answer(fallback)
                }
            }
        } onCancel: {
            flag.raise()
            waiting.answer(fallback)
        }
    }

    private static func interval(_ duration: Duration) -> DispatchTimeInterval {
        let (seconds, attoseconds) = duration.components
        return .milliseconds(Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }
}

/// A continuation resumed by the first of several answers.
private final class FirstAnswer<Result: Sendable>: Sendable {
    private let waiting = Mutex<CheckedContinuation<Result, Never>?>(nil)

    func wait(_ continuation: CheckedContinuation<Result, Never>) {
        waiting.withLock { $0 = continuation }
    }

    func answer(_ result: Result) {
        let continuation = waiting.withLock { continuation in
            defer { continuation = nil }
            return continuation
        }
        continuation?.resume(returning: result)
    }
}

/// The jobs a ``TransferThreads`` pool runs, shared with its threads; the threads hold no reference to the
/// pool itself, so the pool's lifetime decides when they end.
private final class WorkQueue: Sendable {
    private struct State {
        var jobs: [@Sendable () -> Void] = []
        var stopped = false
    }

    private let state = Mutex(State())
    private let wakeUp = DispatchSemaphore(value: 0)

    func post(_ job: @escaping @Sendable () -> Void) {
        state.withLock { $0.jobs.append(job) }
        wakeUp.signal()
    }

    /// Lets every thread finish what is queued and then exit.
    func stop() {
        // One wake-up is enough: each thread that finds the queue empty and stopped passes it on as it exits.
        state.withLock { $0.stopped = true }
        wakeUp.signal()
    }

    func run() {
        while true {
            wakeUp.wait()
            let next = state.withLock { state -> (@Sendable () -> Void)?? in
                if !state.jobs.isEmpty { return .some(state.jobs.removeFirst()) }
                return state.stopped ? .none : .some(nil)
            }
            switch next {
            case .none:
                // Pass the stop on to the next thread still waiting.
                wakeUp.signal()
                return
            case .some(.none):
                continue
            case .some(.some(let job)):
                job()
            }
        }
    }
}
