import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Postgres
import TestSupport
import Testing

@Suite("Sharing and publishing lessons: the library's row follows in the same transaction")
struct SharingTests {
    /// The library's row of the lesson, as `title|side|partnership|partner|country|activity|contact`; `nil`
    /// when it has none.
    static func libraryRow(_ lesson: UUID, _ database: TestDatabase) async throws -> String? {
        try await database.rows(
            """
            SELECT concat_ws('|', title, side, partnership_title, partner_name, partner_country, activity_title,
                contact_role)
            FROM learning.shared_lessons WHERE lesson_id = \(lesson)
            """
        ).first.map { try $0.decode(String.self, column: 0) }
    }

    /// The visibility events of the lesson, as `version shared published previousShared previousPublished`.
    static func visibilityEvents(_ database: TestDatabase) async throws -> [String] {
        try await database.rows(
            """
            SELECT concat_ws(' ', aggregate_version, payload -> 'lesson' ->> 'shared',
                payload -> 'lesson' ->> 'published', payload ->> 'previousShared', payload ->> 'previousPublished')
            FROM messaging.events WHERE name = 'learning.lesson_visibility_changed.v1' ORDER BY position
            """
        ).map { try $0.decode(String.self, column: 0) }
    }

    static func write(_ scene: LessonsTests.Scene, _ client: some TestClientProtocol) async throws -> LessonJSON {
        let written = try await client.send(
            .post, "/api/v1/activities/\(scene.activity)/lessons", as: scene.partner, json: LessonsTests.dogbo)
        #expect(written.status == .created)
        return try decodeLesson(LessonJSON.self, written)
    }

    @Test("a coordinator shares a lesson: its library row is there when the PATCH answers, and follows its words")
    func coordinatorShares() async throws {
        let fixture = try await LearningFixture.make("lessonsshare")
        let database = fixture.database
        try await Application(router: fixture.router).test(.router) { client in
            let scene = try await LessonsTests.scene(database, client)
            let lesson = try await Self.write(scene, client)
            #expect(try await Self.libraryRow(lesson.id, database) == nil)

            // Neither the partner coordinator nor a viewer shares: the coordinator's choice.
            for caller in [scene.partner, scene.viewer] {
                let refused = try await client.send(
                    .patch, "/api/v1/lessons/\(lesson.id)", as: caller, json: #"{"shared": true}"#)
                #expect(refused.status == .forbidden)
            }
            let refused = try await client.send(
                .patch, "/api/v1/lessons/\(lesson.id)", as: scene.partner, json: #"{"published": true}"#)
            #expect(try decode(FieldProblem.self, refused).fields == ["shared", "published"])
            #expect(try await Self.libraryRow(lesson.id, database) == nil)

            let shared = try await client.send(
                .patch, "/api/v1/lessons/\(lesson.id)", as: scene.coordinator, json: #"{"shared": true}"#,
                headers: [.ifMatch: "\"1\""])
            #expect(shared.status == .ok && shared.headers[.eTag] == "\"2\"")
            let answer = try decodeLesson(LessonJSON.self, shared)
            #expect(answer.shared && answer.sharedAt != nil && !answer.published && answer.publishedAt == nil)
            #expect(
                try await Self.libraryRow(lesson.id, database)
                    == "L'acte de naissance numérique|partner_municipality|Roeselare–Dogbo|Dogbo|BJ|Online exchange on crisis practice|partner_coordinator"
            )
            #expect(try await Self.visibilityEvents(database) == ["2 true false false false"])

            // Its words change, the row follows; the partnership and the activity are renamed, the row follows.
            let rewritten = try await client.send(
                .patch, "/api/v1/lessons/\(lesson.id)", as: scene.partner, json: #"{"title": "L'acte en ligne"}"#)
            #expect(rewritten.status == .ok)
            let renamed = try await client.send(
                .patch, "/api/v1/partnerships/\(scene.partnership)", as: scene.coordinator,
                json: #"{"title": "Roeselare–Dogbo–Tota", "partner": {"name": "Dogbo-Tota", "country": "TG"}}"#)
            #expect(renamed.status == .ok)
            let activity = try await client.send(
                .patch, "/api/v1/activities/\(scene.activity)", as: scene.coordinator,
                json: #"{"title": "Crisis practice exchange"}"#)
            #expect(activity.status == .ok)
            #expect(
                try await Self.libraryRow(lesson.id, database)
                    == "L'acte en ligne|partner_municipality|Roeselare–Dogbo–Tota|Dogbo-Tota|TG|Crisis practice exchange|partner_coordinator"
            )

            // Deleted, it leaves the library with it.
            let deleted = try await client.send(.delete, "/api/v1/lessons/\(lesson.id)", as: scene.coordinator)
            #expect(deleted.status == .noContent)
            #expect(try await Self.libraryRow(lesson.id, database) == nil)
        }
        await fixture.pool.close()
    }

    @Test("unsharing takes the lesson out of the library in the same transaction, and unpublishes it")
    func unshareRemovesAtOnce() async throws {
        let fixture = try await LearningFixture.make("lessonsunshare")
        let database = fixture.database
        try await Application(router: fixture.router).test(.router) { client in
            let scene = try await LessonsTests.scene(database, client)
            let lesson = try await Self.write(scene, client)
            let published = try await client.send(
                .patch, "/api/v1/lessons/\(lesson.id)", as: scene.coordinator,
                json: #"{"shared": true, "published": true}"#)
            #expect(published.status == .ok)
            #expect(try await Self.libraryRow(lesson.id, database) != nil)

            let unshared = try await client.send(
                .patch, "/api/v1/lessons/\(lesson.id)", as: scene.coordinator, json: #"{"shared": false}"#)
            #expect(unshared.status == .ok)
            let answer = try decodeLesson(LessonJSON.self, unshared)
            #expect(!answer.shared && !answer.published && answer.sharedAt == nil && answer.publishedAt == nil)
            #expect(try await Self.libraryRow(lesson.id, database) == nil)
            #expect(
                try await Self.visibilityEvents(database) == ["2 true true false false", "3 false false true true"])

            // A refused change rolls back with its transaction: nothing enters the library.
            let stale = try await client.send(
                .patch, "/api/v1/lessons/\(lesson.id)", as: scene.coordinator, json: #"{"shared": true}"#,
                headers: [.ifMatch: "\"2\""])
            #expect(stale.status == .preconditionFailed)
            #expect(try await Self.libraryRow(lesson.id, database) == nil)
        }
        await fixture.pool.close()
    }

    @Test("published implies shared: publishing shares too, and shared false with published true is refused")
    func publishedImpliesShared() async throws {
        let fixture = try await LearningFixture.make("lessonspublish")
        let database = fixture.database
        try await Application(router: fixture.router).test(.router) { client in
            let scene = try await LessonsTests.scene(database, client)
            let lesson = try await Self.write(scene, client)
            let contradiction = try await client.send(
                .patch, "/api/v1/lessons/\(lesson.id)", as: scene.coordinator,
                json: #"{"shared": false, "published": true}"#)
            #expect(contradiction.status == .unprocessableContent)
            #expect(try decode(FieldProblem.self, contradiction).fields == ["published"])

            let published = try await client.send(
                .patch, "/api/v1/lessons/\(lesson.id)", as: scene.coordinator, json: #"{"published": true}"#)
            #expect(published.status == .ok)
            let answer = try decodeLesson(LessonJSON.self, published)
            #expect(answer.shared && answer.published && answer.sharedAt != nil && answer.publishedAt != nil)
            #expect(try await Self.libraryRow(lesson.id, database) != nil)
            #expect(try await Self.visibilityEvents(database) == ["2 true true false false"])

            // Unpublishing keeps it shared; words and flags in one change are two versions, two events.
            let both = try await client.send(
                .patch, "/api/v1/lessons/\(lesson.id)", as: scene.coordinator,
                json: #"{"published": false, "themes": ["covid-19", "registry"]}"#)
            #expect(both.status == .ok && both.headers[.eTag] == "\"4\"")
            let after = try decodeLesson(LessonJSON.self, both)
            #expect(after.shared && !after.published && after.sharedAt == answer.sharedAt)
            #expect(try await Self.visibilityEvents(database).last == "4 true false true true")
            #expect(try await Self.libraryRow(lesson.id, database) != nil)
        }
        await fixture.pool.close()
    }
}
