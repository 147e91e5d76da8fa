import DequeModule
import Foundation
import Logging
import Synchronization

/// A bounded pool of ``PostgresConnection``s shared by the whole process.
///
/// - Borrowers wait in first-come, first-served order when every connection is in use, and give up
///   with ``PostgresError/Code-swift.enum/poolTimeout`` after ``Configuration/acquireTimeout``.
/// - A connection the server closed while idle (a terminated backend, a restart) is noticed before it
///   is handed out, and replaced.
/// - A borrower never waits while there is room to open a connection: when opening one fails (the
///   database is down), each waiter gets that error in turn rather than the acquire timeout.
/// - No session state travels from one borrower to the next: an open transaction is rolled back, and
///   `DISCARD ALL` runs after a borrower left settings, listeners, prepared statements or temporary
///   tables behind.
///
/// Its state (idle connections, the count of open ones, the queue of waiters) sits under a lock: a borrower
/// takes an idle connection, or a slot to open one, without a suspension; one sweeper task fails the waiters
/// whose acquire timeout passed.
public final class PostgresConnectionPool: Sendable {
    /// How many connections, and how long a borrower waits.
    public struct Configuration: Sendable {
        /// Where to connect.
        public var connection: PostgresConfiguration
        /// The most connections open at once.
        public var maximumConnections: Int
        /// How long a borrower waits for a free connection before failing.
        public var acquireTimeout: Duration

        /// The default size, 10 connections, fits the 2-core machines the server is measured on.
        public static let defaultMaximumConnections = 10
        /// The default wait, 10 seconds.
        public static let defaultAcquireTimeout = Duration.seconds(10)

        /// Makes a configuration; `maximumConnections` must be at least 1.
        public init(
            connection: PostgresConfiguration,
            maximumConnections: Int = Configuration.defaultMaximumConnections,
            acquireTimeout: Duration = Configuration.defaultAcquireTimeout
        ) {
            precondition(maximumConnections >= 1, "a pool needs at least one connection")
            self.connection = connection
            self.maximumConnections = maximumConnections
            self.acquireTimeout = acquireTimeout
        }
    }

    /// What a borrower got: a connection (`check` when it sat idle and may have been closed by the server),
    /// or a reserved slot to open one in.
    private enum Handoff: Sendable {
        case connection(PostgresConnection, check: Bool)
        case open
    }

    private struct Waiter {
        let id: Int
        let deadline: ContinuousClock.Instant
        let continuation: CheckedContinuation<Handoff, any Error>
    }

    private struct State {
        var idle: [PostgresConnection] = []
        var openCount = 0
        var waiters = Deque<Waiter>()
        var nextWaiterID = 0
        var isClosed = false
        var sweeperRunning = false
    }

    /// What ``withConnection(isolation:_:)``'s run on the connection's thread ended with.
    private enum Outcome<Result> {
        case done(Result)
        /// The idle connection was found closed by the server: borrow another.
        case replaced
    }

    /// The pool's configuration.
    public let configuration: Configuration
    private let logger: Logger
    private let state = Mutex(State())

    /// Makes an empty pool; connections open on first use.
    public init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Borrows a connection for the duration of `body`.
    ///
    /// Unless it is isolated to an actor, `body` runs on the connection's own thread: each statement is then
    /// a call on the same thread rather than a switch to the connection's thread and back, which under load
    /// cost more than the statements themselves. `body` may still block that thread (it is the borrower's).
    /// The check that an idle connection is still open and the reset before the next borrower run there too.
    @discardableResult
    public func withConnection<Result>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        while true {
            let (connection, check) = try await acquire()
            let outcome = try await withTaskExecutorPreference(connection.taskExecutor, isolation: isolation) {
                () async throws -> Outcome<Result> in
                if check, !(await connection.isAliveWhileIdle()) {
                    self.dropClosed()
                    return .replaced
                }
                let result: Result
                do {
                    result = try await body(connection)
                } catch {
                    await self.release(connection)
                    throw error
                }
                await self.release(connection)
                return .done(result)
            }
            if case .done(let result) = outcome { return result }
        }
    }

    /// Borrows a connection and runs `body` in a transaction on it, scoped to `tenantID` (`app.tenant_id`) when
    /// one is given.
    @discardableResult
    public func withTransaction<Result>(
        isolation: isolated (any Actor)? = #isolation,
        tenantID: UUID? = nil,
        readOnly: Bool = false,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await withConnection { connection in
            try await connection.withTransaction(tenantID: tenantID, readOnly: readOnly, body)
        }
    }

    /// Runs one statement on a borrowed connection.
    @discardableResult
    public func query(_ query: PostgresQuery) async throws -> PostgresRows {
        try await withConnection { connection in try await connection.query(query) }
    }

    /// Closes idle connections and fails waiting borrowers; borrowed connections close when returned.
    public func close() async {
        let (waiters, closing) = state.withLock { state in
            state.isClosed = true
            let waiters = state.waiters
            state.waiters.removeAll()
            let closing = state.idle
            state.idle.removeAll()
            state.openCount -= closing.count
            return (waiters, closing)
        }
        for waiter in waiters {
            waiter.continuation.resume(throwing: PostgresError(code: .poolClosed, reason: "the pool was closed"))
        }
        for connection in closing { await connection.close() }
    }

    /// The number of open connections, borrowed or idle (for metrics and tests).
    public var openConnections: Int {
        get async { state.withLock { $0.openCount } }
    }

    /// The number of open connections no borrower holds (for metrics).
    public var idleConnections: Int {
        get async { state.withLock { $0.idle.count } }
    }

    /// The number of borrowers waiting for a connection (for metrics and tests).
    public var waitingBorrowers: Int {
        get async { state.withLock { $0.waiters.count } }
    }

    // MARK: Borrowing

    /// An idle connection or a slot to open one in, taken under the lock without suspending; else a place
    /// in the queue.
    private func acquire() async throws -> (PostgresConnection, check: Bool) {
        let immediate = state.withLock { state -> Result<Handoff, PostgresError>? in
            Self.takeWithoutWaiting(&state, maximum: configuration.maximumConnections)
        }
        let handoff: Handoff
        switch immediate {
        case .success(let taken)?: handoff = taken
        case .failure(let error)?: throw error
        case nil: handoff = try await wait()
        }
        switch handoff {
        case .connection(let connection, let check):
            return (connection, check)
        case .open:
            do {
                return (try await PostgresConnection.connect(to: configuration.connection, logger: logger), false)
            } catch {
                let opens = state.withLock { state in
                    state.openCount -= 1
                    return openForFirstWaiter(&state)
                }
                if opens { startReplacement() }
                throw error
            }
        }
    }

    private static func takeWithoutWaiting(_ state: inout State, maximum: Int) -> Result<Handoff, PostgresError>? {
        guard !state.isClosed else { return .failure(PostgresError(code: .poolClosed, reason: "the pool was closed")) }
        if let connection = state.idle.popLast() { return .success(.connection(connection, check: true)) }
        if state.openCount < maximum {
            state.openCount += 1
            return .success(.open)
        }
        return nil
    }

    /// Queues the borrower until a connection is handed over, its deadline passes (the sweeper), it is
    /// cancelled, or the pool closes.
    private func wait() async throws -> Handoff {
        let id = state.withLock { state in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        let deadline = ContinuousClock.now + configuration.acquireTimeout
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Handoff, any Error>) in
                enum Decision {
                    case resume(Result<Handoff, any Error>)
                    case queued(startSweeper: Bool)
                }
                let decision = self.state.withLock { state -> Decision in
                    // Things may have changed since the first look.
                    if let taken = Self.takeWithoutWaiting(&state, maximum: self.configuration.maximumConnections) {
                        return .resume(taken.mapError { $0 as any Error })
                    }
                    // Checked under the lock: the cancellation handler takes it too, so it either ran before
                    // (and the flag is set) or will find the waiter queued.
                    if Task.isCancelled { return .resume(.failure(CancellationError())) }
                    state.waiters.append(Waiter(id: id, deadline: deadline, continuation: continuation))
                    let start = !state.sweeperRunning
                    state.sweeperRunning = true
                    return .queued(startSweeper: start)
                }
                switch decision {
                case .resume(let result):
                    continuation.resume(with: result)
                case .queued(let startSweeper):
                    if startSweeper { Task { await self.sweep() } }
                }
            }
        } onCancel: {
            let waiter = self.state.withLock { state -> Waiter? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index)
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    /// The one task that fails waiters whose deadline passed; it runs while anyone waits. Every waiter waits
    /// the same time, so the first in the queue has the earliest deadline.
    private func sweep() async {
        while true {
            let next = state.withLock { state -> ContinuousClock.Instant? in
                guard let first = state.waiters.first else {
                    state.sweeperRunning = false
                    return nil
                }
                return first.deadline
            }
            guard let next else { return }
            try? await Task.sleep(until: next, tolerance: .milliseconds(1), clock: .continuous)
            let now = ContinuousClock.now
            let expired = state.withLock { state -> [Waiter] in
                var expired: [Waiter] = []
                while let first = state.waiters.first, first.deadline <= now {
                    expired.append(state.waiters.removeFirst())
                }
                return expired
            }
            let timeout = configuration.acquireTimeout
            for waiter in expired {
                waiter.continuation.resume(
                    throwing: PostgresError(
                        code: .poolTimeout,
                        reason: "no database connection became free within \(timeout) "
                            + "(all \(configuration.maximumConnections) are in use)"
                    )
                )
            }
        }
    }

    /// An idle connection the server had closed: its slot is free again.
    private func dropClosed() {
        state.withLock { $0.openCount -= 1 }
        logger.info("replacing a database connection that the server closed")
    }

    /// Resets the connection (on its own thread) and gives it to the longest-waiting borrower, or keeps it
    /// idle; an unusable one is closed and, for whoever waits, replaced.
    private func release(_ connection: PostgresConnection) async {
        let reusable = await connection.resetForReuse()
        enum Action {
            case none
            case resume(Waiter)
            case close(opensReplacement: Bool)
        }
        let action = state.withLock { state -> Action in
            guard reusable, !state.isClosed else {
                state.openCount -= 1
                return .close(opensReplacement: !state.isClosed && openForFirstWaiter(&state))
            }
            if let waiter = state.waiters.popFirst() { return .resume(waiter) }
            state.idle.append(connection)
            return .none
        }
        switch action {
        case .none:
            break
        case .resume(let waiter):
            waiter.continuation.resume(returning: .connection(connection, check: false))
        case .close(let opensReplacement):
            await connection.close()
            if opensReplacement { startReplacement() }
        }
    }

    /// Reserves a slot for a replacement when someone waits and there is room; the caller then calls
    /// ``startReplacement()`` outside the lock.
    private func openForFirstWaiter(_ state: inout State) -> Bool {
        guard !state.waiters.isEmpty, state.openCount < configuration.maximumConnections else { return false }
        state.openCount += 1
        return true
    }

    /// Opens a connection in a reserved slot for the first waiter. When that fails, the waiter gets the
    /// error and the next one tries a connection of its own, so while the database is down every waiter
    /// learns it at once instead of waiting out the acquire timeout.
    private func startReplacement() {
        Task {
            do {
                let connection = try await PostgresConnection.connect(to: configuration.connection, logger: logger)
                let waiter = state.withLock { state -> Waiter? in
                    if let waiter = state.waiters.popFirst() { return waiter }
                    if state.isClosed {
                        state.openCount -= 1
                    } else {
                        state.idle.append(connection)
                    }
                    return nil
                }
                waiter?.continuation.resume(returning: .connection(connection, check: false))
            } catch {
                let (waiter, again) = state.withLock { state -> (Waiter?, Bool) in
                    state.openCount -= 1
                    let waiter = state.waiters.popFirst()
                    return (waiter, openForFirstWaiter(&state))
                }
                waiter?.continuation.resume(throwing: error)
                if again { startReplacement() }
            }
        }
    }
}
