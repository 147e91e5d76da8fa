import Foundation
import Migrations
import Postgres
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

@Suite("stedenband serve, run as an operator would")
struct ServeCommandTests {
    @Test("serve refuses to start while a migration is pending, and names it")
    func refusesPendingMigrations() async throws {
        let database = try await TestDatabase.empty("servepending")
        let result = try await CommandRun.run(
            ["serve", "--port", "0"],
            environment: environment(database, migrations: try copyOfMigrations())
        )
        #expect(result.status != 0)
        #expect(result.stderr.contains("0001_platform_foundation.sql"))
        #expect(result.stderr.contains("--migrate"))
    }

    @Test("serve --migrate applies, serves /healthz and /readyz, and stops cleanly on SIGTERM")
    func servesAndStops() async throws {
        let database = try await TestDatabase.empty("serve")
        let run = try CommandRun(
            ["serve", "--migrate", "--port", "0"],
            environment: environment(database, migrations: try copyOfMigrations())
        )
        defer { if run.process.isRunning { run.process.terminate() } }
        // Applying every migration first: once took 66 s on a machine busy with three builds.
        let base = try #require(
            try await run.servingURL(within: .seconds(120)), "no URL printed; stderr: \(run.standardError)")
        for path in ["/healthz", "/readyz"] {
            let (body, response) = try await URLSession.shared.data(from: try #require(URL(string: base + path)))
            #expect(
                (response as? HTTPURLResponse)?.statusCode == 200, "\(path): \(String(decoding: body, as: UTF8.self))")
        }
        run.process.terminate()
        #expect(try await run.exitStatus(timeout: .seconds(20)) == 0)
    }

    @Test("serve keeps log lines in memory for LOG_FLUSH_INTERVAL_MS and writes them all when it stops cleanly")
    func writesBufferedLogAtStop() async throws {
        let database = try await TestDatabase.migrated("servelog")
        var environment = environment(database, migrations: TestPaths.migrations)
        // An hour: only the stop itself can write the access log's lines.
        environment["LOG_FLUSH_INTERVAL_MS"] = "3600000"
        environment["LOG_LEVEL"] = "info"
        let run = try CommandRun(["serve", "--port", "0", "--no-workers"], environment: environment)
        defer { if run.process.isRunning { run.process.terminate() } }
        let base = try #require(
            try await run.servingURL(within: .seconds(30)), "no URL printed; stderr: \(run.standardError)")
        for _ in 1...3 {
            let (_, response) = try await URLSession.shared.data(from: try #require(URL(string: base + "/healthz")))
            #expect((response as? HTTPURLResponse)?.statusCode == 200)
        }
        run.process.terminate()
        #expect(try await run.exitStatus(timeout: .seconds(20)) == 0)
        let lines = run.standardError.split(separator: "\n").filter { $0.contains("http.route=/healthz") }
        #expect(lines.count == 3, "stderr: \(run.standardError)")
        for line in lines {
            #expect(line.hasSuffix("] request") && line.contains(" info ") && line.contains("http.status=200"))
        }
    }

    @Test("serve --migrate --demo-if-empty (make run) seeds a fresh database once, then serves")
    func demoIfEmpty() async throws {
        let database = try await TestDatabase.empty("servedemo")
        let environment = environment(database, migrations: try copyOfMigrations())
        for round in 1...2 {
            let port = try ServePublicURLTests.freePort()
            let run = try CommandRun(
                ["serve", "--migrate", "--demo-if-empty", "--port", "\(port)"], environment: environment)
            defer { if run.process.isRunning { run.process.terminate() } }
            let deadline = ContinuousClock.now + .seconds(60)
            while !run.standardOutput.contains("stedenband is serving on "), run.process.isRunning,
                ContinuousClock.now < deadline
            {
                try await Task.sleep(for: .milliseconds(20))
            }
            let output = run.standardOutput
            #expect(output.contains("stedenband is serving on "), "stderr: \(run.standardError)")
            // Tokens are printed once, on the first start only.
            #expect(output.contains("Demo data created") == (round == 1), "\(output)")
            #expect(output.contains("sbt_") == (round == 1))
            // Its sign-in links lead where it serves (`make run ARGS="--port 9090"`), not to the default port.
            let links = output.split(separator: "\n").filter { $0.contains("/sign-in/") }
            #expect(links.count == (round == 1 ? 13 : 0), "\(output)")
            #expect(links.allSatisfy { $0.contains("\thttp://127.0.0.1:\(port)/sign-in/") }, "\(output)")
            run.process.terminate()
            #expect(try await run.exitStatus(timeout: .seconds(20)) == 0)
        }
        let admin = try await database.connectAsAdmin()
        let tenants = try await admin.query("SELECT count(*) FROM platform.tenants")[0].decode(Int.self, column: 0)
        #expect(tenants == 4)
    }

    @Test("serve keeps /metrics off the main port, serves it on METRICS_PORT, and refuses a bad setting at start")
    func metricsListener() async throws {
        let database = try await TestDatabase.migrated("servemetrics")
        var settings = environment(database, migrations: TestPaths.migrations)
        settings["METRICS_PORT"] = "0"
        let run = try CommandRun(["serve", "--port", "0", "--no-workers"], environment: settings)
        defer { if run.process.isRunning { run.process.terminate() } }
        func printed(_ prefix: String) -> String? {
            run.standardOutput.split(separator: "\n").first { $0.hasPrefix(prefix) }
                .map { String($0.dropFirst(prefix.count)) }
        }
        let deadline = ContinuousClock.now + .seconds(30)
        while printed("stedenband is serving on ") == nil || printed("stedenband serves /metrics on ") == nil,
            run.process.isRunning, ContinuousClock.now < deadline
        {
            try await Task.sleep(for: .milliseconds(20))
        }
        let main = try #require(printed("stedenband is serving on "), "stderr: \(run.standardError)")
        let metrics = try #require(printed("stedenband serves /metrics on "), "stderr: \(run.standardError)")
        let (_, hidden) = try await URLSession.shared.data(from: try #require(URL(string: main + "/metrics")))
        #expect((hidden as? HTTPURLResponse)?.statusCode == 404)
        let (body, shown) = try await URLSession.shared.data(from: try #require(URL(string: metrics + "/metrics")))
        #expect((shown as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: body, as: UTF8.self).contains("stedenband_db_pool_connections"))
        run.process.terminate()
        #expect(try await run.exitStatus(timeout: .seconds(20)) == 0)

        settings["HTTP_BODY_TIMEOUT"] = "soon"
        let refused = try await CommandRun.run(["serve", "--port", "0", "--no-workers"], environment: settings)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("HTTP_BODY_TIMEOUT"))
    }
}
