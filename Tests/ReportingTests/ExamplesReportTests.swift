import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LearningContracts
import Messaging
import NIOCore
import Postgres
import TestSupport
import Testing
import Vocabulary

@testable import Reporting

/// The annex of examples (`GET /api/v1/platform/reports/examples`, `/platform/examples`): the association's
/// platform administrator downloads the 2020 COVID-19 annex — published partnerships, their matching activities
/// and published lessons, and nothing else — as JSON, CSV and a printable page; nobody else reaches it.
@Suite("The annex of examples")
struct ExamplesReportTests {
    /// What the scenario made: the ids the tests publish lessons on.
    struct Scene {
        var roeselare: TestTenant
        var admin: TestTenant
        var partner: TestTenant
        var dogbo: String
        var crisis: UUID
        var handwashing: UUID
        var later: UUID
        var water: UUID
        var para: String
        var secret: UUID
    }

    /// Roeselare with Dogbo (published; activities of 2020 on COVID-19, of 2021 on COVID-19, of 2020 on water)
    /// and Para (never published; a 2020 COVID-19 activity), Leuven with a published partnership whose only
    /// activity is of 2019 on water. Lessons: on the crisis exchange a published one (Dogbo's side, French), an
    /// unpublished one and a shared-only one; a published one on the handwashing, one on the 2021 activity and
    /// one on Para's activity.
    static func scene(_ fixture: ReportingFixture) async throws -> Scene {
        let roeselare = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        let admin = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .admin)
        let partner = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .partnerCoordinator)
        let leuven = try await TestTenant.create(in: fixture.database, slug: "leuven", role: .coordinator)
        let ids = try await Application(router: fixture.router).test(.router) { client in
            var ids: [String: String] = [:]
            func partnership(_ user: TestTenant, _ title: String, _ partner: String, _ country: String) async throws
                -> String
            {
                let created = try object(
                    try await client.send(
                        .post, "/api/v1/partnerships", as: user,
                        json:
                            #"{"title": "\#(title)", "partner": {"name": "\#(partner)", "country": "\#(country)"}, "description": "Intern: budgetoverleg"}"#
                    ))
                return try #require(created["id"] as? String)
            }
            func activity(_ user: TestTenant, _ partnership: String, _ body: String) async throws -> String {
                let created = try object(
                    try await client.send(
                        .post, "/api/v1/partnerships/\(partnership)/activities", as: user, json: body))
                return try #require(created["id"] as? String)
            }
            let dogbo = try await partnership(roeselare, "Roeselare–Dogbo", "Dogbo", "BJ")
            ids["dogbo"] = dogbo
            ids["crisis"] = try await activity(
                roeselare, dogbo,
                #"{"title": "Online exchange on crisis practice", "kind": "knowledge_exchange", "direction": "south_to_north", "themes": ["covid-19"], "startsOn": "2020-05-14", "sdgTargets": ["16.9", "3.8"], "participants": 40}"#
            )
            // A title a spreadsheet would run as a formula: the CSV must make it text.
            ids["handwashing"] = try await activity(
                roeselare, dogbo,
                #"{"title": "=1+2 handwashing", "kind": "emergency_support", "direction": "north_to_south", "themes": ["covid-19"], "startsOn": "2020-04-01", "endsOn": "2020-06-30"}"#
            )
            ids["later"] = try await activity(
                roeselare, dogbo,
                #"{"title": "Vaccination campaign", "kind": "awareness_campaign", "direction": "mutual", "themes": ["covid-19"], "startsOn": "2021-03-01"}"#
            )
            ids["water"] = try await activity(
                roeselare, dogbo,
                #"{"title": "Water points", "kind": "infrastructure", "direction": "mutual", "themes": ["water"], "startsOn": "2020-09-01"}"#
            )
            let para = try await partnership(roeselare, "Roeselare–Para", "Para", "SR")
            ids["para"] = para
            ids["secret"] = try await activity(
                roeselare, para,
                #"{"title": "Geheim project", "kind": "knowledge_exchange", "direction": "mutual", "themes": ["covid-19"], "startsOn": "2020-05-01"}"#
            )
            let kampala = try await partnership(leuven, "Leuven–Kampala", "Kampala", "UG")
            _ = try await activity(
                leuven, kampala,
                #"{"title": "Kampala water board visit", "kind": "study_visit", "direction": "mutual", "themes": ["water"], "startsOn": "2019-10-01"}"#
            )
            // Published before anything was done together: listed only when no filter is given.
            let gulu = try await partnership(leuven, "Leuven–Gulu", "Gulu", "UG")
            for (user, id, story) in [
                (
                    roeselare, dogbo,
                    "Since 2003 Roeselare and Dogbo learn from each other.\nBirths are registered online."
                ),
                (leuven, kampala, "Leuven and Kampala share water."), (leuven, gulu, "Leuven and Gulu begin."),
            ] {
                let body = try JSONSerialization.data(withJSONObject: ["published": true, "story": story])
                let published = try await client.send(
                    .patch, "/api/v1/partnerships/\(id)", as: user, json: String(decoding: body, as: UTF8.self))
                #expect(published.status == .ok)
            }
            return ids
        }
        try await fixture.workers.drain()
        func uuid(_ key: String) throws -> UUID { try #require(ids[key].flatMap(UUID.init(uuidString:))) }
        let scene = Scene(
            roeselare: roeselare, admin: admin, partner: partner, dogbo: try #require(ids["dogbo"]),
            crisis: try uuid("crisis"), handwashing: try uuid("handwashing"), later: try uuid("later"),
            water: try uuid("water"), para: try #require(ids["para"]), secret: try uuid("secret"))
        let dogbo = try uuid("dogbo")
        let para = try uuid("para")
        try await lesson(
            fixture, scene, partnership: dogbo, activity: scene.crisis, "L’acte de naissance numérique",
            body: "Les naissances sont enregistrées au village.\nLa mairie valide en ligne.",
            side: .partnerMunicipality,
            language: "fr", published: true)
        try await lesson(
            fixture, scene, partnership: dogbo, activity: scene.crisis, "Draft nobody may read",
            side: .flemishMunicipality,
            language: "nl", shared: false, published: false)
        try await lesson(
            fixture, scene, partnership: dogbo, activity: scene.crisis, "Shared with the library only",
            side: .flemishMunicipality, language: "nl", shared: true, published: false)
        try await lesson(
            fixture, scene, partnership: dogbo, activity: scene.handwashing, "@SUM(A1) soap matters",
            side: .flemishMunicipality, language: "nl", published: true)
        try await lesson(
            fixture, scene, partnership: dogbo, activity: scene.later, "Lesson of 2021", side: .flemishMunicipality,
            language: "en", published: true)
        try await lesson(
            fixture, scene, partnership: para, activity: scene.secret, "Lesson of an unpublished partnership",
            side: .flemishMunicipality, language: "nl", published: true)
        return scene
    }

    /// A lesson as the Learning plugin's events bring it: written, then (when asked) shared and published.
    static func lesson(
        _ fixture: ReportingFixture, _ scene: Scene, partnership: UUID, activity: UUID, _ title: String,
        body: String = "What we learnt.", side: LessonSide, language: String, shared: Bool = true,
        published: Bool
    ) async throws {
        let id = LessonID(rawValue: UUID())
        func state(shared: Bool, published: Bool, version: Int) -> LessonState {
            LessonState(
                id: id, activityId: activity, partnershipId: partnership, title: title, body: body, side: side,
                themes: ["covid-19"], sdgTargets: ["16.9"], policyDomain: "civil_registry", language: language,
                authorId: scene.roeselare.userID,
                authorRole: side == .partnerMunicipality ? .partnerCoordinator : .coordinator, shared: shared,
                sharedAt: shared ? Date(timeIntervalSince1970: 1_600_000_000) : nil, published: published,
                publishedAt: published ? Date(timeIntervalSince1970: 1_600_000_000) : nil, version: version)
        }
        var events: [any LessonEvent] = [LessonWritten(lesson: state(shared: false, published: false, version: 1))]
        if shared || published {
            events.append(
                LessonVisibilityChanged(
                    lesson: state(shared: true, published: published, version: 2), previousShared: false,
                    previousPublished: false))
        }
        try await LessonsReadModelTests.publish(fixture, tenant: scene.roeselare.tenantID, events)
    }

    /// A platform administrator with a token, as `stedenband platform-admin create` and a token make one.
    static func platformAdmin(_ fixture: ReportingFixture, email: String = "ops@platform.example.org") async throws
        -> HTTPFields
    {
        try await TestPlatformAdmin.create(in: fixture.database, email: email)
    }

    static func get(_ uri: String, _ client: some TestClientProtocol, _ headers: HTTPFields) async throws
        -> TestResponse
    {
        try await client.execute(uri: uri, method: .get, headers: headers)
    }

    /// What no answer may show: unpublished work, another year's or theme's activity, internal texts, people.
    static let neverInThe2020CovidAnnex = [
        "Roeselare–Para", "Geheim project", "Lesson of an unpublished partnership", "Draft nobody may read",
        "Shared with the library only", "Vaccination campaign", "Lesson of 2021", "Water points", "Leuven",
        "Kampala", "Intern:", "@roeselare.be", "Test coordinator",
    ]

    @Test("the 2020 COVID-19 annex holds the published partnership, its matching activities and published lessons")
    func covidAnnex2020() async throws {
        let fixture = try await ReportingFixture.make("examplesannex")
        let scene = try await Self.scene(fixture)
        let headers = try await Self.platformAdmin(fixture)
        try await Application(router: fixture.router).test(.router) { client in
            let base = "/api/v1/platform/reports/examples?theme=covid-19&year=2020"
            // JSON: the shape of the design's §5.
            let answer = try await Self.get(base, client, headers)
            #expect(answer.status == .ok && answer.headers[.contentType] == "application/json")
            let json = String(buffer: answer.body)
            for absent in Self.neverInThe2020CovidAnnex { #expect(!json.contains(absent), "\(absent)") }
            let report = try object(answer)
            #expect(report["theme"] as? String == "covid-19" && report["year"] as? Int == 2020)
            let municipalities = try #require(report["municipalities"] as? [[String: Any]])
            #expect(municipalities.count == 1)
            let municipality = try #require(municipalities.first?["municipality"] as? [String: Any])
            #expect(municipality["slug"] as? String == "roeselare" && municipality["name"] as? String == "Roeselare")
            #expect(municipality["id"] as? String == scene.roeselare.tenantID.uuidString.lowercased())
            let partnerships = try #require(municipalities.first?["partnerships"] as? [[String: Any]])
            #expect(partnerships.count == 1)
            let dogbo = try #require(partnerships.first)
            #expect(dogbo["title"] as? String == "Roeselare–Dogbo")
            #expect(dogbo["partner"] as? [String: String] == ["name": "Dogbo", "country": "BJ"])
            #expect(dogbo["showcase"] as? String == "http://127.0.0.1:8080/showcase/roeselare/dogbo")
            #expect((dogbo["story"] as? String)?.hasPrefix("Since 2003 Roeselare and Dogbo") == true)
            let activities = try #require(dogbo["activities"] as? [[String: Any]])
            #expect(
                activities.map { $0["title"] as? String } == ["=1+2 handwashing", "Online exchange on crisis practice"])
            let crisis = activities[1]
            #expect(
                crisis["kind"] as? String == "knowledge_exchange" && crisis["direction"] as? String == "south_to_north")
            #expect(crisis["startsOn"] as? String == "2020-05-14" && crisis["endsOn"] == nil)
            #expect(Set(crisis["sdgGoals"] as? [Int] ?? []) == [3, 16] && crisis["participants"] as? Int == 40)
            #expect(activities[0]["endsOn"] as? String == "2020-06-30")
            let lessons = try #require(dogbo["lessons"] as? [[String: Any]])
            #expect(
                lessons.map { $0["title"] as? String } == ["@SUM(A1) soap matters", "L’acte de naissance numérique"])
            let french = lessons[1]
            #expect(french["side"] as? String == "partner_municipality" && french["language"] as? String == "fr")
            #expect(french["policyDomain"] as? String == "civil_registry")
            #expect(french["activity"] as? String == "Online exchange on crisis practice")
            #expect((french["body"] as? String)?.contains("enregistrées au village") == true)
            // Accept: text/csv gives the CSV, as on the other platform reports.
            var accept = headers
            accept[.accept] = "text/csv"
            #expect(try await Self.get(base, client, accept).headers[.contentType] == "text/csv; charset=utf-8")

            // CSV: one row per lesson, or per activity without lessons; formulas made text.
            let csvAnswer = try await Self.get(base + "&format=csv", client, headers)
            #expect(csvAnswer.status == .ok)
            #expect(
                csvAnswer.headers[.contentDisposition]
                    == "attachment; filename=\"stedenband-examples-covid-19-2020.csv\"")
            let csv = String(decoding: csvAnswer.body.readableBytesView.dropFirst(3), as: UTF8.self)
            #expect(
                csv == """
                    municipality,partner,country,activity,starts_on,lesson_side,lesson_title,lesson_language,showcase_url\r
                    Roeselare,Dogbo,BJ,'=1+2 handwashing,2020-04-01,flemish_municipality,'@SUM(A1) soap matters,nl,http://127.0.0.1:8080/showcase/roeselare/dogbo\r
                    Roeselare,Dogbo,BJ,Online exchange on crisis practice,2020-05-14,partner_municipality,L’acte de naissance numérique,fr,http://127.0.0.1:8080/showcase/roeselare/dogbo\r

                    """, "\(csv)")

            // The printable page: in the asked language, the lessons in their own.
            let page = try await Self.get(base + "&format=html&lang=fr", client, headers)
            #expect(page.status == .ok && page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(page.headers[.contentSecurityPolicy] == PageSecurityPolicy.pages.description)
            let html = String(buffer: page.body)
            for absent in Self.neverInThe2020CovidAnnex { #expect(!html.contains(absent), "\(absent)") }
            #expect(html.contains(#"<html lang="fr">"#))
            #expect(html.contains("<h1>Exemples de partenariats communaux — covid-19 · 2020</h1>"))
            #expect(html.contains("<h2>Roeselare</h2>") && html.contains("<h3>Roeselare–Dogbo</h3>"))
            #expect(html.contains("avec Dogbo, Bénin"))
            #expect(html.contains("<p>Births are registered online.</p>"))
            #expect(
                html.contains(
                    #"<a href="http://127.0.0.1:8080/showcase/roeselare/dogbo">http://127.0.0.1:8080/showcase/roeselare/dogbo</a>"#
                ))
            #expect(html.contains("<td>Online exchange on crisis practice</td><td>14 mai 2020</td>"))
            #expect(
                html.contains("<h4>Ce que Dogbo a appris</h4>") && html.contains("<h4>Ce que Roeselare a appris</h4>"))
            #expect(
                html.contains(
                    #"<div class="examples-lesson" lang="fr">"# + "\n<h5>L’acte de naissance numérique</h5>\n"
                        + "<p>Les naissances sont enregistrées au village.</p>\n<p>La mairie valide en ligne.</p>"))
            #expect(!html.contains("<script") && !html.contains("style=\""))
        }
    }

    @Test("filters: either may be absent; with one, a partnership without a matching activity is left out")
    func filters() async throws {
        let fixture = try await ReportingFixture.make("examplesfilters")
        _ = try await Self.scene(fixture)
        let headers = try await Self.platformAdmin(fixture)
        try await Application(router: fixture.router).test(.router) { client in
            func titles(_ query: String) async throws -> [String: [String]] {
                let report = try object(
                    try await Self.get("/api/v1/platform/reports/examples\(query)", client, headers))
                var titles: [String: [String]] = [:]
                for municipality in report["municipalities"] as? [[String: Any]] ?? [] {
                    for partnership in municipality["partnerships"] as? [[String: Any]] ?? [] {
                        let title = partnership["title"] as? String ?? ""
                        titles[title] =
                            (partnership["activities"] as? [[String: Any]] ?? []).compactMap { $0["title"] as? String }
                            + (partnership["lessons"] as? [[String: Any]] ?? []).compactMap { $0["title"] as? String }
                    }
                }
                return titles
            }
            // No filter: every published partnership with every activity (not Para, never a draft).
            #expect(
                try await titles("") == [
                    "Leuven–Gulu": [], "Leuven–Kampala": ["Kampala water board visit"],
                    "Roeselare–Dogbo": [
                        "=1+2 handwashing", "Online exchange on crisis practice", "Water points",
                        "Vaccination campaign",
                        "@SUM(A1) soap matters", "L’acte de naissance numérique", "Lesson of 2021",
                    ],
                ])
            #expect(
                try await titles("?year=2020") == [
                    "Roeselare–Dogbo": [
                        "=1+2 handwashing", "Online exchange on crisis practice", "Water points",
                        "@SUM(A1) soap matters", "L’acte de naissance numérique",
                    ]
                ])
            #expect(
                try await titles("?theme=covid-19") == [
                    "Roeselare–Dogbo": [
                        "=1+2 handwashing", "Online exchange on crisis practice", "Vaccination campaign",
                        "@SUM(A1) soap matters", "L’acte de naissance numérique", "Lesson of 2021",
                    ]
                ])
            #expect(try await titles("?theme=water&year=2019") == ["Leuven–Kampala": ["Kampala water board visit"]])
            // In the CSV, the partnership without activities is one row with the activity empty.
            let csv = String(
                buffer: try await Self.get("/api/v1/platform/reports/examples?format=csv", client, headers).body)
            #expect(csv.contains("\r\nLeuven,Gulu,UG,,,,,,http://127.0.0.1:8080/showcase/leuven/gulu\r\n"), "\(csv)")
            #expect(csv.contains("\r\nLeuven,Kampala,UG,Kampala water board visit,2019-10-01,,,,"))
            // Nothing matches: an empty annex, and a page that says so.
            let none = try object(try await Self.get("/api/v1/platform/reports/examples?year=1999", client, headers))
            #expect((none["municipalities"] as? [Any])?.isEmpty == true && none["theme"] == nil)
            let page = String(
                buffer: try await Self.get(
                    "/api/v1/platform/reports/examples?year=1999&format=html", client, headers
                ).body)
            #expect(page.contains(#"<p id="no-examples">No published examples for this choice.</p>"#))
        }
    }

    @Test("coordinators, a municipality's admins and partner coordinators get 404; the function refuses them too")
    func othersGet404() async throws {
        let fixture = try await ReportingFixture.make("examples404")
        let scene = try await Self.scene(fixture)
        try await Application(router: fixture.router).test(.router) { client in
            for user in [scene.roeselare, scene.admin, scene.partner] {
                for query in ["", "?theme=covid-19&year=2020", "?format=csv", "?format=html", "?year=abc"] {
                    let answer = try await client.send(.get, "/api/v1/platform/reports/examples\(query)", as: user)
                    #expect(answer.status == .notFound, "\(query)")
                    #expect(!String(buffer: answer.body).contains("Dogbo"))
                }
            }
            // Without a token: 401, as every API route.
            #expect(try await Self.get("/api/v1/platform/reports/examples", client, [:]).status == .unauthorized)
        }
        // The function itself refuses a municipality's transaction and one without anybody.
        for tenant in [scene.roeselare.tenantID, nil] {
            await #expect(throws: PostgresError.self) {
                try await fixture.pool.withTransaction(tenantID: tenant) { connection in
                    _ = try await connection.query("SELECT * FROM reporting.platform_examples(2020, 'covid-19')")
                }
            }
        }
    }

    @Test("a wrong year, theme, format or another report's filter is a 422 naming the field")
    func badInputNamesTheField() async throws {
        let fixture = try await ReportingFixture.make("examples422")
        let headers = try await Self.platformAdmin(fixture)
        try await Application(router: fixture.router).test(.router) { client in
            for (query, field) in [
                ("year=abc", "year"), ("year=20200", "year"),
                ("theme=\(String(repeating: "x", count: 41))", "theme"), ("format=pdf", "format"),
                ("lang=de", "lang"), ("delimiter=tab", "delimiter"), ("country=BJ", "country"),
                ("status=ongoing", "status"), ("partnershipId=\(UUID().uuidString)", "partnershipId"),
            ] {
                let answer = try await Self.get("/api/v1/platform/reports/examples?\(query)", client, headers)
                #expect(answer.status == .unprocessableContent, "\(query)")
                #expect(answer.headers[.contentType] == "application/problem+json")
                let problem = try object(answer)
                let errors = problem["errors"] as? [[String: Any]] ?? []
                #expect(errors.map { $0["field"] as? String } == [field], "\(query): \(errors)")
            }
        }
    }

    @Test(
        "/platform offers the annex as a form; its page, CSV and JSON follow the API; a wrong year is shown beside it")
    func platformPage() async throws {
        let fixture = try await ReportingFixture.make("examplespage")
        _ = try await Self.scene(fixture)
        _ = try await Self.platformAdmin(fixture)
        let coordinatorEmail = "coordinator@roeselare.be"
        _ = try await TestTenant.create(
            in: fixture.database, slug: "roeselare", role: .coordinator, email: coordinatorEmail)
        let (environment, pool) = (fixture.environment, fixture.pool)
        try await Application(router: fixture.router).test(.router) { client in
            let browser = try await TestBrowser.signedIn(
                client, as: "ops@platform.example.org", environment: environment, pool: pool)
            let platform = try await browser.get("/platform?lang=en")
            #expect(platform.status == .ok)
            #expect(platform.text.contains(#"<h2 id="platform-examples">Annex of examples</h2>"#))
            #expect(platform.text.contains(#"<form method="get" action="/platform/examples" class="report-filter">"#))
            #expect(platform.text.contains(#"<label for="theme">Theme</label>"#))
            #expect(platform.text.contains(#"<label for="year">Year</label>"#))
            #expect(platform.text.contains(#"formaction="/platform/examples.csv""#))
            #expect(platform.text.contains(#"formaction="/platform/examples.json""#))

            let page = try await browser.get("/platform/examples?theme=covid-19&year=2020&lang=en")
            #expect(page.status == .ok && page.text.contains("<h3>Roeselare–Dogbo</h3>"))
            #expect(page.text.contains("What Dogbo learnt") && page.headers[.cacheControl] == "no-store")
            for absent in Self.neverInThe2020CovidAnnex { #expect(!page.text.contains(absent), "\(absent)") }
            let csv = try await browser.get("/platform/examples.csv?theme=covid-19&year=2020&delimiter=semicolon")
            #expect(csv.status == .ok && csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.text.contains("Roeselare;Dogbo;BJ;'=1+2 handwashing;2020-04-01;"))
            let json = try await browser.get("/platform/examples.json?theme=covid-19&year=")
            #expect(json.status == .ok && json.headers[.contentType] == "application/json")
            #expect(json.text.contains("Vaccination campaign") && !json.text.contains("Draft nobody may read"))

            // A wrong year: the form again, the message beside the field in the person's language.
            let wrong = try await browser.get("/platform/examples?theme=covid-19&year=twenty&lang=fr")
            #expect(wrong.status == .unprocessableContent)
            #expect(wrong.text.contains(##"<a href="#year">Saisissez une année comme 2020</a>"##))
            #expect(
                wrong.text.contains(#"<p class="error-message" id="year-error">Saisissez une année comme 2020</p>"#))
            #expect(wrong.text.contains(#"value="twenty""#) && wrong.text.contains(#"value="covid-19""#))

            // A municipality's coordinator, signed in: 404 on every route of it, and no form on a page of theirs.
            let coordinator = try await TestBrowser.signedIn(
                client, as: coordinatorEmail, environment: environment, pool: pool)
            for path in ["/platform/examples", "/platform/examples.csv", "/platform/examples.json"] {
                let refused = try await coordinator.get(path + "?theme=covid-19")
                #expect(refused.status == .notFound, "\(path)")
                #expect(!refused.text.contains("Dogbo"))
            }
        }
    }

    @Test("the printable page has its words in each of the four languages", arguments: Language.allCases)
    func wordsInEveryLanguage(language: Language) throws {
        let report = ExamplesReport(
            theme: "covid-19", year: 2020,
            municipalities: [
                .init(
                    municipality: Municipality(id: UUID(), slug: "roeselare", name: "Roeselare"),
                    partnerships: [
                        .init(
                            title: "Roeselare–Dogbo", partner: .init(name: "Dogbo", country: "BJ"),
                            showcase: "https://example.org/showcase/roeselare/dogbo", story: "Story.",
                            activities: [
                                .init(
                                    title: "Exchange", kind: "knowledge_exchange", startsOn: "2020-05-14", endsOn: nil,
                                    sdgGoals: [16], direction: "south_to_north", participants: 1200, lessonCount: 1)
                            ],
                            lessons: [
                                .init(
                                    title: "Leçon", side: "partner_municipality", language: "fr",
                                    policyDomain: "civil_registry", body: "Texte.", activity: "Exchange")
                            ])
                    ])
            ])
        let html = ExamplesReportPage(report: report, language: language, generatedAt: Date())
            .render(with: try ReportTemplates())
        let words = ExamplesWords.all[language]
        #expect(html.contains(#"<html lang="\#(language.rawValue)">"#))
        #expect(html.contains("<h1>\(HTML.escape(words.title)) — covid-19 · 2020</h1>"))
        #expect(html.contains("<h4>\(HTML.escape(words.learnt("Dogbo")))</h4>"))
        #expect(html.contains(HTML.escape(words.showcase)) && html.contains(HTML.escape(words.learntIn)))
        #expect(html.contains(LearningDirection.southToNorth.name(in: language)))
        #expect(html.contains(ActivityKind.knowledgeExchange.name(in: language)))
        // Every word of the page and the form is written in this language, none left empty or shared by mistake
        // with English (a word such as "Dates" or "Participants" may be the same).
        for (key, word) in words.context { #expect(!word.isEmpty, "\(language) \(key)") }
        for word in [words.section, words.sectionIntro, words.page, words.csv, words.json] { #expect(!word.isEmpty) }
        if language != .en {
            #expect(words.title != ExamplesWords.all[.en].title && words.intro != ExamplesWords.all[.en].intro)
        }
    }
}

extension TestResponse {
    fileprivate var text: String { String(buffer: body) }
}
