import DequeModule
import Foundation
import Logging

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
public actor PostgresConnectionPool {
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

    private struct Waiter {
        let id: Int
        let continuation: CheckedContinuation<PostgresConnection, any Error>
        let timeout: Task<Void, Never>
    }

    /// The pool's configuration.
    public nonisolated let configuration: Configuration
    private let logger: Logger
    private var idle: [PostgresConnection] = []
    private var openCount = 0
    private var waiters = Deque<Waiter>()
    private var nextWaiterID = 0
    private var isClosed = false

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
    @discardableResult
    public func withConnection<Result>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let connection = try await acquire()
        let result: Result
        do {
            result = try await withTaskExecutorPreference(connection.taskExecutor, isolation: isolation) {
                try await body(connection)
            }
        } catch {
            await release(connection)
            throw error
        }
        await release(connection)
        return result
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
    public nonisolated func query(_ query: PostgresQuery) async throws -> PostgresRows {
        try await withConnection { connection in try await connection.query(query) }
    }

    /// Closes idle connections and fails waiting borrowers; borrowed connections close when returned.
    public func close() async {
        isClosed = true
        while let waiter = waiters.popFirst() {
            waiter.timeout.cancel()
            waiter.continuation.resume(throwing: PostgresError(code: .poolClosed, reason: "the pool was closed"))
        }
        let closing = idle
        idle.removeAll()
        openCount -= closing.count
        for connection in closing { await connection.close() }
    }

    /// The number of open connections, borrowed or idle (for metrics and tests).
    public var openConnections: Int { openCount }

    /// The number of open connections no borrower holds (for metrics).
    public var idleConnections: Int { idle.count }

    /// The number of borrowers waiting for a connection (for metrics and tests).
    public var waitingBorrowers: Int { waiters.count }

    // MARK: Borrowing

    private func acquire() async throws -> PostgresConnection {
        while let connection = idle.popLast() {
            if await connection.isAliveWhileIdle() { return connection }
            openCount -= 1
            logger.info("replacing a database connection that the server closed")
        }
        guard !isClosed else { throw PostgresError(code: .poolClosed, reason: "the pool was closed") }
        if openCount < configuration.maximumConnections {
            openCount += 1
            do {
                return try await PostgresConnection.connect(to: configuration.connection, logger: logger)
            } catch {
                openCount -= 1
                openForFirstWaiter()
                throw error
            }
        }
        let id = nextWaiterID
        nextWaiterID += 1
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let timeout = Task { [acquireTimeout = configuration.acquireTimeout] in
                    try? await Task.sleep(for: acquireTimeout)
                    if !Task.isCancelled { self.timeOutWaiter(id) }
                }
                waiters.append(Waiter(id: id, continuation: continuation, timeout: timeout))
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
    }

    private func release(_ connection: PostgresConnection) async {
        let reusable = await connection.resetForReuse()
        guard reusable, !isClosed else {
            openCount -= 1
            await connection.close()
            if !isClosed { openForFirstWaiter() }
            return
        }
        hand(connection)
    }

    /// Gives a connection to the longest-waiting borrower, or keeps it idle.
    private func hand(_ connection: PostgresConnection) {
        if let waiter = waiters.popFirst() {
            waiter.timeout.cancel()
            waiter.continuation.resume(returning: connection)
        } else {
            idle.append(connection)
        }
    }

    /// After a broken connection was dropped, opens a replacement for whoever waits.
    private func openForFirstWaiter() {
        guard !waiters.isEmpty, openCount < configuration.maximumConnections else { return }
        openCount += 1
        Task {
            do {
                let connection = try await PostgresConnection.connect(to: configuration.connection, logger: logger)
                self.hand(connection)
            } catch {
                self.replacementFailed(error)
            }
        }
    }

    /// The waiter the replacement was for gets the error; the next one tries a connection of its own, so
    /// while the database is down every waiter learns it at once instead of waiting out the acquire timeout.
    private func replacementFailed(_ error: any Error) {
        openCount -= 1
        if let waiter = waiters.popFirst() {
            waiter.timeout.cancel()
            waiter.continuation.resume(throwing: error)
        }
        openForFirstWaiter()
    }

    private func timeOutWaiter(_ id: Int) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        let waiter = waiters.remove(at: index)
        let timeout = configuration.acquireTimeout
        waiter.continuation.resume(
            throwing: PostgresError(
                code: .poolTimeout,
                reason: "no database connection became free within \(timeout) "
                    + "(all \(configuration.maximumConnections) are in use)"
            )
        )
    }

    private func cancelWaiter(_ id: Int) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        let waiter = waiters.remove(at: index)
        waiter.timeout.cancel()
        waiter.continuation.resume(throwing: CancellationError())
    }
}
