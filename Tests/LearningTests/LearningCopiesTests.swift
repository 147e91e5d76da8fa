import Foundation
import Gateway
import Hummingbird
import HummingbirdTesting
import Postgres
import TestSupport
import Testing

@Suite("The Learning plugin's copies of partnerships, members and activities")
struct LearningCopiesTests {
    /// The copy of one partnership: title, partner's name and country, version.
    func partnership(_ id: UUID, in database: TestDatabase) async throws -> [String] {
        try await database.rows(
            "SELECT title, partner_name, partner_country, version FROM learning.partnerships WHERE id = \(id)"
        ).map { "\(try $0.decode((String, String, String, Int).self))" }
    }

    /// The copy of one activity: partnership and title.
    func activity(_ id: UUID, in database: TestDatabase) async throws -> [String] {
        try await database.rows(
            "SELECT partnership_id, title FROM learning.activities WHERE id = \(id)"
        ).map { "\(try $0.decode((UUID, String).self))" }
    }

    /// The lessons left in the plugin's tables and in the library.
    func lessons(in database: TestDatabase) async throws -> [String] {
        try await database.rows(
            """
            SELECT l.title, s.lesson_id IS NOT NULL FROM learning.lessons l
            LEFT JOIN learning.shared_lessons s ON s.tenant_id = l.tenant_id AND s.lesson_id = l.id ORDER BY l.title
            """
        ).map { "\(try $0.decode((String, Bool).self))" }
    }

    /// Writes a lesson straight into the plugin's tables, shared when `shared`, as the service will.
    func writeLesson(
        _ title: String, activity: UUID, partnership: UUID, of author: TestTenant, shared: Bool,
        in database: TestDatabase
    ) async throws {
        let id = UUID()
        _ = try await database.rows(
            """
            INSERT INTO learning.lessons (tenant_id, id, activity_id, partnership_id, title, body, side,
                policy_domain, language, author_id, author_role, shared, shared_at, created_at, updated_at)
            VALUES (\(author.tenantID), \(id), \(activity), \(partnership), \(title), 'Ce que Dogbo a appris.',
                'partner_municipality', 'civil_registry', 'fr', \(author.userID), 'partner_coordinator', \(shared),
                CASE WHEN \(shared) THEN now() END, now(), now())
            """)
        guard shared else { return }
        _ = try await database.rows(
            """
            INSERT INTO learning.shared_lessons (tenant_id, lesson_id, title, body, side, themes, sdg_targets,
                policy_domain, language, partnership_title, partner_name, partner_country, activity_title,
                contact_role, shared_at)
            VALUES (\(author.tenantID), \(id), \(title), 'Ce que Dogbo a appris.', 'partner_municipality', '{}', '{}',
                'civil_registry', 'fr', 'Roeselare–Dogbo', 'Dogbo', 'BJ', 'Birth registration', 'partner_coordinator',
                now())
            """)
    }

    @Test("the copies follow the partnership, its partner's country and its activities in the publisher's transaction")
    func copiesFollowThePartnership() async throws {
        let fixture = try await LearningFixture.make("learningcopies")
        let database = fixture.database
        let coordinator = try await TestTenant.create(in: database, slug: "roeselare", role: .coordinator)
        let admin = try await TestTenant.create(in: database, slug: "roeselare", role: .admin)
        try await Application(router: fixture.router).test(.router) { client in
            let created = try await client.send(
                .post, "/api/v1/partnerships", as: coordinator,
                json:
                    #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}, "status": "active"}"#
            )
            #expect(created.status == .created)
            let dogbo = try decode(Created.self, created).id
            #expect(try await partnership(dogbo, in: database) == [#"("Roeselare–Dogbo", "Dogbo", "BJ", 1)"#])

            // The partner's new name and country follow (what the library shows and filters by).
            let moved = try await client.send(
                .patch, "/api/v1/partnerships/\(dogbo)", as: coordinator,
                json: #"{"partner": {"name": "Dogbo-Tota", "country": "TG"}}"#)
            #expect(moved.status == .ok)
            #expect(try await partnership(dogbo, in: database) == [#"("Roeselare–Dogbo", "Dogbo-Tota", "TG", 2)"#])

            // An activity enters the copy in its own request's transaction, and its new title follows.
            let recorded = try await client.send(
                .post, "/api/v1/partnerships/\(dogbo)/activities", as: coordinator,
                json: #"{"title": "Birth registration", "kind": "capacity_building", "direction": "south_to_north"}"#)
            #expect(recorded.status == .created)
            let registration = try decode(Created.self, recorded).id
            #expect(try await activity(registration, in: database) == [#"(\#(dogbo), "Birth registration")"#])
            let renamed = try await client.send(
                .patch, "/api/v1/activities/\(registration)", as: coordinator,
                json: #"{"title": "Digital birth registration"}"#)
            #expect(renamed.status == .ok)
            #expect(try await activity(registration, in: database) == [#"(\#(dogbo), "Digital birth registration")"#])

            // Deleting the activity deletes its lessons, and a shared one leaves the library in the same
            // transaction: nothing of a deleted activity stays findable by other municipalities.
            let other = try await client.send(
                .post, "/api/v1/partnerships/\(dogbo)/activities", as: coordinator,
                json: #"{"title": "Market day", "kind": "knowledge_exchange", "direction": "mutual"}"#)
            let market = try decode(Created.self, other).id
            try await writeLesson(
                "L'acte de naissance numérique", activity: registration, partnership: dogbo, of: coordinator,
                shared: true, in: database)
            try await writeLesson(
                "Le marché du samedi", activity: market, partnership: dogbo, of: coordinator, shared: false,
                in: database)
            #expect(
                try await lessons(in: database) == [
                    #"("L\'acte de naissance numérique", true)"#, #"("Le marché du samedi", false)"#,
                ])
            #expect(
                try await client.send(.delete, "/api/v1/activities/\(registration)", as: coordinator).status
                    == .noContent)
            #expect(try await activity(registration, in: database).isEmpty)
            #expect(try await lessons(in: database) == [#"("Le marché du samedi", false)"#])

            // A partnership is deleted once its activities are (and their lessons with them); it leaves the copy.
            #expect(
                try await client.send(.delete, "/api/v1/activities/\(market)", as: coordinator).status == .noContent)
            #expect(try await lessons(in: database).isEmpty)
            #expect(try await client.send(.delete, "/api/v1/partnerships/\(dogbo)", as: admin).status == .noContent)
            #expect(try await partnership(dogbo, in: database).isEmpty)
        }
    }
}
