import Delivery
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

/// A browser signed in as `email` through a link's confirm page, as `stedenband sign-in-link` makes it.
private func signedInBrowser(
    _ client: any TestClientProtocol, signedInAs email: String, pool: PostgresConnectionPool
) async throws -> TestBrowser {
    let settings = GatewaySettings().sessions
    let issued = try await SignInLinks(settings: settings, mail: nil, logger: TestLogger.make("sign-in"))
        .issue(for: email, at: Date(), pool: pool)
    let link = String(try #require(issued.first?.url).dropFirst(settings.publicURL.count))
    let browser = TestBrowser(client)
    try await browser.get(link)
    #expect(try await browser.post(link).status == .seeOther)
    return browser
}

/// Posts `fields` as a form, repeated names and all (checkboxes), with `browser`'s cookies and CSRF token.
private func post(
    _ fields: [(String, String)], as browser: TestBrowser, _ client: some TestClientProtocol
) async throws -> TestResponse {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    func encode(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "" }
    let body = ([("csrf", browser.csrf ?? "")] + fields).map { "\(encode($0.0))=\(encode($0.1))" }
        .joined(separator: "&")
    let cookie = browser.cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
    return try await client.executeRequest(
        uri: "/settings/notifications", method: .post,
        headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
        body: ByteBuffer(string: body))
}

extension TestResponse {
    fileprivate var html: String { String(buffer: body) }
}

@Suite("The digest settings on /settings: saved through the service, validated, in the person's language")
struct NotificationsSettingsPageTests {
    static let resolver = HostResolver.fixed([
        "hooks.example.org": .addresses([IPAddress("93.184.215.14")!]),
        "intranet.example.org": .addresses([IPAddress("10.0.0.5")!]),
    ])

    /// The form as a person fills it in: weekly on Thursday at 07:00, by e-mail.
    static let weekly: [(String, String)] = [
        ("frequency", "weekly"), ("hour", "7"), ("weekday", "4"), ("email", "true"),
    ]

    @Test(
        "a partner coordinator chooses a weekly digest and mutes their partnership; only their own are offered or accepted"
    )
    func savesWeeklyAndMutesOwnPartnership() async throws {
        let fixture = try await NotificationsFixture.make("settingspage", resolver: Self.resolver)
        let coordinator = try await TestTenant.create(
            in: fixture.database, slug: "roeselare", role: .coordinator, email: "coordinator@roeselare.be")
        let partner = try await TestTenant.create(
            in: fixture.database, slug: "roeselare", role: .partnerCoordinator, email: "partner@dogbo.bj")
        let pool = fixture.pool
        try await Application(router: fixture.router).test(.router) { client in
            let theirs = try await client.partnership(
                #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}}"#, by: coordinator,
                member: partner
            ).lowercased()
            let others = try #require(
                try object(
                    try await client.send(
                        .post, "/api/v1/partnerships", as: coordinator,
                        json: #"{"title": "Roeselare–Lubumbashi", "partner": {"name": "Lubumbashi", "country": "CD"}}"#)
                )["id"] as? String
            ).lowercased()
            let browser = try await signedInBrowser(client, signedInAs: "partner@dogbo.bj", pool: pool)

            let page = try await browser.get("/settings")
            #expect(page.status == .ok)
            #expect(page.html.contains(#"<h2 id="notifications">Overzichten</h2>"#))
            #expect(page.html.contains(#"action="/settings/notifications""#))
            #expect(page.html.contains(#"value="\#(theirs)""#) && page.html.contains("Roeselare–Dogbo"))
            #expect(!page.html.contains(others) && !page.html.contains("Roeselare–Lubumbashi"))
            #expect(page.html.contains("In jouw tijdzone: Europe/Brussels"))

            let saved = try await post(Self.weekly + [("mutedPartnerships", theirs)], as: browser, client)
            #expect(saved.status == .seeOther)
            #expect(saved.headers[.location] == "/settings#notifications")
            let settings = try object(try await client.send(.get, "/api/v1/me/notifications", as: partner))
            #expect(settings["frequency"] as? String == "weekly")
            #expect(settings["hour"] as? Int == 7 && settings["weekday"] as? Int == 4)
            #expect(settings["timeZone"] as? String == "Europe/Brussels")
            #expect((settings["mutedPartnerships"] as? [String])?.map { $0.lowercased() } == [theirs])
            let kept = try await browser.get("/settings")
            #expect(kept.html.contains(#"<option value="weekly" selected>"#))
            #expect(kept.html.contains(#"<option value="7" selected>07:00</option>"#))
            #expect(kept.html.contains(#"<option value="4" selected>donderdag</option>"#))
            #expect(kept.html.contains(#"value="\#(theirs)" checked"#))

            // Another partnership of the municipality is not theirs to mute: refused beside the field, nothing saved.
            let foreign = try await post(
                [("frequency", "daily"), ("hour", "8"), ("weekday", "1"), ("mutedPartnerships", others)],
                as: browser, client)
            #expect(foreign.status == .unprocessableContent)
            #expect(foreign.html.contains(##"id="mutedPartnerships-error">Kies alleen uit je eigen partnerschappen"##))
            #expect(foreign.html.contains(##"<a href="#mutedPartnerships">"##))
            #expect(foreign.html.contains(#"<option value="daily" selected>"#))
            let unchanged = try object(try await client.send(.get, "/api/v1/me/notifications", as: partner))
            #expect(unchanged["frequency"] as? String == "weekly")

            // Unmuting: no box ticked.
            #expect(try await post(Self.weekly, as: browser, client).status == .seeOther)
            let unmuted = try object(try await client.send(.get, "/api/v1/me/notifications", as: partner))
            #expect((unmuted["mutedPartnerships"] as? [String]) == [])

            // Without the CSRF token, refused before anything is read.
            let forged = try await client.executeRequest(
                uri: "/settings/notifications", method: .post,
                headers: [
                    .contentType: "application/x-www-form-urlencoded",
                    .cookie: browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "),
                ], body: ByteBuffer(string: "frequency=off&hour=1&weekday=1"))
            #expect(forged.status == .forbidden)
        }
    }

    @Test("the reminders' two checkboxes show the saved choice and save what is ticked")
    func reminderCheckboxes() async throws {
        let fixture = try await NotificationsFixture.make("settingspagereminders", resolver: Self.resolver)
        let partner = try await TestTenant.create(
            in: fixture.database, slug: "roeselare", role: .partnerCoordinator, email: "partner@dogbo.bj")
        let pool = fixture.pool
        try await Application(router: fixture.router).test(.router) { client in
            let browser = try await signedInBrowser(client, signedInAs: "partner@dogbo.bj", pool: pool)
            let page = try await browser.get("/settings?lang=fr")
            #expect(page.html.contains(#"name="quietReminders" value="true" checked"#))
            #expect(page.html.contains(#"name="periodReminders" value="true" checked"#))
            #expect(page.html.contains("Me rappeler 14 jours avant la fin d’une période de rapport sans valeur"))
            #expect(page.html.contains(#"<label for="quietReminders">"#))

            // Only the period's box ticked: the quiet-partnership reminder is off.
            let saved = try await post(Self.weekly + [("periodReminders", "true")], as: browser, client)
            #expect(saved.status == .seeOther)
            let settings = try object(try await client.send(.get, "/api/v1/me/notifications", as: partner))
            #expect(settings["quietReminders"] as? Bool == false && settings["periodReminders"] as? Bool == true)
            let kept = try await browser.get("/settings")
            #expect(kept.html.contains(#"name="quietReminders" value="true">"#))
            #expect(kept.html.contains(#"name="periodReminders" value="true" checked"#))
        }
    }

    @Test("wrong values and a refused webhook address are shown beside their fields, typed values kept")
    func refusesWithMessagesBesideFields() async throws {
        let fixture = try await NotificationsFixture.make("settingspageerrors", resolver: Self.resolver)
        let person = try await TestTenant.create(
            in: fixture.database, slug: "roeselare", role: .coordinator, email: "coordinator@roeselare.be")
        let pool = fixture.pool
        try await Application(router: fixture.router).test(.router) { client in
            let browser = try await signedInBrowser(client, signedInAs: "coordinator@roeselare.be", pool: pool)
            try await browser.get("/settings")
            // They choose French: the messages follow.
            #expect(try await browser.post("/language", form: ["lang": "fr", "next": "/settings"]).status == .seeOther)
            try await browser.get("/settings")
            let wrong = try await post(
                [
                    ("frequency", "sometimes"), ("hour", "24"), ("weekday", "3"),
                    ("webhook.url", "http://hooks.example.org/x"),
                ],
                as: browser, client)
            #expect(wrong.status == .unprocessableContent)
            let html = wrong.html
            #expect(html.contains(#"<div class="error-summary""#))
            #expect(html.contains(##"<a href="#frequency">"##) && html.contains(##"<a href="#hour">"##))
            #expect(html.contains(##"<a href="#webhook-url">"##))
            #expect(html.contains(#"id="hour-error">Choisissez une heure de 0 à 23"#))
            #expect(html.contains(#"id="frequency-error">Choisissez la fréquence de vos résumés"#))
            #expect(html.contains(#"id="webhook-url-error">Saisissez une adresse https"#))
            #expect(html.contains(#"<option value="3" selected>"#))
            #expect(html.contains(#"value="http://hooks.example.org/x""#))

            // An address inside the network: the API's policy and lookup, the message in the person's language.
            let inside = try await post(
                Self.weekly + [("webhook.url", "https://intranet.example.org/hook")], as: browser, client)
            #expect(inside.status == .unprocessableContent)
            #expect(inside.html.contains(#"id="webhook-url-error">Saisissez une adresse de l&#39;internet public"#))
            #expect(inside.html.contains(#"value="https://intranet.example.org/hook""#))
            let none = try object(try await client.send(.get, "/api/v1/me/notifications", as: person))
            #expect(none["webhook"] == nil || none["webhook"] is NSNull)

            // A public address: saved, its signing secret shown once on this answer only.
            let set = try await post(
                Self.weekly + [("webhook.url", "https://hooks.example.org/digest")], as: browser, client)
            #expect(set.status == .ok)
            #expect(set.headers[.cacheControl] == "no-store")
            let secret = try #require(set.html.firstMatch(of: #/<code id="webhook-secret">([^<]+)</code>/#)?.output.1)
            #expect(secret.count >= 32)
            let stored = try object(try await client.send(.get, "/api/v1/me/notifications", as: person))
            #expect((stored["webhook"] as? [String: Any])?["url"] as? String == "https://hooks.example.org/digest")
            let shown = try await browser.get("/settings")
            #expect(shown.html.contains(#"value="https://hooks.example.org/digest""#))
            #expect(!shown.html.contains(String(secret)))
            // The same address again changes nothing: no new secret, back to the settings.
            let again = try await post(
                Self.weekly + [("webhook.url", "https://hooks.example.org/digest")], as: browser, client)
            #expect(again.status == .seeOther)
            // Emptied: removed.
            #expect(try await post(Self.weekly, as: browser, client).status == .seeOther)
            let removed = try object(try await client.send(.get, "/api/v1/me/notifications", as: person))
            #expect(removed["webhook"] == nil || removed["webhook"] is NSNull)
        }
    }
}
