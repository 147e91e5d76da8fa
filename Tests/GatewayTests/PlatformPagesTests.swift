import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Postgres
import TestSupport
import Testing

/// Platform administrators' sign-in by mailed link, their session, and `/platform`.
@Suite("Platform administrators' sign-in and /platform")
struct PlatformPagesTests {
    /// A platform administrator made as `stedenband platform-admin create` makes one.
    func platformAdmin(_ fixture: PagesFixture, email: String) async throws -> UUID {
        let admin = try await fixture.database.connectAsAdmin()
        let id = try await admin.query(
            "INSERT INTO platform.platform_admins (email, name) VALUES (\(email), 'Platform') RETURNING id"
        )[0].decode(UUID.self, column: 0)
        await admin.close()
        return id
    }

    @Test("a platform administrator signs in by a mailed link, once, and lands on /platform with its own navigation")
    func signInByLink() async throws {
        let fixture = try await PagesFixture.make("platformsignin", smtp: nil)
        _ = try await TestTenant.create(in: fixture.database, slug: "roeselare", email: "a@roeselare.be")
        _ = try await platformAdmin(fixture, email: "ops@stedenband.test")
        try await fixture.application.test(.router) { client in
            let browser = TestBrowser(client)
            let issued = try await fixture.links.issue(
                for: "OPS@stedenband.test", at: fixture.clock.now, pool: fixture.pool)
            let url = try #require(issued.first?.url)
            #expect(issued.count == 1 && url.hasPrefix("http://127.0.0.1:8080/sign-in/platform/"))
            let link = String(url.dropFirst("http://127.0.0.1:8080".count))
            // Opening the link signs nobody in; the confirm button does.
            let confirm = try await browser.get(link)
            #expect(confirm.status == .ok && confirm.text.contains(#"id="confirm-sign-in""#))
            #expect(browser.cookies["stedenband_session"] == nil)
            let signedIn = try await browser.post(link)
            #expect(signedIn.status == .seeOther && signedIn.location == "/platform")
            let page = try await browser.get("/platform?lang=en")
            #expect(page.status == .ok)
            #expect(page.text.contains("<td>Roeselare</td><td>roeselare</td><td>active</td>"))
            #expect(page.text.contains(#"<a href="/platform" aria-current="page">"#))
            #expect(
                !page.text.contains(#"href="/partnerships""#) && !page.text.contains(#"href="/admin/municipality""#))

            // Used once: a second use is refused and starts nothing.
            let again = TestBrowser(client)
            _ = try await again.get("/sign-in")
            #expect(try await again.post(link).status == .gone)
            #expect(try await again.get("/platform").status == .seeOther)

            // Signing out ends the session on the server: the old cookie no longer opens /platform.
            let cookie = try #require(browser.cookies["stedenband_session"])
            #expect(try await browser.post("/sign-out").status == .seeOther)
            browser.setCookie("stedenband_session", cookie)
            #expect(try await browser.get("/platform").status == .seeOther)
        }
    }

    @Test(
        "a platform administrator's session sees no municipality's data; a municipality's person gets 404 on /platform")
    func sessionKeptOutOfMunicipalities() async throws {
        let fixture = try await PagesFixture.make("platformisolation", smtp: nil)
        _ = try await TestTenant.create(in: fixture.database, slug: "herent", email: "a@herent.be")
        _ = try await platformAdmin(fixture, email: "ops@stedenband.test")
        try await fixture.application.test(.router) { client in
            let platformBrowser = TestBrowser(client)
            let issued = try await fixture.links.issue(
                for: "ops@stedenband.test", at: fixture.clock.now, pool: fixture.pool)
            let link = String(try #require(issued.first?.url).dropFirst("http://127.0.0.1:8080".count))
            _ = try await platformBrowser.get(link)
            _ = try await platformBrowser.post(link)
            #expect(try await platformBrowser.get("/platform").status == .ok)
            #expect(try await platformBrowser.get("/admin/municipality").status == .notFound)
            // Their own settings page (language and sessions); a municipality's settings are not theirs.
            #expect(try await platformBrowser.get("/settings").status == .ok)

            // The session's own transaction, as the middleware opens it: the registry, not the people.
            let secret = try #require(platformBrowser.cookies["stedenband_session"].flatMap(SessionSecret.init))
            let (found, users, tenants) = try await fixture.pool.withTransaction { connection in
                let found = try await connection.query(
                    """
                    SELECT platform_admin_id FROM platform.authenticate_platform_admin_session(
                        decode(\(secret.hashHex), 'hex'), \(fixture.clock.now), interval '1 hour')
                    """
                ).count
                let users = try await connection.query("SELECT count(*) FROM platform.users")[0].decode(
                    Int.self, column: 0)
                let tenants = try await connection.query("SELECT count(*) FROM platform.tenants")[0].decode(
                    Int.self, column: 0)
                return (found, users, tenants)
            }
            #expect(found == 1 && users == 0 && tenants == 1)

            let person = TestBrowser(client)
            try await fixture.signIn(person, as: "a@herent.be")
            #expect(try await person.get("/platform").status == .notFound)
            #expect(try await person.post("/platform/tenants", form: ["slug": "x", "name": "X"]).status == .notFound)
        }
    }

    @Test("/platform adds a municipality as the API does; a wrong or taken slug is refused beside the field")
    func createsMunicipality() async throws {
        let fixture = try await PagesFixture.make("platformcreate", smtp: nil)
        _ = try await TestTenant.create(in: fixture.database, slug: "leuven", email: "a@leuven.be")
        _ = try await platformAdmin(fixture, email: "ops@stedenband.test")
        fixture.environment.platformSections.add(order: 1) { context in
            context.identity?.role == .platformAdmin ? #"<h2 id="from-a-plugin">report</h2>"# : nil
        }
        try await fixture.application.test(.router) { client in
            let browser = TestBrowser(client)
            let issued = try await fixture.links.issue(
                for: "ops@stedenband.test", at: fixture.clock.now, pool: fixture.pool)
            let link = String(try #require(issued.first?.url).dropFirst("http://127.0.0.1:8080".count))
            _ = try await browser.get(link)
            _ = try await browser.post(link)
            #expect(try await browser.get("/platform").text.contains(#"<h2 id="from-a-plugin">"#))

            let bad = try await browser.post(
                "/platform/tenants?lang=en",
                form: [
                    "name": "Para", "slug": "Para!", "adminEmail": "mayor@para", "locale": "es",
                    "timeZone": "America/Belem",
                ])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains(##"href="#slug""##) && bad.text.contains(##"href="#adminEmail""##))
            #expect(bad.text.contains(#"id="slug-error">Enter 1 to 63 lowercase letters"#))
            #expect(bad.text.contains(#"value="Para!""#) && bad.text.contains(#"value="America/Belem""#))

            let taken = try await browser.post(
                "/platform/tenants?lang=en",
                form: [
                    "name": "Leuven", "slug": "leuven", "adminEmail": "other@leuven.be", "locale": "nl",
                    "timeZone": "Europe/Brussels",
                ])
            #expect(taken.status == .unprocessableContent && taken.text.contains("This short name is already used"))

            let created = try await browser.post(
                "/platform/tenants",
                form: [
                    "name": "Para", "slug": "para", "adminEmail": "admin@para.example", "locale": "es",
                    "timeZone": "America/Belem",
                ])
            #expect(created.status == .seeOther && created.location == "/platform?created=1")
            let list = try await browser.get("/platform?created=1&lang=en")
            #expect(list.text.contains(#"id="created""#) && list.text.contains("<td>Para</td><td>para</td>"))
        }
        // The same rows as POST /api/v1/platform/tenants: the municipality and its first administrator.
        let admin = try await fixture.database.connectAsAdmin()
        let rows = try await admin.query(
            """
            SELECT t.default_locale, t.time_zone, u.role, u.name FROM platform.tenants t
            JOIN platform.users u ON u.tenant_id = t.id WHERE t.slug = 'para'
            """)
        await admin.close()
        #expect(
            try rows.map { try $0.decode((String, String, String, String).self) }.first! == (
                "es", "America/Belem", "admin", "admin"
            ))
    }

    @Test(
        "/platform counts each municipality's people per role, disabled ones apart; only a platform administrator may")
    func countsUsers() async throws {
        let fixture = try await PagesFixture.make("platformcounts", smtp: nil)
        let leuven = try await TestTenant.create(
            in: fixture.database, slug: "leuven", role: .admin, email: "a@leuven.be")
        _ = try await TestTenant.create(in: fixture.database, slug: "leuven", role: .coordinator)
        _ = try await TestTenant.create(in: fixture.database, slug: "leuven", role: .coordinator)
        let gone = try await TestTenant.create(in: fixture.database, slug: "leuven", role: .viewer)
        _ = try await TestTenant.create(in: fixture.database, slug: "herent", role: .viewer)
        _ = try await platformAdmin(fixture, email: "ops@stedenband.test")
        let admin = try await fixture.database.connectAsAdmin()
        try await admin.query("UPDATE platform.users SET disabled_at = now() WHERE id = \(gone.userID)")
        try await admin.query("INSERT INTO platform.tenants (slug, name) VALUES ('dogbo', 'Dogbo')")
        await admin.close()
        try await fixture.application.test(.router) { client in
            let browser = TestBrowser(client)
            try await fixture.signIn(browser, as: "ops@stedenband.test")
            let page = try await browser.get("/platform?lang=en")
            #expect(page.text.contains(#"<th scope="col">People</th><th scope="col">Disabled people</th>"#))
            #expect(
                page.text.contains(
                    #"<td>Leuven</td><td>leuven</td><td>active</td><td class="people">3 <small>(by role: Administrator 1, Coordinator 2)</small></td><td>1</td>"#
                ))
            #expect(
                page.text.contains(
                    #"<td>Herent</td><td>herent</td><td>active</td><td class="people">1 <small>(by role: Viewer 1)</small></td><td>0</td>"#
                ))
            #expect(
                page.text.contains(#"<td>Dogbo</td><td>dogbo</td><td>active</td><td class="people">0</td><td>0</td>"#))
            #expect(
                !page.text.contains("a@leuven.be") && !page.text.contains("Test coordinator"), "numbers, never people")
            let dutch = try await browser.get("/platform?lang=nl")
            #expect(dutch.text.contains("<small>(per rol: Beheerder 1, Coördinator 2)</small>"))

            // In the platform administrator's own transaction: the numbers, and still no person's row.
            let secret = try #require(browser.cookies["stedenband_session"].flatMap(SessionSecret.init))
            let (counted, users) = try await fixture.pool.withTransaction { connection in
                _ = try await connection.query(
                    """
                    SELECT platform_admin_id FROM platform.authenticate_platform_admin_session(
                        decode(\(secret.hashHex), 'hex'), \(fixture.clock.now), interval '1 hour')
                    """)
                let counted = try await connection.query(
                    "SELECT sum(active + disabled)::int8 FROM platform.tenant_user_counts()")[0].decode(
                        Int.self, column: 0)
                let users = try await connection.query("SELECT count(*) FROM platform.users")[0].decode(
                    Int.self, column: 0)
                return (counted, users)
            }
            #expect(counted == 5 && users == 0)
        }
        // A municipality's transaction, or one of nobody, is refused the counts.
        for tenant in [leuven.tenantID, nil] {
            let refused = await #expect(throws: PostgresError.self) {
                try await fixture.pool.withTransaction(tenantID: tenant) { connection in
                    try await connection.query("SELECT * FROM platform.tenant_user_counts()")
                }
            }
            #expect(refused?.sqlState == .insufficientPrivilege)
        }
    }

    @Test(
        "a platform administrator's /settings: language and sessions, no time zone; sign out everywhere ends theirs only"
    )
    func platformAdministratorSettings() async throws {
        let fixture = try await PagesFixture.make("platformsettings", smtp: nil)
        let herent = try await TestTenant.create(in: fixture.database, slug: "herent", email: "a@herent.be")
        let adminID = try await platformAdmin(fixture, email: "ops@stedenband.test")
        try await fixture.application.test(.router) { client in
            let first = TestBrowser(client)
            try await fixture.signIn(first, as: "ops@stedenband.test")
            let second = TestBrowser(client, userAgent: "Mozilla/5.0 (Android 14) Chrome/131.0")
            try await fixture.signIn(second, as: "ops@stedenband.test")
            let person = TestBrowser(client)
            try await fixture.signIn(person, as: "a@herent.be")

            let page = try await first.get("/settings?lang=en")
            #expect(page.status == .ok)
            #expect(page.text.contains(#"<a href="/settings" aria-current="page">"#))
            #expect(page.text.contains(#"<a href="/platform">"#) && !page.text.contains(#"href="/partnerships""#))
            #expect(
                page.text.contains(#"<select id="locale" name="locale">"#) && !page.text.contains(#"id="timeZone""#))
            #expect(page.text.contains("Firefox · Linux <strong>") && page.text.contains("Chrome · Android</td>"))
            #expect(page.text.components(separatedBy: #"<tr class="current">"#).count == 2)

            // Their language is saved and every page of theirs follows it, in each of their browsers.
            let saved = try await first.post("/settings", form: ["locale": "fr", "timeZone": "Nowhere/At_All"])
            #expect(saved.status == .seeOther && saved.location == "/settings")
            #expect(try await second.get("/platform").text.contains(#"<html lang="fr""#))
            // The locale switch saves it as well.
            let switched = try await second.post("/language", form: ["lang": "es", "next": "/platform"])
            #expect(switched.status == .seeOther && switched.location == "/platform")
            let spanish = try await first.get("/settings")
            #expect(spanish.text.contains(#"<html lang="es""#))
            #expect(spanish.text.contains(#"<option value="es" lang="es" selected>"#))

            // The municipality's person keeps their own page, time zone and all.
            #expect(try await person.get("/settings").text.contains(#"id="timeZone""#))

            // Sign out everywhere ends both of the administrator's sessions and nobody else's.
            let ended = try await first.post("/settings/sessions/end-all")
            #expect(ended.status == .seeOther && ended.location == "/sign-in")
            #expect(try await second.get("/platform").status == .seeOther)
            #expect(try await first.get("/platform").status == .seeOther)
            #expect(try await person.get("/settings").status == .ok)

            // Outside a platform administrator's transaction the functions behind the page do nothing.
            let third = TestBrowser(client)
            try await fixture.signIn(third, as: "ops@stedenband.test")
            let now = fixture.clock.now
            let (listed, endedOutside) = try await fixture.pool.withTransaction(tenantID: herent.tenantID) {
                connection in
                try await connection.query("SELECT platform.set_platform_admin_locale(\(adminID), 'nl')")
                let listed = try await connection.query(
                    "SELECT id FROM platform.platform_admin_live_sessions(\(adminID), \(now), interval '1 hour')"
                ).count
                let ended = try await connection.query(
                    "SELECT platform.end_platform_admin_sessions(\(adminID), \(now))")[0].decode(Int.self, column: 0)
                return (listed, ended)
            }
            #expect(listed == 0 && endedOutside == 0)
            let still = try await third.get("/platform")
            #expect(still.status == .ok && still.text.contains(#"<html lang="es""#))
        }
    }
}
