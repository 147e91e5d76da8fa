import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Postgres
import TestSupport
import Testing

@testable import Notifications

@Suite("The municipality's digest defaults on /admin/municipality: the API's operation, its permission and words")
struct NotificationDefaultsSectionTests {
    /// A browser signed in as `email` through a link's confirm page.
    static func signedIn(_ client: any TestClientProtocol, as email: String, pool: PostgresConnectionPool)
        async throws -> TestBrowser
    {
        let settings = GatewaySettings().sessions
        let issued = try await SignInLinks(settings: settings, mail: nil, logger: TestLogger.make("sign-in"))
            .issue(for: email, at: Date(), pool: pool)
        let link = String(try #require(issued.first?.url).dropFirst(settings.publicURL.count))
        let browser = TestBrowser(client)
        try await browser.get(link)
        #expect(try await browser.post(link).status == .seeOther)
        return browser
    }

    @Test("an administrator changes the defaults that the API reads; a wrong hour is refused beside its field")
    func administratorChangesTheDefaults() async throws {
        let fixture = try await NotificationsFixture.make("defaultssection")
        let admin = try await TestTenant.create(in: fixture.database, slug: "herent", email: "admin@herent.be")
        let pool = fixture.pool
        try await Application(router: fixture.router).test(.router) { client in
            let browser = try await Self.signedIn(client, as: "admin@herent.be", pool: pool)
            let page = try await browser.get("/admin/municipality?lang=en")
            #expect(page.status == .ok)
            #expect(page.text.contains(#"<h2 id="notification-defaults">Digest defaults</h2>"#))
            #expect(page.text.contains(#"action="/admin/municipality/notifications""#))
            // The built-in defaults: daily at 07:00, weekly ones on Monday.
            #expect(page.text.contains(#"<option value="daily" selected>"#))
            #expect(page.text.contains(#"<option value="7" selected>07:00</option>"#))
            #expect(page.text.contains(#"<option value="1" selected>Monday</option>"#))

            let refused = try await browser.post(
                "/admin/municipality/notifications?lang=en",
                form: ["frequency": "weekly", "hour": "25", "weekday": "4"])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains(##"href="#hour""##) && !refused.text.contains(##"href="#weekday""##))
            #expect(refused.text.contains(#"id="hour-error">Choose an hour from 0 to 23"#))
            #expect(refused.text.contains(#"<option value="weekly" selected>"#), "the typed frequency is kept")
            #expect(refused.text.contains(#"<option value="4" selected>Thursday</option>"#))
            #expect(refused.text.contains(#"id="name""#), "the whole page, the municipality's own form too")
            let unchanged = try object(try await client.send(.get, "/api/v1/notifications/defaults", as: admin))
            #expect(unchanged["frequency"] as? String == "daily" && unchanged["hour"] as? Int == 7)

            // The person's own language words the messages when no ?lang= is given.
            let dutch = try await browser.post(
                "/admin/municipality/notifications", form: ["frequency": "sometimes", "hour": "9", "weekday": "1"])
            #expect(dutch.status == .unprocessableContent)
            #expect(dutch.text.contains(#"id="frequency-error">"#) && dutch.text.contains("Standaardinstellingen"))

            let saved = try await browser.post(
                "/admin/municipality/notifications", form: ["frequency": "weekly", "hour": "9", "weekday": "4"])
            #expect(saved.status == .seeOther)
            #expect(saved.location == "/admin/municipality?saved=notification-defaults#notification-defaults")
            let api = try object(try await client.send(.get, "/api/v1/notifications/defaults", as: admin))
            #expect(api["frequency"] as? String == "weekly" && api["hour"] as? Int == 9 && api["weekday"] as? Int == 4)
            let shown = try await browser.get("/admin/municipality?saved=notification-defaults&lang=en")
            #expect(shown.text.contains(#"id="saved""#) && shown.text.contains("The changes are saved."))
            #expect(shown.text.contains(#"<option value="weekly" selected>"#))
            #expect(shown.text.contains(#"<option value="9" selected>09:00</option>"#))
            #expect(shown.text.contains(#"<option value="4" selected>Thursday</option>"#))
        }
        await fixture.pool.close()
    }

    @Test("an administrator sets after how many quiet days members are reminded, or never; a wrong number is refused")
    func quietAfterDays() async throws {
        let fixture = try await NotificationsFixture.make("defaultssectionquiet")
        let admin = try await TestTenant.create(in: fixture.database, slug: "herent", email: "admin@herent.be")
        let pool = fixture.pool
        try await Application(router: fixture.router).test(.router) { client in
            let browser = try await Self.signedIn(client, as: "admin@herent.be", pool: pool)
            let page = try await browser.get("/admin/municipality?lang=fr")
            #expect(page.text.contains(#"name="quietAfterDays" value="90""#), "the built-in 90 days")
            #expect(page.text.contains("après ce nombre de jours sans nouvelles"))
            let form = ["frequency": "daily", "hour": "7", "weekday": "1"]
            for wrong in ["13", "366", "soon"] {
                let refused = try await browser.post(
                    "/admin/municipality/notifications?lang=en", form: form.merging(["quietAfterDays": wrong]) { $1 })
                #expect(refused.status == .unprocessableContent, "\(wrong)")
                #expect(refused.text.contains(##"href="#quietAfterDays""##), "\(wrong)")
                #expect(refused.text.contains(#"id="quietAfterDays-error">Enter a number of days from 14 to 365"#))
                #expect(refused.text.contains(#"value="\#(wrong)""#), "the typed value is kept")
            }
            let saved = try await browser.post(
                "/admin/municipality/notifications", form: form.merging(["quietAfterDays": "60"]) { $1 })
            #expect(saved.status == .seeOther)
            var api = try object(try await client.send(.get, "/api/v1/notifications/defaults", as: admin))
            #expect(api["quietAfterDays"] as? Int == 60)
            // Left empty: never.
            let never = try await browser.post(
                "/admin/municipality/notifications", form: form.merging(["quietAfterDays": ""]) { $1 })
            #expect(never.status == .seeOther)
            api = try object(try await client.send(.get, "/api/v1/notifications/defaults", as: admin))
            #expect(api["quietAfterDays"] is NSNull)
            let shown = try await browser.get("/admin/municipality")
            #expect(shown.text.contains(#"name="quietAfterDays" value="""#))
        }
        await fixture.pool.close()
    }

    @Test("a coordinator and a partner coordinator are refused with 403 and change nothing")
    func othersRefused() async throws {
        let fixture = try await NotificationsFixture.make("defaultssectionrefused")
        let admin = try await TestTenant.create(in: fixture.database, slug: "leuven", email: "admin@leuven.be")
        for role in [Identity.Role.coordinator, .partnerCoordinator] {
            _ = try await TestTenant.create(
                in: fixture.database, slug: "leuven", role: role, email: "\(role.rawValue)@leuven.be")
        }
        let pool = fixture.pool
        try await Application(router: fixture.router).test(.router) { client in
            for email in ["coordinator@leuven.be", "partner_coordinator@leuven.be"] {
                let browser = try await Self.signedIn(client, as: email, pool: pool)
                let post = try await browser.post(
                    "/admin/municipality/notifications", form: ["frequency": "off", "hour": "3", "weekday": "2"])
                #expect(post.status == .forbidden, "\(email)")
                // Their own settings page still has their digest settings, and not the defaults.
                let settings = try await browser.get("/settings")
                #expect(settings.text.contains(#"action="/settings/notifications""#))
                #expect(!settings.text.contains("/admin/municipality/notifications"))
            }
            let api = try object(try await client.send(.get, "/api/v1/notifications/defaults", as: admin))
            #expect(api["frequency"] as? String == "daily" && api["hour"] as? Int == 7)
        }
        await fixture.pool.close()
    }
}

extension TestResponse {
    fileprivate var text: String { String(buffer: body) }
    fileprivate var location: String? { headers[.location] }
}
