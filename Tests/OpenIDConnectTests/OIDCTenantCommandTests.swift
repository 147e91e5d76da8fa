import Foundation
import Postgres
import TestSupport
import Testing

/// `stedenband tenant set SLUG --oidc-issuer URL --oidc-client-id ID --oidc-client-secret-file FILE`, and
/// `--remove-oidc`, run as an operator would.
@Suite("stedenband tenant set --oidc-…")
struct OIDCTenantCommandTests {
    static let database = SuiteDatabase("oidccli")

    func secretFile(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("oidc-secret-\(UUID())").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func provider(of tenantID: UUID, in database: TestDatabase) async throws -> (String, String, String)? {
        let admin = try await database.connectAsAdmin()
        let rows = try await admin.query(
            "SELECT issuer, client_id, client_secret FROM platform.oidc_providers WHERE tenant_id = \(tenantID)")
        await admin.close()
        return try rows.first?.decode((String, String, String).self)
    }

    @Test("sets the provider with the secret read from its file, never printed; --remove-oidc removes it")
    func setsAndRemovesTheProvider() async throws {
        let database = try await Self.database.get()
        let town = try await TestTenant.create(in: database, slug: "e-town")
        let file = try secretFile("  the-secret-of-e-town\n")
        let set = try await CommandRun.run(
            [
                "tenant", "set", "e-town", "--oidc-issuer", "https://login.e-town.example/realms/staff",
                "--oidc-client-id", "stedenband", "--oidc-client-secret-file", file,
            ], environment: database.commandEnvironment())
        #expect(set.status == 0, "\(set.stderr)")
        #expect(set.stdout.contains("/sign-in/oidc/e-town/callback"))
        #expect(!set.stdout.contains("the-secret") && !set.stderr.contains("the-secret"))
        let stored = try await provider(of: town.tenantID, in: database)
        #expect(stored?.0 == "https://login.e-town.example/realms/staff")
        #expect(stored?.1 == "stedenband" && stored?.2 == "the-secret-of-e-town")

        let removed = try await CommandRun.run(
            ["tenant", "set", "e-town", "--remove-oidc"], environment: database.commandEnvironment())
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(removed.stdout.contains("Removed"))
        #expect(try await provider(of: town.tenantID, in: database) == nil)
    }

    @Test(
        "an unreadable or empty secret file, a plain-http issuer elsewhere, a missing option: clear errors, nothing set"
    )
    func refusesWhatCannotBeUsed() async throws {
        let database = try await Self.database.get()
        let town = try await TestTenant.create(in: database, slug: "f-town")
        let empty = try secretFile("\n")
        let good = try secretFile("s3cret")
        let cases: [([String], String)] = [
            (
                [
                    "--oidc-issuer", "https://login.example", "--oidc-client-id", "x", "--oidc-client-secret-file",
                    "/nonexistent/secret",
                ],
                "cannot read --oidc-client-secret-file /nonexistent/secret"
            ),
            (
                [
                    "--oidc-issuer", "https://login.example", "--oidc-client-id", "x", "--oidc-client-secret-file",
                    empty,
                ],
                "is empty"
            ),
            (
                ["--oidc-issuer", "http://login.example", "--oidc-client-id", "x", "--oidc-client-secret-file", good],
                "must be https"
            ),
            (["--oidc-issuer", "https://login.example", "--oidc-client-id", "x"], "go together"),
        ]
        for (options, message) in cases {
            let run = try await CommandRun.run(
                ["tenant", "set", "f-town"] + options, environment: database.commandEnvironment())
            #expect(run.status != 0, "\(options)")
            #expect(run.stderr.contains(message), "\(options): \(run.stderr)")
        }
        #expect(try await provider(of: town.tenantID, in: database) == nil)

        // Plain http to this machine is allowed, for tests and development.
        let local = try await CommandRun.run(
            [
                "tenant", "set", "f-town", "--oidc-issuer", "http://127.0.0.1:9400", "--oidc-client-id", "dev",
                "--oidc-client-secret-file", good,
            ], environment: database.commandEnvironment())
        #expect(local.status == 0, "\(local.stderr)")
        let unknown = try await CommandRun.run(
            [
                "tenant", "set", "nowhere", "--oidc-issuer", "https://login.example", "--oidc-client-id", "x",
                "--oidc-client-secret-file", good,
            ], environment: database.commandEnvironment())
        #expect(unknown.status != 0 && unknown.stderr.contains("no tenant with the slug nowhere"))
    }
}
