import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Postgres
import TestSupport
import Testing

/// The results' upload on `/import`, below the activities', signed in as people are.
@Suite("Importing results from the /import page")
struct ResultImportPageTests {
    /// Sends `csv` as the form's file to `uri`, with the browser's session and `csrf` when given.
    static func upload(
        _ csv: String, to uri: String, csrf: String?, _ browser: TestBrowser, _ client: some TestClientProtocol
    ) async throws -> TestResponse {
        let boundary = "----stedenband-test-boundary"
        var body = ""
        if let csrf { body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(csrf)\r\n" }
        body +=
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"results.csv\"\r\n"
            + "Content-Type: text/csv\r\n\r\n\(csv)\r\n--\(boundary)--\r\n"
        let cookie = browser.cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            .joined(separator: "; ")
        return try await client.executeRequest(
            uri: uri, method: .post,
            headers: [.contentType: "multipart/form-data; boundary=\(boundary)", .cookie: cookie],
            body: ByteBuffer(string: body))
    }

    @Test("a French coordinator uploads results: bad rows in a table in French, nothing imported; then a good file")
    func uploadsResults() async throws {
        let fixture = try await ReportPagesTests.Fixture.make("resultimportpage")
        let reporting = fixture.reporting
        let coordinator = try await TestTenant.create(
            in: reporting.database, slug: "roeselare", role: .coordinator, email: "coordinatrice@roeselare.be")
        _ = try await TestTenant.create(
            in: reporting.database, slug: "roeselare", role: .viewer, email: "viewer@roeselare.be")
        let admin = try await reporting.database.connectAsAdmin()
        try await admin.query("UPDATE platform.users SET locale = 'fr' WHERE email = 'coordinatrice@roeselare.be'")
        await admin.close()
        let (partnership, _) = try await ResultsScene.scene(reporting, as: coordinator)
        let signIn = fixture.signIn
        try await Application(router: reporting.router).test(.router) { client in
            let browser = try await signIn.browser(client, as: "coordinatrice@roeselare.be")
            let page = String(buffer: try await browser.get("/import").body)
            // Below the activities' upload: the results' own form, with its label.
            let activities = try #require(page.range(of: #"<form method="post" action="/import""#))
            let results = try #require(page.range(of: #"<form method="post" action="/import/results""#))
            #expect(activities.lowerBound < results.lowerBound)
            #expect(page.contains(#"<h2 id="results-import-heading">Importer des résultats</h2>"#))
            #expect(page.contains(#"<label for="results-file">Fichier CSV de résultats</label>"#))

            let bad = """
                partnership;result;indicator;measure;periodStart;periodEnd;target
                Roeselare–Dogbo;Every birth registered;Registrations (%);percentage;2020-01-01;2020-12-31;70
                Roeselare–Dogbo;Every birth registered;Registrations (%);;2021-01-01;2021-12-31;120

                """
            let refused = try await Self.upload(bad, to: "/import/results", csrf: browser.csrf, browser, client)
            #expect(refused.status == .unprocessableContent)
            let html = String(buffer: refused.body)
            #expect(html.contains(#"<table aria-labelledby="results-import-problems" id="results-problems">"#))
            #expect(html.contains("<tr><td>3</td><td>target</td><td>Un pourcentage vaut au plus 100.</td></tr>"))
            #expect(!html.contains("a percentage is at most 100"))
            // The error summary links to the field; the activities' form is still there, untouched.
            #expect(html.contains(##"<a href="#results-file">Les résultats n’ont pas été importés"##))
            #expect(html.contains(#"<form method="post" action="/import""#))
            let none = try await client.send(
                .get, "/api/v1/partnerships/\(partnership)/results", as: coordinator)
            #expect((try object(none)["items"] as? [Any])?.isEmpty == true)

            #expect(try await Self.upload(bad, to: "/import/results", csrf: nil, browser, client).status == .forbidden)

            let good = bad.replacingOccurrences(of: ";120", with: ";90")
            let imported = try await Self.upload(good, to: "/import/results", csrf: browser.csrf, browser, client)
            #expect(imported.status == .ok)
            #expect(
                String(buffer: imported.body).contains(
                    "Importé : 1 résultats, 1 indicateurs et 2 périodes créés ou modifiés."))
            let stored = try await client.send(
                .get, "/api/v1/partnerships/\(partnership)/results", as: coordinator)
            #expect(String(buffer: stored.body).contains("Registrations (%)"))

            // A viewer sees no /import at all, and may not post to the results' upload.
            let viewer = try await signIn.browser(client, as: "viewer@roeselare.be")
            #expect(try await viewer.get("/import").status == .forbidden)
            #expect(
                try await Self.upload(good, to: "/import/results", csrf: viewer.csrf, viewer, client).status
                    == .forbidden)
        }
    }
}
