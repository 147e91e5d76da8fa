import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Postgres
import TestSupport
import Testing

@Suite("Lesson pages: the activity's 'What we learnt' and the forms that write, change and delete a lesson")
struct LessonPagesTests {
    /// Roeselare's coordinator, Dogbo's partner coordinator (who reads French) and a viewer, signed in by e-mail;
    /// Roeselare–Dogbo with an activity, and a second partnership the partner coordinator is no member of.
    struct Scene {
        var coordinator: TestTenant
        var partner: TestTenant
        var viewer: TestTenant
        var activity: String
        var otherActivity: String
    }

    static func scene(_ database: TestDatabase, _ client: some TestClientProtocol) async throws -> Scene {
        let coordinator = try await TestTenant.create(
            in: database, slug: "roeselare", role: .coordinator, email: "coordinator@roeselare.be")
        let partner = try await TestTenant.create(
            in: database, slug: "roeselare", role: .partnerCoordinator, email: "partner@roeselare.be")
        let viewer = try await TestTenant.create(
            in: database, slug: "roeselare", role: .viewer, email: "viewer@roeselare.be")
        _ = try await database.rows("UPDATE platform.users SET locale = 'fr' WHERE id = \(partner.userID)")
        var activities: [String] = []
        for (title, partnerName, member) in [("Roeselare–Dogbo", "Dogbo", true), ("Roeselare–Other", "Other", false)] {
            let partnership = try decode(
                Created.self,
                try await client.send(
                    .post, "/api/v1/partnerships", as: coordinator,
                    json: #"{"title": "\#(title)", "partner": {"name": "\#(partnerName)", "country": "BJ"}}"#)
            ).id
            if member {
                #expect(
                    try await client.send(
                        .post, "/api/v1/partnerships/\(partnership)/members", as: coordinator,
                        json: #"{"userId": "\#(partner.userID)", "role": "partner_coordinator"}"#
                    ).status == .created)
            }
            let activity = try decode(
                Created.self,
                try await client.send(
                    .post, "/api/v1/partnerships/\(partnership)/activities", as: coordinator,
                    json:
                        #"{"title": "Online exchange on crisis practice", "kind": "knowledge_exchange", "direction": "south_to_north"}"#
                )
            ).id
            activities.append(activity.uuidString.lowercased())
        }
        return Scene(
            coordinator: coordinator, partner: partner, viewer: viewer, activity: activities[0],
            otherActivity: activities[1])
    }

    /// Posts a form whose fields may repeat (the SDG targets' select), with the browser's cookies and the
    /// page's `csrf`, as a browser does.
    static func post(
        _ uri: String, _ fields: [(String, String)], browser: TestBrowser, _ client: some TestClientProtocol
    ) async throws -> TestResponse {
        func encode(_ text: String) -> String {
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
        }
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .userAgent: browser.userAgent]
        headers[.cookie] = browser.cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            .joined(separator: "; ")
        let body = (fields + [("csrf", browser.csrf ?? "")]).map { "\(encode($0.0))=\(encode($0.1))" }
            .joined(separator: "&")
        return try await client.executeRequest(
            uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    static func lesson(_ id: String, as user: TestTenant, _ client: some TestClientProtocol) async throws -> LessonJSON
    {
        try decodeLesson(LessonJSON.self, try await client.send(.get, "/api/v1/lessons/\(id)", as: user))
    }

    @Test("Dogbo's partner coordinator writes in French: the side fixed, refusals beside the field, 303 to the lesson")
    func partnerWritesInFrench() async throws {
        let fixture = try await LearningFixture.make("lessonpageswrite")
        let (environment, pool, database) = (fixture.environment, fixture.pool, fixture.database)
        try await Application(router: fixture.router).test(.router) { client in
            let scene = try await Self.scene(database, client)
            let browser = try await TestBrowser.signedIn(
                client, as: "partner@roeselare.be", environment: environment, pool: pool)
            let new = "/activities/\(scene.activity)/lessons/new"

            // The form in French; the side is Dogbo's, said in words, not offered as a choice.
            let form = try await browser.get(new)
            #expect(form.status == .ok)
            let page = String(buffer: form.body)
            #expect(page.contains("<h1>Écrire ce que vous avez appris</h1>"))
            #expect(page.contains(#"<p id="side-fixed">Dogbo (commune partenaire)</p>"#))
            #expect(page.contains(#"<input type="hidden" name="side" value="partner_municipality">"#))
            #expect(!page.contains(#"type="radio""#))
            #expect(page.contains(#"<option value="fr" lang="fr" selected>Français</option>"#))
            #expect(page.contains(#"<optgroup label="16. "#) && page.contains(#"multiple size="8""#))
            // Retired domains are not offered; open ones are, in French.
            #expect(page.contains(#">état civil</option>"#))
            #expect(!page.contains(#"name="shared""#) && !page.contains(#"name="published""#))

            // Nothing filled in: each message beside its field, in French, the summary linking to each; typed kept.
            let bare = try await Self.post(
                new,
                [("title", " "), ("body", "Gardé tel quel"), ("side", "partner_municipality"), ("language", "fr")],
                browser: browser, client)
            #expect(bare.status == .unprocessableContent)
            let bareHTML = String(buffer: bare.body)
            #expect(bareHTML.contains(#"<p class="error-message" id="title-error">Saisissez un titre"#))
            #expect(
                bareHTML.contains(
                    #"<p class="error-message" id="policyDomain-error">Choisissez un domaine"#))
            #expect(bareHTML.contains(##"<a href="#title">Saisissez un titre"##))
            #expect(bareHTML.contains(##"<a href="#policyDomain">"##))
            #expect(bareHTML.contains(">Gardé tel quel</textarea>"))
            #expect(!bareHTML.contains(#"id="body-error""#))

            // The Flemish side is not theirs: named beside the field, nothing written.
            let flemish = try await Self.post(
                new,
                [
                    ("title", "Ce que Roeselare a appris"), ("body", "Rien."), ("side", "flemish_municipality"),
                    ("language", "fr"), ("policyDomain", "civil_registry"),
                ], browser: browser, client)
            #expect(flemish.status == .forbidden)
            #expect(
                String(buffer: flemish.body).contains(
                    #"id="side-error">En tant que coordinateur partenaire, vous écrivez ce que Dogbo a appris"#))
            #expect(try await LessonsTests.lessonCount(database) == 0)

            // Another language's code that is no code: beside that field.
            let code = try await Self.post(
                new,
                [
                    ("title", "Leçon en fon"), ("body", "Texte"), ("side", "partner_municipality"),
                    ("language", "other"),
                    ("languageCode", "Fon1"), ("policyDomain", "civil_registry"),
                ], browser: browser, client)
            #expect(code.status == .unprocessableContent)
            let codeHTML = String(buffer: code.body)
            #expect(codeHTML.contains(#"id="languageCode-error">Saisissez le code de la langue"#))
            #expect(
                codeHTML.contains(#"<option value="other" lang="fr" selected>"#) && codeHTML.contains(#"value="Fon1""#))

            // Written: 303 to the activity at the lesson, with what was typed, two SDG targets, the themes.
            let written = try await Self.post(
                new,
                [
                    ("title", "L'acte de naissance numérique"),
                    ("body", "Les registres en ligne ont tenu.\nMême dans les villages."),
                    ("side", "partner_municipality"), ("language", "fr"), ("policyDomain", "civil_registry"),
                    ("themes", "covid-19, etat-civil"), ("sdgTargets", "16.9"), ("sdgTargets", "17.17"),
                ], browser: browser, client)
            #expect(written.status == .seeOther)
            let location = try #require(written.headers[.location])
            #expect(location.hasPrefix("/activities/\(scene.activity)#lesson-"))
            let id = String(location.split(separator: "#lesson-")[1])
            let saved = try await Self.lesson(id, as: scene.coordinator, client)
            #expect(saved.title == "L'acte de naissance numérique" && saved.side == "partner_municipality")
            #expect(saved.body == "Les registres en ligne ont tenu.\nMême dans les villages.")
            #expect(saved.themes == ["covid-19", "etat-civil"] && saved.sdgTargets == ["16.9", "17.17"])
            #expect(saved.language == "fr" && saved.policyDomain == "civil_registry")
            #expect(saved.contactRole == "partner_coordinator" && saved.writtenBy == scene.partner.userID)
            #expect(!saved.shared && !saved.published)

            // Another language by its code.
            let fon = try await Self.post(
                new,
                [
                    ("title", "Leçon en fon"), ("body", "Texte en fon"), ("side", "partner_municipality"),
                    ("language", "other"),
                    ("languageCode", "fon"), ("policyDomain", "other"),
                ], browser: browser, client)
            #expect(fon.status == .seeOther)
            let fonID = String(try #require(fon.headers[.location]).split(separator: "#lesson-")[1])
            #expect(try await Self.lesson(fonID, as: scene.coordinator, client).language == "fon")
            let fonForm = String(buffer: try await browser.get("/lessons/\(fonID)/edit").body)
            #expect(
                fonForm.contains(#"<option value="other" lang="fr" selected>"#) && fonForm.contains(#"value="fon""#))

            // The activity's page in French: both lists by name, the lesson in its language, its links.
            let activity = String(buffer: try await browser.get("/activities/\(scene.activity)").body)
            #expect(activity.contains(#"<h2 id="lessons-heading">Ce que nous avons appris</h2>"#))
            #expect(activity.contains(#"<h3 id="lessons-flemish_municipality">Ce que Roeselare a appris</h3>"#))
            #expect(activity.contains(#"<h3 id="lessons-partner_municipality">Ce que Dogbo a appris</h3>"#))
            #expect(activity.contains(#"<li id="lesson-\#(id)">"#))
            #expect(activity.contains(#"<div class="update-body" lang="fr">Les registres en ligne ont tenu."#))
            #expect(
                activity.contains(
                    "\u{00A0}: état civil · Thèmes\u{00A0}: covid-19, etat-civil · Cibles ODD\u{00A0}: 16.9, 17.17</p>")
            )
            #expect(
                activity.contains(#"href="/lessons/\#(id)/edit""#)
                    && activity.contains(#"href="/lessons/\#(id)/delete""#))
            #expect(activity.contains(#"<a href="/activities/\#(scene.activity)/lessons/new" id="write-lesson">"#))
            // Results' section (none here) and the lessons come after the activity's facts; Roeselare's list is
            // empty and says so.
            #expect(activity.contains("est encore écrit.</p>"))
            // The list follows the order: Roeselare's, then Dogbo's.
            let flemishAt = try #require(activity.range(of: "lessons-flemish_municipality"))
            let partnerAt = try #require(activity.range(of: "lessons-partner_municipality"))
            #expect(flemishAt.lowerBound < partnerAt.lowerBound)
        }
    }

    @Test("a coordinator shares and publishes on the edit form; stale versions, refusals, 403 and 404 pages")
    func coordinatorSharesAndOthersMayNot() async throws {
        let fixture = try await LearningFixture.make("lessonpagesedit")
        let (environment, pool, database) = (fixture.environment, fixture.pool, fixture.database)
        try await Application(router: fixture.router).test(.router) { client in
            let scene = try await Self.scene(database, client)
            let leuven = try await TestTenant.create(
                in: database, slug: "leuven", role: .coordinator, email: "coordinator@leuven.be")
            // Dogbo's lesson, written by its partner coordinator; one on another partnership's activity.
            let dogbo = try decodeLesson(
                LessonJSON.self,
                try await client.send(
                    .post, "/api/v1/activities/\(scene.activity)/lessons", as: scene.partner, json: LessonsTests.dogbo)
            ).id.uuidString.lowercased()
            let elsewhere = try decodeLesson(
                LessonJSON.self,
                try await client.send(
                    .post, "/api/v1/activities/\(scene.otherActivity)/lessons", as: scene.coordinator,
                    json: LessonsTests.roeselare)
            ).id.uuidString.lowercased()
            let browser = try await TestBrowser.signedIn(
                client, as: "coordinator@roeselare.be", environment: environment, pool: pool)

            // A coordinator's own lesson: the side is a choice; none chosen is said beside it, in Dutch.
            let new = "/activities/\(scene.activity)/lessons/new"
            let newForm = String(buffer: try await browser.get(new).body)
            #expect(newForm.contains(#"<label for="side-flemish_municipality">Roeselare (Vlaamse gemeente)</label>"#))
            #expect(newForm.contains(#"<label for="side-partner_municipality">Dogbo (partnergemeente)</label>"#))
            let sideless = try await browser.post(
                new,
                form: [
                    "title": "Digitale aangifte", "body": "Tekst", "language": "nl", "policyDomain": "civil_registry",
                ])
            #expect(sideless.status == .unprocessableContent)
            #expect(String(buffer: sideless.body).contains(#"id="side-error">Kies wie leerde</p>"#))

            // Dogbo's words are shown, not offered; the tags and the two choices are.
            let edit = "/lessons/\(dogbo)/edit"
            let editForm = String(buffer: try await browser.get(edit).body)
            #expect(editForm.contains(#"id="partner-words""#) && !editForm.contains(#"name="title""#))
            #expect(!editForm.contains(#"name="body""#) && !editForm.contains(#"name="side""#))
            #expect(editForm.contains(#"<input type="checkbox" id="shared" name="shared" value="yes""#))
            #expect(editForm.contains("Delen met de andere gemeenten") && editForm.contains("Publiceren op de etalage"))
            #expect(editForm.contains(#"<option value="16.9" selected>"#))
            #expect(editForm.contains(#"<input type="hidden" name="version" value="1">"#))

            // Published without shared: refused beside the box, in Dutch; nothing changed.
            let halfway = try await Self.post(
                edit,
                [
                    ("version", "1"), ("policyDomain", "civil_registry"), ("themes", "covid-19"),
                    ("sdgTargets", "16.9"), ("published", "yes"),
                ], browser: browser, client)
            #expect(halfway.status == .unprocessableContent)
            #expect(
                String(buffer: halfway.body).contains(#"id="published-error">Een gepubliceerde les is ook gedeeld"#))
            #expect(try await Self.lesson(dogbo, as: scene.coordinator, client).version == 1)

            // Shared, and retagged: 303 to the lesson; the library has it at once.
            let shared = try await Self.post(
                edit,
                [
                    ("version", "1"), ("policyDomain", "civil_registry"), ("themes", "covid-19, registres"),
                    ("sdgTargets", "16.9"), ("shared", "yes"),
                ], browser: browser, client)
            #expect(shared.status == .seeOther)
            #expect(shared.headers[.location] == "/activities/\(scene.activity)#lesson-\(dogbo)")
            let after = try await Self.lesson(dogbo, as: scene.coordinator, client)
            #expect(after.shared && !after.published && after.themes == ["covid-19", "registres"])
            #expect(after.title == "L'acte de naissance numérique" && after.language == "fr")
            #expect(
                try await client.send(.get, "/api/v1/library/lessons/\(dogbo)", as: leuven).status == .ok)

            // The form opened at version 1 is stale now: nothing saved, what was typed kept, the current version.
            let stale = try await Self.post(
                edit,
                [("version", "1"), ("policyDomain", "water"), ("themes", "water"), ("shared", "yes")],
                browser: browser, client)
            #expect(stale.status == .conflict)
            let staleHTML = String(buffer: stale.body)
            #expect(staleHTML.contains(#"id="stale""#) && staleHTML.contains(#"name="themes" value="water""#))
            #expect(staleHTML.contains(#"<input type="hidden" name="version" value="\#(after.version)">"#))
            #expect(try await Self.lesson(dogbo, as: scene.coordinator, client).policyDomain == "civil_registry")

            // The activity's page shows the tag.
            let activity = String(buffer: try await browser.get("/activities/\(scene.activity)").body)
            #expect(activity.contains("<strong>Gedeeld met de andere gemeenten</strong>"))
            #expect(activity.contains(#"<h3 id="lessons-partner_municipality">Wat Dogbo leerde</h3>"#))

            // A viewer reads, and may not write or change: 403 pages, no links.
            let viewer = try await TestBrowser.signedIn(
                client, as: "viewer@roeselare.be", environment: environment, pool: pool)
            let read = String(buffer: try await viewer.get("/activities/\(scene.activity)").body)
            #expect(read.contains(#"<li id="lesson-\#(dogbo)">"#))
            #expect(!read.contains("/lessons/\(dogbo)/edit") && !read.contains("write-lesson"))
            let refused = try await viewer.get(new)
            #expect(refused.status == .forbidden && String(buffer: refused.body).contains("<html lang=\"nl\""))
            #expect(try await viewer.get(edit).status == .forbidden)
            #expect(try await viewer.post(edit, form: ["version": "2", "themes": "x"]).status == .forbidden)
            #expect(try await viewer.get("/lessons/\(dogbo)/delete").status == .forbidden)

            // Dogbo's partner coordinator: no share or publish boxes; nothing of the other partnership (404);
            // not Roeselare's lessons to change (403).
            let partner = try await TestTenant.signedIn(client, "partner@roeselare.be", environment, pool)
            let partnerForm = String(buffer: try await partner.get(edit).body)
            #expect(partnerForm.contains(#"name="title""#) && !partnerForm.contains(#"name="shared""#))
            #expect(try await partner.get("/activities/\(scene.otherActivity)/lessons/new").status == .notFound)
            #expect(try await partner.get("/lessons/\(elsewhere)/edit").status == .notFound)
            #expect(try await partner.post("/lessons/\(elsewhere)/delete").status == .notFound)
            let otherPage = try await partner.get("/activities/\(scene.otherActivity)")
            #expect(otherPage.status == .notFound && !String(buffer: otherPage.body).contains("Digitale"))
            let own = try decodeLesson(
                LessonJSON.self,
                try await client.send(
                    .post, "/api/v1/activities/\(scene.activity)/lessons", as: scene.coordinator,
                    json: LessonsTests.roeselare)
            ).id.uuidString.lowercased()
            #expect(try await partner.get("/lessons/\(own)/edit").status == .forbidden)
            // On the activity's page they read Roeselare's lesson, without links to change it; Dogbo's has them.
            let partnerPage = String(buffer: try await partner.get("/activities/\(scene.activity)").body)
            #expect(partnerPage.contains(#"<li id="lesson-\#(own)">"#) && !partnerPage.contains("/lessons/\(own)/edit"))
            #expect(partnerPage.contains(#"href="/lessons/\#(dogbo)/edit""#))

            // Another municipality: 404 on every form.
            let stranger = try await TestTenant.signedIn(client, "coordinator@leuven.be", environment, pool)
            #expect(try await stranger.get(edit).status == .notFound)
            #expect(try await stranger.get(new).status == .notFound)
            #expect(try await stranger.get("/lessons/\(dogbo)/delete").status == .notFound)

            // A form without its token is refused, as every page's POST is; nothing is written, the lesson stays.
            let before = try await LessonsTests.lessonCount(database)
            let forged = try await browser.post(
                new,
                form: [
                    "title": "Vervalst", "body": "Tekst", "side": "flemish_municipality", "language": "nl",
                    "policyDomain": "civil_registry",
                ], csrf: .some(nil))
            #expect(forged.status == .forbidden)
            #expect(try await LessonsTests.lessonCount(database) == before)
            #expect(try await browser.post("/lessons/\(own)/delete", csrf: .some(nil)).status == .forbidden)
            #expect(try await client.send(.get, "/api/v1/lessons/\(own)", as: scene.coordinator).status == .ok)

            // Deleting: the question, then back to the lessons; gone from the API.
            let question = String(buffer: try await browser.get("/lessons/\(own)/delete").body)
            #expect(question.contains("<h1>“Digitale geboorteaangifte” verwijderen?</h1>"))
            let deleted = try await browser.post("/lessons/\(own)/delete")
            #expect(deleted.status == .seeOther)
            #expect(deleted.headers[.location] == "/activities/\(scene.activity)#lessons-heading")
            #expect(try await client.send(.get, "/api/v1/lessons/\(own)", as: scene.coordinator).status == .notFound)
        }
    }
}

extension TestTenant {
    /// A browser signed in as `email`.
    static func signedIn(
        _ client: some TestClientProtocol, _ email: String, _ environment: GatewayEnvironment,
        _ pool: PostgresConnectionPool
    ) async throws -> TestBrowser {
        try await TestBrowser.signedIn(client, as: email, environment: environment, pool: pool)
    }
}
