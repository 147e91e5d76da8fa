import Foundation
import Gateway
import Hummingbird
import HummingbirdTesting
import Postgres
import TestSupport
import Testing

@Suite("The Results plugin's copies of partnerships, members and activities")
struct ResultsCopiesTests {
    /// The copy of one partnership: title, status, partner's name, version.
    func partnership(_ id: UUID, in database: TestDatabase) async throws -> [String] {
        try await database.rows(
            "SELECT title, status, partner_name, version FROM results.partnerships WHERE id = \(id)"
        ).map { "\(try $0.decode((String, String, String, Int).self))" }
    }

    /// The copy of one partnership's members: user and role, by role.
    func members(_ id: UUID, in database: TestDatabase) async throws -> [String] {
        try await database.rows(
            """
            SELECT user_id, role FROM results.partnership_members WHERE partnership_id = \(id) ORDER BY role, user_id
            """
        ).map { "\(try $0.decode((UUID, String).self))" }
    }

    /// The copy of one activity: tenant, partnership, title, version.
    func activity(_ id: UUID, in database: TestDatabase) async throws -> [String] {
        try await database.rows(
            "SELECT tenant_id, partnership_id, title, version FROM results.activities WHERE id = \(id)"
        ).map { "\(try $0.decode((UUID, UUID, String, Int).self))" }
    }

    @Test("the copies follow each change of a partnership and its activities, in the publisher's transaction")
    func copiesFollowThePartnership() async throws {
        let fixture = try await ResultsFixture.make("resultscopies")
        let database = fixture.database
        let coordinator = try await TestTenant.create(in: database, slug: "roeselare", role: .coordinator)
        let partner = try await TestTenant.create(in: database, slug: "roeselare", role: .partnerCoordinator)
        let admin = try await TestTenant.create(in: database, slug: "roeselare", role: .admin)
        try await Application(router: fixture.router).test(.router) { client in
            let created = try await client.send(
                .post, "/api/v1/partnerships", as: coordinator,
                json:
                    #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}, "status": "exploring"}"#
            )
            #expect(created.status == .created)
            let dogbo = try decode(Created.self, created).id
            #expect(
                try await partnership(dogbo, in: database) == ["(\"Roeselare–Dogbo\", \"exploring\", \"Dogbo\", 1)"])

            // A new member, then a new title, status and partner name: the copy follows each version.
            let added = try await client.send(
                .post, "/api/v1/partnerships/\(dogbo)/members", as: coordinator,
                json: #"{"userId": "\#(partner.userID)", "role": "partner_coordinator"}"#)
            #expect(added.status == .created)
            #expect(try await members(dogbo, in: database).contains("(\(partner.userID), \"partner_coordinator\")"))
            let changed = try await client.send(
                .patch, "/api/v1/partnerships/\(dogbo)", as: coordinator,
                json:
                    #"{"title": "Roeselare – Dogbo", "status": "active", "partner": {"name": "Dogbo-Tota", "country": "BJ"}}"#
            )
            #expect(changed.status == .ok)
            let version = try decode(Created.self, changed).version
            #expect(
                try await partnership(dogbo, in: database) == [
                    "(\"Roeselare – Dogbo\", \"active\", \"Dogbo-Tota\", \(version))"
                ])

            // An activity enters the copy in its own request's transaction; its new title follows; its deletion
            // removes it.
            let recorded = try await client.send(
                .post, "/api/v1/partnerships/\(dogbo)/activities", as: coordinator,
                json: #"{"title": "Birth registration", "kind": "capacity_building", "direction": "mutual"}"#)
            #expect(recorded.status == .created)
            let registration = try decode(Created.self, recorded).id
            #expect(
                try await activity(registration, in: database) == [
                    "(\(coordinator.tenantID), \(dogbo), \"Birth registration\", 1)"
                ])
            let renamed = try await client.send(
                .patch, "/api/v1/activities/\(registration)", as: coordinator,
                json: #"{"title": "Birth registration within 90 days"}"#)
            #expect(renamed.status == .ok)
            #expect(
                try await activity(registration, in: database) == [
                    "(\(coordinator.tenantID), \(dogbo), \"Birth registration within 90 days\", 2)"
                ])
            #expect(
                try await client.send(.delete, "/api/v1/activities/\(registration)", as: coordinator).status
                    == .noContent)
            #expect(try await activity(registration, in: database).isEmpty)

            // A member who leaves leaves the copy; a deleted partnership leaves it with its members.
            let removed = try await client.send(
                .delete, "/api/v1/partnerships/\(dogbo)/members/\(partner.userID)", as: coordinator)
            #expect(removed.status == .noContent)
            #expect(try await !members(dogbo, in: database).contains("(\(partner.userID), \"partner_coordinator\")"))
            #expect(try await client.send(.delete, "/api/v1/partnerships/\(dogbo)", as: admin).status == .noContent)
            #expect(try await partnership(dogbo, in: database).isEmpty)
            #expect(try await members(dogbo, in: database).isEmpty)
        }
    }
}
