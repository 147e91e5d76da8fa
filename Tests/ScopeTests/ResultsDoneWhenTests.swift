import Delivery
import Foundation
import Gateway
import Hummingbird
import HummingbirdTesting
import Messaging
import NIOCore
import Notifications
import TestSupport
import Testing

/// Issue 16's "Done when", on the whole server against the real database and a real SMTP server: a coordinator
/// defines "birth registrations within 90 days (%)" with baseline 2019 = 61% and yearly targets; Dogbo's partner
/// coordinator reports 2020 = 74% on the phone form in French; the coordinator approves it; the results report
/// (per SDG target), the digest mail and a schema-valid IATI file show it, and a returned value shows nowhere;
/// a partnership that then stays quiet for 90 days reminds its members once.
@Suite("Issue 16, done when: a value reported by the partner, approved, reaches the report, the digest and IATI")
struct ResultsDoneWhenTests {
    static let indicator = "Birth registrations within 90 days (%)"

    @Test(
        "define, report in French, approve; the report, the digest mail and the IATI file show 74%; a returned value shows nowhere"
    )
    func reportedApprovedShown() async throws {
        let smtp = try await TestSMTPServer.start()
        let server = try await WholeServer.make(
            "resultsdonewhen", mail: try SMTPMailer(url: smtp.url, logger: TestLogger.make("smtp")))
        let coordinator = try await TestTenant.create(
            in: server.database, slug: "roeselare", role: .coordinator, email: "coordinator@roeselare.be")
        let partner = try await TestTenant.create(
            in: server.database, slug: "roeselare", role: .partnerCoordinator, email: "etat-civil@dogbo.bj")
        try await server.publishIATI(coordinator.tenantID, reference: "BE-BCE_KBO-0205466573")
        let start = server.clock.now()
        let (environment, pool) = (server.environment, server.pool)
        let ids = try await Application(router: server.router).test(.router) { client in
            #expect(
                try await client.send(.put, "/api/v1/me/notifications", as: partner, json: #"{"locale": "fr"}"#)
                    .status == .ok)
            let partnership = try await client.make(
                "/api/v1/partnerships", as: coordinator,
                json: #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}}"#)
            for (user, role) in [(partner, "partner_coordinator"), (coordinator, "coordinator")] {
                let added = try await client.send(
                    .post, "/api/v1/partnerships/\(partnership)/members", as: coordinator,
                    json: #"{"userId": "\#(user.userID)", "role": "\#(role)"}"#)
                #expect(added.status == .created || added.status == .conflict)
            }
            let activity = try await client.make(
                "/api/v1/partnerships/\(partnership)/activities", as: coordinator,
                json: #"""
                    {"title": "Digital birth registration", "kind": "knowledge_exchange", "direction": "mutual",
                     "description": "Mobile registration teams and a shared civil registry",
                     "startsOn": "2020-01-01", "endsOn": "2022-12-31", "sdgTargets": ["16.9"],
                     "dacSectors": ["15112"], "budget": {"planned": "30000.00", "spent": "9000.00", "currency": "EUR"}}
                    """#)
            // The coordinator defines the indicator with its baseline and yearly targets.
            let result = try await client.make(
                "/api/v1/activities/\(activity)/results", as: coordinator,
                json: #"{"title": "Every birth registered in time", "type": "outcome"}"#)
            let indicator = try await client.make(
                "/api/v1/results/\(result)/indicators", as: coordinator,
                json: #"""
                    {"title": "\#(Self.indicator)", "measure": "percentage", "sdgTarget": "16.9",
                     "baseline": {"year": 2019, "value": "61", "comment": "Civil registry of Dogbo"}}
                    """#)
            var periods: [String] = []
            for (year, target) in [("2020", "70"), ("2021", "80"), ("2022", "90")] {
                periods.append(
                    try await client.make(
                        "/api/v1/indicators/\(indicator)/periods", as: coordinator,
                        json:
                            #"{"start": "\#(year)-01-01", "end": "\#(year)-12-31", "target": {"value": "\#(target)"}}"#
                    ))
            }
            // A second indicator whose value the coordinator returns: it must show nowhere.
            let trained = try await client.make(
                "/api/v1/results/\(result)/indicators", as: coordinator,
                json: #"{"title": "Registry staff trained", "measure": "unit"}"#)
            let trainedPeriod = try await client.make(
                "/api/v1/indicators/\(trained)/periods", as: coordinator,
                json: #"{"start": "2020-01-01", "end": "2020-12-31", "target": {"value": "20"}}"#)
            #expect(
                try await client.send(
                    .put, "/api/v1/periods/\(trainedPeriod)/actual", as: partner, json: #"{"value": "987"}"#
                ).status == .ok)
            #expect(
                try await client.send(
                    .post, "/api/v1/periods/\(trainedPeriod)/return", as: coordinator,
                    json: #"{"comment": "Which training?"}"#
                ).status == .ok)

            // Dogbo's partner coordinator reports 2020 = 74 on the phone form, in French.
            let phone = try await TestBrowser.signedIn(
                client, as: "etat-civil@dogbo.bj", environment: environment, pool: pool)
            // Their language, from the switch every page has.
            try await phone.get("/")
            let switched = try await phone.post("/language", form: ["lang": "fr", "next": "/"])
            #expect(switched.status == .seeOther, "\(switched.status): \(String(buffer: switched.body))")
            let form = String(buffer: try await phone.get("/periods/\(periods[0])/report").body)
            #expect(form.contains("Rapporter une valeur") && form.contains(#"<html lang="fr""#))
            let sent = try await phone.post(
                "/periods/\(periods[0])/report",
                form: ["version": "1", "value": "74", "comment": "Équipes mobiles dans les arrondissements"])
            #expect(sent.status == .seeOther)
            // The coordinator approves it.
            #expect(
                try await client.send(.post, "/api/v1/periods/\(periods[0])/approve", as: coordinator).status == .ok)
            return (activity: activity, indicator: indicator)
        }
        try await server.workers.drain()

        try await Application(router: server.router).test(.router) { client in
            // The results report: the indicator under SDG target 16.9, its approved 74 and the progress from 61.
            let report =
                try JSONSerialization.jsonObject(
                    with: Data(
                        try await client.send(.get, "/api/v1/reports/results", as: coordinator).body.readableBytesView))
                as? [String: Any]
            let indicators = try #require(report?["indicators"] as? [[String: Any]])
            let birth = try #require(indicators.first { $0["title"] as? String == Self.indicator })
            #expect((birth["latest"] as? [String: Any])?["actual"] as? String == "74")
            #expect(birth["sdgTarget"] as? String == "16.9")
            let targets = try #require(report?["sdgTargets"] as? [[String: Any]])
            #expect(
                targets.first { $0["code"] as? String == "16.9" }.flatMap { $0["indicators"] as? [String] }?
                    .map { $0.lowercased() }.contains(ids.indicator) == true)
            let trained = try #require(indicators.first { $0["title"] as? String == "Registry staff trained" })
            #expect(trained["latest"] == nil && !"\(trained)".contains("987"))
            let page = String(
                buffer: try await client.send(.get, "/api/v1/reports/results?format=html&lang=nl", as: coordinator).body
            )
            #expect(page.contains("\(Self.indicator): 74% (2020)"), "\(page)")

            // The IATI file: valid against the 2.03 schema, with the approved value and the description, without
            // the returned one.
            let iati = String(
                buffer: try await client.send(.get, "/api/v1/exports/iati?year=2020", as: coordinator).body)
            let verdict = try await IATISchema.verdict(iati)
            #expect(verdict.valid, "xmllint rejected the file (kept at \(verdict.file)):\n\(verdict.output)")
            #expect(iati.contains("Mobile registration teams and a shared civil registry"))
            #expect(iati.contains(#"<actual value="74""#), "\(iati)")
            #expect(!iati.contains(#"value="987""#))
        }

        // The digests: the coordinator's in Dutch tells of Dogbo's report, the partner's in French of the approval.
        try await server.sendDigests(after: 8)
        var mails: [(to: [String], text: String)] = []
        for mail in try await smtp.waitForMessages(count: 2, timeout: .seconds(30)) {
            mails.append((mail.recipients, try await Self.text(of: mail)))
        }
        let coordinators = try #require(mails.first { $0.to.contains("coordinator@roeselare.be") })
        #expect(coordinators.text.contains("Dogbo rapporteerde 74% voor \(Self.indicator)"), "\(coordinators.text)")
        #expect(!coordinators.text.contains("987"))
        let partners = try #require(mails.first { $0.to.contains("etat-civil@dogbo.bj") })
        #expect(partners.text.contains("74\u{00A0}%") && partners.text.contains(Self.indicator), "\(partners.text)")

        // Then the partnership stays quiet: 90 days after its last news both members are reminded, once, in
        // their next digest and their language.
        func scan(afterDays days: Double) async throws -> (digest: Int, mail: Int) {
            let instant = start.addingTimeInterval(days * 86_400)
            server.clock.set(instant)
            return try await NotificationsPlugin.runReminders(
                at: instant, pool: server.pool, queue: server.queue, logger: TestLogger.make("reminders"))
        }
        #expect(try await scan(afterDays: 89) == (0, 0))
        #expect(try await scan(afterDays: 90.5) == (2, 0))
        #expect(try await scan(afterDays: 91) == (0, 0))
        try await server.sendDigests(after: 8)
        var reminded: [(to: [String], text: String)] = []
        for mail in try await smtp.waitForMessages(count: 4, timeout: .seconds(30)).dropFirst(2) {
            reminded.append((mail.recipients, try await Self.text(of: mail)))
        }
        #expect(reminded.count == 2)
        #expect(
            reminded.contains {
                $0.to.contains("coordinator@roeselare.be")
                    && $0.text.contains("Al 90 dagen werd er niets gepost of gerapporteerd in Roeselare–Dogbo")
            }, "\(reminded.map(\.text))")
        #expect(
            reminded.contains {
                $0.to.contains("etat-civil@dogbo.bj")
                    && $0.text.contains("Rien n’a été publié ni rapporté dans Roeselare–Dogbo depuis 90 jours")
            }, "\(reminded.map(\.text))")
        #expect(try await scan(afterDays: 120) == (0, 0))
        await smtp.stop()
    }

    /// A mail's parts as Python's `email` package decodes them (quoted-printable and all), one after the other.
    static func text(of mail: TestSMTPServer.ReceivedMail) async throws -> String {
        try await ParsedMail.parse(mail.data).parts.map(\.content).joined(separator: "\n")
    }
}
