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
    /// Statements sent in the same pipeline as the next statement(s) (``setPrelude(_:everyStatement:)``).
    private var prelude: Prelude?
    /// Round trips to the server so far (``roundTrips``).
    private let roundTripCounter = Atomic<Int>(0)

    public nonisolated var unownedExecutor: UnownedSerialExecutor {
        thread.asUnownedSerialExecutor()
    }

    /// The connection's own thread as a task executor: code run with this preference calls the connection
    /// without switching threads (the pool gives its borrowers this preference).
    public nonisolated var taskExecutor: any TaskExecutor { thread }

    private init(id: Int, logger: Logger) {
        self.id = id
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
        let connection = PostgresConnection(id: id, logger: logger)
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
        if prelude != nil { return try runWithPrelude([query][...])[0] }
        if !afterCommitStatements.isEmpty {
            return try runWithAfterCommit(query)
        }
        let rows = try run(query)
        noteSessionState(sql: query.sql, commandTag: rows.commandTag)
        return rows
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
            rows = try run(query)
        } catch {
            if !isInTransaction { afterCommitStatements = [] }
            throw error
        }
        noteSessionState(sql: query.sql, commandTag: rows.commandTag)
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
            _ = try runPipeline(statements[...])
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
        let handle = try liveHandle(for: script)
        let result = ResultHandle(PQexec(handle.pointer, script.sql))
        roundTripCounter.add(1, ordering: .relaxed)
        let rows = try rows(from: result, handle: handle, query: script)
        noteSessionState(sql: script.sql, commandTag: rows.commandTag)
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
        if prelude != nil { return try pipelineWithPrelude(queries, batchSize: batchSize, noting: noteSessionState) }
        var results: [PostgresRows] = []
        results.reserveCapacity(queries.count)
        var start = 0
        while start < queries.count {
            let batch = queries[start..<min(start + batchSize, queries.count)]
            do {
                results.append(contentsOf: try runPipeline(batch))
            } catch {
                if !isInTransaction { afterCommitStatements = [] }
                throw error
            }
            start += batch.count
        }
        settleAfterCommit(lastCommandTag: results.last?.commandTag)
        if noteSessionState {
            for (query, rows) in zip(queries, results) {
                self.noteSessionState(sql: query.sql, commandTag: rows.commandTag)
            }
        }
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
            let results = try pipelineResults((prelude.statements + queries)[...])
            for result in results.prefix(prelude.statements.count) { _ = try result.get() }
            for result in results.dropFirst(prelude.statements.count) { rows.append(try result.get()) }
        } catch {
            if !isInTransaction { afterCommitStatements = [] }
            throw error
        }
        if noting {
            for (query, result) in zip(queries, rows) {
                noteSessionState(sql: query.sql, commandTag: result.commandTag)
            }
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

    private func run(_ query: PostgresQuery) throws(PostgresError) -> PostgresRows {
        let handle = try liveHandle(for: query)
        try query.bindings.validate(query: query.sql)
        let pointer = withCParameters(query.bindings) { count, types, values in
            PQexecParams(handle.pointer, query.sql, count, types, values, nil, nil, 0)
        }
        roundTripCounter.add(1, ordering: .relaxed)
        let result = ResultHandle(pointer)
        return try rows(from: result, handle: handle, query: query)
    }

    private func runPipeline(_ batch: ArraySlice<PostgresQuery>) throws(PostgresError) -> [PostgresRows] {
        var rows: [PostgresRows] = []
        for result in try pipelineResults(batch) { rows.append(try result.get()) }
        return rows
    }

    /// Sends `batch` in one pipeline and answers each statement's own outcome, in order; a statement the
    /// server skipped because an earlier one failed answers that earlier failure. Throws only when the
    /// connection fails.
    private func pipelineResults(
        _ batch: ArraySlice<PostgresQuery>
    ) throws(PostgresError) -> [Result<PostgresRows, PostgresError>] {
        guard let first = batch.first else { return [] }
        let handle = try liveHandle(for: first)
        for query in batch { try query.bindings.validate(query: query.sql) }
        guard PQenterPipelineMode(handle.pointer) == 1 else {
            throw connectionError(handle: handle, query: first, fallback: "could not enter pipeline mode")
        }
        defer { PQexitPipelineMode(handle.pointer) }
        for query in batch {
            let sent = withCParameters(query.bindings) { count, types, values in
                PQsendQueryParams(handle.pointer, query.sql, count, types, values, nil, nil, 0)
            }
            guard sent == 1 else { throw connectionError(handle: handle, query: query, fallback: "send failed") }
        }
        guard PQpipelineSync(handle.pointer) == 1 else {
            throw connectionError(handle: handle, query: first, fallback: "pipeline sync failed")
        }
        roundTripCounter.add(1, ordering: .relaxed)
        var results: [Result<PostgresRows, PostgresError>] = []
        var firstError: PostgresError?
        var index = batch.startIndex
        var consecutiveNulls = 0
        while true {
            guard let pointer = PQgetResult(handle.pointer) else {
                consecutiveNulls += 1
                if consecutiveNulls > 1 || PQstatus(handle.pointer) != CONNECTION_OK {
                    throw connectionError(handle: handle, query: first, fallback: "the pipeline ended early")
                }
                continue
            }
            consecutiveNulls = 0
            let result = ResultHandle(pointer)
            let status = PQresultStatus(pointer)
            if status == PGRES_PIPELINE_SYNC { break }
            let query = index < batch.endIndex ? batch[index] : first
            index += 1
            if status == PGRES_PIPELINE_ABORTED {
                let skipped = PostgresError(
                    code: .server, reason: "skipped: an earlier statement of the pipeline failed", query: query.sql)
                results.append(.failure(firstError ?? skipped))
                continue
            }
            do {
                results.append(.success(try rows(from: result, handle: handle, query: query)))
            } catch {
                if firstError == nil { firstError = error }
                results.append(.failure(error))
            }
        }
        return results
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

    /// Remembers when a statement may have left state on the session.
    private func noteSessionState(sql: String, commandTag: String) {
        if sessionMayBeDirty { return }
        switch commandTag {
        case "SET":
            // SET LOCAL ends with its transaction; plain SET (and SET SESSION) outlives it.
            sessionMayBeDirty = !sql.drop { $0.isWhitespace }.uppercased().hasPrefix("SET LOCAL ")
        case "LISTEN", "PREPARE", "DECLARE CURSOR", "CREATE TABLE", "SELECT INTO", "LOAD", "CREATE TABLE AS":
            sessionMayBeDirty = true
        default:
            sessionMayBeDirty =
                sql.containsIgnoringASCIICase("set_config") || sql.containsIgnoringASCIICase("pg_advisory_lock")
        }
    }
}
