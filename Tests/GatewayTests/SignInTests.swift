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

/// The gateway with its pages on a database of its own, a clock the test moves, and a real SMTP server.
struct PagesFixture {
    let database: TestDatabase
    let pool: PostgresConnectionPool
    let environment: GatewayEnvironment
    let clock: TestClock

    static func make(
        _ label: String, smtp: TestSMTPServer?, publicURL: String = "http://127.0.0.1:8080",
        maximumAge: Duration = SessionSettings.defaultMaximumAge, limits: SignInLimits = SignInLimits()
    ) async throws -> PagesFixture {
        let database = try await TestDatabase.migrated(label)
        let logger = TestLogger.make(label)
        let pool = PostgresConnectionPool(
            configuration: .init(connection: database.appConfiguration, maximumConnections: 4), logger: logger)
        var settings = GatewaySettings()
        settings.sessions.publicURL = publicURL
        settings.sessions.maximumAge = maximumAge
        let clock = TestClock()
        let environment = GatewayEnvironment(
            pool: pool, readiness: NeverChecked(), logger: logger, settings: settings,
            addressLimiter: RateLimiter(rate: 10_000, burst: 10_000),
            mail: try smtp.map { try SMTPMailer(url: $0.url, logger: logger) }, signInLimits: limits,
            now: { clock.now })
        return PagesFixture(database: database, pool: pool, environment: environment, clock: clock)
    }

    var application: some ApplicationProtocol { Application(router: buildRouter(environment: environment)) }

    var links: SignInLinks {
        SignInLinks(settings: environment.settings.sessions, mail: nil, logger: environment.logger)
    }

    /// A link for `email`'s one user, made as `stedenband sign-in-link` makes it; its path on the site.
    func linkPath(for email: String, next: String? = nil) async throws -> String {
        let issued = try await links.issue(for: email, next: next, at: clock.now, pool: pool)
        let url = try #require(issued.first?.url)
        return String(url.dropFirst(environment.settings.sessions.publicURL.count))
    }

    /// Signs `browser` in as `email` through a link's confirm page.
    func signIn(_ browser: TestBrowser, as email: String) async throws {
        let link = try await linkPath(for: email)
        try await browser.get(link)
        let signedIn = try await browser.post(link)
        #expect(signedIn.status == .seeOther)
    }

    /// The rows of the user's sessions: (ended, user agent).
    func sessions(of user: UUID) async throws -> [(ended: Bool, agent: String)] {
        let admin = try await database.connectAsAdmin()
        let rows = try await admin.query(
            "SELECT ended_at IS NOT NULL, user_agent FROM platform.sessions WHERE user_id = \(user) ORDER BY created_at"
        )
        await admin.close()
        return try rows.map { try $0.decode((Bool, String).self) }
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    var location: String? { headers[.location] }
    var setCookies: [String] { headers[values: .setCookie] }
}

@Suite("Sign-in by e-mail link, sessions and CSRF on the pages")
struct SignInTests {
    @Test("a link mailed for a known address signs in only by POST, once; an unknown address gets the same answer")
    func linkFlowOverSMTP() async throws {
        try await TestSMTPServer.with { smtp in
            let fixture = try await PagesFixture.make("signinflow", smtp: smtp)
            let user = try await TestTenant.create(
                in: fixture.database, slug: "herent", role: .coordinator, email: "coordinator@herent.be")
            try await fixture.application.test(.router) { client in
                let browser = TestBrowser(client)
                let form = try await browser.get("/sign-in")
                #expect(form.status == .ok)
                let known = try await browser.post("/sign-in", form: ["email": "Coordinator@Herent.be"])
                let unknown = try await browser.post("/sign-in", form: ["email": "nobody@herent.be"])
                #expect(known.status == .seeOther && known.location == "/sign-in/sent")
                #expect(unknown.status == known.status && unknown.location == known.location)
                let sent = try await browser.get("/sign-in/sent")
                #expect(sent.status == .ok && sent.text.contains("<h1>"))

                // One mail, to the known address only, in the user's language (nl), with the link.
                let mails = try await smtp.waitForMessages(count: 1)
                #expect(try smtp.messages().count == 1)
                #expect(mails[0].recipients == ["coordinator@herent.be"])
                let parsed = try await ParsedMail.parse(mails[0].data)
                #expect(parsed.header("Subject")?.contains("Aanmelden") == true)
                let text = try #require(parsed.parts.first?.content)
                let url = try #require(
                    text.firstMatch(of: #/http://127\.0\.0\.1:8080(/sign-in/link/[A-Za-z0-9_-]{43})/#))
                let link = String(url.output.1)

                // A mail scanner's GET signs nobody in, however often.
                for _ in 0..<2 {
                    let confirm = try await browser.get(link)
                    #expect(confirm.status == .ok)
                    #expect(confirm.text.contains(#"<button type="submit" id="confirm-sign-in">"#))
                    #expect(confirm.text.contains(#"<form method="post">"#))
                    #expect(!confirm.setCookies.contains { $0.hasPrefix("stedenband_session=") })
                }
                #expect(try await browser.get("/settings").status == .seeOther)

                let signedIn = try await browser.post(link)
                #expect(signedIn.status == .seeOther && signedIn.location == "/")
                #expect(browser.cookies["stedenband_session"] != nil)
                let settings = try await browser.get("/settings")
                #expect(settings.status == .ok)
                #expect(settings.text.contains("Firefox · Linux"))
                #expect(try await fixture.sessions(of: user.userID).count == 1)

                // Used: a second POST and a GET answer 410, with a way back, and sign nobody in.
                let other = TestBrowser(client)
                try await other.get("/sign-in")
                let again = try await other.post(link)
                #expect(again.status == .gone && again.text.contains(#"href="/sign-in""#))
                #expect(other.cookies["stedenband_session"] == nil)
                #expect(try await other.get(link).status == .gone)
            }
        }
    }

    @Test("an expired link answers 410, an unknown or malformed one 404, and none signs in")
    func expiredAndUnknownLinks() async throws {
        let fixture = try await PagesFixture.make("signinexpired", smtp: nil)
        _ = try await TestTenant.create(in: fixture.database, slug: "leuven", role: .viewer, email: "viewer@leuven.be")
        try await fixture.application.test(.router) { client in
            let browser = TestBrowser(client)
            try await browser.get("/sign-in")
            let link = try await fixture.linkPath(for: "viewer@leuven.be")
            fixture.clock.advance(by: 15 * 60 + 1)
            #expect(try await browser.get(link).status == .gone)
            let expired = try await browser.post(link)
            #expect(expired.status == .gone)
            #expect(browser.cookies["stedenband_session"] == nil)

            let unknown = "/sign-in/link/" + String(repeating: "A", count: 43)
            #expect(try await browser.get(unknown).status == .notFound)
            #expect(try await browser.post(unknown).status == .notFound)
            #expect(try await browser.get("/sign-in/link/short").status == .notFound)
            #expect(browser.cookies["stedenband_session"] == nil)
        }
    }

    @Test("links are limited per e-mail address (same answer, no mail) and per client address (429)")
    func rateLimits() async throws {
        try await TestSMTPServer.with { smtp in
            let limits = SignInLimits(
                perEmail: RateLimiter(rate: 0.0001, burst: 2), perClient: RateLimiter(rate: 0.0001, burst: 4))
            let fixture = try await PagesFixture.make("signinlimits", smtp: smtp, limits: limits)
            _ = try await TestTenant.create(
                in: fixture.database, slug: "roeselare", role: .admin, email: "a@roeselare.be")
            try await fixture.application.test(.router) { client in
                let browser = TestBrowser(client)
                try await browser.get("/sign-in")
                for _ in 0..<3 {
                    let answer = try await browser.post("/sign-in", form: ["email": "a@roeselare.be"])
                    #expect(answer.status == .seeOther && answer.location == "/sign-in/sent")
                }
                // The mails are handed over before the answer: two, not three.
                #expect(try smtp.messages().count == 2)
                #expect(try await browser.post("/sign-in", form: ["email": "b@roeselare.be"]).status == .seeOther)
                let refused = try await browser.post("/sign-in", form: ["email": "c@roeselare.be"])
                #expect(refused.status == .tooManyRequests)
                #expect(refused.headers[.retryAfter] != nil)
                #expect(refused.text.contains("<h1>"))
            }
        }
    }

    @Test("a POST without the CSRF token, with a wrong one, or from a foreign Origin is refused with a 403 page")
    func csrfAndOrigin() async throws {
        let fixture = try await PagesFixture.make("signincsrf", smtp: nil)
        let user = try await TestTenant.create(
            in: fixture.database, slug: "herent", role: .coordinator, email: "c@herent.be")
        try await fixture.application.test(.router) { client in
            let browser = TestBrowser(client)
            // Signed out: the sign-in form itself.
            try await browser.get("/sign-in")
            let bare = try await browser.post("/sign-in", form: ["email": "c@herent.be"], csrf: .some(nil))
            #expect(bare.status == .forbidden)
            #expect(bare.headers[.contentType]?.hasPrefix("text/html") == true && bare.text.contains("<h1>"))
            // A browser that lost its token cookie is refused, and gets one, so the next try from the page works.
            let fresh = TestBrowser(client)
            let cold = try await fresh.post("/sign-in", form: ["email": "c@herent.be"], csrf: "made-up")
            #expect(cold.status == .forbidden && fresh.cookies["stedenband_csrf"] == fresh.csrf)
            #expect(try await fresh.post("/sign-in", form: ["email": "c@herent.be"]).status == .seeOther)

            try await fixture.signIn(browser, as: "c@herent.be")
            try await browser.get("/settings")
            let missing = try await browser.post("/settings/sessions/end-all", csrf: .some(nil))
            let wrong = try await browser.post("/settings/sessions/end-all", csrf: "x" + (browser.csrf ?? ""))
            let foreign = try await browser.post(
                "/settings/sessions/end-all", headers: [.origin: "https://elsewhere.example"])
            let cross = try await browser.post(
                "/settings/sessions/end-all", headers: [HTTPField.Name("Sec-Fetch-Site")!: "cross-site"])
            for refused in [missing, wrong, foreign, cross] { #expect(refused.status == .forbidden) }
            // Nothing was ended.
            #expect(try await fixture.sessions(of: user.userID).allSatisfy { !$0.ended })
            #expect(try await browser.get("/settings").status == .ok)

            // A file upload's form (multipart) carries the token as a part: a wrong one is refused.
            func multipart(_ token: String) -> ByteBuffer {
                ByteBuffer(
                    string: "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n"
                        + "Content-Type: text/csv\r\n\r\ncsrf,title\r\n--XyZ\r\n"
                        + "Content-Disposition: form-data; name=\"csrf\"\r\n\r\n\(token)\r\n--XyZ--\r\n")
            }
            let cookie = browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
            let upload: HTTPFields = [.contentType: "multipart/form-data; boundary=XyZ", .cookie: cookie]
            let wrongPart = try await client.execute(
                uri: "/settings/sessions/end-all", method: .post, headers: upload, body: multipart("nope"))
            #expect(wrongPart.status == .forbidden)
            #expect(try await fixture.sessions(of: user.userID).allSatisfy { !$0.ended })

            // From this site's own origin, with the token: accepted.
            let ours = try await browser.post("/settings/sessions/end-all", headers: [.origin: "http://127.0.0.1:8080"])
            #expect(ours.status == .seeOther && ours.location == "/sign-in")
            // And as a multipart part.
            try await fixture.signIn(browser, as: "c@herent.be")
            try await browser.get("/settings")
            let token = try #require(browser.csrf)
            let jar = browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
            let rightPart = try await client.execute(
                uri: "/settings/sessions/end-all", method: .post,
                headers: [.contentType: "multipart/form-data; boundary=XyZ", .cookie: jar], body: multipart(token))
            #expect(
                rightPart.status == .seeOther && rightPart.headers[.location] == "/sign-in",
                "\(rightPart.status) \(String(buffer: rightPart.body).prefix(300))")
        }
    }

    @Test("next= leads only to a path on this site")
    func nextStaysOnSite() async throws {
        let fixture = try await PagesFixture.make("signinnext", smtp: nil)
        _ = try await TestTenant.create(in: fixture.database, slug: "herent", role: .viewer, email: "v@herent.be")
        try await fixture.application.test(.router) { client in
            for (next, expected) in [
                ("https://elsewhere.example/", "/"), ("//elsewhere.example/x", "/"), ("/\\elsewhere.example", "/"),
                ("javascript:alert(1)", "/"), ("/settings", "/settings"),
            ] {
                let browser = TestBrowser(client)
                let form = try await browser.get(
                    "/sign-in?next=" + next.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
                // The sign-in form carries a site path on, and drops anything else.
                #expect(form.text.contains(#"<input type="hidden" name="next" value="\#(next)">"#) == (expected != "/"))
                let link = try await fixture.linkPath(for: "v@herent.be", next: next)
                try await browser.get(link)
                let signedIn = try await browser.post(link)
                #expect(signedIn.location == expected, "next=\(next)")
            }
            // Signed out on a page that needs a session: sent to sign in, and back afterwards.
            let browser = TestBrowser(client)
            let away = try await browser.get("/settings")
            #expect(away.status == .seeOther && away.location == "/sign-in?next=/settings")
        }
    }

    @Test("the session cookie is HttpOnly, SameSite=Lax, Path=/; Secure and __Host- prefixed over https")
    func cookieFlags() async throws {
        for (publicURL, name, secure) in [
            ("http://127.0.0.1:8080", "stedenband_session", false),
            ("https://stedenband.example.org", "__Host-stedenband_session", true),
        ] {
            let fixture = try await PagesFixture.make("signincookie", smtp: nil, publicURL: publicURL)
            _ = try await TestTenant.create(in: fixture.database, slug: "herent", role: .viewer, email: "v@herent.be")
            try await fixture.application.test(.router) { client in
                let browser = TestBrowser(client)
                let link = try await fixture.linkPath(for: "v@herent.be")
                try await browser.get(link)
                let signedIn = try await browser.post(link)
                let cookie = try #require(signedIn.setCookies.first { $0.hasPrefix(name + "=") })
                let attributes = Set(
                    cookie.split(separator: ";").dropFirst().map { $0.trimmingCharacters(in: .whitespaces) })
                #expect(attributes.contains("HttpOnly") && attributes.contains("SameSite=Lax"))
                #expect(attributes.contains("Path=/") && !attributes.contains { $0.hasPrefix("Domain") })
                #expect(attributes.contains("Secure") == secure)
                #expect(try await browser.get("/settings").status == .ok)
            }
        }
    }

    @Test("a session ends after 12 idle hours, and at its absolute expiry however much it is used")
    func idleAndAbsoluteExpiry() async throws {
        let fixture = try await PagesFixture.make("signinexpiry", smtp: nil, maximumAge: .seconds(3 * 24 * 3600))
        _ = try await TestTenant.create(in: fixture.database, slug: "herent", role: .viewer, email: "v@herent.be")
        try await fixture.application.test(.router) { client in
            let idle = TestBrowser(client)
            try await fixture.signIn(idle, as: "v@herent.be")
            fixture.clock.advance(by: 11 * 3600)
            #expect(try await idle.get("/settings").status == .ok)
            fixture.clock.advance(by: 11 * 3600)
            #expect(try await idle.get("/settings").status == .ok)
            fixture.clock.advance(by: 12 * 3600 + 1)
            let ended = try await idle.get("/settings")
            #expect(ended.status == .seeOther && ended.location == "/sign-in?next=/settings")

            let busy = TestBrowser(client)
            try await fixture.signIn(busy, as: "v@herent.be")
            var hours = 0
            while hours + 10 < 72 {
                fixture.clock.advance(by: 10 * 3600)
                hours += 10
                #expect(try await busy.get("/settings").status == .ok, "after \(hours) hours")
            }
            fixture.clock.advance(by: 10 * 3600)
            #expect(try await busy.get("/settings").status == .seeOther)
        }
    }

    @Test("signing out ends the session on the server; signing out everywhere ends every one of the person's")
    func signOut() async throws {
        let fixture = try await PagesFixture.make("signinout", smtp: nil)
        let user = try await TestTenant.create(
            in: fixture.database, slug: "herent", role: .viewer, email: "v@herent.be")
        try await fixture.application.test(.router) { client in
            let browser = TestBrowser(client)
            try await fixture.signIn(browser, as: "v@herent.be")
            let stolen = try #require(browser.cookies["stedenband_session"])
            try await browser.get("/settings")
            let out = try await browser.post("/sign-out")
            #expect(out.status == .seeOther && out.location == "/sign-in")
            #expect(browser.cookies["stedenband_session"] == nil)
            // The old cookie, replayed, no longer works: the server ended it.
            browser.setCookie("stedenband_session", stolen)
            #expect(try await browser.get("/settings").status == .seeOther)
            #expect(try await fixture.sessions(of: user.userID).map(\.ended) == [true])

            let laptop = TestBrowser(client)
            let phone = TestBrowser(client, userAgent: "Mozilla/5.0 (Linux; Android 14) Chrome/131.0 Mobile")
            try await fixture.signIn(laptop, as: "v@herent.be")
            try await fixture.signIn(phone, as: "v@herent.be")
            let list = try await laptop.get("/settings")
            #expect(list.text.contains("Chrome · Android") && list.text.contains("Firefox · Linux"))
            let everywhere = try await laptop.post("/settings/sessions/end-all")
            #expect(everywhere.status == .seeOther && everywhere.location == "/sign-in")
            #expect(try await phone.get("/settings").status == .seeOther)
            #expect(try await laptop.get("/settings").status == .seeOther)
            #expect(try await fixture.sessions(of: user.userID).allSatisfy(\.ended))
        }
    }

    @Test("pages follow the contract: lang, main, h1, skip link, labelled e-mail field, locale switch, under 60 KB")
    func pageContract() async throws {
        let fixture = try await PagesFixture.make("signinpage", smtp: nil)
        let user = try await TestTenant.create(
            in: fixture.database, slug: "herent", role: .viewer, email: "v@herent.be")
        try await fixture.application.test(.router) { client in
            let browser = TestBrowser(client)
            let page = try await browser.get("/sign-in", headers: [.acceptLanguage: "fr-BE, nl;q=0.8"])
            let html = page.text
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(html.contains(#"<html lang="fr">"#) && html.contains("<main id=\"main\""))
            #expect(html.contains(##"<a class="skip-link" href="#main">"##) && html.contains("<h1>"))
            #expect(html.contains(#"<form method="post" action="/sign-in""#))
            #expect(html.contains(#"<label for="email">"#))
            #expect(html.contains(#"<input type="email" name="email" id="email" autocomplete="email""#))
            #expect(html.contains(#"<button type="submit""#))
            #expect(html.contains(#"<link rel="stylesheet" href="/assets/stedenband.css">"#))
            #expect(page.body.readableBytes < 60_000)
            let css = try await browser.get("/assets/stedenband.css")
            #expect(css.status == .ok && css.headers[.contentType]?.hasPrefix("text/css") == true)

            // An empty address: the error beside the field and in the summary; what was typed is kept.
            let typed = try await browser.post("/sign-in", form: ["email": "not an address"])
            #expect(typed.status == .unprocessableContent)
            #expect(typed.text.contains(#"class="error-summary""#) && typed.text.contains(##"href="#email""##))
            #expect(typed.text.contains(#"id="email-error""#) && typed.text.contains(#"value="not an address""#))

            // ?lang= for one page; the switch keeps a visitor's choice in a cookie, a person's in their settings.
            #expect(try await browser.get("/sign-in?lang=es").text.contains(#"<html lang="es">"#))
            let switched = try await browser.post("/language", form: ["lang": "nl", "next": "/sign-in?lang=es"])
            #expect(switched.status == .seeOther && switched.location == "/sign-in")
            #expect(try await browser.get("/sign-in").text.contains(#"<html lang="nl">"#))
            try await fixture.signIn(browser, as: "v@herent.be")
            try await browser.get("/settings")
            try await browser.post("/language", form: ["lang": "en", "next": "/settings"])
            let admin = try await fixture.database.connectAsAdmin()
            let locale = try await admin.query("SELECT locale FROM platform.users WHERE id = \(user.userID)")[0]
                .decode(String.self, column: 0)
            await admin.close()
            #expect(locale == "en")
            let settings = try await browser.get("/settings")
            #expect(settings.text.contains(#"<html lang="en">"#) && settings.text.contains(#"id="sign-out""#))

            // Settings: a time zone that does not exist is shown beside its field, kept, and nothing is saved.
            let bad = try await browser.post("/settings", form: ["locale": "fr", "timeZone": "Mars/Olympus"])
            #expect(bad.status == .unprocessableContent && bad.text.contains(#"value="Mars/Olympus""#))
            let good = try await browser.post("/settings", form: ["locale": "fr", "timeZone": "Africa/Dakar"])
            #expect(good.status == .seeOther && good.location == "/settings")
            #expect(try await browser.get("/settings").text.contains(#"value="Africa/Dakar""#))
        }
    }
}
