import Activities
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

@testable import Reporting

/// `/reports` and its downloads, signed in by a link as a person is, on the whole reporting stack.
@Suite("/reports: the report inside the layout, its filters, and the CSV and IATI downloads")
struct ReportPagesTests {
    struct Fixture {
        let reporting: ReportingFixture
        let signIn: SignIn

        static func make(_ label: String) async throws -> Fixture {
            let reporting = try await ReportingFixture.make(label)
            return Fixture(
                reporting: reporting, signIn: SignIn(environment: reporting.environment, pool: reporting.pool))
        }
    }

    /// Signs people in as the mailed link does.
    struct SignIn: Sendable {
        let environment: GatewayEnvironment
        let pool: PostgresConnectionPool

        /// A browser signed in as `email` through a link's confirm page.
        func browser(_ client: some TestClientProtocol, as email: String) async throws -> TestBrowser {
            let issued = try await SignInLinks(
                settings: environment.settings.sessions, mail: nil, logger: environment.logger
            ).issue(for: email, at: Date(), pool: pool)
            let link = String(try #require(issued.first?.url).dropFirst(environment.settings.sessions.publicURL.count))
            let browser = TestBrowser(client)
            try await browser.get(link)
            #expect(try await browser.post(link).status == .seeOther)
            return browser
        }
    }

    /// Two partnerships of Roeselare with activities; the partner coordinator is a member of the first only.
    private func scenario(_ fixture: Fixture, coordinator: TestTenant, partner: TestTenant) async throws -> (
        dogbo: String, para: String
    ) {
        try await Application(router: fixture.reporting.router).test(.router) { client in
            var ids: [String] = []
            for (title, country, activities) in [
                (
                    "Roeselare–Dogbo", "BJ",
                    [
                        #"{"title": "Waterpunten", "kind": "infrastructure", "direction": "mutual", "startsOn": "2021-03-01", "sdgTargets": ["6.1"], "budget": {"planned": "1250.50", "currency": "EUR"}}"#,
                        #"{"title": "Studiebezoek", "kind": "study_visit", "direction": "south_to_north", "startsOn": "2020-05-01"}"#,
                    ]
                ),
                (
                    "Roeselare–Para", "PE",
                    [
                        #"{"title": "Afval", "kind": "knowledge_exchange", "direction": "north_to_south", "startsOn": "2021-01-01", "sdgTargets": ["11.6", "12.5"]}"#
                    ]
                ),
            ] {
                let created = try await client.send(
                    .post, "/api/v1/partnerships", as: coordinator,
                    json:
                        #"{"title": "\#(title)", "partner": {"name": "P", "country": "\#(country)"}, "status": "active"}"#
                )
                let json = try JSONSerialization.jsonObject(with: Data(String(buffer: created.body).utf8))
                let id = try #require((json as? [String: Any])?["id"] as? String).lowercased()
                for body in activities {
                    #expect(
                        try await client.send(
                            .post, "/api/v1/partnerships/\(id)/activities", as: coordinator, json: body
                        ).status == .created)
                }
                ids.append(id)
            }
            #expect(
                try await client.send(
                    .post, "/api/v1/partnerships/\(ids[0])/members", as: coordinator,
                    json: #"{"userId": "\#(partner.userID)", "role": "partner_coordinator"}"#
                ).status == .created)
            return (ids[0], ids[1])
        }
    }

    @Test(
        "a coordinator's /reports: charts in the layout, figures and money in their language, filters as a GET form, no inline style"
    )
    func coordinatorsPage() async throws {
        let fixture = try await Fixture.make("reportpages")
        let coordinator = try await TestTenant.create(
            in: fixture.reporting.database, slug: "roeselare", role: .coordinator, email: "coordinator@roeselare.be")
        let partner = try await TestTenant.create(
            in: fixture.reporting.database, slug: "roeselare", role: .partnerCoordinator, email: "partner@roeselare.be")
        let (dogbo, _) = try await scenario(fixture, coordinator: coordinator, partner: partner)
        try await fixture.reporting.workers.drain()
        let signIn = fixture.signIn
        try await Application(router: fixture.reporting.router).test(.router) { client in
            // Signed out: to the sign-in page, and back here after it.
            let anonymous = try await client.executeRequest(uri: "/reports", method: .get, headers: [:], body: nil)
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.headers[.location]?.hasPrefix("/sign-in?next=") == true)

            let browser = try await signIn.browser(client, as: "coordinator@roeselare.be")
            let page = try await browser.get("/reports")
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            // Inside the layout, in the person's language (the municipality's: Dutch), one h1.
            #expect(html.contains(#"<html lang="nl">"#) && html.contains(#"<main id="main""#))
            #expect(html.components(separatedBy: "<h1").count == 2 && html.contains("<h1>Rapporten</h1>"))
            #expect(!html.contains("<style") && !html.contains("style=\"") && !html.contains("<script"))
            #expect(page.headers[.contentSecurityPolicy] == PageSecurityPolicy.pages.description)
            // The SDG chart's 17 bars and goals by their names; the figures; money as Belgians write it.
            #expect(html.contains(#"class="chart sdg""#) && html.contains("Schoon water en sanitair"))
            #expect(html.contains(#"<dd id="figure-activities">3</dd>"#))
            #expect(html.contains(#"<dd id="figure-sdg-activities">2</dd>"#))
            #expect(html.contains(#"<dd id="figure-partnerships">2</dd>"#))
            #expect(html.contains("€ 1.250,50") || html.contains("€\u{00A0}1.250,50"))
            #expect(html.contains(#"<dd id="figure-reciprocity">66,7 %</dd>"#))
            #expect(html.contains("studiebezoek") && html.contains("Wederzijds"))
            // The filters carry the API's names; the partnership is chosen from a list; downloads follow them.
            for name in ["year", "partnershipId", "country", "status", "theme"] {
                #expect(html.contains(#"name="\#(name)""#), "\(name)")
            }
            #expect(html.contains(#"<option value="\#(dogbo)">Roeselare–Dogbo</option>"#))
            #expect(html.contains(#"href="/reports/sdg.csv?delimiter=semicolon""#))
            // No IATI identifier yet: said so, no link.
            #expect(html.contains(#"id="iati-missing""#) && !html.contains(#"id="download-iati""#))

            let filtered = String(
                buffer: try await browser.get("/reports?year=2021&partnershipId=\(dogbo)&status=").body)
            #expect(filtered.contains(#"<dd id="figure-activities">1</dd>"#))
            #expect(filtered.contains("In cijfers · 2021 · Roeselare–Dogbo</h2>"))
            #expect(filtered.contains(#"value="2021""#) && filtered.contains(#"<option value="\#(dogbo)" selected>"#))
            #expect(filtered.contains("/reports/sdg.csv?year=2021&amp;partnershipId=\(dogbo)&amp;delimiter=semicolon"))

            // A wrong filter: the form again, the message beside the field and in the summary, what was typed kept.
            let wrong = try await browser.get("/reports?year=twenty&country=Benin")
            #expect(wrong.status == .unprocessableContent)
            let refused = String(buffer: wrong.body)
            #expect(refused.contains(##"<a href="#year">Geef een jaar zoals 2020</a>"##))
            #expect(refused.contains(#"id="country-error""#) && refused.contains(#"value="Benin""#))
            #expect(!refused.contains(#"class="chart sdg""#))

            // In English on request, money and shares as the English write them.
            let english = String(buffer: try await browser.get("/reports?lang=en").body)
            #expect(english.contains("<h1>Reports</h1>") && english.contains("€1,250.50"))
            #expect(english.contains(#"href="/reports/sdg.csv""#))
        }
    }

    @Test("the downloads: CSV and IATI files as attachments, with the API's permissions")
    func downloads() async throws {
        let fixture = try await Fixture.make("reportdownloads")
        let coordinator = try await TestTenant.create(
            in: fixture.reporting.database, slug: "roeselare", role: .coordinator, email: "coordinator@roeselare.be")
        let partner = try await TestTenant.create(
            in: fixture.reporting.database, slug: "roeselare", role: .partnerCoordinator, email: "partner@roeselare.be")
        _ = try await scenario(fixture, coordinator: coordinator, partner: partner)
        try await fixture.reporting.workers.drain()
        let signIn = fixture.signIn
        let database = fixture.reporting.database
        try await Application(router: fixture.reporting.router).test(.router) { client in
            let browser = try await signIn.browser(client, as: "coordinator@roeselare.be")
            let csv = try await browser.get("/reports/sdg.csv?delimiter=semicolon&year=2021")
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.headers[.contentDisposition] == #"attachment; filename="stedenband-sdg-2021.csv""#)
            #expect(csv.headers[.cacheControl] == "no-store")
            // The same file as the API's, byte for byte.
            let api = try await client.send(
                .get, "/api/v1/reports/sdg?format=csv&delimiter=semicolon&year=2021", as: coordinator)
            #expect(csv.body == api.body)
            let overview = try await browser.get("/reports/overview.csv")
            #expect(overview.status == .ok)
            #expect(overview.headers[.contentDisposition] == #"attachment; filename="stedenband-overview.csv""#)
            #expect(try await browser.get("/reports/sdg.csv?delimiter=tab").status == .unprocessableContent)
            // The results report: its CSV as the API's, and its printable page in the person's language.
            let results = try await browser.get("/reports/results.csv?delimiter=semicolon")
            #expect(results.headers[.contentDisposition] == #"attachment; filename="stedenband-results.csv""#)
            #expect(
                results.body
                    == (try await client.send(
                        .get, "/api/v1/reports/results?format=csv&delimiter=semicolon", as: coordinator)).body)
            let printable = try await browser.get("/reports/results?year=2021")
            #expect(printable.status == .ok && printable.headers[.cacheControl] == "no-store")
            #expect(String(buffer: printable.body).contains("<html lang=\"nl\">"))
            #expect(String(buffer: printable.body).contains("Resultatenrapport"))
            #expect(try await browser.get("/reports/results?year=soon").status == .unprocessableContent)
            let links = String(buffer: try await browser.get("/reports?year=2021").body)
            #expect(links.contains(#"<a href="/reports/results?year=2021" id="results-report">"#))
            #expect(
                links.contains(
                    #"<a href="/reports/results.csv?year=2021&amp;delimiter=semicolon" id="download-results" download>"#
                ))

            // The IATI file needs the municipality's identifier: 409 until it has one, then the file.
            #expect(try await browser.get("/reports/iati.xml").status == .conflict)
            let admin = try await database.connectAsAdmin()
            try await admin.query(
                """
                UPDATE platform.tenants SET iati_organisation_ref = 'BE-BCE_KBO-0207450582',
                    iati_organisation_type = '11' WHERE slug = 'roeselare'
                """)
            await admin.close()
            let page = String(buffer: try await browser.get("/reports?year=2021").body)
            #expect(page.contains(#"<a href="/reports/iati.xml?year=2021" id="download-iati" download>"#))
            let iati = try await browser.get("/reports/iati.xml?year=2021")
            #expect(iati.status == .ok)
            #expect(iati.headers[.contentType] == "application/xml; charset=utf-8")
            #expect(iati.headers[.contentDisposition] == #"attachment; filename="iati-activities-2021.xml""#)
            let xml = String(buffer: iati.body)
            #expect(xml.contains("<iati-activities") && xml.contains("Waterpunten") && !xml.contains("Studiebezoek"))
            #expect(try await browser.get("/reports/iati.xml?year=soon").status == .unprocessableContent)

            // A partner coordinator: their partnership's figures only, and no IATI file (403, as the API).
            let theirs = try await signIn.browser(client, as: "partner@roeselare.be")
            let their = String(buffer: try await theirs.get("/reports").body)
            #expect(their.contains(#"<dd id="figure-activities">2</dd>"#) && !their.contains("Roeselare–Para"))
            #expect(their.contains(#"id="iati-not-yours""#) && !their.contains(#"id="download-iati""#))
            #expect(try await theirs.get("/reports/iati.xml").status == .forbidden)
            let theirCSV = String(buffer: try await theirs.get("/reports/overview.csv").body)
            #expect(!theirCSV.isEmpty && !theirCSV.contains("PE"))
        }
    }
}
