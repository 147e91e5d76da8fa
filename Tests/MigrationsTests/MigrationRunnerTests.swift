import Foundation
import Migrations
import Postgres
import Synchronization
import TestSupport
import Testing

/// Builds migration sets in memory, so each test can change, drop or reorder files.
func migration(_ version: Int, _ name: String, _ sql: String) -> Migration {
    let digits = String(version)
    let fileName = String(repeating: "0", count: 4 - digits.count) + digits + "_\(name).sql"
    return Migration(fileName: fileName, contents: sql)!
}

func runner(_ database: TestDatabase, _ migrations: [Migration]) -> MigrationRunner {
    MigrationRunner(
        migrations: MigrationSet(migrations: migrations),
        configuration: database.adminConfiguration,
        logger: TestLogger.make("migrations")
    )
}

let first = migration(1, "test_first", "CREATE TABLE first_table (id int PRIMARY KEY);")
let second = migration(2, "test_second", "CREATE TABLE second_table (id int PRIMARY KEY);")
let third = migration(3, "test_third", "CREATE TABLE third_table (id int PRIMARY KEY);")

func tableExists(_ name: String, in database: TestDatabase) async throws -> Bool {
    let connection = try await database.connectAsAdmin()
    let rows = try await connection.query("SELECT to_regclass(\(name)) IS NOT NULL")
    return try rows[0].decode(Bool.self, column: 0)
}

func appliedVersions(_ database: TestDatabase) async throws -> [Int] {
    let connection = try await database.connectAsAdmin()
    let rows = try await connection.query(
        "SELECT version FROM platform.schema_migrations WHERE success ORDER BY version"
    )
    return try rows.map { try $0.decode(Int.self, column: 0) }
}

@Suite("Migration runner")
struct MigrationRunnerTests {
    @Test("a fresh database gets every file of the repository, and a second up does nothing")
    func freshUpThenNothing() async throws {
        let database = try await TestDatabase.empty("fresh")
        let files = try MigrationSet.load(directory: TestPaths.migrations)
        let runner = MigrationRunner(
            migrations: files,
            configuration: database.adminConfiguration,
            logger: TestLogger.make("migrations")
        )
        let applied = try await runner.up()
        #expect(applied.map(\.version) == files.migrations.map(\.version))
        let status = try await runner.status()
        #expect(status.isUpToDate)
        #expect(status.migrations.allSatisfy { $0.state == .applied })
        #expect(try await runner.up().isEmpty)
        #expect(try await runner.plan().isEmpty)
        #expect(try await tableExists("platform.tenants", in: database))
    }

    @Test("plan lists what up would apply and applies nothing")
    func planAppliesNothing() async throws {
        let database = try await TestDatabase.empty("plan")
        let runner = runner(database, [first, second])
        #expect(try await runner.plan().map(\.fileName) == [first.fileName, second.fileName])
        #expect(try await runner.plan(to: 1).map(\.fileName) == [first.fileName])
        #expect(try await tableExists("first_table", in: database) == false)
        try await runner.up(to: 1)
        #expect(try await appliedVersions(database) == [1])
        #expect(try await runner.plan().map(\.fileName) == [second.fileName])
    }

    @Test("an applied file that changed is refused by up and verify, naming the file, with nothing applied")
    func driftIsRefused() async throws {
        let database = try await TestDatabase.empty("drift")
        try await runner(database, [first, second]).up()
        let edited = migration(1, "test_first", "CREATE TABLE first_table (id bigint PRIMARY KEY);")
        let drifted = runner(database, [edited, second, third])
        for check in [{ try await drifted.up() }, { try await drifted.verify() }] as [() async throws -> Void] {
            let error = await #expect(throws: MigrationError.self) { try await check() }
            guard case .historyMismatch(let problems) = error else {
                Issue.record("expected a history mismatch, got \(String(describing: error))")
                continue
            }
            #expect(problems.map(\.fileName) == [first.fileName])
            #expect(error?.description.contains("0001_test_first.sql was changed") == true)
        }
        #expect(try await tableExists("third_table", in: database) == false)
        #expect(try await appliedVersions(database) == [1, 2])
    }

    @Test("line endings do not count as a change: CRLF and LF files have one checksum")
    func crlfIsNormalised() {
        let lf = migration(4, "test_endings", "SELECT 1;\nSELECT 2;\n")
        let crlf = migration(4, "test_endings", "SELECT 1;\r\nSELECT 2;\r\n")
        #expect(lf.checksum == crlf.checksum)
        #expect(lf.checksum.count == 64)
    }

    @Test("an applied file that is gone is refused, with nothing applied")
    func missingFileIsRefused() async throws {
        let database = try await TestDatabase.empty("missing")
        try await runner(database, [first, second]).up()
        let error = await #expect(throws: MigrationError.self) { try await runner(database, [first, third]).up() }
        #expect(error?.description.contains("0002_test_second.sql") == true)
        #expect(error?.description.contains("gone") == true)
        #expect(try await tableExists("third_table", in: database) == false)
    }

    @Test("migrations newer than every file (a newer binary's) leave the schema servable; up still refuses them")
    func newerMigrationsAreServable() async throws {
        let database = try await TestDatabase.empty("newer")
        try await runner(database, [first, second]).up()
        let older = try await runner(database, [first]).status()
        #expect(older.newerThanFiles.map(\.version) == [2])
        #expect(older.servingProblems.isEmpty)
        #expect(older.isServable)
        #expect(!older.isUpToDate)
        await #expect(throws: MigrationError.self) { try await runner(database, [first]).up() }

        // A gap below the newest file is a real problem: the files lost one the database has.
        let database2 = try await TestDatabase.empty("newergap")
        try await runner(database2, [first, second]).up()
        let gap = try await runner(database2, [first, third]).status()
        #expect(gap.newerThanFiles.isEmpty)
        #expect(!gap.isServable)
        #expect(gap.servingProblems.map(\.fileName) == ["0002_test_second.sql"])
    }

    @Test("a pending file that sorts before the last applied one is refused, with nothing applied")
    func outOfOrderIsRefused() async throws {
        let database = try await TestDatabase.empty("order")
        try await runner(database, [first, third]).up()
        let error = await #expect(throws: MigrationError.self) {
            try await runner(database, [first, second, third]).up()
        }
        #expect(error?.description.contains("0002_test_second.sql is pending but sorts before version 3") == true)
        #expect(try await tableExists("second_table", in: database) == false)
    }

    @Test("a failing third file leaves the first two applied and names the third, with the message and position")
    func failureStopsAtTheFile() async throws {
        let database = try await TestDatabase.empty("failure")
        let broken = migration(
            3,
            "test_broken",
            "CREATE TABLE third_table (id int PRIMARY KEY);\nINSERT INTO third_table SELECT id FROM nowhere;\n"
        )
        let error = await #expect(throws: MigrationError.self) {
            try await runner(database, [first, second, broken]).up()
        }
        guard case .failed(let fileName, let sqlState, let message, let location) = error else {
            Issue.record("expected a failed file, got \(String(describing: error))")
            return
        }
        #expect(fileName == "0003_test_broken.sql")
        #expect(sqlState == "42P01")
        #expect(message.contains("nowhere"))
        #expect(location == "line 2, column 40")
        #expect(try await appliedVersions(database) == [1, 2])
        // The third file's transaction rolled back: its first table is not there either.
        #expect(try await tableExists("third_table", in: database) == false)
        let status = try await runner(database, [first, second, broken]).status()
        #expect(status.migrations.last?.state == .failed)
        // Fixed, it applies on the next run.
        let fixed = migration(3, "test_broken", "CREATE TABLE third_table (id int PRIMARY KEY);")
        try await runner(database, [first, second, fixed]).up()
        #expect(try await appliedVersions(database) == [1, 2, 3])
    }

    @Test("two runners started together apply each file exactly once")
    func concurrentRunnersApplyOnce() async throws {
        let database = try await TestDatabase.empty("concurrent")
        let connection = try await database.connectAsAdmin()
        try await connection.query("CREATE TABLE applications (file text NOT NULL)")
        let files = (1...6).map { version in
            migration(
                version,
                "test_step\(version)",
                "INSERT INTO applications VALUES ('\(version)'); SELECT pg_sleep(0.05);"
            )
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<2 {
                group.addTask { try await runner(database, files).up() }
            }
            try await group.waitForAll()
        }
        let rows = try await connection.query("SELECT file, count(*) FROM applications GROUP BY file ORDER BY file")
        #expect(rows.count == 6)
        #expect(try rows.allSatisfy { try $0.decode(Int.self, column: 1) == 1 })
        #expect(try await appliedVersions(database) == [1, 2, 3, 4, 5, 6])
    }

    @Test("a run waits for another's lock, says so, and gives up after the lock timeout")
    func lockTimeout() async throws {
        let database = try await TestDatabase.empty("lock")
        let holder = try await database.connectAsAdmin()
        try await holder.query("SELECT pg_advisory_lock(\(Int64(0x7374_6564_656E_6264)))")
        let said = ProgressLog()
        let error = await #expect(throws: MigrationError.self) {
            try await runner(database, [first]).up(lockTimeout: .milliseconds(300)) { said.add($0) }
        }
        #expect(error?.description.contains("held the lock") == true)
        #expect(said.waited)
        #expect(try await tableExists("first_table", in: database) == false)
        try await holder.query("SELECT pg_advisory_unlock_all()")
        try await runner(database, [first]).up(lockTimeout: .seconds(5))
        #expect(try await tableExists("first_table", in: database))
    }

    @Test("a file marked no-transaction runs statement by statement, so CREATE INDEX CONCURRENTLY works")
    func noTransactionFile() async throws {
        let database = try await TestDatabase.empty("concurrently")
        let index = migration(
            2,
            "test_index",
            """
            -- stedenband:no-transaction
            CREATE INDEX CONCURRENTLY first_table_id ON first_table (id);
            -- a comment; with a semicolon
            CREATE INDEX CONCURRENTLY IF NOT EXISTS first_table_id2 ON first_table ((id + 1));
            """
        )
        #expect(index.runsInTransaction == false)
        try await runner(database, [first, index]).up()
        #expect(try await tableExists("first_table_id2", in: database))
        #expect(try await appliedVersions(database) == [1, 2])
    }

    @Test("badly named files are refused when the folder is read")
    func badNames() throws {
        #expect(Migration(fileName: "1_test_bad.sql", contents: "") == nil)
        #expect(Migration(fileName: "0001_nomodule.sql", contents: "") == nil)
        #expect(Migration(fileName: "0001_Test_upper.sql", contents: "") == nil)
        #expect(Migration(fileName: "0000_test_zero.sql", contents: "") == nil)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString).path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "SELECT 1;".write(toFile: folder + "/0001_test_ok.sql", atomically: true, encoding: .utf8)
        try "notes".write(toFile: folder + "/README.md", atomically: true, encoding: .utf8)
        #expect(try MigrationSet.load(directory: folder).migrations.count == 1)
        try "SELECT 1;".write(toFile: folder + "/2_bad.sql", atomically: true, encoding: .utf8)
        let error = #expect(throws: MigrationError.self) { try MigrationSet.load(directory: folder) }
        #expect(error?.description.contains("2_bad.sql") == true)
    }
}

/// Collects progress reports from a `@Sendable` callback.
final class ProgressLog: Sendable {
    private let waitedFlag = Mutex(false)

    func add(_ progress: MigrationRunner.Progress) {
        if case .waitingForLock = progress { waitedFlag.withLock { $0 = true } }
    }

    var waited: Bool { waitedFlag.withLock { $0 } }
}

@Suite("the migrations built into the binary")
struct BuiltInMigrationsTests {
    @Test("are the files of migrations/, with the same names and checksums")
    func sameAsTheFolder() throws {
        let folder = try MigrationSet.load(directory: TestPaths.migrations)
        let builtIn = try MigrationSet.builtIn()
        #expect(builtIn.source == .builtIn)
        #expect(!builtIn.migrations.isEmpty)
        #expect(builtIn.migrations.map(\.fileName) == folder.migrations.map(\.fileName))
        #expect(builtIn.migrations.map(\.checksum) == folder.migrations.map(\.checksum))
    }

    @Test("a folder named by --migrations wins over STEDENBAND_MIGRATIONS, which wins over the built-in files")
    func resolveOrder() throws {
        let environment = ["STEDENBAND_MIGRATIONS": TestPaths.migrations]
        #expect(try MigrationSet.resolve(directory: nil, environment: [:]).source == .builtIn)
        #expect(
            try MigrationSet.resolve(directory: nil, environment: environment).source
                == .directory(TestPaths.migrations))
        #expect(throws: MigrationError.self) {
            try MigrationSet.resolve(directory: "/nonexistent", environment: environment)
        }
    }
}
