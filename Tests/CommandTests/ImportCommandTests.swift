import Foundation
import Postgres
import TestSupport
import Testing

@Suite("stedenband import activities and results")
struct ImportCommandTests {
    @Test("imports the documented example into a demo municipality, and refuses a bad file whole")
    func importFile() async throws {
        let database = try await TestDatabase.migrated("importcli")
        let env = database.commandEnvironment()
        #expect(try await CommandRun.run(["demo"], environment: env).status == 0)
        let example = TestPaths.root + "/docs/activity-import-example.csv"
        let imported = try await CommandRun.run(
            ["import", "activities", "--tenant", "roeselare", example],
            environment: env
        )
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("Imported 2 activities into roeselare."))
        #expect(imported.stderr.contains("2/2"))

        let bad = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID()).csv").path
        try "partnership;title;kind;direction\nRoeselare–Dogbo;Fine;other;mutual\nRoeselare–Dogbo;Wrong;party;mutual\n"
            .write(toFile: bad, atomically: true, encoding: .utf8)
        let refused = try await CommandRun.run(
            ["import", "activities", "--tenant", "roeselare", bad], environment: env)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("row 3: kind"))
        let admin = try await database.connectAsAdmin()
        let fine = try await admin.query("SELECT count(*) FROM activities.activities WHERE title = 'Fine'")
        #expect(try fine[0].decode(Int.self, column: 0) == 0)
        let unknown = try await CommandRun.run(
            ["import", "activities", "--tenant", "nowhere", example], environment: env)
        #expect(unknown.status != 0)
    }

    @Test(
        "imports the documented results example into a demo municipality, again without change, and refuses a bad file whole"
    )
    func importsResults() async throws {
        let database = try await TestDatabase.migrated("importresultscli")
        let env = database.commandEnvironment()
        #expect(try await CommandRun.run(["demo"], environment: env).status == 0)
        let example = TestPaths.root + "/docs/results-import-example.csv"
        let imported = try await CommandRun.run(
            ["import", "results", "--tenant", "roeselare", example], environment: env)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(
            imported.stdout.contains("Imported into roeselare: 1 results, 1 indicators, 4 periods defined or changed."))
        let again = try await CommandRun.run(["import", "results", "--tenant", "roeselare", example], environment: env)
        #expect(again.stdout.contains("0 results, 0 indicators, 0 periods"), "\(again.stderr)")

        let bad = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID()).csv").path
        try "partnership;result;indicator;measure\nRoeselare–Dogbo;Fine;Fine;unit\nRoeselare–Dogbo;Wrong;Wrong;speed\n"
            .write(toFile: bad, atomically: true, encoding: .utf8)
        let refused = try await CommandRun.run(["import", "results", "--tenant", "roeselare", bad], environment: env)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("row 3: measure"))
        let admin = try await database.connectAsAdmin()
        let fine = try await admin.query("SELECT count(*) FROM results.results WHERE title = 'Fine'")
        #expect(try fine[0].decode(Int.self, column: 0) == 0)
        let dogbo = try await admin.query(
            "SELECT count(*) FROM results.indicators WHERE title = 'Birth registrations within 90 days (%)'")
        #expect(try dogbo[0].decode(Int.self, column: 0) == 1)
        await admin.close()
        let nobody = try await CommandRun.run(
            ["import", "results", "--tenant", "roeselare", "--as", "nobody@example.org", example], environment: env)
        #expect(nobody.status != 0 && nobody.stderr.contains("no such tenant roeselare or user nobody@example.org"))
    }
}
