import CLibPQ
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// One connection to PostgreSQL through libpq.
///
/// The actor runs on its own thread (see `ConnectionThread`), so libpq's blocking calls never hold up
/// Swift's cooperative pool: callers simply `await` each call. Use a ``PostgresConnectionPool`` to share
/// connections; a connection is closed when ``close()`` is called or when the last reference goes.
public actor PostgresConnection {
    /// A number for logs, unique within the process.
    public nonisolated let id: Int
    private let thread: ConnectionThread
    private var handle: ConnectionHandle?
    private let logger: Logger
    /// Set when a statement may have left session state (SET, LISTEN, PREPARE, temporary tables,
    /// session advisory locks) that the next borrower of a pooled connection must not inherit.
    private var sessionMayBeDirty = false
    /// Statements to run once the open transaction commits (``afterCommit(_:)``).
    private var afterCommitStatements: [PostgresQuery] = []
    /// The statements prepared on this connection, and what each text may leave on the session.
    private var statements: PreparedStatementCache
    /// Statements sent in the same pipeline as the next statement(s) (``setPrelude(_:everyStatement:)``).
    private var prelude: Prelude?
    /// Round trips to the server so far (``roundTrips``).
    private let roundTripCounter = Atomic<Int>(0)
    /// Statements of the open transaction waiting to travel in front of the next one sent (``sendWithNext(_:)``).
    private var waitingStatements: [PostgresQuery] = []

    public nonisolated var unownedExecutor: UnownedSerialExecutor {
        thread.asUnownedSerialExecutor()
    }

    /// The connection's own thread as a task executor: code run with this preference calls the connection
    /// without switching threads (the pool gives its borrowers this preference).
    public nonisolated var taskExecutor: any TaskExecutor { thread }

    private init(id: Int, logger: Logger, statementCacheSize: Int, database: String?) {
        self.id = id
        self.statements = PreparedStatementCache(capacity: statementCacheSize, database: database)
        self.thread = ConnectionThread(name: "postgres-\(id)")
        var logger = logger
        logger[metadataKey: "postgres.connection"] = "\(id)"
        self.logger = logger
    }

    /// Opens a connection; the blocking connect runs on the connection's own thread.
    public static func connect(
        to configuration: PostgresConfiguration,
        id: Int = PostgresConnection.nextID(),
        logger: Logger
    ) async throws(PostgresError) -> PostgresConnection {
        let connection = PostgresConnection(
            id: id, logger: logger, statementCacheSize: configuration.statementCacheSize,
            database: configuration.value(of: "dbname"))
        try await connection.open(configuration)
        return connection
    }

    /// Opens a connection for the duration of `body` and closes it afterwards, whether `body` returns or throws.
    public static func withConnection<Result>(
        isolation: isolated (any Actor)? = #isolation,
        to configuration: PostgresConfiguration,
        logger: Logger,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let connection = try await connect(to: configuration, logger: logger)
        do {
            let result = try await body(connection)
            await connection.close()
            return result
        } catch {
            await connection.close()
            throw error
        }
    }

    private static let counter = IDCounter()

    /// Makes every connection of this process to `database` (to any database when `nil`) prepare its
    /// statements again before their next use, and deallocate the ones it held: for after a migration, which
    /// may have changed what they read.
    public static func forgetPreparedStatements(database: String? = nil) {
        PreparedStatementCache.forget(database: database)
    }

    /// How many statements this connection holds prepared (for tests).
    public var preparedStatementCount: Int { statements.count }

    /// A fresh connection id.
    public static func nextID() -> Int { counter.next() }

    private func open(_ configuration: PostgresConfiguration) throws(PostgresError) {
        let parameters = configuration.connectionParameters
        let pointer = withCStringArrays(parameters.map(\.keyword), parameters.map(\.value)) { keywords, values in
            PQconnectdbParams(keywords, values, 0)
        }
        guard let pointer else {
            throw PostgresError(code: .connectionFailed, reason: "libpq could not allocate a connection")
        }
        let handle = ConnectionHandle(pointer)
        guard PQstatus(pointer) == CONNECTION_OK else {
            throw PostgresError(code: .connectionFailed, reason: handle.errorMessage)
        }
        handle.routeNotices(to: logger)
        self.handle = handle
        logger.trace("postgres connection opened")
    }

    /// Closes the connection; later calls fail with ``PostgresError/Code-swift.enum/connectionLost``.
    public func close() {
        handle = nil
    }

    /// True while the connection is open and libpq has not seen it break.
    public var isUsable: Bool {
        guard let handle else { return false }
        return PQstatus(handle.pointer) == CONNECTION_OK
    }

    /// The server process id serving this connection (for `pg_terminate_backend`, `pg_cancel_backend`).
    public var backendPID: Int32? {
        handle.map { PQbackendPID($0.pointer) }
    }

    /// `password` hashed the way this server stores passwords (its `password_encryption`, normally
    /// SCRAM-SHA-256), for `CREATE ROLE … PASSWORD`: the clear password then never reaches the server, its
    /// statement log or `pg_stat_activity`.
    ///
    /// - Throws: `PostgresError` when the server's setting cannot be read or names an unknown method.
    public func encryptedPassword(_ password: String, user: String) throws(PostgresError) -> String {
        guard let handle else {
            throw PostgresError(code: .connectionLost, reason: "the connection is closed")
        }
        guard let pointer = PQencryptPasswordConn(handle.pointer, password, user, nil) else {
            throw PostgresError(code: .server, reason: "could not hash the password: \(handle.errorMessage)")
        }
        defer { PQfreemem(pointer) }
        return String(cString: pointer)
    }

    /// Runs a statement and returns its rows.
    @discardableResult
    public func query(_ query: PostgresQuery) throws(PostgresError) -> PostgresRows {
        let started = ContinuousClock.now
        defer {
            logger.trace(
                "postgres query",
                metadata: ["postgres.sql": "\(query.sql)", "postgres.duration": "\(ContinuousClock.now - started)"]
            )
        }
        if !waitingStatements.isEmpty { return try runWithWaiting(query) }
        if prelude != nil { return try runWithPrelude([query][...])[0] }
        if !afterCommitStatements.isEmpty {
            return try runWithAfterCommit(query)
        }
        return try run(query, noting: true)
    }

    /// Runs `statement` on this connection once the open transaction has committed, in a transaction of its
    /// own; forgets it when the transaction rolls back. Outside a transaction block it runs at once. The same
    /// statement registered twice in one transaction runs once. A failure is logged, not thrown: the work it
    /// follows has committed.
    ///
    /// For side effects that must not hold up the commit, above all a NOTIFY: one sent inside a transaction
    /// takes a database-wide lock until that transaction's commit has reached the disk, so notifying
    /// transactions commit one at a time instead of sharing a disk flush. After the commit it costs nothing
    /// of the kind (a transaction that writes no data waits for no flush), and when the commit is sent by
    /// `query("COMMIT")` the statement travels in the same round trip.
    public func afterCommit(_ statement: PostgresQuery) {
        guard isInTransaction || prelude?.everyStatement == false else {
            runAfterCommit([statement])
            return
        }
        if !afterCommitStatements.contains(statement) { afterCommitStatements.append(statement) }
    }

    /// `query` while after-commit statements wait: a `COMMIT` carries them in its round trip; any other
    /// statement that ends the transaction runs them (commit) or drops them (rollback, failure).
    private func runWithAfterCommit(_ query: PostgresQuery) throws(PostgresError) -> PostgresRows {
        let pending = afterCommitStatements
        if query.sql == "COMMIT" && query.bindings.count == 0 {
            afterCommitStatements = []
            do {
                // A COMMIT that fails aborts the rest of the pipeline; one the server turned into a rollback
                // (an earlier statement failed) still lets them run: a spare wake-up is harmless.
                let results = try pipelineResults(([query] + pending)[...])
                let commit = try results[0].get()
                for (statement, result) in zip(pending, results.dropFirst()) {
                    if case .failure(let error) = result { logAfterCommitFailure(error, statement) }
                }
                return commit
            } catch {
                if isInTransaction { _ = try? run("ROLLBACK") }
                throw error
            }
        }
        let rows: PostgresRows
        do {
            rows = try run(query, noting: true)
        } catch {
            if !isInTransaction { afterCommitStatements = [] }
            throw error
        }
        settleAfterCommit(lastCommandTag: rows.commandTag)
        return rows
    }

    /// Once the transaction has ended: runs the after-commit statements if it committed, else drops them.
    private func settleAfterCommit(lastCommandTag: String?) {
        guard !afterCommitStatements.isEmpty, !isInTransaction else { return }
        let pending = afterCommitStatements
        afterCommitStatements = []
        if lastCommandTag == "COMMIT" { runAfterCommit(pending) }
    }

    private func runAfterCommit(_ statements: [PostgresQuery]) {
        do {
            _ = try runPipeline(statements[...], noting: false)
        } catch {
            logAfterCommitFailure(error, statements[0])
        }
    }

    private func logAfterCommitFailure(_ error: PostgresError, _ statement: PostgresQuery) {
        logger.warning(
            "a statement to run after commit failed",
            metadata: ["error": "\(error)", "postgres.sql": "\(statement.sql)"])
    }

    /// Runs a script of one or more statements separated by semicolons (a migration file), with the simple
    /// query protocol: no parameters, and the statements form one implicit transaction unless the script
    /// manages its own. Returns the last statement's rows.
    @discardableResult
    public func runScript(_ script: PostgresQuery) throws(PostgresError) -> PostgresRows {
        guard script.bindings.count == 0 else {
            throw PostgresError(
                code: .invalidParameter,
                reason: "a script cannot take parameters; use query(_:) for one statement with parameters",
                query: script.sql
            )
        }
        try sendWaiting()
        let handle = try liveHandle(for: script)
        let result = ResultHandle(PQexec(handle.pointer, script.sql))
        roundTripCounter.add(1, ordering: .relaxed)
        let rows: PostgresRows
        do {
            rows = try self.rows(from: result, handle: handle, query: script)
        } catch {
            forgetStatementsAfterScript(script)
            throw error
        }
        forgetStatementsAfterScript(script)
        noteStatementsDropped(commandTag: rows.commandTag)
        noteSessionState(commandTag: rows.commandTag) { StatementTraits(sql: script.sql) }
        if rows.commandTag != "SET" {
            // Only the last command's tag is known: assume a script may have left anything behind.
            sessionMayBeDirty = true
        }
        return rows
    }

    /// Runs statements in one round trip per batch with libpq's pipeline mode, for bulk writes.
    ///
    /// Results come back in order. The first failing statement aborts the rest of its batch and later
    /// batches are not sent; its error is thrown. Statements outside an explicit transaction commit per
    /// batch, so wrap the call in ``withTransaction(isolation:_:)`` when all must land together.
    @discardableResult
    public func pipeline(_ queries: [PostgresQuery], batchSize: Int = 128) throws(PostgresError) -> [PostgresRows] {
        try pipeline(queries, batchSize: batchSize, noteSessionState: true)
    }

    /// The pipeline; `noteSessionState: false` is for the client's own transaction-scoped statements.
    func pipeline(
        _ queries: [PostgresQuery],
        batchSize: Int = 128,
        noteSessionState: Bool
    ) throws(PostgresError) -> [PostgresRows] {
        precondition(batchSize > 0, "batchSize must be positive")
        if !waitingStatements.isEmpty, !queries.isEmpty {
            let waiting = takeWaiting()
            let results = try pipeline(waiting + queries, batchSize: batchSize, noteSessionState: noteSessionState)
            return Array(results.dropFirst(waiting.count))
        }
        if prelude != nil { return try pipelineWithPrelude(queries, batchSize: batchSize, noting: noteSessionState) }
        var results: [PostgresRows] = []
        results.reserveCapacity(queries.count)
        var start = 0
        while start < queries.count {
            let batch = queries[start..<min(start + batchSize, queries.count)]
            do {
                results.append(contentsOf: try runPipeline(batch, noting: noteSessionState))
            } catch {
                if !isInTransaction { afterCommitStatements = [] }
                throw error
            }
            start += batch.count
        }
        settleAfterCommit(lastCommandTag: results.last?.commandTag)
        return results
    }

    // MARK: Prelude and round trips (issue 15 item 1: an authenticated read in one round trip)

    /// Statements that travel in front of others, in the same pipeline and under the same sync.
    private struct Prelude {
        var statements: [PostgresQuery]
        var everyStatement: Bool
    }

    /// How many round trips this connection made to the server: one per statement sent alone, one per
    /// pipeline (its sync). For tests and measurements; costs an atomic increment.
    public nonisolated var roundTrips: Int { roundTripCounter.load(ordering: .relaxed) }

    /// Sends `statements` in one pipeline with the next statement given to ``query(_:)`` or with the next
    /// ``pipeline(_:batchSize:)`` batch, under one sync, and returns only that statement's rows.
    ///
    /// With `everyStatement`, every later statement carries them until ``clearPrelude()``: outside a
    /// transaction block each pipeline is one implicit transaction, so settings made with
    /// `set_config(…, true)` hold for exactly that statement and are gone after it. Without, they travel once,
    /// in front of the next statement (for `BEGIN` and a transaction's settings: no round trip of their own).
    ///
    /// The prelude's statements never mark the session as needing a `DISCARD ALL` (they must leave nothing
    /// on the session: transaction-local settings only). The pool's reset forgets a prelude.
    public func setPrelude(_ statements: [PostgresQuery], everyStatement: Bool) {
        prelude = statements.isEmpty ? nil : Prelude(statements: statements, everyStatement: everyStatement)
    }

    /// Forgets the prelude; returns whether a once-only prelude was still waiting to be sent (nothing was
    /// sent since ``setPrelude(_:everyStatement:)``, so the transaction it would begin never began).
    @discardableResult
    public func clearPrelude() -> Bool {
        defer { prelude = nil }
        return prelude.map { !$0.everyStatement } ?? false
    }

    /// `queries` in one pipeline behind the prelude; answers the queries' rows only.
    private func runWithPrelude(
        _ queries: ArraySlice<PostgresQuery>,
        noting: Bool = true
    ) throws(PostgresError) -> [PostgresRows] {
        guard let prelude, !queries.isEmpty else { return [] }
        if !prelude.everyStatement { self.prelude = nil }
        var rows: [PostgresRows] = []
        do {
            // The prelude's own statements are not noted: they must leave nothing on the session.
            let results = try pipelineResults(
                (prelude.statements + queries)[...], noting: noting, unnotedPrefix: prelude.statements.count)
            for result in results.prefix(prelude.statements.count) { _ = try result.get() }
            for result in results.dropFirst(prelude.statements.count) { rows.append(try result.get()) }
        } catch {
            if !isInTransaction { afterCommitStatements = [] }
            throw error
        }
        settleAfterCommit(lastCommandTag: rows.last?.commandTag)
        return rows
    }

    /// ``pipeline(_:batchSize:)`` with a prelude: in front of the first batch, or of each with `everyStatement`.
    private func pipelineWithPrelude(
        _ queries: [PostgresQuery],
        batchSize: Int,
        noting: Bool
    ) throws(PostgresError) -> [PostgresRows] {
        var results: [PostgresRows] = []
        var start = 0
        while start < queries.count {
            let batch = queries[start..<min(start + batchSize, queries.count)]
            if prelude != nil {
                results.append(contentsOf: try runWithPrelude(batch, noting: noting))
            } else {
                results.append(contentsOf: try pipeline(Array(batch), batchSize: batchSize, noteSessionState: noting))
            }
            start += batch.count
        }
        return results
    }

    // MARK: Statements sent with the next (issue 15 item 4: a write in two round trips)

    /// Sends `statements` in the same pipeline as the next statement this connection sends, in front of it,
    /// instead of in a round trip of their own: for writes of the open transaction whose results nobody reads
    /// (an event's rows and its subscribers' work), which then travel with the `COMMIT`, or with whatever the
    /// transaction sends next. Outside a transaction block they run at once.
    ///
    /// Whatever the transaction sends next sees their effects, as if they had run at once. A failure of one
    /// is thrown by the next statement, which then does not run (it is skipped with the rest of the
    /// pipeline), and the transaction is aborted as if it had failed at once; a `COMMIT` behind it rolls
    /// the transaction back. A `ROLLBACK` drops them unsent, as does the pool's reset.
    public func sendWithNext(_ statements: [PostgresQuery]) throws(PostgresError) {
        guard !statements.isEmpty else { return }
        guard isInTransaction else {
            _ = try pipeline(statements)
            return
        }
        waitingStatements += statements
    }

    /// How many statements wait for the next one (``sendWithNext(_:)``); for tests.
    public var waitingStatementCount: Int { waitingStatements.count }

    private func takeWaiting() -> [PostgresQuery] {
        defer { waitingStatements = [] }
        return waitingStatements
    }

    /// Sends the waiting statements in a round trip of their own (before a script, which cannot share one).
    private func sendWaiting() throws(PostgresError) {
        guard !waitingStatements.isEmpty else { return }
        _ = try pipeline(takeWaiting())
    }

    /// `query` behind the waiting statements, in one pipeline; a `COMMIT` also carries the after-commit
    /// statements behind it, so the whole end of a write is one round trip.
    private func runWithWaiting(_ query: PostgresQuery) throws(PostgresError) -> PostgresRows {
        let waiting = takeWaiting()
        let plain = query.bindings.count == 0
        // A rollback undoes them anyway; in an aborted transaction they could only fail, and the statement
        // must answer as it would have without them.
        if (plain && query.sql == "ROLLBACK") || (handle.map { PQtransactionStatus($0.pointer) } == PQTRANS_INERROR) {
            return try self.query(query)
        }
        let commits = plain && query.sql == "COMMIT"
        let after = commits ? afterCommitStatements : []
        if commits { afterCommitStatements = [] }
        let rows: PostgresRows
        do {
            let results = try pipelineResults(
                (waiting + [query] + after)[...], noting: true, unnotedPrefix: 0)
            for result in results.prefix(waiting.count) { _ = try result.get() }
            rows = try results[waiting.count].get()
            for (statement, result) in zip(after, results.dropFirst(waiting.count + 1)) {
                if case .failure(let error) = result { logAfterCommitFailure(error, statement) }
            }
        } catch {
            if commits {
                // The COMMIT was skipped behind the failure: end the transaction as a failed COMMIT does.
                if isInTransaction { _ = try? run("ROLLBACK") }
            } else if !isInTransaction {
                afterCommitStatements = []
            }
            throw error
        }
        if !commits { settleAfterCommit(lastCommandTag: rows.commandTag) }
        return rows
    }

    // MARK: Pool support

    /// Checks, without a round trip, that the server has not closed the connection while it sat idle
    /// (a terminated backend, a restarted server): reads whatever arrived on the socket.
    func isAliveWhileIdle() -> Bool {
        guard let handle, PQstatus(handle.pointer) == CONNECTION_OK else { return false }
        let socket = PQsocket(handle.pointer)
        guard socket >= 0 else { return false }
        // A terminated backend sends its last error (FATAL) and then closes: the message alone marks the
        // connection dead, since the end of the stream may not have arrived yet. Read what there is, a few
        // times at most.
        for _ in 0..<4 {
            var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 0) > 0 else { break }
            if PQconsumeInput(handle.pointer) == 0 { return false }
            while let notification = PQnotifies(handle.pointer) { PQfreemem(notification) }
            if PQstatus(handle.pointer) != CONNECTION_OK || handle.serverIsClosing { return false }
        }
        return PQstatus(handle.pointer) == CONNECTION_OK && !handle.serverIsClosing
    }

    /// Returns the connection to a clean session before another borrower gets it: rolls back an open
    /// transaction and discards session state when a statement may have left some. False when unusable.
    func resetForReuse() -> Bool {
        afterCommitStatements = []
        waitingStatements = []
        prelude = nil
        guard let handle, PQstatus(handle.pointer) == CONNECTION_OK else { return false }
        do {
            if PQtransactionStatus(handle.pointer) != PQTRANS_IDLE {
                _ = try run("ROLLBACK")
            }
            if sessionMayBeDirty {
                _ = try run("DISCARD ALL")
                sessionMayBeDirty = false
            }
        } catch {
            logger.debug("postgres connection reset failed", metadata: ["error": "\(error)"])
            return false
        }
        return PQstatus(handle.pointer) == CONNECTION_OK && PQtransactionStatus(handle.pointer) == PQTRANS_IDLE
    }

    /// True when the connection is inside a transaction block.
    var isInTransaction: Bool {
        guard let handle else { return false }
        return PQtransactionStatus(handle.pointer) != PQTRANS_IDLE
    }

    // MARK: Execution

    private func liveHandle(for query: PostgresQuery) throws(PostgresError) -> ConnectionHandle {
        guard let handle else {
            throw PostgresError(code: .connectionLost, reason: "the connection is closed", query: query.sql)
        }
        return handle
    }

    /// Runs one statement. One with parameters runs as this connection's prepared statement for its text
    /// (prepared, in the same round trip, on its first run); one without runs unprepared: transaction
    /// control, DDL and one-off texts would only fill the cache, and take no parameters to plan for.
    private func run(_ query: PostgresQuery, noting: Bool = false) throws(PostgresError) -> PostgresRows {
        let handle = try liveHandle(for: query)
        guard query.bindings.count > 0, statements.capacity > 0 else {
            try query.bindings.validate(query: query.sql)
            let pointer = withCParameters(query.bindings) { count, types, values in
                PQexecParams(handle.pointer, query.sql, count, types, values, nil, nil, 0)
            }
            roundTripCounter.add(1, ordering: .relaxed)
            let result = ResultHandle(pointer)
            let rows = try rows(from: result, handle: handle, query: query)
            noteStatementsDropped(commandTag: rows.commandTag)
            if noting { noteSessionState(commandTag: rows.commandTag) { statements.traits(ofUnprepared: query.sql) } }
            return rows
        }
        let key = PreparedStatementCache.Key(sql: query.sql, types: query.bindings.types)
        guard let entry = statements.lookup(key) else {
            // Prepare and execute in one round trip.
            return try pipelineResults([query][...], noting: noting)[0].get()
        }
        try query.bindings.validate(query: query.sql)
        let pointer = withCParameters(query.bindings) { count, _, values in
            PQexecPrepared(handle.pointer, entry.name, count, values, nil, nil, 0)
        }
        roundTripCounter.add(1, ordering: .relaxed)
        let result = ResultHandle(pointer)
        do {
            let rows = try rows(from: result, handle: handle, query: query)
            if noting { noteSessionState(commandTag: rows.commandTag) { entry.traits } }
            return rows
        } catch {
            guard let state = error.sqlState, Self.meansStale(state) else { throw error }
            forgetStale(key, state)
            // The statement failed before it ran. Outside a transaction block nothing else was undone, so it
            // runs again, prepared afresh; inside one, the transaction is lost and must run again whole.
            guard isInTransaction else {
                logger.debug(
                    "postgres prepared statement went stale; preparing it again", metadata: ["error": "\(error)"])
                return try pipelineResults([query][...], noting: noting)[0].get()
            }
            throw error.stalePreparedStatement()
        }
    }

    /// `0A000` (cached plan must not change result type) and `26000` (no such prepared statement) from a
    /// statement prepared in an earlier round trip: the server's copy is unusable or gone.
    private static func meansStale(_ state: SQLState) -> Bool {
        state == .featureNotSupported || state == .invalidSQLStatementName
    }

    private func forgetStale(_ key: PreparedStatementCache.Key, _ state: SQLState) {
        if state == .invalidSQLStatementName {
            statements.remove(key)
        } else {
            statements.discard(key)
        }
    }

    private func runPipeline(_ batch: ArraySlice<PostgresQuery>, noting: Bool) throws(PostgresError) -> [PostgresRows] {
        var rows: [PostgresRows] = []
        for result in try pipelineResults(batch, noting: noting) { rows.append(try result.get()) }
        return rows
    }

    /// One item sent in a pipeline.
    private enum Step {
        /// `DEALLOCATE` of an evicted or stale statement, in a segment of its own (its failure is harmless).
        case deallocate(String)
        /// Prepares a statement ahead of its first execution in the same pipeline.
        case prepare(PreparedStatementCache.Key, name: String)
        /// The batch's statement at `index`, by its prepared `name` if it has one; `fresh` when prepared in
        /// this pipeline (a failure then is the statement's own, not a stale copy's).
        case statement(index: Int, name: String?, fresh: Bool, traits: StatementTraits?)
        case sync
    }

    /// Sends `batch` in one pipeline and answers each statement's own outcome, in order; a statement the
    /// server skipped because an earlier one failed answers that earlier failure. Throws only when the
    /// connection fails.
    ///
    /// Statements with parameters run prepared; the ones not yet prepared on this connection are prepared in
    /// the same pipeline. When the connection is idle, statements evicted earlier are deallocated first, each
    /// behind a sync of its own. A statement prepared earlier that went stale (``meansStale(_:)``) is
    /// forgotten; when the batch started outside a transaction block and nothing before it ended a
    /// transaction, the whole batch (all rolled back with it) runs again once, else the error is marked
    /// transient (``SQLState/isStalePreparedStatement``).
    private func pipelineResults(
        _ batch: ArraySlice<PostgresQuery>,
        noting: Bool = false,
        unnotedPrefix: Int = 0,
        retried: Bool = false
    ) throws(PostgresError) -> [Result<PostgresRows, PostgresError>] {
        guard let first = batch.first else { return [] }
        let handle = try liveHandle(for: first)
        for query in batch { try query.bindings.validate(query: query.sql) }
        let startedIdle = PQtransactionStatus(handle.pointer) == PQTRANS_IDLE

        var steps: [Step] = []
        if startedIdle {
            for name in statements.takePendingDeallocations() { steps += [.deallocate(name), .sync] }
        }
        var used = Set<PreparedStatementCache.Key>()
        var preparedHere = Set<PreparedStatementCache.Key>()
        for (index, query) in zip(batch.indices, batch) {
            guard query.bindings.count > 0, statements.capacity > 0 else {
                steps.append(.statement(index: index, name: nil, fresh: false, traits: nil))
                continue
            }
            let key = PreparedStatementCache.Key(sql: query.sql, types: query.bindings.types)
            if let entry = statements.lookup(key) {
                steps.append(
                    .statement(index: index, name: entry.name, fresh: preparedHere.contains(key), traits: entry.traits))
            } else {
                let entry = statements.insert(key, keeping: used)
                preparedHere.insert(key)
                steps.append(.prepare(key, name: entry.name))
                steps.append(.statement(index: index, name: entry.name, fresh: true, traits: entry.traits))
            }
            used.insert(key)
        }
        steps.append(.sync)

        guard PQenterPipelineMode(handle.pointer) == 1 else {
            for key in preparedHere { statements.remove(key) }
            throw connectionError(handle: handle, query: first, fallback: "could not enter pipeline mode")
        }
        defer { PQexitPipelineMode(handle.pointer) }
        do {
            try send(steps, batch, handle: handle)
        } catch {
            for key in preparedHere { statements.remove(key) }
            throw error
        }
        roundTripCounter.add(1, ordering: .relaxed)

        let outcomes = steps.filter { if case .sync = $0 { false } else { true } }
        let syncCount = steps.count - outcomes.count
        var results: [Result<PostgresRows, PostgresError>] = []
        results.reserveCapacity(batch.count)
        var firstError: PostgresError?
        var stale: (position: Int, state: SQLState)?
        var endedTransaction = false
        var outcomeIndex = 0
        var syncs = 0
        var consecutiveNulls = 0
        while syncs < syncCount {
            guard let pointer = PQgetResult(handle.pointer) else {
                consecutiveNulls += 1
                if consecutiveNulls > 1 || PQstatus(handle.pointer) != CONNECTION_OK {
                    for key in preparedHere { statements.remove(key) }
                    throw connectionError(handle: handle, query: first, fallback: "the pipeline ended early")
                }
                continue
            }
            consecutiveNulls = 0
            let result = ResultHandle(pointer)
            let status = PQresultStatus(pointer)
            if status == PGRES_PIPELINE_SYNC {
                syncs += 1
                continue
            }
            guard outcomeIndex < outcomes.count else { continue }
            let step = outcomes[outcomeIndex]
            outcomeIndex += 1
            switch step {
            case .deallocate, .sync:
                continue
            case .prepare(let key, _):
                if status == PGRES_PIPELINE_ABORTED {
                    statements.remove(key)
                } else if status != PGRES_COMMAND_OK {
                    statements.remove(key)
                    let error = serverError(pointer, handle: handle, query: PostgresQuery(unsafeSQL: key.sql))
                    if firstError == nil { firstError = error }
                }
            case .statement(let index, let name, let fresh, let traits):
                let query = batch[index]
                if status == PGRES_PIPELINE_ABORTED {
                    let skipped = PostgresError(
                        code: .server, reason: "skipped: an earlier statement of the pipeline failed", query: query.sql)
                    results.append(.failure(firstError ?? skipped))
                    continue
                }
                do {
                    let rows = try rows(from: result, handle: handle, query: query)
                    noteStatementsDropped(commandTag: rows.commandTag)
                    if Self.endsTransaction(rows.commandTag) { endedTransaction = true }
                    if noting, index - batch.startIndex >= unnotedPrefix {
                        noteSessionState(commandTag: rows.commandTag) {
                            traits ?? statements.traits(ofUnprepared: query.sql)
                        }
                    }
                    results.append(.success(rows))
                } catch {
                    if name != nil, !fresh, firstError == nil, let state = error.sqlState, Self.meansStale(state) {
                        forgetStale(PreparedStatementCache.Key(sql: query.sql, types: query.bindings.types), state)
                        stale = (results.count, state)
                    }
                    if firstError == nil { firstError = error }
                    results.append(.failure(error))
                }
            }
        }
        guard let stale else { return results }
        if !retried, startedIdle, !endedTransaction, !isInTransaction {
            logger.debug("postgres prepared statement went stale; running the pipeline again")
            return try pipelineResults(batch, noting: noting, unnotedPrefix: unnotedPrefix, retried: true)
        }
        return results.enumerated().map { position, result in
            guard position >= stale.position, case .failure(let error) = result, error.sqlState == stale.state else {
                return result
            }
            return .failure(error.stalePreparedStatement())
        }
    }

    private func send(
        _ steps: [Step],
        _ batch: ArraySlice<PostgresQuery>,
        handle: ConnectionHandle
    ) throws(PostgresError) {
        let first = batch[batch.startIndex]
        for step in steps {
            let sent: Int32
            switch step {
            case .deallocate(let name):
                sent = PQsendQueryParams(handle.pointer, "DEALLOCATE \(name)", 0, nil, nil, nil, nil, 0)
            case .prepare(let key, let name):
                let types = key.types.map { Oid($0.rawValue) }
                sent = PQsendPrepare(handle.pointer, name, key.sql, Int32(types.count), types)
            case .statement(let index, let name, _, _):
                let query = batch[index]
                if let name {
                    sent = withCParameters(query.bindings) { count, _, values in
                        PQsendQueryPrepared(handle.pointer, name, count, values, nil, nil, 0)
                    }
                } else {
                    sent = withCParameters(query.bindings) { count, types, values in
                        PQsendQueryParams(handle.pointer, query.sql, count, types, values, nil, nil, 0)
                    }
                }
            case .sync:
                sent = PQpipelineSync(handle.pointer)
            }
            guard sent == 1 else { throw connectionError(handle: handle, query: first, fallback: "send failed") }
        }
    }

    /// Command tags after which the statements before are committed or rolled back for good.
    private static func endsTransaction(_ tag: String) -> Bool {
        switch tag {
        case "BEGIN", "START TRANSACTION", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "PREPARE TRANSACTION",
            "COMMIT PREPARED", "ROLLBACK PREPARED":
            true
        default:
            false
        }
    }

    private func rows(
        from result: borrowing ResultHandle,
        handle: ConnectionHandle,
        query: PostgresQuery
    ) throws(PostgresError) -> PostgresRows {
        guard let pointer = result.pointer else {
            throw connectionError(handle: handle, query: query, fallback: "no result")
        }
        switch PQresultStatus(pointer) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return copyRows(pointer)
        case PGRES_FATAL_ERROR, PGRES_NONFATAL_ERROR, PGRES_BAD_RESPONSE:
            throw serverError(pointer, handle: handle, query: query)
        default:
            throw PostgresError(
                code: .server,
                reason: "unsupported result status \(String(cString: PQresStatus(PQresultStatus(pointer))))",
                query: query.sql
            )
        }
    }

    private func copyRows(_ result: OpaquePointer) -> PostgresRows {
        let rowCount = Int(PQntuples(result))
        let columnCount = Int(PQnfields(result))
        var columns: [PostgresColumn] = []
        var columnIndex: [String: Int] = [:]
        columns.reserveCapacity(columnCount)
        for column in 0..<columnCount {
            let name = String(cString: PQfname(result, Int32(column)))
            columns.append(PostgresColumn(name: name, type: PostgresDataType(rawValue: PQftype(result, Int32(column)))))
            if columnIndex[name] == nil { columnIndex[name] = column }
        }
        var bytes: [UInt8] = []
        var starts: [Int32] = []
        var lengths: [Int32] = []
        starts.reserveCapacity(rowCount * columnCount)
        lengths.reserveCapacity(rowCount * columnCount)
        for row in 0..<Int32(rowCount) {
            for column in 0..<Int32(columnCount) {
                starts.append(Int32(bytes.count))
                if PQgetisnull(result, row, column) == 1 {
                    lengths.append(-1)
                } else {
                    let length = PQgetlength(result, row, column)
                    let value = UnsafeRawPointer(PQgetvalue(result, row, column)!)
                    bytes.append(contentsOf: UnsafeRawBufferPointer(start: value, count: Int(length)))
                    lengths.append(length)
                }
            }
        }
        let tag = String(cString: PQcmdStatus(result))
        let storage = PostgresRows.Storage(
            bytes: bytes,
            starts: starts,
            lengths: lengths,
            columnIndex: columnIndex,
            rowCount: rowCount
        )
        return PostgresRows(columns: columns, commandTag: tag, storage: storage)
    }

    private func serverError(_ result: OpaquePointer, handle: ConnectionHandle, query: PostgresQuery) -> PostgresError {
        func field(_ code: Character) -> String? {
            guard let value = PQresultErrorField(result, Int32(code.asciiValue!)) else { return nil }
            return String(cString: value)
        }
        var fields = PostgresError.ServerFields()
        fields.severity = field("V") ?? field("S")
        fields.message = field("M")
        fields.detail = field("D")
        fields.hint = field("H")
        fields.position = field("P").flatMap { Int($0) }
        fields.internalPosition = field("p").flatMap { Int($0) }
        fields.context = field("W")
        fields.schemaName = field("s")
        fields.tableName = field("t")
        fields.columnName = field("c")
        fields.constraintName = field("n")
        let sqlState = field("C").map(SQLState.init(rawValue:))
        let lost = PQstatus(handle.pointer) != CONNECTION_OK
        if fields.message == nil {
            // libpq reports its own failures (such as a lost connection) without fields.
            fields.message = String(cString: PQresultErrorMessage(result)).trimmingTrailingWhitespace()
        }
        return PostgresError(
            code: lost ? .connectionLost : .server,
            sqlState: sqlState,
            reason: lost ? "the connection to the server was lost" : "the server reported an error",
            query: query.sql,
            server: fields
        )
    }

    private func connectionError(handle: ConnectionHandle, query: PostgresQuery, fallback: String) -> PostgresError {
        let lost = PQstatus(handle.pointer) != CONNECTION_OK
        var fields = PostgresError.ServerFields()
        fields.message = handle.errorMessage
        return PostgresError(
            code: lost ? .connectionLost : .server,
            reason: lost ? "the connection to the server was lost" : fallback,
            query: query.sql,
            server: fields
        )
    }

    /// Remembers when a statement may have left state on the session. `traits` is asked only when the
    /// command tag leaves the question open, and comes from the statement's cache entry: no text is scanned
    /// twice.
    private func noteSessionState(commandTag: String, traits: () -> StatementTraits) {
        if sessionMayBeDirty { return }
        switch commandTag {
        case "SET":
            // SET LOCAL ends with its transaction; plain SET (and SET SESSION) outlives it.
            sessionMayBeDirty = !traits().isSetLocal
        case "LISTEN", "PREPARE", "DECLARE CURSOR", "CREATE TABLE", "SELECT INTO", "LOAD", "CREATE TABLE AS":
            sessionMayBeDirty = true
        case "BEGIN", "COMMIT", "ROLLBACK", "START TRANSACTION", "SAVEPOINT", "RELEASE":
            // Transaction control: the text is the command itself, no function call.
            return
        default:
            sessionMayBeDirty = traits().callsSessionFunctions
        }
    }

    /// Forgets the prepared statements when the server dropped them (`DISCARD ALL`, `DEALLOCATE ALL`).
    private func noteStatementsDropped(commandTag: String) {
        if commandTag == "DISCARD ALL" || commandTag == "DEALLOCATE ALL" { statements.serverForgotAll() }
    }

    /// A script may have run `DISCARD ALL` or `DEALLOCATE` anywhere in it, and only its last tag is known:
    /// when it mentions either, every entry is forgotten and deallocated (a name already gone only fails its
    /// own `DEALLOCATE`). Scripts are rare (migrations, set-up), so their text is scanned.
    private func forgetStatementsAfterScript(_ script: PostgresQuery) {
        guard statements.count > 0 else { return }
        if script.sql.containsIgnoringASCIICase("discard") || script.sql.containsIgnoringASCIICase("deallocate") {
            statements.discardAll()
        }
    }
}
