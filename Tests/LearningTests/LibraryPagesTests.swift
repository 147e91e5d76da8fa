import Foundation
import Gateway
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@Suite("/library: the practice library's pages, in the person's language")
struct LibraryPagesTests {
    @Test("Leuven's coordinator finds Dogbo's French lesson in Dutch with 'burgerlijke stand', and opens it whole")
    func searchesInDutch() async throws {
        let (shelf, fixture) = try await Shelf.make("librarypages")
        let dogbo = try await shelf.lesson(
            LibraryTests.dogboLesson,
            body:
                "À Dogbo, la mairie enregistre les naissances sur une tablette.\nLe registre est sauvegardé chaque soir.",
            by: shelf.roeselare, themes: ["covid-19"], targets: ["16.9"], sharedMinutesAgo: 2)
        let unshared = try await shelf.lesson(
            "Geheime les over de burgerlijke stand", body: "Niet gedeeld.", by: shelf.roeselare)
        let leuven = try await TestTenant.create(
            in: shelf.database, slug: "leuven", role: .coordinator, email: "coordinator@leuven.be")
        let (environment, pool) = (fixture.environment, fixture.pool)
        try await Application(router: fixture.router).test(.router) { client in
            let browser = try await TestBrowser.signedIn(
                client, as: "coordinator@leuven.be", environment: environment, pool: pool)
            _ = leuven
            let page = try await browser.get("/library?q=burgerlijke+stand")
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            #expect(html.contains("Bibliotheek van lessen"))
            // The header's navigation leads here, marked as the current page.
            #expect(html.contains(#"<li><a href="/library" aria-current="page">Bibliotheek</a></li>"#))
            #expect(html.contains(#"<a href="/library/lessons/\#(dogbo.uuidString.lowercased())">"#))
            #expect(
                html.contains("L&#39;acte de naissance numérique") || html.contains("L'acte de naissance numérique"))
            // Roeselare, the partnership and Benin in Dutch; who learnt it by name; the domain in Dutch; the role.
            #expect(html.contains("Roeselare · Roeselare–Dogbo (Benin) · Geleerd door Dogbo · burgerlijke stand"))
            #expect(html.contains("Vraag het aan de partnercoördinator van Roeselare–Dogbo (Roeselare)"))
            #expect(!html.contains("Geheime les") && !html.contains("@roeselare.be"))
            #expect(html.contains(#"lang="fr""#))

            // The whole lesson, each paragraph; an unshared one is not there.
            let lesson = try await browser.get("/library/lessons/\(dogbo)")
            #expect(lesson.status == .ok)
            let whole = String(buffer: lesson.body)
            #expect(whole.contains("<p>Le registre est sauvegardé chaque soir.</p>"))
            #expect(whole.contains("Online exchange on crisis practice") && whole.contains("16.9"))
            #expect(try await browser.get("/library/lessons/\(unshared)").status == .notFound)

            // Nothing found says which filters were used; a wrong filter is named beside its field, what was typed
            // kept, in Dutch.
            let none = String(buffer: try await browser.get("/library?q=fiets&side=partner_municipality").body)
            #expect(none.contains("Geen gedeelde les voldoet aan: fiets · partnergemeente."))
            let wrong = try await browser.get("/library?q=registre&sdgTarget=99.9")
            #expect(wrong.status == .unprocessableContent)
            let refused = String(buffer: wrong.body)
            #expect(
                refused.contains(#"<p class="error-message" id="sdgTarget-error">Geef een SDG-subdoel zoals 16.9</p>"#))
            #expect(refused.contains(##"<a href="#sdgTarget">Geef een SDG-subdoel zoals 16.9</a>"##))
            #expect(refused.contains(#"value="99.9""#) && refused.contains(#"value="registre""#))
        }
    }

    @Test("a visitor is sent to sign in; the next page keeps the search")
    func pagesAndSignIn() async throws {
        let (shelf, fixture) = try await Shelf.make("librarynext")
        for minutes in 1...3 {
            try await shelf.lesson("Les \(minutes)", body: "Tekst", by: shelf.roeselare, sharedMinutesAgo: minutes)
        }
        _ = try await TestTenant.create(
            in: shelf.database, slug: "leuven", role: .viewer, email: "viewer@leuven.be")
        let (environment, pool) = (fixture.environment, fixture.pool)
        try await Application(router: fixture.router).test(.router) { client in
            let visitor = try await client.execute(uri: "/library", method: .get)
            #expect(visitor.status == .seeOther)
            #expect(visitor.headers[.location]?.hasPrefix("/sign-in") == true)
            let browser = try await TestBrowser.signedIn(
                client, as: "viewer@leuven.be", environment: environment, pool: pool)
            let first = String(buffer: try await browser.get("/library?q=les&limit=2").body)
            #expect(first.contains("Les 1") && first.contains("Les 2") && !first.contains("Les 3"))
            let next = try #require(
                first.firstMatch(of: #/href="/library(\?q=les&amp;cursor=[^"]+)" id="library-next"/#)?.output.1)
            let second = String(
                buffer: try await browser.get("/library" + next.replacingOccurrences(of: "&amp;", with: "&")).body)
            #expect(second.contains("Les 3") && !second.contains("Les 1"))
        }
    }
}
