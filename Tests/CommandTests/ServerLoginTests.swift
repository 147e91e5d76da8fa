import Foundation
import Postgres
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Issue 12, deliverable 5: the server's queries run under a login that cannot leave `stedenband_app`.
@Suite("The server's database login cannot leave its role")
struct ServerLoginTests {
    static let database = SuiteDatabase("serverlogin")

    /// Waits for "stedenband is serving on URL" and answers the URL; nil when the process ended first.
    private func servingURL(_ run: CommandRun, timeout: Duration = .seconds(60)) async throws -> String? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = run.standardOutput.split(separator: "\n").first(where: {
                $0.hasPrefix("stedenband is serving on ")
            }) {
                return String(line.dropFirst("stedenband is serving on ".count))
            }
            guard run.process.isRunning else { return nil }
            try await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    private func readiness(_ base: String) async throws -> (Int, [String: Any]) {
        let (body, response) = try await URLSession.shared.data(from: try #require(URL(string: base + "/readyz")))
        let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] ?? [:]
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, object)
    }

    private func stop(_ run: CommandRun) async throws -> Int32 {
        run.process.terminate()
        return try await run.exitStatus(timeout: .seconds(20))
    }

    private static func uniqueName(_ prefix: String) -> String {
        "\(prefix)_\(UUID().uuidString.prefix(8).lowercased())"
    }

    @Test("serve and worker with a superuser DATABASE_URL refuse to start and say how to fix it")
    func superuserIsRefused() async throws {
        let database = try await Self.database.get()
        let environment = ["DATABASE_URL": database.url, "STEDENBAND_MIGRATIONS": TestPaths.migrations]
        for command in [["serve", "--port", "0"], ["worker"]] {
            let result = try await CommandRun.run(command, environment: environment)
            #expect(result.status != 0, "\(command[0]) started: \(result.stdout)")
            #expect(!result.stdout.contains("stedenband is serving on "))
            #expect(result.stderr.contains("refusing to start"), "\(result.stderr)")
            #expect(result.stderr.contains("it is a superuser"))
            #expect(result.stderr.contains("MIGRATION_DATABASE_URL"))
            #expect(result.stderr.contains("stedenband database create-login"))
            #expect(result.stderr.contains("STEDENBAND_ALLOW_PRIVILEGED_LOGIN=1"))
        }
    }

    @Test("a login that may SET ROLE to the owner is refused, though it is no superuser")
    func ownerMemberIsRefused() async throws {
        let database = try await Self.database.get()
        let name = Self.uniqueName("ownermember")
        let admin = try await database.connectAsAdmin()
        try await admin.query(
            "CREATE ROLE \(identifier: name) LOGIN IN ROLE stedenband_app, \(identifier: "stedenband_owner")")
        await admin.close()
        let url = database.serverURL.replacingOccurrences(of: "stedenband_test_server@", with: "\(name)@")
        let result = try await CommandRun.run(
            ["serve", "--port", "0"], environment: ["DATABASE_URL": url, "STEDENBAND_MIGRATIONS": TestPaths.migrations])
        #expect(result.status != 0)
        #expect(result.stderr.contains("it is a member of stedenband_owner"), "\(result.stderr)")
        #expect(!result.stderr.contains("superuser"))
    }

    @Test("with STEDENBAND_ALLOW_PRIVILEGED_LOGIN=1 a superuser login starts, and /readyz warns about it")
    func allowedWithWarning() async throws {
        let database = try await Self.database.get()
        let run = try CommandRun(
            ["serve", "--port", "0", "--no-workers"],
            environment: [
                "DATABASE_URL": database.url, "STEDENBAND_MIGRATIONS": TestPaths.migrations,
                "STEDENBAND_ALLOW_PRIVILEGED_LOGIN": "1",
            ])
        defer { if run.process.isRunning { run.process.terminate() } }
        let base = try #require(try await servingURL(run), "stderr: \(run.standardError)")
        let (status, body) = try await readiness(base)
        #expect(status == 200)
        #expect(body["status"] as? String == "ready")
        let warnings = try #require(body["warnings"] as? [String], "\(body)")
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("STEDENBAND_ALLOW_PRIVILEGED_LOGIN=1") == true)
        #expect(warnings.first?.contains("superuser") == true)
        #expect(run.standardError.contains("can leave the role stedenband_app"), "the start logs the warning")
        #expect(try await stop(run) == 0)
    }

    @Test("database create-login prints a URL that serve accepts; the login cannot SET ROLE stedenband_owner")
    func createdLoginServes() async throws {
        let database = try await Self.database.get()
        let name = Self.uniqueName("server")
        let owner = ["MIGRATION_DATABASE_URL": database.url, "STEDENBAND_MIGRATIONS": TestPaths.migrations]
        let created = try await CommandRun.run(["database", "create-login", name, "--json"], environment: owner)
        #expect(created.status == 0, "\(created.stderr)")
        let printed = try JSONSerialization.jsonObject(with: Data(created.stdout.utf8)) as? [String: String]
        let url = try #require(printed?["url"], "\(created.stdout)")
        #expect(printed?["login"] == name)
        #expect(url.hasPrefix("postgresql://\(name):"))

        // What the login is: a member of stedenband_app only, with a hashed password.
        let admin = try await database.connectAsAdmin()
        let (superuser, bypass, createRole, createDB, hashed) = try await admin.query(
            """
            SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, rolpassword LIKE 'SCRAM-SHA-256$%'
            FROM pg_authid WHERE rolname = \(name)
            """
        )[0].decode((Bool, Bool, Bool, Bool, Bool).self)
        #expect(!superuser && !bypass && !createRole && !createDB)
        #expect(hashed, "the password is stored as a SCRAM verifier")
        let memberships = try await admin.query(
            """
            SELECT g.rolname::text FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
            JOIN pg_roles r ON r.oid = m.member WHERE r.rolname = \(name)
            """
        ).map { try $0.decode(String.self, column: 0) }
        #expect(memberships == ["stedenband_app"])
        let passwordBefore = try await admin.query("SELECT rolpassword FROM pg_authid WHERE rolname = \(name)")[0]
            .decode(String.self, column: 0)

        // Connected with the printed URL, the owner's role is out of reach.
        let login = try await PostgresConnection.connect(
            to: try PostgresConfiguration(url: url), logger: TestLogger.make("login"))
        let refused = await #expect(throws: PostgresError.self) {
            try await login.query("SET ROLE stedenband_owner")
        }
        #expect(refused?.sqlState == .insufficientPrivilege)
        await login.close()

        // serve takes it, with no owner's login at hand, and warns about nothing.
        let run = try CommandRun(
            ["serve", "--port", "0", "--no-workers"],
            environment: ["DATABASE_URL": url, "STEDENBAND_MIGRATIONS": TestPaths.migrations])
        defer { if run.process.isRunning { run.process.terminate() } }
        let base = try #require(try await servingURL(run), "stderr: \(run.standardError)")
        let (status, body) = try await readiness(base)
        #expect(status == 200)
        #expect(body["warnings"] == nil, "\(body)")
        #expect(try await stop(run) == 0)

        // The name is taken now; rotation gives a new password and a new URL.
        let again = try await CommandRun.run(["database", "create-login", name], environment: owner)
        #expect(again.status != 0)
        #expect(again.stderr.contains("exists already"), "\(again.stderr)")
        let rotated = try await CommandRun.run(
            ["database", "create-login", name, "--if-exists", "rotate", "--json"], environment: owner)
        #expect(rotated.status == 0, "\(rotated.stderr)")
        let rotatedURL = try JSONSerialization.jsonObject(with: Data(rotated.stdout.utf8)) as? [String: String]
        #expect(rotatedURL?["url"] != url)
        #expect(rotatedURL?["rotated"] == "true")
        let passwordAfter = try await admin.query("SELECT rolpassword FROM pg_authid WHERE rolname = \(name)")[0]
            .decode(String.self, column: 0)
        #expect(passwordAfter != passwordBefore)
        await admin.close()
    }

    @Test("create-login refuses a bad name, and will not rotate a privileged role")
    func createLoginRefusals() async throws {
        let database = try await Self.database.get()
        let owner = ["MIGRATION_DATABASE_URL": database.url, "STEDENBAND_MIGRATIONS": TestPaths.migrations]
        let badName = try await CommandRun.run(["database", "create-login", "Robert'); DROP"], environment: owner)
        #expect(badName.status != 0)
        #expect(badName.stderr.contains("lower-case letters"), "\(badName.stderr)")
        let superuser = try await CommandRun.run(
            ["database", "create-login", "postgres", "--if-exists", "rotate"], environment: owner)
        #expect(superuser.status != 0)
        #expect(superuser.stderr.contains("is not a server login"), "\(superuser.stderr)")
    }

    @Test("make run's path: serve --migrate --demo-if-empty on the embedded cluster runs as stedenband_server")
    func embeddedUsesDedicatedLogin() async throws {
        let home = "/tmp/sb-login-\(UUID().uuidString.prefix(8).lowercased())"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let run = try CommandRun(
            ["serve", "--migrate", "--demo-if-empty", "--port", "0"],
            environment: ["STEDENBAND_HOME": home, "STEDENBAND_MIGRATIONS": TestPaths.migrations])
        defer { if run.process.isRunning { run.process.terminate() } }
        let base = try #require(try await servingURL(run, timeout: .seconds(180)), "stderr: \(run.standardError)")
        #expect(run.standardOutput.contains("Demo data created"))
        let (status, body) = try await readiness(base)
        #expect(status == 200)
        #expect(body["warnings"] == nil, "\(body)")

        // The cluster's superuser sees the server's connections made by the dedicated login.
        let superuser = try PostgresConfiguration(
            url: "postgres://postgres@localhost/stedenband?host=\(home)/postgres/run")
        let admin = try await PostgresConnection.connect(to: superuser, logger: TestLogger.make("embedded"))
        let (isSuperuser, isApp, isOwner) = try await admin.query(
            """
            SELECT rolsuper, pg_has_role(oid, 'stedenband_app', 'MEMBER'), pg_has_role(oid, 'stedenband_owner', 'MEMBER')
            FROM pg_roles WHERE rolname = 'stedenband_server'
            """
        )[0].decode((Bool, Bool, Bool).self)
        #expect(!isSuperuser && isApp && !isOwner)
        let deadline = ContinuousClock.now + .seconds(30)
        var logins: [String] = []
        while ContinuousClock.now < deadline {
            logins = try await admin.query(
                """
                SELECT DISTINCT usename::text FROM pg_stat_activity
                WHERE datname = 'stedenband' AND pid <> pg_backend_pid() AND usename IS NOT NULL
                """
            ).map { try $0.decode(String.self, column: 0) }
            if logins == ["stedenband_server"] { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(logins == ["stedenband_server"])
        await admin.close()
        #expect(try await stop(run) == 0)
    }
}
