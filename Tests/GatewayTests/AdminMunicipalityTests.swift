import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Postgres
import TestSupport
import Testing

@Suite("/admin/municipality and the header navigation")
struct AdminMunicipalityTests {
    /// The municipality's row: name, default language, IATI identifier and type.
    func settings(_ fixture: PagesFixture, _ tenant: UUID) async throws -> (String, String, String?, String?) {
        let admin = try await fixture.database.connectAsAdmin()
        let rows = try await admin.query(
            """
            SELECT name, default_locale, iati_organisation_ref, iati_organisation_type
            FROM platform.tenants WHERE id = \(tenant)
            """)
        await admin.close()
        return try rows[0].decode((String, String, String?, String?).self)
    }

    @Test("an administrator saves the name, language and IATI organisation; a wrong field is refused beside it")
    func administratorSaves() async throws {
        let fixture = try await PagesFixture.make("adminmunicipality", smtp: nil)
        let admin = try await TestTenant.create(in: fixture.database, slug: "dogbo", email: "a@dogbo.be")
        try await fixture.application.test(.router) { client in
            let browser = TestBrowser(client)
            try await fixture.signIn(browser, as: "a@dogbo.be")
            let page = try await browser.get("/admin/municipality?lang=en")
            #expect(page.status == .ok)
            #expect(page.text.contains(#"<label for="iatiOrganisationReference">"#))
            #expect(page.text.contains(#"id="name" name="name" value="Dogbo""#))
            #expect(page.text.contains(#"<a href="/admin/municipality" aria-current="page">"#))

            // A bad identifier and type: 422, the summary links to each field, the message beside it, typed kept,
            // nothing saved (not even the valid name).
            let refused = try await browser.post(
                "/admin/municipality?lang=en",
                form: [
                    "name": "Dogbo-Tota", "defaultLocale": "fr", "iatiOrganisationReference": "not an id",
                    "iatiOrganisationType": "local",
                ])
            #expect(refused.status == .unprocessableContent)
            let html = refused.text
            #expect(html.contains(#"class="error-summary""#) && html.contains(##"href="#iatiOrganisationReference""##))
            #expect(html.contains(##"href="#iatiOrganisationType""##) && !html.contains(##"href="#name""##))
            #expect(html.contains(#"id="iatiOrganisationReference-error">Enter an IATI organisation identifier"#))
            #expect(html.contains(#"value="not an id""#) && html.contains(#"value="Dogbo-Tota""#))
            #expect(try await settings(fixture, admin.tenantID) == ("Dogbo", "nl", nil, nil))

            // The person's own language (nl) words the messages when no ?lang= is given.
            let dutch = try await browser.post(
                "/admin/municipality", form: ["name": " ", "defaultLocale": "nl"])
            #expect(dutch.status == .unprocessableContent)
            #expect(dutch.text.contains("Vul de naam van de gemeente in"))

            let saved = try await browser.post(
                "/admin/municipality",
                form: [
                    "name": "Dogbo-Tota", "defaultLocale": "fr", "iatiOrganisationReference": "BJ-IFU-3201100000000",
                    "iatiOrganisationType": "11",
                ])
            #expect(saved.status == .seeOther && saved.location == "/admin/municipality?saved=1")
            #expect(
                try await settings(fixture, admin.tenantID)
                    == ("Dogbo-Tota", "fr", "BJ-IFU-3201100000000", "11"))
            let after = try await browser.get("/admin/municipality?saved=1")
            #expect(after.text.contains(#"id="saved""#) && after.text.contains(#"value="BJ-IFU-3201100000000""#))
            #expect(after.text.contains(#"<option value="fr" lang="fr" selected>"#))

            // An empty identifier removes it.
            let cleared = try await browser.post(
                "/admin/municipality",
                form: [
                    "name": "Dogbo-Tota", "defaultLocale": "fr", "iatiOrganisationReference": "",
                    "iatiOrganisationType": "",
                ])
            #expect(cleared.status == .seeOther)
            #expect(try await settings(fixture, admin.tenantID) == ("Dogbo-Tota", "fr", nil, nil))
        }
    }

    @Test("coordinators, partner coordinators and viewers are refused with 403 and change nothing")
    func othersRefused() async throws {
        let fixture = try await PagesFixture.make("adminmunicipalityrefused", smtp: nil)
        var emails: [String] = []
        var tenant: UUID?
        for role in [Identity.Role.coordinator, .partnerCoordinator, .viewer] {
            let email = "\(role.rawValue)@leuven.be"
            tenant = try await TestTenant.create(in: fixture.database, slug: "leuven", role: role, email: email)
                .tenantID
            emails.append(email)
        }
        let tenantID = try #require(tenant)
        let people = emails
        try await fixture.application.test(.router) { client in
            for email in people {
                let browser = TestBrowser(client)
                try await fixture.signIn(browser, as: email)
                let page = try await browser.get("/admin/municipality")
                #expect(page.status == .forbidden)
                #expect(!page.text.contains(#"name="iatiOrganisationReference""#))
                let post = try await browser.post(
                    "/admin/municipality",
                    form: [
                        "name": "Taken", "defaultLocale": "en", "iatiOrganisationReference": "BE-BCE_KBO-0207451227",
                    ])
                #expect(post.status == .forbidden)
                // The header offers administrators' pages to administrators only.
                let dashboard = try await browser.get("/settings")
                #expect(!dashboard.text.contains(#"href="/admin/municipality""#))
                #expect(!dashboard.text.contains(#"href="/admin/users""#))
                #expect(dashboard.text.contains(#"href="/reports""#))
                #expect(dashboard.text.contains(#"href="/import""#) == email.hasPrefix("coordinator"))
            }
        }
        #expect(try await settings(fixture, tenantID) == ("Leuven", "nl", nil, nil))
    }

    @Test("the header marks the current page and gives an administrator every page of the municipality")
    func navigation() async throws {
        let fixture = try await PagesFixture.make("adminnavigation", smtp: nil)
        _ = try await TestTenant.create(in: fixture.database, slug: "herent", email: "a@herent.be")
        try await fixture.application.test(.router) { client in
            let browser = TestBrowser(client)
            #expect(!(try await browser.get("/sign-in").text.contains(#"href="/partnerships""#)))
            try await fixture.signIn(browser, as: "a@herent.be")
            let html = try await browser.get("/settings?lang=es").text
            for link in ["/partnerships", "/activities", "/reports", "/import", "/admin/users", "/admin/municipality"] {
                #expect(html.contains(#"<a href="\#(link)">"#), "\(link)")
            }
            #expect(html.contains(#"<a href="/settings" aria-current="page">"#))
            #expect(html.contains(">Municipio</a>") && !html.contains(#"href="/platform""#))
            #expect(html.components(separatedBy: #"aria-current="page""#).count == 2)
        }
    }
}
