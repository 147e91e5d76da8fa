import Foundation
import Gateway
import Hummingbird
import HummingbirdTesting
import Messaging
import NIOCore
import Postgres
import ResultsContracts
import TestSupport
import Testing
import Vocabulary

@testable import Notifications

@Suite("The results framework in digests")
struct ResultDigestTests {
    static let indicator = "Birth registrations within 90 days (%)"

    /// A period of 2020 of a percentage indicator, target 70, at `status`, with 74 reported by `reporter`.
    static func period(partnership: UUID, status: PeriodStatus, reporter: UUID, version: Int) -> PeriodState {
        PeriodState(
            id: PeriodID(rawValue: UUID(uuidString: "6F1B2A3C-0000-4000-8000-0000000000AA")!),
            indicatorId: IndicatorID(rawValue: UUID()), resultId: ResultID(rawValue: UUID()),
            partnershipId: partnership, activityId: nil, start: CalendarDate("2020-01-01")!,
            end: CalendarDate("2020-12-31")!, target: PeriodValue(value: IndicatorValue("70"), comment: ""),
            actual: PeriodValue(value: IndicatorValue("74"), comment: "Mobile teams"), status: status,
            reportedBy: reporter, reportedAt: Date(), reviewedBy: nil, reviewedAt: nil,
            reviewComment: status == .returned ? "Please add the source" : "", version: version)
    }

    static let summary = IndicatorSummary(
        id: IndicatorID(rawValue: UUID()), title: indicator, measure: .percentage, baseline: nil)

    /// Roeselare–Dogbo with a coordinator (digests in `coordinatorLocale`) and the partner's coordinator (in
    /// English), both members; answers the people and the partnership's id, its events delivered.
    static func scene(_ fixture: NotificationsFixture, coordinatorLocale: String) async throws -> (
        coordinator: TestTenant, partner: TestTenant, partnership: UUID
    ) {
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        let partner = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .partnerCoordinator)
        let id = try await Application(router: fixture.router).test(.router) { client in
            _ = try await client.send(
                .put, "/api/v1/me/notifications", as: coordinator, json: #"{"locale": "\#(coordinatorLocale)"}"#)
            _ = try await client.send(.put, "/api/v1/me/notifications", as: partner, json: #"{"locale": "en"}"#)
            let id = try await client.partnership(
                #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}}"#, by: coordinator,
                member: partner)
            let added = try await client.send(
                .post, "/api/v1/partnerships/\(id)/members", as: coordinator,
                json: #"{"userId": "\#(coordinator.userID)", "role": "coordinator"}"#)
            #expect(added.status == .created || added.status == .conflict)
            return try #require(UUID(uuidString: id))
        }
        try await fixture.workers.drain()
        return (coordinator, partner, id)
    }

    @Test(
        "the partner's report reaches the coordinator in their language, naming the partner municipality; the approval reaches the partner; nobody is told of their own act"
    )
    func reportedAndApproved() async throws {
        let fixture = try await NotificationsFixture.make("resultdigests")
        let (coordinator, partner, id) = try await Self.scene(fixture, coordinatorLocale: "fr")
        try await fixture.pool.withTransaction(tenantID: coordinator.tenantID) { connection in
            try await fixture.bus.publish(
                ValueReported(
                    period: Self.period(partnership: id, status: .submitted, reporter: partner.userID, version: 2),
                    indicator: Self.summary, reporterSide: .partner, partnerName: "Dogbo"),
                tenantID: coordinator.tenantID, actor: partner.userID.uuidString.lowercased(), in: connection)
            try await fixture.bus.publish(
                ValueApproved(
                    period: Self.period(partnership: id, status: .approved, reporter: partner.userID, version: 3),
                    indicator: Self.summary),
                tenantID: coordinator.tenantID, actor: coordinator.userID.uuidString.lowercased(), in: connection)
        }
        try await fixture.workers.drain()
        try await Application(router: fixture.router).test(.router) { client in
            func preview(_ user: TestTenant) async throws -> String {
                String(buffer: try await client.send(.get, "/api/v1/me/digests/preview?format=text", as: user).body)
            }
            let theirs = try await preview(coordinator)
            #expect(
                theirs.contains("Dogbo a rapporté 74\u{00A0}% pour \(Self.indicator), cible 70\u{00A0}%"), "\(theirs)")
            #expect(theirs.contains("1 valeur rapportée") && !theirs.contains("Approuvé"), "\(theirs)")
            let partners = try await preview(partner)
            #expect(partners.contains("Approved: 74% for \(Self.indicator) (2020)"), "\(partners)")
            #expect(!partners.contains("reported 74"), "\(partners)")
        }
    }

    @Test("a value the municipality's side reports reaches the partner naming who reported it, as people are named")
    func municipalityReporterIsNamed() async throws {
        let fixture = try await NotificationsFixture.make("resultdigestsreporter")
        let (coordinator, partner, id) = try await Self.scene(fixture, coordinatorLocale: "nl")
        // The municipality's administrator reports: nobody else in the digest's window names them.
        let admin = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .admin)
        try await fixture.pool.withTransaction(tenantID: coordinator.tenantID) { connection in
            try await fixture.bus.publish(
                ValueReported(
                    period: Self.period(partnership: id, status: .submitted, reporter: admin.userID, version: 2),
                    indicator: Self.summary, reporterSide: .municipality, partnerName: "Dogbo"),
                tenantID: coordinator.tenantID, actor: admin.userID.uuidString.lowercased(), in: connection)
        }
        try await fixture.workers.drain()
        try await Application(router: fixture.router).test(.router) { client in
            let partners = String(
                buffer: try await client.send(.get, "/api/v1/me/digests/preview?format=text", as: partner).body)
            #expect(
                partners.contains("Test admin reported 74% for \(Self.indicator), target 70%"), "\(partners)")
            #expect(!partners.contains("— reported"), "\(partners)")
        }
    }

    @Test(
        "a value returned before the digest went is not told as reported: the coordinator hears nothing of it, the partner why it came back"
    )
    func returnedValueIsNotTold() async throws {
        let fixture = try await NotificationsFixture.make("resultdigestsreturned")
        let (coordinator, partner, id) = try await Self.scene(fixture, coordinatorLocale: "nl")
        try await fixture.pool.withTransaction(tenantID: coordinator.tenantID) { connection in
            try await fixture.bus.publish(
                ValueReported(
                    period: Self.period(partnership: id, status: .submitted, reporter: partner.userID, version: 2),
                    indicator: Self.summary, reporterSide: .partner, partnerName: "Dogbo"),
                tenantID: coordinator.tenantID, actor: partner.userID.uuidString.lowercased(), in: connection)
        }
        try await fixture.workers.drain()
        try await fixture.pool.withTransaction(tenantID: coordinator.tenantID) { connection in
            try await fixture.bus.publish(
                ValueReturned(
                    period: Self.period(partnership: id, status: .returned, reporter: partner.userID, version: 3),
                    indicator: Self.summary),
                tenantID: coordinator.tenantID, actor: coordinator.userID.uuidString.lowercased(), in: connection)
        }
        try await fixture.workers.drain()
        try await Application(router: fixture.router).test(.router) { client in
            func preview(_ user: TestTenant) async throws -> String {
                String(buffer: try await client.send(.get, "/api/v1/me/digests/preview?format=text", as: user).body)
            }
            // The value as a word of its own: the digest's links carry random ids, which may hold "74" (never
            // as a word: each part of an id is at least four hex digits long).
            func tellsTheValue(_ text: String) -> Bool { text.contains(/\b74\b/) }
            let theirs = try await preview(coordinator)
            #expect(!tellsTheValue(theirs) && !theirs.contains(Self.indicator), "\(theirs)")
            let partners = try await preview(partner)
            #expect(
                partners.contains("Returned for correction: \(Self.indicator) (2020): “Please add the source”"),
                "\(partners)")
            #expect(!tellsTheValue(partners), "\(partners)")
        }
    }

    @Test("each line in each language: a person or the partner reports, a value is approved or returned, a comment")
    func linesInEveryLanguage() {
        let reporter = UUID()
        func item(_ kind: String, measure: String = "percentage", value: String? = "74", side: String = "partner")
            -> InboxItem
        {
            InboxItem(
                kind: kind, partnershipTitle: "Roeselare–Dogbo", indicatorTitle: "Registrations", measure: measure,
                value: value, target: "70", comment: kind == "value_returned" ? "Add the source" : "Mobile teams",
                periodStart: CalendarDate("2020-01-01"),
                periodEnd: CalendarDate(kind == "value_returned" ? "2020-06-30" : "2020-12-31"),
                reporterId: reporter, reporterSide: side, partnerName: "Dogbo")
        }
        func line(_ language: String, _ item: InboxItem) -> String {
            DigestStrings.of(language).line(item, { _ in "" }, { $0 == reporter ? "Awa Ndiaye" : "—" })
        }
        #expect(line("en", item("value_reported")) == "Dogbo reported 74% for Registrations, target 70%")
        #expect(line("nl", item("value_reported")) == "Dogbo rapporteerde 74% voor Registrations, streefwaarde 70%")
        #expect(line("es", item("value_reported")) == "Dogbo informó 74\u{00A0}% para Registrations, meta 70\u{00A0}%")
        // A coordinator who reports is named; a decimal takes the reader's mark and a unit no sign.
        #expect(
            line("nl", item("value_reported", measure: "unit", value: "12.5", side: "municipality"))
                == "Awa Ndiaye rapporteerde 12,5 voor Registrations, streefwaarde 70")
        #expect(
            line("fr", item("value_reported", measure: "qualitative", value: nil))
                == "Dogbo a rapporté sur Registrations : « Mobile teams »")
        #expect(line("fr", item("value_approved")) == "Approuvé : 74\u{00A0}% pour Registrations (2020)")
        // A returned value does not count: its line says why, not what.
        #expect(
            line("en", item("value_returned"))
                == "Returned for correction: Registrations (2020-01-01 – 2020-06-30): “Add the source”")
        #expect(!line("fr", item("value_returned")).contains("74"))
        #expect(line("es", item("indicator_defined")) == "Nuevo indicador: Registrations")
    }

    @Test("every kind of change has its words and its line in every language")
    func everyKindHasWordsInEveryLanguage() {
        let kinds = [
            "partnership_created", "partnership_updated", "partnership_status_changed", "partnership_member_added",
            "partnership_member_removed", "partnership_deleted", "activity_recorded", "activity_updated",
            "activity_status_changed", "activity_budget_changed", "activity_update_posted", "activity_deleted",
            "indicator_defined", "value_reported", "value_approved", "value_returned", "reminder_quiet",
            "reminder_period_ending",
        ]
        for language in Language.allCases {
            let strings = DigestStrings.all[language]
            for kind in kinds {
                #expect(!strings.count(kind, 2).contains(kind), "\(language): no count words for \(kind)")
                let item = InboxItem(kind: kind, partnershipTitle: "P", value: "1", target: "2")
                #expect(strings.line(item, { _ in "" }, { _ in "" }) != kind, "\(language): no line for \(kind)")
            }
        }
    }
}
