import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LearningContracts
import Messaging
import Postgres
import TestSupport
import Testing
import Vocabulary

@testable import Reporting

/// Lessons in the read model: the Learning plugin's events, published here through the bus as that plugin
/// publishes them, kept in `reporting.lessons` and counted per side in the reports.
@Suite("Lessons in the read model")
struct LessonsReadModelTests {
    /// A lesson of `activity` in `partnership` at `version`.
    static func lesson(
        _ id: LessonID, partnership: UUID, activity: UUID, side: LessonSide,
        title: String = "Online birth registration",
        shared: Bool = false, published: Bool = false, version: Int
    ) -> LessonState {
        LessonState(
            id: id, activityId: activity, partnershipId: partnership, title: title, body: "What we learnt.",
            side: side, themes: ["covid-19"], sdgTargets: ["16.9"], policyDomain: "civil_registry", language: "fr",
            authorId: UUID(), authorRole: side == .partnerMunicipality ? .partnerCoordinator : .coordinator,
            shared: shared, sharedAt: shared ? Date(timeIntervalSince1970: 1_600_000_000) : nil, published: published,
            publishedAt: published ? Date(timeIntervalSince1970: 1_600_000_000) : nil, version: version)
    }

    /// Publishes `events` in one transaction of `tenant`, as the Learning plugin would, and delivers them.
    static func publish(_ fixture: ReportingFixture, tenant: UUID, _ events: [any LessonEvent]) async throws {
        try await fixture.pool.withTransaction(tenantID: tenant) { connection in
            for event in events { try await publishOne(event, fixture: fixture, tenant: tenant, in: connection) }
        }
        try await fixture.workers.drain()
    }

    private static func publishOne<E: LessonEvent>(
        _ event: E, fixture: ReportingFixture, tenant: UUID, in connection: PostgresConnection
    ) async throws {
        try await fixture.bus.publish(event, tenantID: tenant, actor: nil, in: connection)
    }

    /// The lessons and their figures as the admin reads them: `l id:side:version:deleted:published`, `f side:n`.
    static func snapshot(_ fixture: ReportingFixture) async throws -> [String] {
        let admin = try await fixture.database.connectAsAdmin()
        let rows = try await admin.query(
            """
            SELECT 'l ' || id || ':' || side || ':' || version || ':' || deleted || ':' || published || ':' || title
            FROM reporting.lessons
            UNION ALL SELECT 'f ' || tenant_id || ':' || side || ':' || lessons FROM reporting.lesson_figures
            WHERE lessons <> 0
            ORDER BY 1
            """)
        await admin.close()
        return try rows.map { try $0.decode(String.self, column: 0) }
    }

    /// The overview's lessons per side as `user` reads them, through the API.
    static func lessonsBySide(_ fixture: ReportingFixture, as user: TestTenant, query: String = "") async throws
        -> [String: Int]
    {
        try await Application(router: fixture.router).test(.router) { client in
            let report = try object(try await client.send(.get, "/api/v1/reports/overview\(query)", as: user))
            let list = try #require(report["lessonsBySide"] as? [[String: Any]])
            return Dictionary(
                uniqueKeysWithValues: list.compactMap { entry in
                    (entry["key"] as? String).map { ($0, entry["count"] as? Int ?? -1) }
                })
        }
    }

    @Test(
        "each event applies once, an older one changes nothing, a deletion leaves a tombstone; the overview counts per side"
    )
    func appliesAndTombstones() async throws {
        let fixture = try await ReportingFixture.make("reportlessons")
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        let (partnership, activity) = try await ResultsScene.scene(fixture, as: coordinator)
        try await fixture.workers.drain()
        #expect(
            try await Self.lessonsBySide(fixture, as: coordinator) == [
                "flemish_municipality": 0, "partner_municipality": 0,
            ])
        let id = LessonID(rawValue: UUID())
        func state(_ side: LessonSide, title: String, shared: Bool = false, published: Bool = false, version: Int)
            -> LessonState
        {
            Self.lesson(
                id, partnership: partnership, activity: activity, side: side, title: title, shared: shared,
                published: published, version: version)
        }
        try await Self.publish(
            fixture, tenant: coordinator.tenantID,
            [
                LessonWritten(lesson: state(.partnerMunicipality, title: "first", version: 1)),
                LessonWritten(
                    lesson: Self.lesson(
                        LessonID(rawValue: UUID()), partnership: partnership, activity: activity,
                        side: .flemishMunicipality, version: 1)),
            ])
        #expect(
            try await Self.lessonsBySide(fixture, as: coordinator) == [
                "flemish_municipality": 1, "partner_municipality": 1,
            ])
        // The side changes: the lesson moves from one count to the other; the same change again, or an older
        // state, moves nothing.
        let moved = LessonChanged(
            lesson: state(.flemishMunicipality, title: "second", version: 2), changedFields: ["side"])
        try await Self.publish(
            fixture, tenant: coordinator.tenantID,
            [moved, moved, LessonWritten(lesson: state(.partnerMunicipality, title: "first", version: 1))])
        #expect(
            try await Self.lessonsBySide(fixture, as: coordinator) == [
                "flemish_municipality": 2, "partner_municipality": 0,
            ])
        try await Self.publish(
            fixture, tenant: coordinator.tenantID,
            [
                LessonVisibilityChanged(
                    lesson: state(.flemishMunicipality, title: "second", shared: true, published: true, version: 3),
                    previousShared: false, previousPublished: false)
            ])
        let kept = try await Self.snapshot(fixture)
        #expect(kept.contains("l \(id.rawValue.uuidString.lowercased()):flemish_municipality:3:false:true:second"))
        try await Self.publish(
            fixture, tenant: coordinator.tenantID,
            [
                LessonDeleted(
                    lesson: state(.flemishMunicipality, title: "second", shared: true, published: true, version: 4))
            ])
        let after = try await Self.snapshot(fixture)
        #expect(after.contains("l \(id.rawValue.uuidString.lowercased()):flemish_municipality:4:true:true:second"))
        #expect(after.contains("f \(coordinator.tenantID.uuidString.lowercased()):flemish_municipality:1"), "\(after)")
        #expect(
            try await Self.lessonsBySide(fixture, as: coordinator) == [
                "flemish_municipality": 1, "partner_municipality": 0,
            ])
        // The CSV tells them after the reciprocity share.
        try await Application(router: fixture.router).test(.router) { client in
            let csv = String(
                buffer: try await client.send(.get, "/api/v1/reports/overview?format=csv", as: coordinator).body)
            #expect(
                csv.contains(
                    "reciprocity_share,,1.000,,,\r\nlessons_by_side,flemish_municipality,1,,,\r\nlessons_by_side,partner_municipality,0,,,\r\n"
                ), "\(csv)")
        }
    }

    @Test(
        "a deleted activity takes its lessons out of the counts; a rebuild from the kept events equals the live model"
    )
    func rebuildEqualsLive() async throws {
        let fixture = try await ReportingFixture.make("reportlessonsrebuild")
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        let (partnership, activity) = try await ResultsScene.scene(fixture, as: coordinator)
        let second = try await Application(router: fixture.router).test(.router) { client in
            let recorded = try object(
                try await client.send(
                    .post, "/api/v1/partnerships/\(partnership)/activities", as: coordinator,
                    json: #"{"title": "Study visit", "kind": "study_visit", "direction": "south_to_north"}"#))
            return try #require((recorded["id"] as? String).flatMap(UUID.init(uuidString:)))
        }
        try await fixture.workers.drain()
        let ids = (0..<4).map { _ in LessonID(rawValue: UUID()) }
        try await Self.publish(
            fixture, tenant: coordinator.tenantID,
            [
                LessonWritten(
                    lesson: Self.lesson(
                        ids[0], partnership: partnership, activity: activity, side: .partnerMunicipality, version: 1)),
                LessonWritten(
                    lesson: Self.lesson(
                        ids[1], partnership: partnership, activity: activity, side: .flemishMunicipality, version: 1)),
                LessonWritten(
                    lesson: Self.lesson(
                        ids[2], partnership: partnership, activity: second, side: .partnerMunicipality, version: 1)),
                LessonWritten(
                    lesson: Self.lesson(
                        ids[3], partnership: partnership, activity: second, side: .partnerMunicipality, version: 1)),
                LessonVisibilityChanged(
                    lesson: Self.lesson(
                        ids[0], partnership: partnership, activity: activity, side: .partnerMunicipality, shared: true,
                        version: 2), previousShared: false, previousPublished: false),
                LessonDeleted(
                    lesson: Self.lesson(
                        ids[3], partnership: partnership, activity: second, side: .partnerMunicipality, version: 2)),
            ])
        #expect(
            try await Self.lessonsBySide(fixture, as: coordinator) == [
                "flemish_municipality": 1, "partner_municipality": 2,
            ])
        let deleted = try await Application(router: fixture.router).test(.router) { client in
            try await client.send(.delete, "/api/v1/activities/\(second)", as: coordinator).status
        }
        #expect(deleted == .noContent)
        try await fixture.workers.drain()
        #expect(
            try await Self.lessonsBySide(fixture, as: coordinator) == [
                "flemish_municipality": 1, "partner_municipality": 1,
            ])
        let live = try await Self.snapshot(fixture)
        #expect(live.filter { $0.hasPrefix("l ") }.count == 4)
        #expect(live.filter { $0.hasPrefix("l ") && $0.contains(":true:") }.count == 2, "\(live)")
        let tenant = coordinator.tenantID.uuidString.lowercased()
        #expect(
            live.filter { $0.hasPrefix("f ") } == [
                "f \(tenant):flemish_municipality:1", "f \(tenant):partner_municipality:1",
            ])
        let replayed = try await ReportingPlugin.rebuild(tenants: [coordinator.tenantID], pool: fixture.pool)
        #expect(replayed[coordinator.tenantID] ?? 0 >= 6)
        #expect(try await Self.snapshot(fixture) == live)
    }

    @Test("a partner coordinator's overview counts only their partnerships' lessons, whatever the filter")
    func lessonsFollowScope() async throws {
        let fixture = try await ReportingFixture.make("reportlessonsscope")
        let coordinator = try await TestTenant.create(
            in: fixture.database, slug: "roeselare", role: .coordinator, email: "coordinator@roeselare.be")
        let partner = try await TestTenant.create(
            in: fixture.database, slug: "roeselare", role: .partnerCoordinator, email: "partner@roeselare.be")
        let (dogbo, dogboActivity) = try await ResultsScene.scene(fixture, as: coordinator)
        let (secret, secretActivity) = try await ResultsScene.scene(fixture, as: coordinator)
        let joined = try await Application(router: fixture.router).test(.router) { client in
            try await client.send(
                .post, "/api/v1/partnerships/\(dogbo)/members", as: coordinator,
                json: #"{"userId": "\#(partner.userID)", "role": "partner_coordinator"}"#
            ).status
        }
        #expect(joined == .created)
        try await fixture.workers.drain()
        var events: [any LessonEvent] = [
            LessonWritten(
                lesson: Self.lesson(
                    LessonID(rawValue: UUID()), partnership: dogbo, activity: dogboActivity, side: .partnerMunicipality,
                    version: 1))
        ]
        for side in [LessonSide.partnerMunicipality, .flemishMunicipality, .flemishMunicipality] {
            events.append(
                LessonWritten(
                    lesson: Self.lesson(
                        LessonID(rawValue: UUID()), partnership: secret, activity: secretActivity, side: side,
                        version: 1)))
        }
        try await Self.publish(fixture, tenant: coordinator.tenantID, events)
        let theirs = ["flemish_municipality": 0, "partner_municipality": 1]
        #expect(try await Self.lessonsBySide(fixture, as: partner) == theirs)
        #expect(
            try await Self.lessonsBySide(fixture, as: partner, query: "?partnershipId=\(secret)") == [
                "flemish_municipality": 0, "partner_municipality": 0,
            ])
        #expect(try await Self.lessonsBySide(fixture, as: partner, query: "?country=BJ") == theirs)
        #expect(
            try await Self.lessonsBySide(fixture, as: coordinator) == [
                "flemish_municipality": 2, "partner_municipality": 2,
            ])
        #expect(
            try await Self.lessonsBySide(fixture, as: coordinator, query: "?partnershipId=\(secret)") == [
                "flemish_municipality": 2, "partner_municipality": 1,
            ])
        // The /reports page tells them under the direction bar, naming the partner.
        let signIn = ReportPagesTests.SignIn(environment: fixture.environment, pool: fixture.pool)
        try await Application(router: fixture.router).test(.router) { client in
            let partners = try await signIn.browser(client, as: "partner@roeselare.be")
            let page = String(buffer: try await partners.get("/reports?lang=en").body)
            #expect(page.contains(#"<p id="figure-lessons">Roeselare learnt 0 lessons, Dogbo 1</p>"#), "\(page)")
            let coordinators = try await signIn.browser(client, as: "coordinator@roeselare.be")
            let dutch = String(buffer: try await coordinators.get("/reports?lang=nl").body)
            #expect(dutch.contains("Roeselare leerde 2 lessen, Dogbo 2"), "\(dutch)")
        }
    }

    @Test("the platform's overview counts every municipality's lessons per side, for platform administrators only")
    func platformCountsForPlatformAdministrators() async throws {
        let fixture = try await ReportingFixture.make("reportlessonsplatform")
        let roeselare = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        let leuven = try await TestTenant.create(in: fixture.database, slug: "leuven", role: .coordinator)
        let (dogbo, activity) = try await ResultsScene.scene(fixture, as: roeselare)
        let (other, otherActivity) = try await ResultsScene.scene(fixture, as: leuven)
        try await fixture.workers.drain()
        try await Self.publish(
            fixture, tenant: roeselare.tenantID,
            [
                LessonWritten(
                    lesson: Self.lesson(
                        LessonID(rawValue: UUID()), partnership: dogbo, activity: activity, side: .partnerMunicipality,
                        version: 1)),
                LessonWritten(
                    lesson: Self.lesson(
                        LessonID(rawValue: UUID()), partnership: dogbo, activity: activity, side: .flemishMunicipality,
                        version: 1)),
            ])
        try await Self.publish(
            fixture, tenant: leuven.tenantID,
            [
                LessonWritten(
                    lesson: Self.lesson(
                        LessonID(rawValue: UUID()), partnership: other, activity: otherActivity,
                        side: .partnerMunicipality, version: 1))
            ])
        let admin = try await fixture.database.connectAsAdmin()
        let token = APIToken.generate()
        try await admin.withTransaction { connection in
            let id = try await connection.query(
                "INSERT INTO platform.platform_admins (email, name) VALUES ('ops@platform.example.org', 'Ops') RETURNING id"
            )[0].decode(UUID.self, column: 0)
            try await Tenancy.insertToken(token, platformAdminID: id, name: "test", on: connection)
        }
        await admin.close()
        try await Application(router: fixture.router).test(.router) { client in
            let headers: HTTPFields = [.authorization: "Bearer \(token.value)"]
            let response = try await client.execute(
                uri: "/api/v1/platform/reports/overview", method: .get, headers: headers)
            #expect(response.status == .ok)
            let report = try object(response)
            func sides(_ report: [String: Any]?) -> [String: Int] {
                Dictionary(
                    uniqueKeysWithValues: ((report?["lessonsBySide"] as? [[String: Any]]) ?? []).compactMap { entry in
                        (entry["key"] as? String).map { ($0, entry["count"] as? Int ?? -1) }
                    })
            }
            #expect(
                sides(report["totals"] as? [String: Any]) == ["flemish_municipality": 1, "partner_municipality": 2])
            let municipalities = try #require(report["municipalities"] as? [[String: Any]])
            let bySlug = Dictionary(
                uniqueKeysWithValues: municipalities.compactMap { entry -> (String, [String: Int])? in
                    guard let slug = (entry["municipality"] as? [String: Any])?["slug"] as? String else { return nil }
                    return (slug, sides(entry["report"] as? [String: Any]))
                })
            #expect(bySlug["roeselare"] == ["flemish_municipality": 1, "partner_municipality": 1])
            #expect(bySlug["leuven"] == ["flemish_municipality": 0, "partner_municipality": 1])
            // No lesson's words cross: counts only.
            #expect(!String(buffer: response.body).contains("Online birth registration"))
            // A municipality's coordinator does not reach it.
            #expect(
                try await client.send(.get, "/api/v1/platform/reports/overview", as: roeselare).status == .notFound)
        }
        // The function refuses a municipality's transaction, and the app role reads no other municipality's
        // figures.
        await #expect(throws: PostgresError.self) {
            try await fixture.pool.withTransaction(tenantID: roeselare.tenantID) { connection in
                try await connection.query("SELECT * FROM reporting.platform_lesson_counts()")
            }
        }
        let seen = try await fixture.pool.withTransaction(tenantID: roeselare.tenantID) { connection in
            try await connection.query("SELECT DISTINCT tenant_id FROM reporting.lesson_figures").map {
                try $0.decode(UUID.self, column: 0)
            }
        }
        #expect(seen == [roeselare.tenantID])
    }
}
