import Foundation
import Migrations
import Postgres
import TestSupport
import Testing

@Suite("0036 and 0050: the Results and Learning plugins' copies start from the kept events")
struct ResultsCopiesMigrationTests {
    /// A migration that starts a plugin's copies: its number, the plugin's schema and every table it makes.
    struct Copies: Sendable, CustomTestStringConvertible {
        var migration: Int
        var schema: String
        var tables: [String]
        var testDescription: String { "\(migration) (\(schema))" }
    }

    static let copies = [
        Copies(
            migration: 36, schema: "results",
            tables: ["activities", "indicators", "partnership_members", "partnerships", "periods", "results"]),
        Copies(
            migration: 50, schema: "learning",
            tables: [
                "activities", "lessons", "partnership_members", "partnerships", "policy_domains", "shared_lessons",
            ]),
    ]

    /// One kept event, as the event bus writes it: `payload` holds the aggregate's state under `key`.
    struct KeptEvent {
        var tenant: UUID
        var name: String
        var aggregate: UUID
        var version: Int
        var payload: String
    }

    static func partnership(
        _ tenant: UUID, _ name: String, _ id: UUID, version: Int, title: String, partner: String,
        members: [(UUID, String)]
    ) -> KeptEvent {
        let list = members.map { #"{"userId": "\#($0.0.uuidString)", "role": "\#($0.1)"}"# }
        let payload = #"""
            {"partnership": {"id": "\#(id.uuidString)", "title": "\#(title)", "status": "active",
             "partner": {"name": "\#(partner)", "country": "BJ"}, "sdgFocus": [], "version": \#(version),
             "members": [\#(list.joined(separator: ","))]}}
            """#
        return KeptEvent(
            tenant: tenant, name: "partnerships.\(name).v1", aggregate: id, version: version, payload: payload)
    }

    static func activity(
        _ tenant: UUID, _ name: String, _ id: UUID, partnership: UUID, version: Int, title: String
    ) -> KeptEvent {
        let payload = #"""
            {"activity": {"id": "\#(id.uuidString)", "partnershipId": "\#(partnership.uuidString)",
             "title": "\#(title)", "version": \#(version)}}
            """#
        return KeptEvent(
            tenant: tenant, name: "activities.\(name).v1", aggregate: id, version: version, payload: payload)
    }

    @Test(
        "partnerships, members and activities as their latest kept event states them, in every municipality",
        arguments: copies)
    func copiesFromTheKeptEvents(_ copies: Copies) async throws {
        let database = try await TestDatabase.empty("\(copies.schema)00\(copies.migration)")
        let runner = MigrationRunner(
            migrations: try MigrationSet.load(directory: TestPaths.migrations),
            configuration: database.adminConfiguration, logger: TestLogger.make("migrations"))
        try await runner.up(to: copies.migration - 1)
        let admin = try await database.connectAsAdmin()
        let (roeselare, oostende) = (UUID(), UUID())
        for (tenant, slug) in [(roeselare, "roeselare"), (oostende, "oostende")] {
            try await admin.query("INSERT INTO platform.tenants (id, slug, name) VALUES (\(tenant), \(slug), \(slug))")
        }
        let (dogbo, ended, banjul, bare) = (UUID(), UUID(), UUID(), UUID())
        let (former, partner, coordinator, other) = (UUID(), UUID(), UUID(), UUID())
        let (registration, cancelled, orphan, market) = (UUID(), UUID(), UUID(), UUID())
        let events: [KeptEvent] = [
            // Dogbo was renamed and changed members; its latest event is what the copy holds.
            Self.partnership(
                roeselare, "partnership_created", dogbo, version: 1, title: "Draft", partner: "Dogbo",
                members: [(former, "coordinator")]),
            Self.partnership(
                roeselare, "partnership_member_added", dogbo, version: 2, title: "Roeselare–Dogbo",
                partner: "Dogbo", members: [(partner, "partner_coordinator"), (coordinator, "coordinator")]),
            // A deleted partnership stays out, and so does its activity.
            Self.partnership(
                roeselare, "partnership_created", ended, version: 1, title: "Ended", partner: "Nowhere",
                members: [(coordinator, "coordinator")]),
            Self.partnership(
                roeselare, "partnership_deleted", ended, version: 2, title: "Ended", partner: "Nowhere",
                members: []),
            Self.activity(roeselare, "activity_recorded", orphan, partnership: ended, version: 1, title: "Orphan"),
            // A renamed activity; a progress update repeats its version.
            Self.activity(roeselare, "activity_recorded", registration, partnership: dogbo, version: 1, title: "Old"),
            Self.activity(
                roeselare, "activity_updated", registration, partnership: dogbo, version: 2,
                title: "Birth registration"),
            Self.activity(
                roeselare, "activity_update_posted", registration, partnership: dogbo, version: 2,
                title: "Birth registration"),
            // A deleted activity stays out.
            Self.activity(roeselare, "activity_recorded", cancelled, partnership: dogbo, version: 1, title: "Gone"),
            Self.activity(roeselare, "activity_deleted", cancelled, partnership: dogbo, version: 2, title: "Gone"),
            // Another municipality's, kept in its own scope.
            Self.partnership(
                oostende, "partnership_created", banjul, version: 1, title: "Oostende–Banjul", partner: "Banjul",
                members: [(other, "coordinator")]),
            Self.activity(oostende, "activity_recorded", market, partnership: banjul, version: 1, title: "Market"),
        ]
        // An event of a partial shape (no title, status or partner) leaves them empty and fails nothing.
        let partial = KeptEvent(
            tenant: roeselare, name: "partnerships.partnership_created.v1", aggregate: bare, version: 1,
            payload: #"{"partnership": {"id": "\#(bare.uuidString)", "members": [{"role": "coordinator"}]}}"#)
        for event in events + [partial] {
            try await admin.query(
                """
                INSERT INTO messaging.events (tenant_id, id, name, aggregate_id, aggregate_version, payload, occurred_at)
                VALUES (\(event.tenant), \(UUID()), \(event.name), \(event.aggregate), \(event.version),
                    \(event.payload)::jsonb, now())
                """)
        }
        try await runner.up(to: copies.migration)

        let partnerships = try await admin.query(
            """
            SELECT tenant_id, id, title, status, partner_name, version FROM \(unsafeSQL: copies.schema).partnerships
            ORDER BY title
            """
        ).map { try $0.decode((UUID, UUID, String, String, String, Int).self) }
        #expect(
            partnerships.map { "\($0)" }
                == [
                    (roeselare, bare, "", "", "", 1), (oostende, banjul, "Oostende–Banjul", "active", "Banjul", 1),
                    (roeselare, dogbo, "Roeselare–Dogbo", "active", "Dogbo", 2),
                ].map { "\($0)" })

        let members = try await admin.query(
            """
            SELECT tenant_id, partnership_id, user_id, role FROM \(unsafeSQL: copies.schema).partnership_members
            ORDER BY role, user_id
            """
        ).map { try $0.decode((UUID, UUID, UUID, String).self) }
        let expectedMembers = [
            (roeselare, dogbo, coordinator, "coordinator"), (oostende, banjul, other, "coordinator"),
            (roeselare, dogbo, partner, "partner_coordinator"),
        ].sorted { ($0.3, $0.2.uuidString) < ($1.3, $1.2.uuidString) }
        #expect(members.map { "\($0)" } == expectedMembers.map { "\($0)" })

        let activities = try await admin.query(
            "SELECT tenant_id, id, partnership_id, title, version FROM \(unsafeSQL: copies.schema).activities ORDER BY title"
        ).map { try $0.decode((UUID, UUID, UUID, String, Int).self) }
        #expect(
            activities.map { "\($0)" }
                == [
                    (roeselare, registration, dogbo, "Birth registration", 2), (oostende, market, banjul, "Market", 1),
                ].map { "\($0)" })

        // Every new table is closed like every tenant table, and the migration left no municipality in scope.
        let forced = try await admin.query(
            """
            SELECT c.relname, c.relforcerowsecurity FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = \(copies.schema) AND c.relkind = 'r' AND c.relname <> 'policy_domains'
            ORDER BY c.relname
            """
        ).map { try $0.decode((String, Bool).self) }
        #expect(
            forced.map { "\($0)" } == copies.tables.filter { $0 != "policy_domains" }.map { "\(($0, true))" })
        if copies.schema == "learning" {
            // Learning keeps the partner's country too, which the library filters by.
            let countries = try await admin.query(
                "SELECT partner_country FROM learning.partnerships ORDER BY title"
            ).map { try $0.decode(String.self) }
            #expect(countries == ["", "BJ", "BJ"])
            // The instance's policy domains, one table for every municipality, with words in four languages.
            let domains = try await admin.query(
                "SELECT code FROM learning.policy_domains WHERE names ?& ARRAY['nl', 'en', 'fr', 'es'] ORDER BY position"
            ).map { try $0.decode(String.self) }
            #expect(domains.first == "civil_registry" && domains.last == "other" && domains.count == 12)
        }
        await admin.close()
    }
}
