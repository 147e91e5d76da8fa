import Foundation
import Migrations
import Postgres
import TestSupport
import Testing

/// A copy of the repository's migrations in a folder of the test's own, to edit freely.
func copyOfMigrations() throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("migrations-\(UUID())").path
    try FileManager.default.copyItem(atPath: TestPaths.migrations, toPath: folder)
    return folder
}

func environment(_ database: TestDatabase, migrations: String) -> [String: String] {
    database.commandEnvironment(migrations: migrations)
}

struct StatusOutput: Decodable {
    struct Entry: Decodable {
        var file: String
        var state: String
    }
    var migrations: [Entry]
    var pending: Int
    var upToDate: Bool
}

@Suite("stedenband migrate, run as an admin would")
struct MigrateCommandTests {
    @Test("status, up and status again: every file applied, shown as JSON")
    func statusUpStatus() async throws {
        let database = try await TestDatabase.empty("cli")
        let folder = try copyOfMigrations()
        let files = try MigrationSet.load(directory: folder).migrations.map(\.fileName)
        let before = try await CommandRun.run(
            ["migrate", "status", "--json"], environment: environment(database, migrations: folder))
        #expect(before.status == 0, "\(before.stderr)")
        let pending = try JSONDecoder().decode(StatusOutput.self, from: Data(before.stdout.utf8))
        #expect(pending.pending == files.count)
        #expect(!pending.upToDate)

        let up = try await CommandRun.run(["migrate", "up"], environment: environment(database, migrations: folder))
        #expect(up.status == 0, "\(up.stderr)")
        #expect(up.stderr.contains("Applied \(files[0]) in"))

        let after = try await CommandRun.run(
            ["migrate", "status", "--json"], environment: environment(database, migrations: folder))
        let applied = try JSONDecoder().decode(StatusOutput.self, from: Data(after.stdout.utf8))
        #expect(applied.upToDate)
        #expect(applied.migrations.map(\.file) == files)
        #expect(applied.migrations.allSatisfy { $0.state == "applied" })
    }

    @Test("editing an applied file makes up exit non-zero, naming the file, with nothing applied")
    func editedFileIsRefused() async throws {
        let database = try await TestDatabase.empty("clidrift")
        let folder = try copyOfMigrations()
        let env = environment(database, migrations: folder)
        #expect(try await CommandRun.run(["migrate", "up"], environment: env).status == 0)
        let first = try #require(try MigrationSet.load(directory: folder).migrations.first)
        let path = folder + "/" + first.fileName
        try (first.sql + "\n-- an edit after the fact\n").write(toFile: path, atomically: true, encoding: .utf8)
        try "CREATE TABLE platform.never_applied (id int);".write(
            toFile: folder + "/9999_test_later.sql",
            atomically: true,
            encoding: .utf8
        )
        let refused = try await CommandRun.run(["migrate", "up"], environment: env)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains(first.fileName))
        #expect(refused.stderr.contains("changed after it was applied"))
        let verify = try await CommandRun.run(["migrate", "verify", "--json"], environment: env)
        #expect(verify.status != 0)
        #expect(verify.stdout.contains(first.fileName))
        let admin = try await database.connectAsAdmin()
        let table = try await admin.query("SELECT to_regclass('platform.never_applied') IS NULL")
        #expect(try table[0].decode(Bool.self, column: 0))
    }

    @Test("two up processes started together apply each file exactly once")
    func twoProcessesApplyOnce() async throws {
        let database = try await TestDatabase.empty("clirace")
        let folder = try copyOfMigrations()
        for version in 9001...9005 {
            try "SELECT pg_sleep(0.05); CREATE TABLE platform.step_\(version) (id int);".write(
                toFile: folder + "/\(version)_test_step.sql",
                atomically: true,
                encoding: .utf8
            )
        }
        let env = environment(database, migrations: folder)
        let runs = try [
            CommandRun(["migrate", "up"], environment: env), CommandRun(["migrate", "up"], environment: env),
        ]
        for run in runs {
            let status = try await run.exitStatus()
            #expect(status == 0, "\(run.standardError)")
        }
        let admin = try await database.connectAsAdmin()
        let rows = try await admin.query("SELECT count(*), count(DISTINCT version) FROM platform.schema_migrations")
        let (total, distinct) = try rows[0].decode((Int, Int).self)
        let files = try MigrationSet.load(directory: folder).migrations.count
        #expect(total == files && distinct == files)
        let applied = runs.map { $0.standardError.components(separatedBy: "Applied ").count - 1 }
        #expect(applied.reduce(0, +) == files)
    }

    @Test("plan lists the pending files and applies nothing")
    func planAppliesNothing() async throws {
        let database = try await TestDatabase.empty("cliplan")
        let folder = try copyOfMigrations()
        let plan = try await CommandRun.run(
            ["migrate", "plan"], environment: environment(database, migrations: folder))
        #expect(plan.status == 0)
        #expect(plan.stdout.contains("0001_platform_foundation.sql"))
        let status = try await CommandRun.run(
            ["migrate", "status", "--json"], environment: environment(database, migrations: folder))
        #expect(
            try JSONDecoder().decode(StatusOutput.self, from: Data(status.stdout.utf8)).migrations.allSatisfy {
                $0.state == "pending"
            })
    }
}
