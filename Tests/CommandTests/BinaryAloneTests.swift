import Foundation
import Migrations
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// An operator copies the released binary into an empty folder and runs it there, with nothing beside it.
@Suite("the stedenband binary, copied alone into an empty folder")
struct BinaryAloneTests {
    @Test("migrates with the migrations built into it, creates a municipality and serves pages and the stylesheet")
    func migratesCreatesAndServes() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("stedenband-alone-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let binary = folder + "/stedenband"
        try FileManager.default.copyItem(atPath: TestPaths.binary, toPath: binary)
        // The build folder moves out of reach too: SwiftPM's resource bundles would be looked for there.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["stedenband"])

        let database = try await TestDatabase.empty("alone")
        var environment = database.commandEnvironment()
        environment["STEDENBAND_MIGRATIONS"] = nil
        func run(_ arguments: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
            try await CommandRun.run(arguments, environment: environment, executable: binary, currentDirectory: folder)
        }

        let up = try await run(["migrate", "up"])
        #expect(up.status == 0, "\(up.stderr)")
        let status = try await run(["migrate", "status", "--json"])
        #expect(status.status == 0, "\(status.stderr)")
        let shown = try JSONDecoder().decode(Shown.self, from: Data(status.stdout.utf8))
        #expect(shown.migrationsSource == "built-in")
        #expect(shown.upToDate)
        #expect(shown.migrations.count == (try MigrationSet.load(directory: TestPaths.migrations)).migrations.count)
        let text = try await run(["migrate", "status"])
        #expect(text.stdout.contains("Migrations: built into the binary"))
        #expect(try await run(["migrate", "verify"]).status == 0)

        let created = try await run(["tenant", "create", "zottegem", "--name", "Zottegem", "--admin-email", "a@z.be"])
        #expect(created.status == 0, "\(created.stderr)")

        let server = try CommandRun(
            ["serve", "--port", "0", "--no-workers"], environment: environment, executable: binary,
            currentDirectory: folder)
        defer { if server.process.isRunning { server.process.terminate() } }
        let base = try #require(try await server.servingURL(), "no URL printed; stderr: \(server.standardError)")
        for (path, expected) in [
            ("/readyz", "\"ready\""), ("/sign-in", "<form"), ("/assets/stedenband.css", ".sdg-goal-17"),
        ] {
            let (body, response) = try await URLSession.shared.data(from: try #require(URL(string: base + path)))
            let text = String(decoding: body, as: UTF8.self)
            #expect((response as? HTTPURLResponse)?.statusCode == 200, "\(path): \(text)")
            #expect(text.contains(expected), "\(path): \(text.prefix(300))")
        }
        // Nothing was written beside the binary.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["stedenband"])
        server.process.terminate()
        #expect(try await server.exitStatus(timeout: .seconds(20)) == 0)
    }

    @Test("--migrations and STEDENBAND_MIGRATIONS still point at a folder, and a bad folder is named")
    func folderStillOverrides() async throws {
        let database = try await TestDatabase.empty("aloneoverride")
        var environment = database.commandEnvironment()
        environment["STEDENBAND_MIGRATIONS"] = nil
        let viaOption = try await CommandRun.run(
            ["migrate", "status", "--json", "--migrations", TestPaths.migrations], environment: environment)
        #expect(viaOption.status == 0, "\(viaOption.stderr)")
        #expect(
            try JSONDecoder().decode(Shown.self, from: Data(viaOption.stdout.utf8)).migrationsSource
                == TestPaths.migrations)
        environment["STEDENBAND_MIGRATIONS"] = "/nonexistent/migrations"
        let missing = try await CommandRun.run(["migrate", "status"], environment: environment)
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("cannot read the migrations folder /nonexistent/migrations"))
    }

    struct Shown: Decodable {
        struct Entry: Decodable { var file: String }
        var migrationsSource: String
        var migrations: [Entry]
        var upToDate: Bool
    }
}
