import Foundation
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// An upgrade as docs/operations.md describes it: the newer binary migrates first, the older servers keep
/// serving until they are replaced.
@Suite("an older server beside a newer binary's migrations")
struct UpgradeTests {
    @Test("keeps serving and stays ready, with a warning; migrate with the older files still refuses")
    func olderServerStaysReady() async throws {
        let database = try await TestDatabase.migrated("upgrade")
        // The "newer binary": the repository's files and one more.
        let newer = try copyOfMigrations()
        try "CREATE TABLE platform.upgrade_probe (id int);".write(
            toFile: newer + "/9999_platform_upgrade_probe.sql", atomically: true, encoding: .utf8)
        let up = try await CommandRun.run(["migrate", "up"], environment: environment(database, migrations: newer))
        #expect(up.status == 0, "\(up.stderr)")

        // The "older binary": the files built into this one.
        var older = database.commandEnvironment()
        older["STEDENBAND_MIGRATIONS"] = nil
        older["LOG_LEVEL"] = "info"
        let server = try CommandRun(["serve", "--port", "0", "--no-workers"], environment: older)
        defer { if server.process.isRunning { server.process.terminate() } }
        let base = try #require(try await server.servingURL(), "not serving; stderr: \(server.standardError)")
        let (body, response) = try await URLSession.shared.data(from: try #require(URL(string: base + "/readyz")))
        #expect(
            (response as? HTTPURLResponse)?.statusCode == 200, "\(String(decoding: body, as: UTF8.self))")
        #expect(server.standardError.contains("newer than this binary"))
        #expect(server.standardError.contains("9999_platform_upgrade_probe.sql"))
        server.process.terminate()
        #expect(try await server.exitStatus(timeout: .seconds(20)) == 0)

        // Migrating is another matter: the older binary's files disagree with the history.
        let verify = try await CommandRun.run(["migrate", "verify"], environment: older)
        #expect(verify.status != 0)
        #expect(verify.stderr.contains("9999_platform_upgrade_probe.sql"))
    }
}
