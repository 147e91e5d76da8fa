import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OpenIDConnect
import Synchronization
import Testing

extension OIDCSignInFlowTests {
    @Test("each failure is a page inside the layout, in the person's language, with a way back and no detail")
    func failurePagesAreInTheLayout() async throws {
        let world = try await Self.world.get()
        try await withApp(world) { client, sessions, _ in
            /// The callback's page for `path`, with `headers`.
            func page(_ path: String, _ headers: HTTPFields) async throws -> (HTTPResponse.Status, String, [String]) {
                try await client.execute(uri: path, method: .get, headers: headers) { response in
                    (response.status, String(buffer: response.body), response.headers[values: .setCookie])
                }
            }
            func inLayout(_ html: String, lang: String, _ note: String) {
                #expect(html.contains("<html lang=\"\(lang)\">"), "\(note)")
                #expect(html.contains("class=\"site-header\"") && html.contains("<main id=\"main\""), "\(note)")
                #expect(html.contains("class=\"locale-switch\"") && html.contains("name=\"csrf\""), "\(note)")
                #expect(html.components(separatedBy: "<h1>").count == 2, "one h1: \(note)")
                #expect(html.contains("<p><a href=\"/sign-in\">"), "the way back: \(note)")
            }

            // Cancelled at the provider: its own words, 403, in the language the browser asks for.
            var started = try await start(client)
            var (status, html, cookies) = try await page(
                "/sign-in/oidc/a-town/callback?error=access_denied&state=\(started.state)",
                [.cookie: started.cookie, .acceptLanguage: "fr-BE, fr;q=0.9"])
            #expect(status == .forbidden)
            inLayout(html, lang: "fr", "cancelled")
            #expect(html.contains("Connexion annulée"))
            #expect(!html.contains("access_denied"), "the provider's code goes to the log only")
            #expect(cookies.contains { $0.hasPrefix("stedenband_csrf=") }, "the locale switch's token")
            #expect(cookies.contains { $0.hasPrefix("stedenband_oidc=;") }, "the attempt's cookie goes")

            // A forged state: 400; the visitor's language cookie wins over the municipality's language.
            started = try await start(client)
            (status, html, _) = try await page(
                "/sign-in/oidc/a-town/callback?code=abc&state=forged-state-value",
                [.cookie: started.cookie + "; stedenband_lang=es"])
            #expect(status == .badRequest)
            inLayout(html, lang: "es", "forged state")
            #expect(html.contains("Inicio de sesión caducado") && !html.contains("forged-state-value"))

            // An address this municipality does not know: 403, in the municipality's language (no other hint).
            started = try await start(client)
            let back = try await world.provider.authorize(started.location, as: "dave")
            (status, html, _) = try await page(Self.sitePart(of: back), [.cookie: started.cookie])
            #expect(status == .forbidden)
            inLayout(html, lang: "nl", "unknown address")
            #expect(html.contains("Geen account gevonden") && !html.contains("dave"))

            // An unknown municipality: 404, in English when nothing says otherwise.
            (status, html, _) = try await page("/sign-in/oidc/nowhere", [.acceptLanguage: "de"])
            #expect(status == .notFound)
            inLayout(html, lang: "en", "unknown municipality")
            #expect(sessions.started.withLock { $0 }.isEmpty)
        }
    }
}

extension OIDCSignInFlowTests {
    @Test("a cancel whose redirect lost its state (some providers drop it) still says the person cancelled")
    func cancelWithoutState() async throws {
        let world = try await Self.world.get()
        try await withApp(world) { client, sessions, _ in
            let started = try await start(client)
            let (status, page, _) = try await callback(
                client, "/sign-in/oidc/a-town/callback?error=access_denied", cookie: started.cookie)
            #expect(status == .forbidden)
            #expect(page.contains("Aanmelden geannuleerd"), "the municipality's language")
            #expect(sessions.started.withLock { $0 }.isEmpty)
        }
    }
}
