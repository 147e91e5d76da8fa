import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Postgres
import TestSupport
import Testing

/// Issue 18's "Done when", on the whole server against the real database: Dogbo's partner coordinator writes
/// what Dogbo learnt about digital birth registration, on the lesson form in French; Roeselare's coordinator
/// shares it and publishes it and the partnership; a coordinator in Leuven finds it in the library, in Dutch, by
/// "registre" and by "burgerlijke stand", and Leuven's own unshared lesson stays home; anyone opens
/// Roeselare–Dogbo's showcase page without signing in; the platform administrator downloads the 2020 COVID-19
/// annex.
@Suite("Issue 18, done when: a partner's lesson, shared, found in Leuven, on the showcase and in the annex")
struct LearningDoneWhenTests {
    static let lessonTitle = "L'acte de naissance numérique"

    @Test(
        "Dogbo writes in French, Roeselare shares and publishes, Leuven finds it in Dutch, the showcase and the annex show it"
    )
    func walk() async throws {
        let server = try await WholeServer.make("learningdonewhen")
        let database = server.database
        let roeselare = try await TestTenant.create(
            in: database, slug: "roeselare", role: .coordinator, email: "coordinator@roeselare.be")
        let dogbo = try await TestTenant.create(
            in: database, slug: "roeselare", role: .partnerCoordinator, email: "etat-civil@dogbo.bj")
        let leuven = try await TestTenant.create(
            in: database, slug: "leuven", role: .coordinator, email: "coordinator@leuven.be")
        let platform = try await TestPlatformAdmin.create(in: database)
        let (environment, pool) = (server.environment, server.pool)

        let ids = try await Application(router: server.router).test(.router) { client in
            let partnership = try decode(
                Created.self,
                try await client.send(
                    .post, "/api/v1/partnerships", as: roeselare,
                    json: #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}}"#)
            ).id
            let added = try await client.send(
                .post, "/api/v1/partnerships/\(partnership)/members", as: roeselare,
                json: #"{"userId": "\#(dogbo.userID)", "role": "partner_coordinator"}"#)
            #expect(added.status == .created)
            let activity = try decode(
                Created.self,
                try await client.send(
                    .post, "/api/v1/partnerships/\(partnership)/activities", as: roeselare,
                    json: #"""
                        {"title": "Online exchange on crisis practice", "kind": "knowledge_exchange",
                         "direction": "south_to_north", "status": "completed", "startsOn": "2020-05-14",
                         "endsOn": "2020-05-14", "themes": ["covid-19", "online"], "sdgTargets": ["16.9"],
                         "participants": 24}
                        """#)
            ).id
            // Leuven keeps a lesson of its own, unshared: nobody in Roeselare may find it.
            let kpomasse = try decode(
                Created.self,
                try await client.send(
                    .post, "/api/v1/partnerships", as: leuven,
                    json: #"{"title": "Leuven–Kpomassè", "partner": {"name": "Kpomassè", "country": "BJ"}}"#)
            ).id
            let market = try decode(
                Created.self,
                try await client.send(
                    .post, "/api/v1/partnerships/\(kpomasse)/activities", as: leuven,
                    json: #"{"title": "Marktdag", "kind": "knowledge_exchange", "direction": "mutual"}"#)
            ).id
            let leuvens = try await client.send(
                .post, "/api/v1/activities/\(market)/lessons", as: leuven,
                json: #"""
                    {"title": "Registre van de markt", "body": "Wat Leuven leerde over het marktregister.",
                     "side": "flemish_municipality", "policyDomain": "civil_registry", "language": "nl"}
                    """#)
            #expect(leuvens.status == .created)

            // Dogbo's partner coordinator writes the lesson on the form, in French.
            let phone = try await TestBrowser.signedIn(
                client, as: "etat-civil@dogbo.bj", environment: environment, pool: pool)
            try await phone.get("/")
            let switched = try await phone.post("/language", form: ["lang": "fr", "next": "/"])
            #expect(switched.status == .seeOther)
            let form = String(buffer: try await phone.get("/activities/\(activity)/lessons/new").body)
            #expect(form.contains(#"<html lang="fr""#) && form.contains("Dogbo (commune partenaire)"))
            let written = try await phone.post(
                "/activities/\(activity)/lessons/new",
                form: [
                    "title": Self.lessonTitle,
                    "body":
                        "Avec Roeselare, nous avons vu comment un registre en ligne garde les actes de naissance quand les bureaux ferment.",
                    "side": "partner_municipality", "language": "fr", "policyDomain": "civil_registry",
                    "themes": "covid-19, online",
                ])
            #expect(written.status == .seeOther, "\(written.status): \(String(buffer: written.body))")
            let lessons = try await database.rows(
                "SELECT id, author_role FROM learning.lessons WHERE title = \(Self.lessonTitle)")
            #expect(lessons.count == 1)
            let lesson = try #require(lessons.first).decode((UUID, String).self)
            #expect(lesson.1 == "partner_coordinator")
            // Roeselare's coordinator shares and publishes it, and publishes the partnership with its story.
            let shared = try await client.send(
                .patch, "/api/v1/lessons/\(lesson.0)", as: roeselare, json: #"{"shared": true, "published": true}"#)
            #expect(shared.status == .ok)
            let published = try await client.send(
                .patch, "/api/v1/partnerships/\(partnership)", as: roeselare,
                json: #"{"published": true, "story": "Sinds 2010 leren Roeselare en Dogbo van elkaar."}"#)
            #expect(published.status == .ok)
            return (lesson: lesson.0, leuvens: try decode(Created.self, leuvens).id)
        }
        try await server.workers.drain()

        try await Application(router: server.router).test(.router) { client in
            // A coordinator in Leuven, in Dutch, finds it by "registre" and by "burgerlijke stand": Roeselare,
            // the partnership, Benin and the role to ask, never a person.
            let desk = try await TestBrowser.signedIn(
                client, as: "coordinator@leuven.be", environment: environment, pool: pool)
            for words in ["registre", "burgerlijke+stand"] {
                let page = String(buffer: try await desk.get("/library?q=\(words)&lang=nl").body)
                #expect(page.contains("acte de naissance numérique"), "\(words)")
                #expect(page.contains("Roeselare–Dogbo") && page.contains("Benin"), "\(words)")
                #expect(!page.contains("etat-civil@dogbo.bj") && !page.contains("coordinator@roeselare.be"))
                let found = try await client.send(.get, "/api/v1/library/lessons?q=\(words)", as: leuven)
                let items = try #require(
                    (try JSONSerialization.jsonObject(with: Data(found.body.readableBytesView)) as? [String: Any])?[
                        "items"] as? [[String: Any]])
                #expect(items.compactMap { $0["id"] as? String } == [ids.lesson.uuidString.lowercased()], "\(words)")
                #expect((items.first?["contactRole"] as? String) == "partner_coordinator")
            }
            // Leuven's unshared lesson is found by nobody in Roeselare, by no route.
            let roeselareDesk = try await client.send(
                .get, "/api/v1/library/lessons?q=registre", as: roeselare)
            #expect(!String(buffer: roeselareDesk.body).contains("Registre van de markt"))
            for path in ["/api/v1/library/lessons/\(ids.leuvens)", "/api/v1/lessons/\(ids.leuvens)"] {
                #expect(try await client.send(.get, path, as: roeselare).status == .notFound, "\(path)")
            }

            // Anyone opens Roeselare–Dogbo's showcase page without signing in, and may keep it.
            let showcase = try await client.execute(uri: "/showcase/roeselare/dogbo", method: .get)
            #expect(showcase.status == .ok && showcase.headers[.setCookie] == nil)
            let html = String(buffer: showcase.body)
            #expect(html.contains("What Dogbo learnt") && html.contains("acte de naissance numérique"))
            #expect(html.contains(#"id="lesson-\#(ids.lesson.uuidString.lowercased())""#))
            let etag = try #require(showcase.headers[.eTag])
            let again = try await client.execute(
                uri: "/showcase/roeselare/dogbo", method: .get, headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified)

            // The platform administrator downloads the 2020 COVID-19 annex: JSON, CSV and the page to print.
            let base = "/api/v1/platform/reports/examples?theme=covid-19&year=2020"
            let json = String(buffer: try await client.execute(uri: base, method: .get, headers: platform).body)
                .replacingOccurrences(of: #"\/"#, with: "/")
            #expect(json.contains("acte de naissance num") && json.contains("Online exchange on crisis practice"))
            #expect(json.contains("/showcase/roeselare/dogbo") && !json.contains("Registre van de markt"))
            let csv = try await client.execute(uri: base + "&format=csv", method: .get, headers: platform)
            #expect(csv.status == .ok && String(buffer: csv.body).contains("partner_municipality"))
            let printable = try await client.execute(uri: base + "&format=html", method: .get, headers: platform)
            #expect(printable.status == .ok && String(buffer: printable.body).contains("Roeselare–Dogbo"))
            // No one else downloads it.
            #expect(try await client.send(.get, base, as: roeselare).status == .notFound)
        }
        await server.pool.close()
    }
}
