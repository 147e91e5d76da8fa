import Foundation
import Gateway
import Hummingbird
import HummingbirdTesting
import Postgres
import TestSupport
import Testing

@Suite("stedenband sign-in-link, and the demo's sign-in links")
struct SignInLinkCommandTests {
    @Test("demo prints a link per user; sign-in-link prints one that signs in, and fails for an unknown address")
    func printedLinksSignIn() async throws {
        let database = try await TestDatabase.migrated("signinlink")
        let env = database.commandEnvironment()
        let demo = try await CommandRun.run(["demo"], environment: env)
        #expect(demo.status == 0, "\(demo.stderr)")
        let lines = demo.stdout.split(separator: "\n")
        let links = lines.filter { $0.contains("\thttp://127.0.0.1:8080/sign-in/link/") }
        #expect(links.count == lines.filter { $0.contains("sbt_") }.count && !links.isEmpty)
        #expect(links.contains { $0.contains("\tpartner_coordinator\tpartner-coordinator@leuven.demo.invalid\t") })

        let publicURL = "https://stedenband.example.org"
        let printed = try await CommandRun.run(
            ["sign-in-link", "Coordinator@Leuven.demo.invalid", "--next", "/settings"],
            environment: env.merging(["PUBLIC_URL": publicURL + "/"]) { $1 })
        #expect(printed.status == 0, "\(printed.stderr)")
        let match = try #require(
            printed.stdout.firstMatch(
                of:
                    #/coordinator@leuven\.demo\.invalid \(Leuven\): https://stedenband\.example\.org(/sign-in/link/[A-Za-z0-9_-]{43})\n/#
            ))
        let link = String(match.output.1)

        let unknown = try await CommandRun.run(["sign-in-link", "nobody@example.org"], environment: env)
        #expect(unknown.status != 0 && unknown.stderr.contains("no active user"))

        // The printed link signs in on a server of the same PUBLIC_URL, and leads to --next.
        let pool = PostgresConnectionPool(
            configuration: .init(connection: database.appConfiguration, maximumConnections: 2),
            logger: TestLogger.make("signinlink"))
        var settings = GatewaySettings()
        settings.sessions.publicURL = publicURL
        let environment = GatewayEnvironment(
            pool: pool, readiness: NeverReady(), logger: TestLogger.make("signinlink"), settings: settings)
        try await Application(router: buildRouter(environment: environment)).test(.router) { client in
            let browser = TestBrowser(client)
            #expect(try await browser.get(link).status == .ok)
            let signedIn = try await browser.post(link)
            #expect(signedIn.status == .seeOther && signedIn.headers[.location] == "/settings")
            #expect(browser.cookies["__Host-stedenband_session"] != nil)
            #expect(try await browser.get("/settings").status == .ok)
        }
        await pool.close()
    }
}

private struct NeverReady: ReadinessCheck {
    func notReadyReason() async -> String? { "not asked in this test" }
}
