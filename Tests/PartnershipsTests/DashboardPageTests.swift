import Activities
import Delivery
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kernel
import Messaging
import NIOCore
import Partnerships
import Postgres
import TestSupport
import Testing

@Suite("The dashboard at /, reached by signing in with a mailed link")
struct DashboardPageTests {
    struct Created: Decodable {
        var id: UUID
    }

    @Test("sign in by the mailed link, then / lists the person's partnerships; a partner coordinator sees only theirs")
    func partnerCoordinatorSeesOnlyTheirs() async throws {
        try await TestSMTPServer.with { smtp in
            let database = try await TestDatabase.migrated("dashboard")
            let logger = TestLogger.make("dashboard")
            let pool = PostgresConnectionPool(
                configuration: .init(connection: database.appConfiguration, maximumConnections: 4), logger: logger)
            let environment = GatewayEnvironment(
                pool: pool, readiness: Ready(), logger: logger,
                addressLimiter: RateLimiter(rate: 10_000, burst: 10_000),
                mail: try SMTPMailer(url: smtp.url, logger: logger))
            let router = buildRouter(environment: environment)
            _ = try Kernel.assemble(
                plugins: [PartnershipsPlugin(), ActivitiesPlugin()], configuration: KernelConfiguration(),
                router: router, environment: environment, queue: PostgresJobQueue(), logger: logger)
            let coordinator = try await TestTenant.create(
                in: database, slug: "sint-niklaas", role: .coordinator, email: "coordinator@sint-niklaas.be")
            let partner = try await TestTenant.create(
                in: database, slug: "sint-niklaas", role: .partnerCoordinator, email: "partner@tambacounda.sn")
            let elsewhere = try await TestTenant.create(
                in: database, slug: "roeselare", role: .coordinator, email: "coordinator@roeselare.be")

            try await Application(router: router).test(.router) { client in
                func create(_ title: String, _ partnerName: String, as who: TestTenant) async throws -> UUID {
                    let body = #"{"title": "\#(title)", "partner": {"name": "\#(partnerName)", "country": "SN"}}"#
                    return try decode(
                        Created.self, try await client.send(.post, "/api/v1/partnerships", as: who, json: body)
                    ).id
                }
                let theirs = try await create("Sint-Niklaas–Tambacounda", "Tambacounda", as: coordinator)
                let other = try await create("Sint-Niklaas–Kaolack", "Kaolack", as: coordinator)
                let foreign = try await create("Roeselare–Dogbo", "Dogbo", as: elsewhere)
                let added = try await client.send(
                    .post, "/api/v1/partnerships/\(theirs)/members", as: coordinator,
                    json: #"{"userId": "\#(partner.userID)", "role": "partner_coordinator"}"#)
                #expect(added.status.code < 300)

                // Not signed in: sent to sign in, and back to / afterwards.
                let browser = TestBrowser(client)
                let away = try await browser.get("/")
                #expect(away.status == .seeOther && away.location == "/sign-in?next=/")
                try await browser.get("/sign-in?next=/")
                let asked = try await browser.post("/sign-in", form: ["email": "partner@tambacounda.sn", "next": "/"])
                #expect(asked.location == "/sign-in/sent")
                let mail = try await smtp.waitForMessages(count: 1)[0]
                let text = try #require(try await ParsedMail.parse(mail.data).parts.first?.content)
                let match = try #require(text.firstMatch(of: #//sign-in/link/[A-Za-z0-9_-]{43}/#))
                let link = String(match.output)
                #expect(try await browser.get(link).status == .ok)
                let signedIn = try await browser.post(link)
                #expect(signedIn.status == .seeOther && signedIn.location == "/")

                let dashboard = try await browser.get("/")
                #expect(dashboard.status == .ok)
                let html = dashboard.text
                #expect(html.contains(#"<a href="/partnerships/\#(theirs.uuidString.lowercased())">"#))
                #expect(html.contains("Sint-Niklaas–Tambacounda") && html.contains("Senegal"))
                #expect(!html.contains(other.uuidString.lowercased()) && !html.contains("Kaolack"))
                #expect(!html.contains(foreign.uuidString.lowercased()))
                #expect(html.contains(#"<html lang="nl">"#) && html.contains("<h1>Mijn stedenbanden</h1>"))

                // The coordinator sees both of the municipality's, and nothing of another municipality's.
                let office = TestBrowser(client)
                let issued = try await SignInLinks(
                    settings: environment.settings.sessions, mail: nil, logger: logger
                ).issue(for: "coordinator@sint-niklaas.be", at: Date(), pool: pool)
                let officeLink = String(
                    try #require(issued.first?.url).dropFirst(environment.settings.sessions.publicURL.count))
                try await office.get(officeLink)
                try await office.post(officeLink)
                let full = try await office.get("/?lang=fr")
                #expect(
                    full.text.contains("Kaolack") && full.text.contains("Tambacounda") && !full.text.contains("Dogbo"))
                #expect(full.text.contains(#"<html lang="fr">"#) && full.text.contains("Mes partenariats"))
            }
        }
    }
}

extension TestResponse {
    fileprivate var text: String { String(buffer: body) }
    fileprivate var location: String? { headers[.location] }
}
