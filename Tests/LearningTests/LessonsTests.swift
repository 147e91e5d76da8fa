import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Postgres
import TestSupport
import Testing

/// A lesson as the tests read it.
struct LessonJSON: Decodable {
    var id: UUID
    var activityId: UUID
    var partnershipId: UUID
    var title: String
    var body: String
    var side: String
    var themes: [String]
    var sdgTargets: [String]
    var policyDomain: String
    var language: String
    var writtenBy: UUID
    var contactRole: String
    var shared: Bool
    var sharedAt: Date?
    var published: Bool
    var publishedAt: Date?
    var version: Int
}

/// A page of lessons.
struct LessonJSONPage: Decodable {
    var items: [LessonJSON]
    var nextCursor: String?
}

/// A problem's field errors.
struct FieldProblem: Decodable {
    struct FieldError: Decodable {
        var field: String
        var message: String
    }
    var status: Int
    var errors: [FieldError]?

    var fields: [String] { (errors ?? []).map(\.field) }
}

/// The lessons' answers decoded with ISO 8601 instants.
func decodeLesson<T: Decodable>(_ type: T.Type, _ response: TestResponse) throws -> T {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    return try decoder.decode(type, from: Data(response.body.readableBytesView))
}

@Suite("Lessons over HTTP: both sides write, each keeps its words")
struct LessonsTests {
    /// Roeselare's coordinator with a partnership with Dogbo (and Dogbo's partner coordinator as its member),
    /// an activity of it, and a viewer.
    struct Scene {
        var coordinator: TestTenant
        var partner: TestTenant
        var viewer: TestTenant
        var partnership: UUID
        var activity: UUID
    }

    static func scene(_ database: TestDatabase, _ client: some TestClientProtocol) async throws -> Scene {
        let coordinator = try await TestTenant.create(in: database, slug: "roeselare", role: .coordinator)
        let partner = try await TestTenant.create(in: database, slug: "roeselare", role: .partnerCoordinator)
        let viewer = try await TestTenant.create(in: database, slug: "roeselare", role: .viewer)
        let partnership = try decode(
            Created.self,
            try await client.send(
                .post, "/api/v1/partnerships", as: coordinator,
                json: #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}}"#)
        ).id
        let added = try await client.send(
            .post, "/api/v1/partnerships/\(partnership)/members", as: coordinator,
            json: #"{"userId": "\#(partner.userID)", "role": "partner_coordinator"}"#)
        #expect(added.status == .created)
        let activity = try decode(
            Created.self,
            try await client.send(
                .post, "/api/v1/partnerships/\(partnership)/activities", as: coordinator,
                json:
                    #"{"title": "Online exchange on crisis practice", "kind": "knowledge_exchange", "direction": "south_to_north"}"#
            )
        ).id
        return Scene(
            coordinator: coordinator, partner: partner, viewer: viewer, partnership: partnership, activity: activity)
    }

    /// Dogbo's French lesson on the partner's side.
    static let dogbo = #"""
        {"title": "L'acte de naissance numérique", "body": "Les registres en ligne ont tenu pendant la crise.",
         "side": "partner_municipality", "themes": ["covid-19"], "sdgTargets": ["16.9"],
         "policyDomain": "civil_registry", "language": "fr"}
        """#

    /// Roeselare's Dutch lesson on its own side.
    static let roeselare = #"""
        {"title": "Digitale geboorteaangifte", "body": "Wat Dogbo ons leerde over registers.",
         "side": "flemish_municipality", "policyDomain": "civil_registry", "language": "nl"}
        """#

    /// The lesson events stored, as `name authorRole version [changedFields]`.
    static func events(_ database: TestDatabase) async throws -> [String] {
        try await database.rows(
            """
            SELECT name, payload -> 'lesson' ->> 'authorRole', aggregate_version,
                coalesce((payload -> 'changedFields')::text, '')
            FROM messaging.events WHERE name LIKE 'learning.lesson_%' ORDER BY position
            """
        ).map {
            let (name, role, version, fields) = try $0.decode((String, String, Int, String).self)
            return "\(name) \(role) \(version) \(fields)".trimmingCharacters(in: .whitespaces)
        }
    }

    static func lessonCount(_ database: TestDatabase) async throws -> Int {
        try await database.rows("SELECT count(*) FROM learning.lessons")[0].decode(Int.self, column: 0)
    }

    @Test("Dogbo's partner coordinator writes the partner side, in French: 201, partner_coordinator, the event stored")
    func partnerCoordinatorWritesThePartnerSide() async throws {
        let fixture = try await LearningFixture.make("lessonswrite")
        let database = fixture.database
        try await Application(router: fixture.router).test(.router) { client in
            let scene = try await Self.scene(database, client)
            let written = try await client.send(
                .post, "/api/v1/activities/\(scene.activity)/lessons", as: scene.partner, json: Self.dogbo)
            #expect(written.status == .created, "\(String(buffer: written.body))")
            #expect(written.headers[.eTag] == "\"1\"")
            let lesson = try decodeLesson(LessonJSON.self, written)
            #expect(written.headers[.location] == "/api/v1/lessons/\(lesson.id.uuidString.lowercased())")
            #expect(lesson.contactRole == "partner_coordinator" && lesson.writtenBy == scene.partner.userID)
            #expect(lesson.side == "partner_municipality" && lesson.language == "fr")
            #expect(lesson.activityId == scene.activity && lesson.partnershipId == scene.partnership)
            #expect(lesson.themes == ["covid-19"] && lesson.sdgTargets == ["16.9"])
            #expect(!lesson.shared && lesson.sharedAt == nil && !lesson.published && lesson.publishedAt == nil)
            // Unshared and unpublished say so with null instants, not missing fields.
            #expect(String(buffer: written.body).contains(#""publishedAt":null"#))

            // A coordinator who is not a member writes as the municipality's coordinator.
            let own = try await client.send(
                .post, "/api/v1/activities/\(scene.activity)/lessons", as: scene.coordinator, json: Self.roeselare)
            #expect(own.status == .created)
            #expect(try decodeLesson(LessonJSON.self, own).contactRole == "coordinator")

            #expect(
                try await Self.events(database) == [
                    "learning.lesson_written.v1 partner_coordinator 1", "learning.lesson_written.v1 coordinator 1",
                ])

            // Every reader of the partnership reads both, oldest first, in pages.
            for reader in [scene.viewer, scene.partner, scene.coordinator] {
                let first = try await client.send(
                    .get, "/api/v1/activities/\(scene.activity)/lessons?limit=1", as: reader)
                #expect(first.status == .ok)
                let page = try decodeLesson(LessonJSONPage.self, first)
                #expect(page.items.map(\.title) == ["L'acte de naissance numérique"])
                let cursor = try #require(page.nextCursor)
                let second = try decodeLesson(
                    LessonJSONPage.self,
                    try await client.send(
                        .get, "/api/v1/activities/\(scene.activity)/lessons?limit=1&cursor=\(cursor)", as: reader))
                #expect(second.items.map(\.title) == ["Digitale geboorteaangifte"] && second.nextCursor == nil)
                let one = try await client.send(.get, "/api/v1/lessons/\(lesson.id)", as: reader)
                #expect(one.status == .ok && one.headers[.eTag] == "\"1\"")
                #expect(
                    try decodeLesson(LessonJSON.self, one).body == "Les registres en ligne ont tenu pendant la crise.")
            }
        }
        await fixture.pool.close()
    }

    @Test("a partner coordinator may not write, move a lesson to, change or delete the Flemish side: 403 naming side")
    func refusesTheFlemishSide() async throws {
        let fixture = try await LearningFixture.make("lessonsside")
        let database = fixture.database
        try await Application(router: fixture.router).test(.router) { client in
            let scene = try await Self.scene(database, client)
            let refused = try await client.send(
                .post, "/api/v1/activities/\(scene.activity)/lessons", as: scene.partner, json: Self.roeselare)
            #expect(refused.status == .forbidden)
            #expect(try decode(FieldProblem.self, refused).fields == ["side"])
            #expect(try await Self.lessonCount(database) == 0)

            let theirs = try decodeLesson(
                LessonJSON.self,
                try await client.send(
                    .post, "/api/v1/activities/\(scene.activity)/lessons", as: scene.partner, json: Self.dogbo))
            let moved = try await client.send(
                .patch, "/api/v1/lessons/\(theirs.id)", as: scene.partner, json: #"{"side": "flemish_municipality"}"#)
            #expect(moved.status == .forbidden)
            #expect(try decode(FieldProblem.self, moved).fields == ["side"])

            let flemish = try decodeLesson(
                LessonJSON.self,
                try await client.send(
                    .post, "/api/v1/activities/\(scene.activity)/lessons", as: scene.coordinator,
                    json: Self.roeselare))
            let changed = try await client.send(
                .patch, "/api/v1/lessons/\(flemish.id)", as: scene.partner, json: #"{"themes": ["covid-19"]}"#)
            #expect(changed.status == .forbidden)
            #expect(try decode(FieldProblem.self, changed).fields == ["side"])
            let deleted = try await client.send(.delete, "/api/v1/lessons/\(flemish.id)", as: scene.partner)
            #expect(deleted.status == .forbidden)
            // Nothing of it changed: versions as written, two lessons, two events.
            for lesson in [theirs, flemish] {
                let read = try decodeLesson(
                    LessonJSON.self, try await client.send(.get, "/api/v1/lessons/\(lesson.id)", as: scene.viewer))
                #expect(read.version == 1 && read.side == lesson.side && read.themes == lesson.themes)
            }
            #expect(try await Self.events(database).count == 2)

            // A viewer writes nothing at all.
            let viewer = try await client.send(
                .post, "/api/v1/activities/\(scene.activity)/lessons", as: scene.viewer, json: Self.dogbo)
            #expect(viewer.status == .forbidden)
        }
        await fixture.pool.close()
    }

    @Test("every invalid field is named in a 422, when written and when changed, and nothing is stored")
    func validationNamesTheField() async throws {
        let fixture = try await LearningFixture.make("lessonsvalid")
        let database = fixture.database
        // A retired domain keeps its lessons but takes no new ones.
        _ = try await database.rows("UPDATE learning.policy_domains SET retired_at = now() WHERE code = 'agriculture'")
        try await Application(router: fixture.router).test(.router) { client in
            let scene = try await Self.scene(database, client)
            let valid: [String: Any] = [
                "title": "Digitale geboorteaangifte", "body": "Wat Dogbo ons leerde.", "side": "flemish_municipality",
                "policyDomain": "civil_registry", "language": "nl",
            ]
            let cases: [(String, Any?, String)] = [
                ("title", "", "title"), ("title", "   ", "title"),
                ("title", String(repeating: "a", count: 201), "title"),
                ("title", "two\u{7}lines", "title"), ("title", nil, "title"), ("body", " \n ", "body"),
                ("body", String(repeating: "b", count: 20_001), "body"), ("body", nil, "body"),
                ("side", "north", "side"), ("side", nil, "side"), ("themes", ["Not A Tag"], "themes"),
                ("themes", (0...20).map { "t\($0)" }, "themes"), ("sdgTargets", ["99.9"], "sdgTargets"),
                ("sdgTargets", ["16.9", "16.9"], "sdgTargets"),
                (
                    "sdgTargets", ["1.1", "1.2", "1.3", "1.4", "1.5", "2.1", "2.2", "2.3", "2.4", "2.5", "3.1"],
                    "sdgTargets"
                ),
                ("policyDomain", "Civil Registry", "policyDomain"), ("policyDomain", "space_travel", "policyDomain"),
                ("policyDomain", "agriculture", "policyDomain"), ("policyDomain", nil, "policyDomain"),
                ("language", "French", "language"), ("language", "f", "language"), ("language", nil, "language"),
                ("author", "someone", "author"),
            ]
            for (field, value, named) in cases {
                var body = valid
                body[field] = value
                if value == nil { body.removeValue(forKey: field) }
                let json = String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)
                let answer = try await client.send(
                    .post, "/api/v1/activities/\(scene.activity)/lessons", as: scene.coordinator, json: json)
                #expect(answer.status == .unprocessableContent, "\(field) = \(String(describing: value))")
                #expect(
                    try decode(FieldProblem.self, answer).fields.contains(named),
                    "\(field) = \(String(describing: value)): \(String(buffer: answer.body))")
            }
            #expect(try await Self.lessonCount(database) == 0)

            let lesson = try decodeLesson(
                LessonJSON.self,
                try await client.send(
                    .post, "/api/v1/activities/\(scene.activity)/lessons", as: scene.coordinator, json: Self.roeselare))
            for (json, named) in [
                (#"{"body": ""}"#, "body"), (#"{"policyDomain": "agriculture"}"#, "policyDomain"),
                (#"{"language": "NL"}"#, "language"), (#"{"shared": "yes"}"#, "shared"), (#"{"side": 3}"#, "side"),
            ] {
                let answer = try await client.send(
                    .patch, "/api/v1/lessons/\(lesson.id)", as: scene.coordinator, json: json)
                #expect(answer.status == .unprocessableContent, "\(json)")
                #expect(try decode(FieldProblem.self, answer).fields.contains(named), "\(json)")
            }
            let read = try decodeLesson(
                LessonJSON.self, try await client.send(.get, "/api/v1/lessons/\(lesson.id)", as: scene.viewer))
            #expect(read.version == 1 && read.body == lesson.body)
        }
        await fixture.pool.close()
    }

    @Test("a change names the version it saw: a stale If-Match is 412 and changes nothing")
    func rejectsStaleIfMatch() async throws {
        let fixture = try await LearningFixture.make("lessonsifmatch")
        let database = fixture.database
        try await Application(router: fixture.router).test(.router) { client in
            let scene = try await Self.scene(database, client)
            let lesson = try decodeLesson(
                LessonJSON.self,
                try await client.send(
                    .post, "/api/v1/activities/\(scene.activity)/lessons", as: scene.coordinator, json: Self.roeselare))
            let changed = try await client.send(
                .patch, "/api/v1/lessons/\(lesson.id)", as: scene.coordinator,
                json: #"{"themes": ["covid-19", "registry"], "title": "Digitale aangifte"}"#,
                headers: [.ifMatch: "\"1\""])
            #expect(changed.status == .ok && changed.headers[.eTag] == "\"2\"")
            let stale = try await client.send(
                .patch, "/api/v1/lessons/\(lesson.id)", as: scene.coordinator, json: #"{"title": "Te laat"}"#,
                headers: [.ifMatch: "\"1\""])
            #expect(stale.status == .preconditionFailed)
            let read = try decodeLesson(
                LessonJSON.self, try await client.send(.get, "/api/v1/lessons/\(lesson.id)", as: scene.viewer))
            #expect(read.title == "Digitale aangifte" && read.version == 2)
            // The same values again change nothing: no new version, no event.
            let same = try await client.send(
                .patch, "/api/v1/lessons/\(lesson.id)", as: scene.coordinator, json: #"{"title": "Digitale aangifte"}"#)
            #expect(same.status == .ok && same.headers[.eTag] == "\"2\"")
            #expect(
                try await Self.events(database) == [
                    "learning.lesson_written.v1 coordinator 1",
                    #"learning.lesson_changed.v1 coordinator 2 ["title", "themes"]"#,
                ])
        }
        await fixture.pool.close()
    }

    @Test("the words of a partner coordinator's lesson are theirs: a coordinator retags and deletes, but not rewrites")
    func partnerWordsAreTheirs() async throws {
        let fixture = try await LearningFixture.make("lessonswords")
        let database = fixture.database
        try await Application(router: fixture.router).test(.router) { client in
            let scene = try await Self.scene(database, client)
            let theirs = try decodeLesson(
                LessonJSON.self,
                try await client.send(
                    .post, "/api/v1/activities/\(scene.activity)/lessons", as: scene.partner, json: Self.dogbo))
            for json in [#"{"body": "Corrigé par Roeselare."}"#, #"{"title": "Autre titre", "language": "nl"}"#] {
                let refused = try await client.send(
                    .patch, "/api/v1/lessons/\(theirs.id)", as: scene.coordinator, json: json)
                #expect(refused.status == .forbidden, "\(json)")
                #expect(!(try decode(FieldProblem.self, refused).fields.isEmpty))
            }
            let bodyRefused = try await client.send(
                .patch, "/api/v1/lessons/\(theirs.id)", as: scene.coordinator, json: #"{"body": "Corrigé."}"#)
            #expect(try decode(FieldProblem.self, bodyRefused).fields == ["body"])
            let retagged = try await client.send(
                .patch, "/api/v1/lessons/\(theirs.id)", as: scene.coordinator,
                json: #"{"themes": ["covid-19", "e-government"], "policyDomain": "participation"}"#)
            #expect(retagged.status == .ok)
            #expect(try decodeLesson(LessonJSON.self, retagged).themes == ["covid-19", "e-government"])
            // Sending the words unchanged with the tags, as a form does, is not a change of words.
            let form = try await client.send(
                .patch, "/api/v1/lessons/\(theirs.id)", as: scene.coordinator,
                json: #"{"body": "Les registres en ligne ont tenu pendant la crise.", "sdgTargets": []}"#)
            #expect(form.status == .ok)
            // Its author rewrites it.
            let rewritten = try await client.send(
                .patch, "/api/v1/lessons/\(theirs.id)", as: scene.partner, json: #"{"body": "Corrigé par Dogbo."}"#)
            #expect(rewritten.status == .ok)
            #expect(try decodeLesson(LessonJSON.self, rewritten).body == "Corrigé par Dogbo.")

            // A coordinator may write on the partner's side for a partner without an account, and rewrite it.
            let forDogbo = Self.dogbo.replacingOccurrences(of: "numérique", with: "sur papier")
            let written = try decodeLesson(
                LessonJSON.self,
                try await client.send(
                    .post, "/api/v1/activities/\(scene.activity)/lessons", as: scene.coordinator, json: forDogbo))
            #expect(written.contactRole == "coordinator" && written.side == "partner_municipality")
            let ownWords = try await client.send(
                .patch, "/api/v1/lessons/\(written.id)", as: scene.coordinator, json: #"{"body": "Mis à jour."}"#)
            #expect(ownWords.status == .ok)
            // … and the partner coordinators may change the partner side's lessons, whoever wrote them.
            let partnerEdit = try await client.send(
                .patch, "/api/v1/lessons/\(written.id)", as: scene.partner, json: #"{"body": "Relu par Dogbo."}"#)
            #expect(partnerEdit.status == .ok)

            // A coordinator deletes the partner's lesson: announced with its last state.
            let deleted = try await client.send(.delete, "/api/v1/lessons/\(theirs.id)", as: scene.coordinator)
            #expect(deleted.status == .noContent)
            let gone = try await client.send(.get, "/api/v1/lessons/\(theirs.id)", as: scene.coordinator)
            #expect(gone.status == .notFound)
            let events = try await Self.events(database)
            #expect(events.last == "learning.lesson_deleted.v1 partner_coordinator 5")
            #expect(events.filter { $0.hasPrefix("learning.lesson_changed.v1") }.count == 5)
        }
        await fixture.pool.close()
    }

    @Test("the policy domains: every signed-in caller reads the list, names in four languages, retired ones marked")
    func policyDomains() async throws {
        let fixture = try await LearningFixture.make("lessonsdomains")
        let database = fixture.database
        _ = try await database.rows("UPDATE learning.policy_domains SET retired_at = now() WHERE code = 'agriculture'")
        struct Domain: Decodable {
            var code: String
            var names: [String: String]
            var retired: Bool
        }
        struct Domains: Decodable { var items: [Domain] }
        try await Application(router: fixture.router).test(.router) { client in
            let scene = try await Self.scene(database, client)
            for caller in [scene.viewer, scene.partner, scene.coordinator] {
                let answer = try await client.send(.get, "/api/v1/policy-domains", as: caller)
                #expect(answer.status == .ok)
                let domains = try decode(Domains.self, answer).items
                #expect(domains.count == 12 && domains.first?.code == "civil_registry" && domains.last?.code == "other")
                #expect(domains.first?.names["fr"] == "état civil" && domains.first?.names["nl"] == "burgerlijke stand")
                #expect(domains.allSatisfy { Set($0.names.keys).isSuperset(of: ["nl", "en", "fr", "es"]) })
                #expect(domains.filter(\.retired).map(\.code) == ["agriculture"])
            }
            let anonymous = try await client.execute(uri: "/api/v1/policy-domains", method: .get)
            #expect(anonymous.status == .unauthorized)
        }
        await fixture.pool.close()
    }
}
