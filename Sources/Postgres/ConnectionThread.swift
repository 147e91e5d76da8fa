import DequeModule
import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A serial executor backed by one dedicated operating-system thread.
///
/// Each ``PostgresConnection`` runs on its own `ConnectionThread`, so the blocking libpq calls it makes
/// never occupy a thread of Swift's cooperative pool or a NIO event loop. The thread lives as long as
/// the executor: when the connection actor (its only owner) goes away, the thread drains and exits.
final class ConnectionThread: SerialExecutor, Sendable {
    private let mailbox: Mailbox

    init(name: String) {
        let mailbox = Mailbox()
        self.mailbox = mailbox
        let thread = Thread { mailbox.run() }
        thread.name = name
        thread.start()
    }

    deinit {
        mailbox.stop()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        mailbox.post(UnownedJob(job), on: asUnownedSerialExecutor())
    }

    func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    func checkIsolated() {
        precondition(mailbox.isCurrentThread, "expected to run on the connection's own thread")
    }

    func isIsolatingCurrentContext() -> Bool? {
        mailbox.isCurrentThread
    }
}

/// The queue of jobs that a ``ConnectionThread`` runs, shared with the thread itself.
///
/// Kept apart from the executor so the thread holds no reference to the executor: the executor's
/// lifetime decides when the thread ends.
private final class Mailbox: Sendable {
    private struct State {
        var jobs = Deque<(job: UnownedJob, executor: UnownedSerialExecutor)>()
        var stopped = false
        var thread: pthread_t?
    }

    private let state = Mutex(State())
    private let wakeUp = DispatchSemaphore(value: 0)

    var isCurrentThread: Bool {
        let current = pthread_self()
        return state.withLock { state in state.thread.map { pthread_equal($0, current) != 0 } ?? false }
    }

    func post(_ job: UnownedJob, on executor: UnownedSerialExecutor) {
        state.withLock { $0.jobs.append((job, executor)) }
        wakeUp.signal()
    }

    func stop() {
        state.withLock { $0.stopped = true }
        wakeUp.signal()
    }

    func run() {
        let current = pthread_self()
        state.withLock { $0.thread = current }
        while true {
            wakeUp.wait()
            let next = state.withLock { state -> (job: UnownedJob, executor: UnownedSerialExecutor)?? in
                if let first = state.jobs.popFirst() { return .some(first) }
                return state.stopped ? .none : .some(nil)
            }
            switch next {
            case .none:
                return
            case .some(.none):
                continue
            case .some(.some(let entry)):
                entry.job.runSynchronously(on: entry.executor)
            }
        }
    }
}
