import Foundation
import Postgres
import TestSupport
import Testing

@Suite("stedenband demo")
struct DemoCommandTests {
    @Test("creates real stedenbanden with illustrative COVID-19 activities through the services, once")
    func demo() async throws {
        let database = try await TestDatabase.migrated("demo")
        let env = database.commandEnvironment()
        let first = try await CommandRun.run(["demo"], environment: env)
        #expect(first.status == 0, "\(first.stderr)")
        let tokens = first.stdout.split(separator: "\n").filter { $0.contains("sbt_") }
        #expect(tokens.count == 12)
        let admin = try await database.connectAsAdmin()
        let counts = try await admin.query(
            """
            SELECT (SELECT count(*) FROM partnerships.partnerships),
                   (SELECT count(*) FROM activities.activities WHERE 'covid-19' = ANY(themes)),
                   (SELECT count(DISTINCT direction) FROM activities.activities),
                   (SELECT count(*) FROM activities.activities WHERE description LIKE '%Illustrative demo data%'),
                   (SELECT count(*) FROM messaging.events WHERE name = 'activities.activity_recorded.v1')
            """
        )
        let (partnerships, covid, directions, illustrative, events) = try counts[0].decode(
            (Int, Int, Int, Int, Int).self)
        #expect(partnerships == 4)
        #expect(covid == 12)
        #expect(directions == 3)
        #expect(illustrative == 12)
        #expect(events == 12)
        // Every operation published its events, as the API's requests do.
        let published = try await admin.query(
            """
            SELECT name, count(*) FROM messaging.events
            WHERE name IN ('partnerships.partnership_created.v1', 'partnerships.partnership_member_added.v1',
                           'activities.activity_update_posted.v1')
            GROUP BY name
            """
        )
        var byName: [String: Int] = [:]
        for row in published {
            let (name, count) = try row.decode((String, Int).self)
            byName[name] = count
        }
        #expect(
            byName == [
                "partnerships.partnership_created.v1": 4, "partnerships.partnership_member_added.v1": 4,
                "activities.activity_update_posted.v1": 12,
            ])
        // Each campaign has an illustrative indicator: 2020's value reported by the partner and approved, 2021's
        // reported and waiting for review.
        let periods = try await admin.query(
            """
            SELECT p.status, p.actual_value::text, u.role FROM results.periods p
            JOIN results.indicators i ON i.tenant_id = p.tenant_id AND i.id = p.indicator_id
            JOIN platform.users u ON u.id = p.reported_by
            WHERE i.description LIKE '%Illustrative demo data%'
            ORDER BY p.starts_on
            """
        ).map { try $0.decode((String, String, String).self) }
        #expect(periods.count == 8)
        #expect(periods.filter { $0.0 == "approved" }.map(\.1) == Array(repeating: "2500", count: 4))
        #expect(periods.filter { $0.0 == "submitted" }.map(\.1) == Array(repeating: "2750", count: 4))
        #expect(periods.allSatisfy { $0.2 == "partner_coordinator" })
        // Each municipality learnt from its partner's online exchange: one lesson, its own, neither shared nor
        // published (the municipality chooses), on the activity in which the partner taught.
        let lessons = try await admin.query(
            """
            SELECT l.side || ' ' || a.direction || ' ' || l.shared || ' ' || l.published || ' ' || l.language
            FROM learning.lessons l JOIN activities.activities a ON a.tenant_id = l.tenant_id AND a.id = l.activity_id
            WHERE l.body LIKE '%Illustratieve demogegevens%'
            """
        ).map { try $0.decode(String.self, column: 0) }
        #expect(lessons == Array(repeating: "flemish_municipality south_to_north false false nl", count: 4))
        // The partner coordinator is a member and wrote the updates; the demo users are printed with their tokens.
        let members = try await admin.query(
            """
            SELECT count(*) FROM partnerships.members m JOIN platform.users u ON u.id = m.user_id
            WHERE u.email LIKE 'partner-coordinator@%.demo.invalid' AND m.role = 'partner_coordinator'
            """
        )[0].decode(Int.self, column: 0)
        #expect(members == 4)
        #expect(tokens.contains { $0.contains("\tpartner_coordinator\tpartner-coordinator@leuven.demo.invalid\tsbt_") })
        let again = try await CommandRun.run(["demo", "--if-empty"], environment: env)
        #expect(again.status == 0)
        #expect(!again.stdout.contains("sbt_"))
    }
}
