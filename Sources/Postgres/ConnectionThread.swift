import DequeModule
import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A serial executor backed by one dedicated operating-system thread, and a task executor on that thread.
///
/// Each ``PostgresConnection`` runs on its own `ConnectionThread`, so the blocking libpq calls it makes
/// never occupy a thread of Swift's cooperative pool or a NIO event loop. The thread lives as long as
/// the executor: when the connection actor (its only owner) goes away, the thread drains and exits.
///
/// As a task executor it lets a borrower's code run on the connection's thread
/// (`withTaskExecutorPreference`): every statement is then a plain call instead of two thread switches.
/// Jobs run isolated to the serial executor, so calls into the connection actor need no switch at all.
final class ConnectionThread: SerialExecutor, TaskExecutor, Sendable {
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
        mailbox.post(UnownedJob(job), on: asUnownedSerialExecutor(), asUnownedTaskExecutor())
    }

    func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    func asUnownedTaskExecutor() -> UnownedTaskExecutor {
        UnownedTaskExecutor(ordinary: self)
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
        var jobs = Deque<Entry>()
        var stopped = false
        var thread: pthread_t?
    }

    private let state = Mutex(State())
    private let wakeUp = DispatchSemaphore(value: 0)

    var isCurrentThread: Bool {
        let current = pthread_self()
        return state.withLock { state in state.thread.map { pthread_equal($0, current) != 0 } ?? false }
    }

    typealias Entry = (job: UnownedJob, serial: UnownedSerialExecutor, task: UnownedTaskExecutor)

    func post(_ job: UnownedJob, on serial: UnownedSerialExecutor, _ task: UnownedTaskExecutor) {
        state.withLock { $0.jobs.append((job, serial, task)) }
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
            let next = state.withLock { state -> Entry?? in
                if let first = state.jobs.popFirst() { return .some(first) }
                return state.stopped ? .none : .some(nil)
            }
            switch next {
            case .none:
                return
            case .some(.none):
                continue
            case .some(.some(let entry)):
                entry.job.runSynchronously(isolatedTo: entry.serial, taskExecutor: entry.task)
            }
        }
    }
}
