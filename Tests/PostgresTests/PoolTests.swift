import Foundation
import Postgres
import TestSupport
import Testing

@Suite("The connection pool")
struct PoolTests {
    static let database = SuiteDatabase("pool")

    private func pool(size: Int, timeout: Duration = .seconds(10)) async throws -> PostgresConnectionPool {
        PostgresConnectionPool(
            configuration: .init(
                connection: try await Self.database.get().adminConfiguration,
                maximumConnections: size,
                acquireTimeout: timeout
            ),
            logger: TestLogger.make("pool")
        )
    }

    @Test("when every connection is busy, a borrower waits, then times out with a clear error")
    func exhaustionTimesOut() async throws {
        let pool = try await pool(size: 1, timeout: .milliseconds(300))
        let (held, release) = AsyncStream.makeStream(of: Void.self)
        let (started, signalStarted) = AsyncStream.makeStream(of: Void.self)
        let holder = Task {
            try await pool.withConnection { _ in
                signalStarted.yield()
                for await _ in held { break }
            }
        }
        for await _ in started { break }
        let clock = ContinuousClock()
        let began = clock.now
        let error = await #expect(throws: PostgresError.self) { try await pool.query("SELECT 1") }
        #expect(error?.code == .poolTimeout)
        #expect(error?.reason.contains("1 are in use") == true)
        #expect(clock.now - began >= .milliseconds(300))
        release.yield()
        try await holder.value
        // Once returned, the connection serves the next borrower.
        #expect(try await pool.query("SELECT 2")[0].decode(Int.self, column: 0) == 2)
        await pool.close()
    }

    @Test("waiters are served first come, first served")
    func fifoWaiters() async throws {
        let pool = try await pool(size: 1, timeout: .seconds(120))  // no waiter gives up while the others queue
        let order = OrderRecorder()
        let (held, release) = AsyncStream.makeStream(of: Void.self)
        let (started, signalStarted) = AsyncStream.makeStream(of: Void.self)
        let holder = Task {
            try await pool.withConnection { _ in
                signalStarted.yield()
                for await _ in held { break }
            }
        }
        for await _ in started { break }
        var waiters: [Task<Void, any Error>] = []
        for index in 0..<5 {
            waiters.append(Task { try await pool.withConnection { _ in await order.append(index) } })
            // Each waiter must be queued before the next one starts.
            // A whole parallel test run on two cores can take seconds to start a task.
            try await waitUntil(timeout: .seconds(60)) { await pool.waitingBorrowers == index + 1 }
        }
        release.yield()
        try await holder.value
        for waiter in waiters { try await waiter.value }
        #expect(await order.values == [0, 1, 2, 3, 4])
        await pool.close()
    }

    @Test("a backend killed with pg_terminate_backend is replaced and the next query succeeds")
    func killedBackendIsReplaced() async throws {
        let pool = try await pool(size: 1)
        let victim = try await pool.withConnection { connection in await connection.backendPID }
        let admin = try await Self.database.get().connectAsAdmin()
        let pid = try #require(victim)
        try await admin.query("SELECT pg_terminate_backend(\(pid))")
        try await waitUntil {
            let rows = try await admin.query("SELECT count(*) FROM pg_stat_activity WHERE pid = \(pid)")
            return try rows[0].decode(Int.self, column: 0) == 0
        }
        let rows = try await pool.query("SELECT pg_backend_pid()")
        #expect(try rows[0].decode(Int32.self, column: 0) != victim)
        #expect(await pool.openConnections == 1)
        await pool.close()
    }

    @Test("while the database refuses connections, every waiting borrower gets that error, not the timeout")
    func waitersLearnTheDatabaseIsDown() async throws {
        // A database of its own: refusing connections to the suite's would disturb the other tests.
        let database = try await TestDatabase.migrated("pooldown")
        let pool = PostgresConnectionPool(
            configuration: .init(
                connection: database.adminConfiguration, maximumConnections: 1, acquireTimeout: .seconds(60)),
            logger: TestLogger.make("pool")
        )
        let (held, release) = AsyncStream.makeStream(of: Void.self)
        let (started, signalStarted) = AsyncStream.makeStream(of: Int32?.self)
        let holder = Task {
            try await pool.withConnection { connection in
                signalStarted.yield(await connection.backendPID)
                for await _ in held { break }
                _ = try? await connection.query("SELECT 1")  // its backend is gone: the pool drops it
            }
        }
        var victim: Int32?
        for await pid in started {
            victim = pid
            break
        }
        let waiters = (0..<3).map { _ in
            Task { () -> PostgresError.Code? in
                do {
                    try await pool.query("SELECT 1")
                    return nil
                } catch let error as PostgresError {
                    return error.code
                }
            }
        }
        try await waitUntil { await pool.waitingBorrowers == 3 }
        // The database goes away: no new connections, and the borrowed one is cut off.
        // From another database: PostgreSQL refuses to disallow connections to the one it is connected to.
        let admin = try await PostgresConnection.connect(
            to: database.adminConfiguration.setting("dbname", to: "postgres"), logger: TestLogger.make("pool"))
        try await admin.query(PostgresQuery(unsafeSQL: "ALTER DATABASE \"\(database.name)\" ALLOW_CONNECTIONS false"))
        try await admin.query("SELECT pg_terminate_backend(\(try #require(victim)))")
        let clock = ContinuousClock()
        let began = clock.now
        release.yield()
        try await holder.value
        var codes: [PostgresError.Code?] = []
        for waiter in waiters { codes.append(try await waiter.value) }
        #expect(codes == [.connectionFailed, .connectionFailed, .connectionFailed])
        // Well before the 60 s acquire timeout (a loaded run took 13.6 s to see all three errors).
        #expect(clock.now - began < .seconds(30))
        // Once the database takes connections again, the pool serves without a restart.
        try await admin.query(PostgresQuery(unsafeSQL: "ALTER DATABASE \"\(database.name)\" ALLOW_CONNECTIONS true"))
        #expect(try await pool.query("SELECT 7")[0].decode(Int.self, column: 0) == 7)
        await admin.close()
        await pool.close()
    }

    @Test("no session state travels to the next borrower: SET, open transaction, LISTEN")
    func sessionStateIsReset() async throws {
        let pool = try await pool(size: 1)
        try await pool.withConnection { connection in
            // Not the default, and long enough that the statements below finish on a busy machine.
            try await connection.query("SET statement_timeout = '1234s'")
            try await connection.query("LISTEN stale_channel")
            try await connection.query("SELECT set_config('app.tenant_id', 'leaked', false)")
            try await connection.query("CREATE TEMP TABLE leftovers (x int)")
            try await connection.query("BEGIN")
        }
        try await pool.withConnection { connection in
            let rows = try await connection.query(
                """
                SELECT current_setting('statement_timeout'),
                       coalesce(current_setting('app.tenant_id', true), ''),
                       (SELECT count(*) FROM pg_listening_channels()),
                       to_regclass('pg_temp.leftovers') IS NULL
                """
            )
            let (timeout, tenant, channels, tableGone) = try rows[0].decode((String, String, Int, Bool).self)
            // SAVEPOINT works only inside a transaction block: it fails when no transaction was carried over.
            let savepoint = await #expect(throws: PostgresError.self) { try await connection.query("SAVEPOINT probe") }
            #expect(savepoint?.sqlState?.rawValue == "25P01")
            #expect(timeout == "0")
            #expect(tenant == "")
            #expect(channels == 0)
            #expect(tableGone)
        }
        await pool.close()
    }

    @Test("the startup role survives the reset: the app role stays in force")
    func startupRoleSurvivesReset() async throws {
        let database = try await Self.database.get()
        let pool = PostgresConnectionPool(
            configuration: .init(connection: database.appConfiguration, maximumConnections: 1),
            logger: TestLogger.make("pool")
        )
        try await pool.withConnection { connection in try await connection.query("SET work_mem = '8MB'") }
        let role = try await pool.query("SELECT current_user")[0].decode(String.self, column: 0)
        #expect(role == "stedenband_app")
        await pool.close()
    }

    @Test("blocking libpq calls do not hold up Swift's cooperative pool")
    func blockingCallsRunOnTheirOwnThreads() async throws {
        // Ten connections sleep in the server at once. Were the blocking calls on the cooperative pool (as
        // many threads as cores, here two), at most two could be in the server at a time, one sleep after
        // another. The server's own clock shows whether all ten were sleeping at the same moment, however
        // busy the machine is.
        // All ten connections are opened first, held at once, so that opening one under load (a backend
        // forks) cannot delay a sleep's start past another's end.
        let pool = try await pool(size: 10)
        let holding = OrderRecorder()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<10 {
                group.addTask {
                    try await pool.withConnection { _ in
                        await holding.append(index)
                        try await waitUntil { await holding.values.count == 10 }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(await pool.openConnections == 10)
        let spans = try await withThrowingTaskGroup(of: (Double, Double).self) { group in
            for _ in 0..<10 {
                group.addTask {
                    let row = try await pool.query(
                        """
                        SELECT extract(epoch FROM clock_timestamp())::float8, pg_sleep(5),
                               extract(epoch FROM clock_timestamp())::float8
                        """
                    )[0]
                    return (try row.decode(Double.self, column: 0), try row.decode(Double.self, column: 2))
                }
            }
            return try await group.reduce(into: [(Double, Double)]()) { $0.append($1) }
        }
        // Had the calls held Swift's cooperative threads (as many as the cores: 2 in CI), the ten 5 s sleeps
        // would run at most two at a time: 25 s or more. Overlapping, they take 5 s, plus a start delayed by a
        // busy machine; a strict "all overlap" check failed on such a delay of 0.1 s.
        let firstStart = spans.map(\.0).min()!
        let lastEnd = spans.map(\.1).max()!
        #expect(lastEnd - firstStart < 20, "the ten 5 s sleeps took \(lastEnd - firstStart) s: they did not overlap")
        await pool.close()
    }

    @Test("a closed pool refuses new borrowers")
    func closedPoolRefuses() async throws {
        let pool = try await pool(size: 2)
        try await pool.query("SELECT 1")
        await pool.close()
        let error = await #expect(throws: PostgresError.self) { try await pool.query("SELECT 1") }
        #expect(error?.code == .poolClosed)
    }

    @Test("many waiters time out at about their deadline, each with the timeout error")
    func manyWaitersTimeOut() async throws {
        let pool = try await pool(size: 1, timeout: .milliseconds(400))
        let (held, release) = AsyncStream.makeStream(of: Void.self)
        let (started, signalStarted) = AsyncStream.makeStream(of: Void.self)
        let holder = Task {
            try await pool.withConnection { _ in
                signalStarted.yield()
                for await _ in held { break }
            }
        }
        for await _ in started { break }
        let clock = ContinuousClock()
        let waits = try await withThrowingTaskGroup(of: (Duration, PostgresError.Code?).self) { group in
            for _ in 0..<20 {
                group.addTask {
                    let began = clock.now
                    do {
                        try await pool.query("SELECT 1")
                        return (clock.now - began, nil)
                    } catch let error as PostgresError {
                        return (clock.now - began, error.code)
                    }
                }
            }
            return try await group.reduce(into: [(Duration, PostgresError.Code?)]()) { $0.append($1) }
        }
        #expect(waits.allSatisfy { $0.1 == .poolTimeout })
        #expect(waits.allSatisfy { $0.0 >= .milliseconds(400) })
        // Not a fixed late sweep: a busy machine may delay a wake-up, never by seconds.
        #expect(waits.allSatisfy { $0.0 < .seconds(5) }, "\(waits.map(\.0))")
        #expect(await pool.waitingBorrowers == 0)
        release.yield()
        try await holder.value
        #expect(try await pool.query("SELECT 3")[0].decode(Int.self, column: 0) == 3)
        await pool.close()
    }

    @Test("a cancelled waiter leaves the queue at once, and the connection serves the next borrower")
    func cancelledWaiterLeaves() async throws {
        let pool = try await pool(size: 1, timeout: .seconds(120))
        let (held, release) = AsyncStream.makeStream(of: Void.self)
        let (started, signalStarted) = AsyncStream.makeStream(of: Void.self)
        let holder = Task {
            try await pool.withConnection { _ in
                signalStarted.yield()
                for await _ in held { break }
            }
        }
        for await _ in started { break }
        let waiter = Task { try await pool.query("SELECT 1") }
        try await waitUntil { await pool.waitingBorrowers == 1 }
        waiter.cancel()
        let result = await waiter.result
        #expect(throws: CancellationError.self) { try result.get() }
        #expect(await pool.waitingBorrowers == 0)
        release.yield()
        try await holder.value
        #expect(try await pool.query("SELECT 4")[0].decode(Int.self, column: 0) == 4)
        #expect(await pool.openConnections == 1)
        #expect(await pool.idleConnections == 1)
        await pool.close()
    }
}

/// Records the order in which borrowers ran.
actor OrderRecorder {
    private(set) var values: [Int] = []

    func append(_ value: Int) { values.append(value) }
}

/// Polls `condition` until it holds, failing after `timeout`; tests never sleep a fixed time.
func waitUntil(
    timeout: Duration = .seconds(60),
    _ condition: () async throws -> Bool,
    sourceLocation: SourceLocation = #_sourceLocation
) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        if ContinuousClock.now > deadline {
            Issue.record("condition not met within \(timeout)", sourceLocation: sourceLocation)
            return
        }
        try await Task.sleep(for: .milliseconds(10))
    }
}
