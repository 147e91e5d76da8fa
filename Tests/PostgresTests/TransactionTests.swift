import Foundation
import Postgres
import TestSupport
import Testing

@Suite("Transactions commit, roll back, and surface commit failures")
struct TransactionTests {
    static let database = SuiteDatabase("transactions")

    struct Refused: Error {}

    private func table(_ connection: PostgresConnection) async throws -> String {
        let name = "t_\(UUID().uuidString.prefix(8).lowercased())"
        try await connection.query("CREATE TABLE \(identifier: name) (id int PRIMARY KEY)")
        return name
    }

    private func count(_ table: String, _ connection: PostgresConnection) async throws -> Int {
        try await connection.query("SELECT count(*) FROM \(identifier: table)")[0].decode(Int.self, column: 0)
    }

    @Test("a throwing body rolls back everything it wrote")
    func rollbackOnThrow() async throws {
        let connection = try await Self.database.get().connectAsAdmin()
        let table = try await table(connection)
        await #expect(throws: Refused.self) {
            try await connection.withTransaction { connection in
                try await connection.query("INSERT INTO \(identifier: table) VALUES (1)")
                throw Refused()
            }
        }
        #expect(try await count(table, connection) == 0)
        #expect(await connection.isUsable)
    }

    @Test("a returning body commits")
    func commitOnReturn() async throws {
        let connection = try await Self.database.get().connectAsAdmin()
        let table = try await table(connection)
        let value = try await connection.withTransaction { connection in
            try await connection.query("INSERT INTO \(identifier: table) VALUES (1), (2)").affectedRows
        }
        #expect(value == 2)
        #expect(try await count(table, connection) == 2)
    }

    @Test("a constraint checked at COMMIT throws from withTransaction")
    func commitErrorsSurface() async throws {
        let connection = try await Self.database.get().connectAsAdmin()
        let name = "d_\(UUID().uuidString.prefix(8).lowercased())"
        try await connection.query(
            "CREATE TABLE \(identifier: name) (id int UNIQUE DEFERRABLE INITIALLY DEFERRED)"
        )
        let error = await #expect(throws: PostgresError.self) {
            try await connection.withTransaction { connection in
                try await connection.query("INSERT INTO \(identifier: name) VALUES (1), (1)")
            }
        }
        #expect(error?.sqlState == .uniqueViolation)
        #expect(try await count(name, connection) == 0)
    }

    @Test("a swallowed statement error makes COMMIT fail instead of silently rolling back")
    func swallowedErrorFailsCommit() async throws {
        let connection = try await Self.database.get().connectAsAdmin()
        let table = try await table(connection)
        let error = await #expect(throws: PostgresError.self) {
            try await connection.withTransaction { connection in
                try await connection.query("INSERT INTO \(identifier: table) VALUES (1)")
                _ = try? await connection.query("INSERT INTO \(identifier: table) VALUES (1)")
            }
        }
        #expect(error?.code == .transactionRolledBack)
        #expect(try await count(table, connection) == 0)
    }

    @Test("the tenant variant sets app.tenant_id for the transaction only")
    func tenantScope() async throws {
        let connection = try await Self.database.get().connectAsAdmin()
        let tenant = UUID()
        let inside = try await connection.withTransaction(tenantID: tenant) { connection in
            try await connection.query("SELECT current_setting('app.tenant_id')")[0].decode(String.self, column: 0)
        }
        #expect(inside == tenant.uuidString.lowercased())
        let after = try await connection.query("SELECT coalesce(current_setting('app.tenant_id', true), '')")
        #expect(try after[0].decode(String.self, column: 0) == "")
    }

    @Test("read-only transactions refuse writes")
    func readOnly() async throws {
        let connection = try await Self.database.get().connectAsAdmin()
        let table = try await table(connection)
        let error = await #expect(throws: PostgresError.self) {
            try await connection.withTransaction(readOnly: true) { connection in
                try await connection.query("INSERT INTO \(identifier: table) VALUES (1)")
            }
        }
        #expect(error?.sqlState == .readOnlySQLTransaction)
    }

    @Test("errors carry named SQLSTATEs the application acts on")
    func namedStates() async throws {
        let connection = try await Self.database.get().connectAsAdmin()
        let parent = try await table(connection)
        let child = "c_\(UUID().uuidString.prefix(8).lowercased())"
        try await connection.query(
            "CREATE TABLE \(identifier: child) (parent int REFERENCES \(identifier: parent) (id))"
        )
        try await connection.query("INSERT INTO \(identifier: parent) VALUES (1)")
        let unique = await #expect(throws: PostgresError.self) {
            try await connection.query("INSERT INTO \(identifier: parent) VALUES (\(1))")
        }
        #expect(unique?.sqlState == .uniqueViolation)
        #expect(unique?.server?.constraintName == "\(parent)_pkey")
        let foreign = await #expect(throws: PostgresError.self) {
            try await connection.query("INSERT INTO \(identifier: child) VALUES (\(99))")
        }
        #expect(foreign?.sqlState == .foreignKeyViolation)
    }

    @Test("a serialization failure and a deadlock are named and transient; a killed backend is a lost connection")
    func transientAndLostStates() async throws {
        let database = try await Self.database.get()
        let first = try await database.connectAsAdmin()
        let second = try await database.connectAsAdmin()
        let table = try await table(first)
        try await first.query("INSERT INTO \(identifier: table) VALUES (1), (2)")

        // Serialization failure: a repeatable-read transaction updates a row another one changed since.
        try await first.query("BEGIN ISOLATION LEVEL REPEATABLE READ")
        _ = try await first.query("SELECT count(*) FROM \(identifier: table)")
        try await second.query("UPDATE \(identifier: table) SET id = 10 WHERE id = 1")
        let serialization = await #expect(throws: PostgresError.self) {
            try await first.query("UPDATE \(identifier: table) SET id = 11 WHERE id = 10 OR id = 1")
        }
        #expect(serialization?.sqlState == .serializationFailure)
        #expect(serialization?.sqlState?.isTransient == true)
        try await first.query("ROLLBACK")

        // Deadlock: each transaction holds one row and waits for the other's.
        try await first.query("BEGIN")
        try await second.query("BEGIN")
        try await first.query("SELECT 1 FROM \(identifier: table) WHERE id = 10 FOR UPDATE")
        try await second.query("SELECT 1 FROM \(identifier: table) WHERE id = 2 FOR UPDATE")
        async let firstWaits: Result<Void, any Error> = {
            do {
                try await first.query("SELECT 1 FROM \(identifier: table) WHERE id = 2 FOR UPDATE")
                return .success(())
            } catch { return .failure(error) }
        }()
        let secondWaits: Result<Void, any Error>
        do {
            try await second.query("SELECT 1 FROM \(identifier: table) WHERE id = 10 FOR UPDATE")
            secondWaits = .success(())
        } catch {
            secondWaits = .failure(error)
        }
        let outcomes = [await firstWaits, secondWaits]
        let deadlocks = outcomes.compactMap { outcome -> PostgresError? in
            if case .failure(let error) = outcome { return error as? PostgresError } else { return nil }
        }
        #expect(deadlocks.count == 1)
        #expect(deadlocks.first?.sqlState == .deadlockDetected && deadlocks.first?.sqlState?.isTransient == true)
        _ = try await first.query("ROLLBACK")
        _ = try await second.query("ROLLBACK")

        // A backend terminated under a connection: the next statement reports the connection lost.
        let pid = try #require(await second.backendPID)
        try await first.query("SELECT pg_terminate_backend(\(pid))")
        let lost = await #expect(throws: PostgresError.self) {
            try await second.query("SELECT 1")
        }
        #expect(lost?.isConnectionLost == true)
        #expect(await second.isUsable == false)
    }

    @Test("pipelined inserts land in one round trip per batch; a failure aborts and names its SQLSTATE")
    func pipelinedInserts() async throws {
        let connection = try await Self.database.get().connectAsAdmin()
        let table = try await table(connection)
        let inserts = (1...1000).map { id -> PostgresQuery in "INSERT INTO \(identifier: table) VALUES (\(id))" }
        let results = try await connection.withTransaction { connection in
            try await connection.pipeline(inserts)
        }
        #expect(results.count == 1000)
        #expect(results.allSatisfy { $0.affectedRows == 1 })
        #expect(try await count(table, connection) == 1000)

        let clashing: [PostgresQuery] = ["INSERT INTO \(identifier: table) VALUES (\(2001))", inserts[5]]
        let error = await #expect(throws: PostgresError.self) {
            try await connection.withTransaction { connection in try await connection.pipeline(clashing) }
        }
        #expect(error?.sqlState == .uniqueViolation)
        #expect(try await count(table, connection) == 1000)
        #expect(try await connection.query("SELECT 1")[0].decode(Int.self, column: 0) == 1)
    }

    @Test("after-commit statements run once the transaction commits, and only then")
    func afterCommitRunsAfterCommit() async throws {
        let connection = try await Self.database.get().connectAsAdmin()
        let table = try await table(connection)
        let later: PostgresQuery = "INSERT INTO \(identifier: table) VALUES (1)"
        try await connection.withTransaction { connection in
            await connection.afterCommit(later)
            await connection.afterCommit(later)  // the same statement twice runs once
            let before = try await count(table, connection)
            #expect(before == 0)
        }
        #expect(try await count(table, connection) == 1)

        // A COMMIT sent as a plain query (as the gateway sends it) carries them too.
        try await connection.query("BEGIN")
        await connection.afterCommit("INSERT INTO \(identifier: table) VALUES (2)")
        try await connection.query("COMMIT")
        #expect(try await count(table, connection) == 2)

        // Outside a transaction block, at once.
        await connection.afterCommit("INSERT INTO \(identifier: table) VALUES (3)")
        #expect(try await count(table, connection) == 3)
    }

    @Test("after-commit statements are dropped when the transaction rolls back or its COMMIT fails")
    func afterCommitDroppedOnRollback() async throws {
        let connection = try await Self.database.get().connectAsAdmin()
        let table = try await table(connection)
        await #expect(throws: Refused.self) {
            try await connection.withTransaction { connection in
                await connection.afterCommit("INSERT INTO \(identifier: table) VALUES (1)")
                throw Refused()
            }
        }
        try await connection.query("BEGIN")
        await connection.afterCommit("INSERT INTO \(identifier: table) VALUES (2)")
        try await connection.query("ROLLBACK")

        let deferred = "d_\(UUID().uuidString.prefix(8).lowercased())"
        try await connection.query(
            "CREATE TABLE \(identifier: deferred) (id int UNIQUE DEFERRABLE INITIALLY DEFERRED)")
        await #expect(throws: PostgresError.self) {
            try await connection.withTransaction { connection in
                try await connection.query("INSERT INTO \(identifier: deferred) VALUES (1), (1)")
                await connection.afterCommit("INSERT INTO \(identifier: table) VALUES (3)")
            }
        }
        // Nothing ran, and nothing is left waiting for the next transaction.
        try await connection.withTransaction { _ in }
        #expect(try await count(table, connection) == 0)
        #expect(await connection.isUsable)
    }

    @Test("a failing after-commit statement neither undoes nor fails the commit it follows")
    func afterCommitFailureLeavesTheCommit() async throws {
        let connection = try await Self.database.get().connectAsAdmin()
        let table = try await table(connection)
        // As the gateway commits: a plain COMMIT carries the statements in its round trip.
        try await connection.query("BEGIN")
        try await connection.query("INSERT INTO \(identifier: table) VALUES (1)")
        await connection.afterCommit("INSERT INTO \(identifier: table) VALUES (1)")  // a unique violation
        await connection.afterCommit("INSERT INTO \(identifier: table) VALUES (2)")  // skipped after it
        try await connection.query("COMMIT")
        #expect(try await count(table, connection) == 1)

        // Through withTransaction, whose COMMIT takes the same path.
        try await connection.withTransaction { connection in
            try await connection.query("INSERT INTO \(identifier: table) VALUES (3)")
            await connection.afterCommit("SELECT 1/0")
        }
        #expect(try await count(table, connection) == 2)
        #expect(await connection.isUsable)
    }
}
