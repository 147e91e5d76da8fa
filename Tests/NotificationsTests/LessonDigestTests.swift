import Delivery
import Foundation
import Gateway
import Hummingbird
import HummingbirdTesting
import LearningContracts
import Messaging
import NIOCore
import Postgres
import TestSupport
import Testing
import Vocabulary

@testable import Notifications

@Suite("Lessons in digests")
struct LessonDigestTests {
    static let partnerLesson = "L’acte de naissance numérique"
    static let ownLesson = "Digitale geboorteaangifte"
    static let activity = "Online exchange on crisis practice"

    /// Roeselare–Dogbo with its coordinator (Dutch digests, daily at 07:00 in Brussels) and Dogbo's partner
    /// coordinator (French, daily at 07:00 in Porto-Novo), both members, and one activity; its events delivered.
    struct Scene {
        var coordinator: TestTenant
        var partner: TestTenant
        var partnership: UUID
        var activity: UUID
    }

    static func scene(_ fixture: NotificationsFixture) async throws -> Scene {
        let coordinator = try await TestTenant.create(
            in: fixture.database, slug: "roeselare", role: .coordinator, email: "coordinator@roeselare.be")
        let partner = try await TestTenant.create(
            in: fixture.database, slug: "roeselare", role: .partnerCoordinator, email: "coordination@dogbo.bj")
        let (partnership, activity) = try await Application(router: fixture.router).test(.router) { client in
            let dutch = try await client.send(
                .put, "/api/v1/me/notifications", as: coordinator,
                json: #"{"frequency": "daily", "hour": 7, "timeZone": "Europe/Brussels", "locale": "nl"}"#)
            #expect(dutch.status == .ok)
            let french = try await client.send(
                .put, "/api/v1/me/notifications", as: partner,
                json: #"{"frequency": "daily", "hour": 7, "timeZone": "Africa/Porto-Novo", "locale": "fr"}"#)
            #expect(french.status == .ok)
            let id = try await client.partnership(
                #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}}"#, by: coordinator,
                member: partner)
            let added = try await client.send(
                .post, "/api/v1/partnerships/\(id)/members", as: coordinator,
                json: #"{"userId": "\#(coordinator.userID)", "role": "coordinator"}"#)
            #expect(added.status == .created || added.status == .conflict)
            let recorded = try object(
                try await client.send(
                    .post, "/api/v1/partnerships/\(id)/activities", as: coordinator,
                    json:
                        #"{"title": "\#(Self.activity)", "kind": "knowledge_exchange", "direction": "south_to_north"}"#)
            )
            return (
                try #require(UUID(uuidString: id)),
                try #require((recorded["id"] as? String).flatMap(UUID.init(uuidString:)))
            )
        }
        try await fixture.workers.drain()
        return Scene(coordinator: coordinator, partner: partner, partnership: partnership, activity: activity)
    }

    /// A lesson of the scene's activity at `version`.
    static func lesson(
        _ scene: Scene, id: LessonID, title: String, side: LessonSide, by author: TestTenant,
        role: PartnershipRole, shared: Bool = false, published: Bool = false, version: Int = 1
    ) -> LessonState {
        LessonState(
            id: id, activityId: scene.activity, partnershipId: scene.partnership, title: title,
            body: "De geboorteaangifte gebeurt nu online.", side: side, themes: ["covid-19"], sdgTargets: ["16.9"],
            policyDomain: "civil_registry", language: side == .partnerMunicipality ? "fr" : "nl",
            authorId: author.userID, authorRole: role, shared: shared, sharedAt: shared ? Date() : nil,
            published: published, publishedAt: published ? Date() : nil, version: version)
    }

    /// Publishes `events` in one transaction of the scene's municipality, done by `actor`, and delivers them.
    static func publish(
        _ fixture: NotificationsFixture, _ scene: Scene, by actor: TestTenant, _ events: [any LessonEvent]
    ) async throws {
        try await fixture.pool.withTransaction(tenantID: scene.coordinator.tenantID) { connection in
            for event in events {
                try await publishOne(event, fixture: fixture, scene: scene, actor: actor, in: connection)
            }
        }
        try await fixture.workers.drain()
    }

    private static func publishOne<E: LessonEvent>(
        _ event: E, fixture: NotificationsFixture, scene: Scene, actor: TestTenant, in connection: PostgresConnection
    ) async throws {
        try await fixture.bus.publish(
            event, tenantID: scene.coordinator.tenantID, actor: actor.userID.uuidString.lowercased(), in: connection)
    }

    static func preview(_ fixture: NotificationsFixture, _ user: TestTenant) async throws -> String {
        try await Application(router: fixture.router).test(.router) { client in
            String(buffer: try await client.send(.get, "/api/v1/me/digests/preview?format=text", as: user).body)
        }
    }

    @Test(
        "a lesson written reaches the partnership's other members by real mail, in their language, under the activity: Dogbo's in Dutch to Roeselare's coordinator, Roeselare's in French to Dogbo's partner coordinator"
    )
    func writtenReachesCoordinators() async throws {
        try await TestSMTPServer.with { smtp in
            let mailer = try SMTPMailer(url: smtp.url, logger: TestLogger.make("smtp"))
            let fixture = try await NotificationsFixture.make("lessondigests", transport: mailer)
            let scene = try await Self.scene(fixture)
            try await Self.publish(
                fixture, scene, by: scene.partner,
                [
                    LessonWritten(
                        lesson: Self.lesson(
                            scene, id: LessonID(rawValue: UUID()), title: Self.partnerLesson,
                            side: .partnerMunicipality, by: scene.partner, role: .partnerCoordinator),
                        activityTitle: Self.activity, partnerName: "Dogbo")
                ])
            try await Self.publish(
                fixture, scene, by: scene.coordinator,
                [
                    LessonWritten(
                        lesson: Self.lesson(
                            scene, id: LessonID(rawValue: UUID()), title: Self.ownLesson, side: .flemishMunicipality,
                            by: scene.coordinator, role: .coordinator),
                        activityTitle: Self.activity, partnerName: "Dogbo")
                ])

            // Both send times after the lessons: each member's digest of that day.
            let brussels = try #require(
                DigestScheduleProbe.daily(7, "Europe/Brussels").nextSend(after: fixture.clock.now()))
            let portoNovo = try #require(
                DigestScheduleProbe.daily(7, "Africa/Porto-Novo").nextSend(after: fixture.clock.now()))
            #expect(try await fixture.schedule(movingTo: max(brussels, portoNovo).addingTimeInterval(5)) == 2)
            try await fixture.workers.drain()
            let received = try await smtp.waitForMessages(count: 2)
            func text(to address: String) async throws -> (subject: String?, text: String) {
                let mail = try #require(received.first { $0.recipients == [address] }, "no mail to \(address)")
                let parsed = try await ParsedMail.parse(mail.data)
                return (parsed.header("Subject"), try #require(parsed.parts.first?.content))
            }

            let coordinators = try await text(to: "coordinator@roeselare.be")
            #expect(
                coordinators.text.contains(
                    "De partnercoördinator van Dogbo schreef wat Dogbo leerde: “\(Self.partnerLesson)”"),
                "\(coordinators.text)")
            #expect(coordinators.text.contains("1 les geschreven"), "\(coordinators.text)")
            // Under the activity, whose page it links.
            #expect(
                coordinators.text.contains(
                    "  \(Self.activity)\n  https://stedenband.example.org/activities/\(scene.activity.uuidString.lowercased())"
                ), "\(coordinators.text)")
            #expect(!coordinators.text.contains(Self.ownLesson), "the coordinator is told of their own lesson")

            let partners = try await text(to: "coordination@dogbo.bj")
            #expect(
                partners.text.contains("Test coordinator a écrit ce que Roeselare a appris : « \(Self.ownLesson) »"),
                "\(partners.text)")
            #expect(partners.text.contains("1 leçon écrite"), "\(partners.text)")
            #expect(!partners.text.contains(Self.partnerLesson), "the partner is told of their own lesson")
        }
    }

    @Test(
        "nobody is told of their own lesson; edits, deletions and a lesson turning unshared or unpublished tell nobody"
    )
    func actorIsNotTold() async throws {
        let fixture = try await NotificationsFixture.make("lessondigestsactor")
        let scene = try await Self.scene(fixture)
        let id = LessonID(rawValue: UUID())
        func state(_ title: String, shared: Bool = false, published: Bool = false, version: Int) -> LessonState {
            Self.lesson(
                scene, id: id, title: title, side: .partnerMunicipality, by: scene.partner, role: .partnerCoordinator,
                shared: shared, published: published, version: version)
        }
        try await Self.publish(
            fixture, scene, by: scene.partner,
            [
                LessonWritten(
                    lesson: state(Self.partnerLesson, version: 1), activityTitle: Self.activity, partnerName: "Dogbo")
            ])
        #expect(!(try await Self.preview(fixture, scene.partner)).contains(Self.partnerLesson))
        let told = try await Self.preview(fixture, scene.coordinator)
        #expect(told.contains("schreef wat Dogbo leerde: “\(Self.partnerLesson)”"), "\(told)")

        // The partner corrects the title; the coordinator shares, then takes it back; the partner deletes it.
        try await Self.publish(
            fixture, scene, by: scene.partner,
            [LessonChanged(lesson: state("Acte de naissance en ligne", version: 2), changedFields: ["title"])])
        try await Self.publish(
            fixture, scene, by: scene.coordinator,
            [
                LessonVisibilityChanged(
                    lesson: state("Acte de naissance en ligne", shared: true, published: true, version: 3),
                    previousShared: false, previousPublished: false, activityTitle: Self.activity, partnerName: "Dogbo")
            ])
        let partners = try await Self.preview(fixture, scene.partner)
        #expect(
            partners.contains(
                "Roeselare a partagé « Acte de naissance en ligne » avec les autres communes et l’a publiée dans la vitrine"
            ), "\(partners)")
        #expect(!(try await Self.preview(fixture, scene.coordinator)).contains("deelde"))
        try await Self.publish(
            fixture, scene, by: scene.coordinator,
            [
                LessonVisibilityChanged(
                    lesson: state("Acte de naissance en ligne", shared: true, version: 4), previousShared: true,
                    previousPublished: true),
                LessonVisibilityChanged(
                    lesson: state("Acte de naissance en ligne", version: 5), previousShared: true,
                    previousPublished: false),
            ])
        try await Self.publish(
            fixture, scene, by: scene.partner, [LessonDeleted(lesson: state("Acte de naissance en ligne", version: 6))])

        let coordinators = try await Self.preview(fixture, scene.coordinator)
        #expect(coordinators.contains("1 les geschreven"), "\(coordinators)")
        #expect(!coordinators.contains("Acte de naissance en ligne"), "\(coordinators)")
        let partnersAfter = try await Self.preview(fixture, scene.partner)
        #expect(partnersAfter.contains("1 leçon partagée"), "\(partnersAfter)")
        #expect(!partnersAfter.contains("1 leçon publiée") && !partnersAfter.contains("écrite"), "\(partnersAfter)")
        // Exactly the two lines in the inbox: the lesson written (for the coordinator), shared (for the partner).
        let admin = try await fixture.database.connectAsAdmin()
        let kinds = try await admin.query(
            "SELECT item->>'kind' FROM notifications.inbox WHERE event_name LIKE 'learning.%' ORDER BY 1"
        ).map { try $0.decode(String.self, column: 0) }
        await admin.close()
        #expect(kinds == ["lesson_shared", "lesson_written"])
    }

    @Test("a lesson shared, shared and published at once, or published later: its line in every language")
    func sharedLineInEveryLanguage() {
        func line(_ language: String, _ kind: String, published: Bool? = nil) -> String {
            let item = InboxItem(
                kind: kind, partnershipTitle: "Roeselare–Dogbo", activityTitle: Self.activity, partnerName: "Dogbo",
                lessonTitle: Self.partnerLesson, lessonSide: "partner_municipality",
                authorRole: "partner_coordinator", municipalityName: "Roeselare", published: published)
            return DigestStrings.of(language).line(item, { _ in "" }, { _ in "—" })
        }
        let title = Self.partnerLesson
        #expect(line("en", "lesson_shared") == "Roeselare shared “\(title)” with the other municipalities")
        #expect(line("nl", "lesson_shared") == "Roeselare deelde “\(title)” met de andere gemeenten")
        #expect(line("fr", "lesson_shared") == "Roeselare a partagé « \(title) » avec les autres communes")
        #expect(line("es", "lesson_shared") == "Roeselare compartió «\(title)» con los demás municipios")
        #expect(
            line("en", "lesson_shared", published: true)
                == "Roeselare shared “\(title)” with the other municipalities and published it on the showcase")
        #expect(
            line("nl", "lesson_shared", published: true)
                == "Roeselare deelde “\(title)” met de andere gemeenten en publiceerde ze in de etalage")
        #expect(
            line("fr", "lesson_shared", published: true)
                == "Roeselare a partagé « \(title) » avec les autres communes et l’a publiée dans la vitrine")
        #expect(
            line("es", "lesson_shared", published: true)
                == "Roeselare compartió «\(title)» con los demás municipios y la publicó en el escaparate")
        #expect(line("en", "lesson_published") == "Roeselare published “\(title)” on the showcase")
        #expect(line("nl", "lesson_published") == "Roeselare publiceerde “\(title)” in de etalage")
        #expect(line("fr", "lesson_published") == "Roeselare a publié « \(title) » dans la vitrine")
        #expect(line("es", "lesson_published") == "Roeselare publicó «\(title)» en el escaparate")
        // Written: the partner's coordinator by the partner's name, anyone else by their own.
        #expect(line("en", "lesson_written") == "Dogbo’s partner coordinator wrote what Dogbo learnt: “\(title)”")
        #expect(
            line("es", "lesson_written") == "El/la coordinador/a de Dogbo escribió lo que aprendió Dogbo: «\(title)»")
        let byCoordinator = InboxItem(
            kind: "lesson_written", partnershipTitle: "Roeselare–Dogbo", lessonTitle: "Online",
            lessonSide: "flemish_municipality",
            authorId: UUID(), authorRole: "coordinator", municipalityName: "Roeselare")
        #expect(
            DigestStrings.of("nl").line(byCoordinator, { _ in "" }, { _ in "An Peeters" })
                == "An Peeters schreef wat Roeselare leerde: “Online”")
    }

    @Test("every kind of lesson line has its words in every language, also when the names are not known")
    func everyKindHasWordsInEveryLanguage() {
        let kinds = ["lesson_written", "lesson_shared", "lesson_published"]
        for language in Language.allCases {
            let strings = DigestStrings.all[language]
            for kind in kinds {
                #expect(!strings.count(kind, 1).contains(kind), "\(language): no count words for \(kind)")
                #expect(!strings.count(kind, 2).contains(kind), "\(language): no count words for \(kind)")
                for side in LessonSide.allCases {
                    // An event that named no partner, heard without the municipality's name.
                    let item = InboxItem(
                        kind: kind, partnershipTitle: "P", lessonTitle: "T", lessonSide: side.rawValue,
                        authorRole: "partner_coordinator")
                    let line = strings.line(item, { _ in "" }, { _ in "" })
                    #expect(line != kind && line.contains("T"), "\(language): no line for \(kind)")
                    #expect(!line.hasPrefix(" ") && !line.contains("  "), "\(language): a name is missing: \(line)")
                }
            }
        }
    }
}
