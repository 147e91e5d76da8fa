import Delivery
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

@Suite("Reminders of quiet partnerships and ending periods")
struct ReminderTests {
    private static func utc(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }
    private static let day: TimeInterval = 86_400

    /// A fixture with a Roeselare coordinator and a Dogbo partner coordinator, both members of a partnership
    /// registered at `registeredAt` (the clock is left there).
    struct Quiet {
        let fixture: NotificationsFixture
        let coordinator: TestTenant
        let partner: TestTenant
        let partnership: UUID
        var app: Application<RouterResponder<GatewayRequestContext>> { Application(router: fixture.router) }

        static func make(
            _ label: String, registeredAt: Date? = nil, transport: (any MailTransport)? = nil,
            partnerSettings: String = #"{"locale": "fr"}"#, coordinatorSettings: String = #"{"locale": "en"}"#
        ) async throws -> Quiet {
            let fixture = try await NotificationsFixture.make(label, transport: transport)
            if let registeredAt { fixture.clock.set(registeredAt) }
            let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
            let partner = try await TestTenant.create(
                in: fixture.database, slug: "roeselare", role: .partnerCoordinator, email: "awa@dogbo.bj")
            let app = Application(router: fixture.router)
            let id = try await app.test(.router) { client in
                #expect(
                    try await client.send(.put, "/api/v1/me/notifications", as: partner, json: partnerSettings).status
                        == .ok)
                #expect(
                    try await client.send(
                        .put, "/api/v1/me/notifications", as: coordinator, json: coordinatorSettings
                    ).status == .ok)
                let id = try await client.partnership(
                    #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}, "status": "active"}"#,
                    by: coordinator, member: partner)
                let added = try await client.send(
                    .post, "/api/v1/partnerships/\(id)/members", as: coordinator,
                    json: #"{"userId": "\#(coordinator.userID)", "role": "coordinator"}"#)
                #expect(added.status == .created || added.status == .conflict)
                return try #require(UUID(uuidString: id))
            }
            try await fixture.workers.drain()
            return Quiet(fixture: fixture, coordinator: coordinator, partner: partner, partnership: id)
        }

        /// Runs the scan at `instant`, the clock moved there, as the periodic job would.
        @discardableResult
        func scan(at instant: Date) async throws -> (digest: Int, mail: Int) {
            fixture.clock.set(instant)
            return try await NotificationsPlugin.runReminders(
                at: instant, pool: fixture.pool, queue: fixture.queue, logger: TestLogger.make("reminders"))
        }

        /// The reminders made, oldest window first: whose, of what kind, due when, by which channel, in what state.
        func rows() async throws -> [(
            user: UUID, kind: String, windowStart: Date, due: Date, channel: String, status: String
        )] {
            let admin = try await fixture.database.connectAsAdmin()
            let rows = try await admin.query(
                """
                SELECT user_id, kind, window_start, due_at, channel, status FROM notifications.reminders
                ORDER BY window_start, user_id
                """
            ).map { try $0.decode((UUID, String, Date, Date, String, String).self) }
            await admin.close()
            return rows.map { (user: $0.0, kind: $0.1, windowStart: $0.2, due: $0.3, channel: $0.4, status: $0.5) }
        }

        func rows(of user: TestTenant) async throws -> [(
            kind: String, windowStart: Date, due: Date, channel: String, status: String
        )] {
            try await rows().filter { $0.user == user.userID }.map {
                (kind: $0.kind, windowStart: $0.windowStart, due: $0.due, channel: $0.channel, status: $0.status)
            }
        }

        func put(_ path: String, as user: TestTenant, _ json: String) async throws -> TestResponse {
            try await app.test(.router) { client in try await client.send(.put, path, as: user, json: json) }
        }
    }

    @Test("a partnership quiet for 90 days reminds both its members once, in the next digest, in their language")
    func quietPartnershipRemindsOncePerWindow() async throws {
        let quiet = try await Quiet.make(
            "reminderquiet",
            partnerSettings: #"{"frequency": "daily", "hour": 7, "timeZone": "Europe/Brussels", "locale": "fr"}"#)
        let start = quiet.fixture.clock.now()
        #expect(try await quiet.scan(at: start.addingTimeInterval(89 * Self.day)) == (0, 0))
        #expect(try await quiet.scan(at: start.addingTimeInterval(90 * Self.day + 60)) == (2, 0))
        // The same window, however often and late the scan runs in it.
        #expect(try await quiet.scan(at: start.addingTimeInterval(90 * Self.day + 60)) == (0, 0))
        #expect(try await quiet.scan(at: start.addingTimeInterval(120 * Self.day)) == (0, 0))
        let partnerRows = try await quiet.rows(of: quiet.partner)
        #expect(partnerRows.count == 1 && partnerRows.first?.kind == "quiet_partnership")
        #expect(partnerRows.first?.channel == "digest" && partnerRows.first?.status == "sent")

        // The partner's next digest carries the line, in French.
        let digestTime = try #require(
            DigestScheduleProbe.daily(7, "Europe/Brussels").nextSend(after: start.addingTimeInterval(120 * Self.day)))
        #expect(try await quiet.fixture.schedule(movingTo: digestTime) >= 1)
        try await quiet.fixture.workers.drain()
        let toPartner = quiet.fixture.mail.messages.filter { $0.to.first?.address == "awa@dogbo.bj" }
        let reminded = try #require(
            toPartner.first {
                $0.text.contains("Rien n’a été publié ni rapporté dans Roeselare–Dogbo depuis 90 jours")
            },
            "\(toPartner.map(\.text))")
        #expect(reminded.text.contains("1 rappel"))
        let toCoordinator = quiet.fixture.mail.messages.filter { $0.to.first?.address != "awa@dogbo.bj" }
        #expect(
            toCoordinator.contains {
                $0.text.contains("Nothing was posted or reported in Roeselare–Dogbo for 90 days")
            })

        // Still quiet 90 days later: a new window, one more each.
        #expect(try await quiet.scan(at: start.addingTimeInterval(180 * Self.day + 60)) == (2, 0))
        #expect(try await quiet.rows(of: quiet.partner).count == 2)
    }

    @Test("news starts a new spell: no reminder until N days after it")
    func newsStartsANewSpell() async throws {
        let quiet = try await Quiet.make("remindernews")
        let start = quiet.fixture.clock.now()
        #expect(try await quiet.scan(at: start.addingTimeInterval(90 * Self.day + 60)).digest == 2)
        // An activity recorded on day 100.
        quiet.fixture.clock.set(start.addingTimeInterval(100 * Self.day))
        let (partnership, coordinator) = (quiet.partnership, quiet.coordinator)
        try await quiet.app.test(.router) { client in
            let recorded = try await client.send(
                .post, "/api/v1/partnerships/\(partnership.uuidString.lowercased())/activities",
                as: coordinator, json: #"{"title": "Market study", "kind": "other", "direction": "mutual"}"#)
            #expect(recorded.status == .created)
        }
        try await quiet.fixture.workers.drain()
        #expect(try await quiet.scan(at: start.addingTimeInterval(180 * Self.day + 60)) == (0, 0))
        #expect(try await quiet.scan(at: start.addingTimeInterval(190 * Self.day + 60)).digest == 2)
        let windows = try await quiet.rows(of: quiet.partner).map(\.windowStart)
        #expect(windows.count == 2)
        #expect(abs(windows[1].timeIntervalSince(start.addingTimeInterval(190 * Self.day))) < 1)
    }

    /// Scans every 15 minutes from `from` to `through`.
    private func scanEveryQuarter(_ quiet: Quiet, from: Date, through: Date) async throws -> Int {
        var made = 0
        var instant = from
        while instant <= through {
            made += try await quiet.scan(at: instant).mail
            // The workers run meanwhile, as in a server: a mail already sent must not go again.
            try await quiet.fixture.workers.drain()
            instant = instant.addingTimeInterval(900)
        }
        return made
    }

    @Test(
        "through a real SMTP server: digests off, hour 02:00 in Brussels, the night the clocks skip it: one mail, at 03:00"
    )
    func onceAcrossSpringForward() async throws {
        try await TestSMTPServer.with { smtp in
            let mailer = try SMTPMailer(url: smtp.url, logger: TestLogger.make("smtp"))
            // 90 days before Saturday 28 March 2026, 12:00 UTC.
            let windowStart = Self.utc("2026-03-28T12:00:00Z")
            let quiet = try await Quiet.make(
                "reminderspring", registeredAt: windowStart.addingTimeInterval(-90 * Self.day), transport: mailer,
                partnerSettings: #"{"frequency": "off", "hour": 2, "timeZone": "Europe/Brussels", "locale": "fr"}"#,
                coordinatorSettings: #"{"quietReminders": false}"#)
            let made = try await scanEveryQuarter(
                quiet, from: Self.utc("2026-03-28T00:00:00Z"), through: Self.utc("2026-03-30T12:00:00Z"))
            #expect(made == 1)
            let rows = try await quiet.rows()
            #expect(rows.count == 1)
            // 03:00 CEST on Sunday 29 March is 01:00 UTC.
            #expect(rows.first?.due == Self.utc("2026-03-29T01:00:00Z"))
            #expect(rows.first?.windowStart == windowStart && rows.first?.channel == "mail")
            // The real SMTP server received exactly one, in French.
            let received = try await smtp.waitForMessages(count: 1)
            let all = try smtp.messages()
            #expect(received.count == 1 && all.count == 1)
            let mail = try await ParsedMail.parse(try #require(received.first).data)
            #expect(mail.header("Subject") == "Rappel : Roeselare–Dogbo")
            #expect(try await quiet.rows().first?.status == "sent")
        }
    }

    @Test(
        "through a real SMTP server: digests off, hour 02:00 in Brussels, the night the clocks repeat it: one mail, the first time"
    )
    func onceAcrossFallBack() async throws {
        try await TestSMTPServer.with { smtp in
            let mailer = try SMTPMailer(url: smtp.url, logger: TestLogger.make("smtp"))
            let windowStart = Self.utc("2026-10-24T12:00:00Z")
            let quiet = try await Quiet.make(
                "reminderfall", registeredAt: windowStart.addingTimeInterval(-90 * Self.day), transport: mailer,
                partnerSettings: #"{"frequency": "off", "hour": 2, "timeZone": "Europe/Brussels", "locale": "fr"}"#,
                coordinatorSettings: #"{"quietReminders": false}"#)
            let made = try await scanEveryQuarter(
                quiet, from: Self.utc("2026-10-24T00:00:00Z"), through: Self.utc("2026-10-26T12:00:00Z"))
            #expect(made == 1)
            let rows = try await quiet.rows()
            #expect(rows.count == 1)
            // The first 02:00 (CEST) on Sunday 25 October is 00:00 UTC; the second (CET, 01:00 UTC) makes nothing.
            #expect(rows.first?.due == Self.utc("2026-10-25T00:00:00Z"))
            // The real SMTP server received exactly one, in French.
            let received = try await smtp.waitForMessages(count: 1)
            let all = try smtp.messages()
            #expect(received.count == 1 && all.count == 1)
            let mail = try await ParsedMail.parse(try #require(received.first).data)
            #expect(mail.header("Subject") == "Rappel : Roeselare–Dogbo")
        }
    }

    @Test(
        "through a real SMTP server: digests off, the reminder is a French mail of its own with List-Unsubscribe; that link keeps digests"
    )
    func ownMailWhenDigestsAreOff() async throws {
        try await TestSMTPServer.with { smtp in
            let mailer = try SMTPMailer(url: smtp.url, logger: TestLogger.make("smtp"))
            let quiet = try await Quiet.make(
                "remindersmtp", transport: mailer,
                partnerSettings: #"{"frequency": "off", "hour": 9, "timeZone": "Africa/Porto-Novo", "locale": "fr"}"#,
                coordinatorSettings: #"{"quietReminders": false}"#)
            let start = quiet.fixture.clock.now()
            let windowStart = start.addingTimeInterval(90 * Self.day)
            let due = ReminderWindows.due(
                from: windowStart, hour: 9, timeZone: TimeZone(identifier: "Africa/Porto-Novo")!)
            // The window opened, the person's hour has not come: nothing yet.
            if due > windowStart { #expect(try await quiet.scan(at: windowStart) == (0, 0)) }
            #expect(try await quiet.scan(at: due.addingTimeInterval(60)) == (0, 1))
            try await quiet.fixture.workers.drain()
            #expect(try await quiet.scan(at: due.addingTimeInterval(120)) == (0, 0))
            try await quiet.fixture.workers.drain()
            let received = try await smtp.waitForMessages(count: 1)
            #expect(received.count == 1 && received.first?.recipients == ["awa@dogbo.bj"])
            let mail = try await ParsedMail.parse(try #require(received.first).data)
            #expect(mail.header("Subject") == "Rappel : Roeselare–Dogbo")
            #expect(mail.parts.map(\.contentType) == ["text/plain", "text/html"])
            let text = try #require(mail.parts.first?.content)
            #expect(text.contains("Rien n’a été publié ni rapporté dans Roeselare–Dogbo depuis 90 jours"), "\(text)")
            #expect(
                text.contains(
                    "https://stedenband.example.org/partnerships/\(quiet.partnership.uuidString.lowercased())"))
            #expect(mail.header("List-Id")?.hasPrefix("<roeselare.reminders.") == true)
            #expect(mail.header("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click")
            let header = try #require(mail.header("List-Unsubscribe"))
            let url = try #require(
                header.split(separator: ",").first?.trimmingCharacters(in: CharacterSet(charactersIn: " <>")))
            let path = String(url.dropFirst("https://stedenband.example.org".count))
            #expect(path.hasPrefix("/unsubscribe/sbu_"))

            // Digests turned back on; the reminder's link turns reminders off and leaves them on.
            #expect(
                try await quiet.put("/api/v1/me/notifications", as: quiet.partner, #"{"frequency": "daily"}"#).status
                    == .ok)
            let partner = quiet.partner
            try await quiet.app.test(.router) { client in
                let page = try await client.execute(uri: path, method: .get)
                #expect(String(buffer: page.body).contains("Ne plus recevoir ces rappels"))
                let done = try await client.execute(
                    uri: path, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: "List-Unsubscribe=One-Click"))
                #expect(done.status == .ok)
                let settings = try object(try await client.send(.get, "/api/v1/me/notifications", as: partner))
                #expect(settings["frequency"] as? String == "daily")
                #expect(settings["quietReminders"] as? Bool == false && settings["periodReminders"] as? Bool == false)
            }
        }
    }

    /// A period of `indicator` for `partnership`, ending on `ends`, at `status`.
    static func period(
        partnership: UUID, starts: String, ends: String, status: PeriodStatus = .draft, version: Int = 1
    ) -> PeriodState {
        PeriodState(
            id: PeriodID(rawValue: UUID()), indicatorId: IndicatorID(rawValue: UUID()),
            resultId: ResultID(rawValue: UUID()), partnershipId: partnership, activityId: nil,
            start: CalendarDate(starts)!, end: CalendarDate(ends)!,
            target: PeriodValue(value: IndicatorValue("70"), comment: ""), actual: nil, status: status,
            reportedBy: nil, reportedAt: nil, reviewedBy: nil, reviewedAt: nil, reviewComment: "", version: version)
    }

    @Test(
        "a period ending in 14 days without a value reminds the partner coordinator only, once; a reported one nobody")
    func periodEndingRemindsPartnerCoordinatorsOnly() async throws {
        let quiet = try await Quiet.make(
            "reminderperiod",
            partnerSettings: #"{"frequency": "off", "hour": 7, "timeZone": "Africa/Porto-Novo", "locale": "fr"}"#)
        let now = quiet.fixture.clock.now()
        let ends = CalendarDate(ReminderScheduler.utcDay(now.addingTimeInterval(20 * Self.day)))!
        let starts = ReminderScheduler.utcDay(now.addingTimeInterval(-40 * Self.day))
        let open = Self.period(partnership: quiet.partnership, starts: starts, ends: ends.description)
        var reported = Self.period(
            partnership: quiet.partnership, starts: starts, ends: ends.description, status: .submitted)
        reported.actual = PeriodValue(value: IndicatorValue("74"), comment: "")
        let summary = IndicatorSummary(
            id: open.indicatorId, title: "Birth registrations within 90 days (%)", measure: .percentage, baseline: nil)
        let (bus, coordinator, partner) = (quiet.fixture.bus, quiet.coordinator, quiet.partner)
        try await quiet.fixture.pool.withTransaction(tenantID: coordinator.tenantID) { connection in
            try await bus.publish(
                PeriodDefined(period: open, indicator: summary), tenantID: coordinator.tenantID,
                actor: coordinator.userID.uuidString.lowercased(), in: connection)
            try await bus.publish(
                ValueReported(period: reported, indicator: summary, reporterSide: .partner, partnerName: "Dogbo"),
                tenantID: coordinator.tenantID, actor: partner.userID.uuidString.lowercased(), in: connection)
        }
        // Twenty days before: not yet. Thirteen days before, after 07:00 in Porto-Novo: the partner's mail.
        #expect(try await quiet.scan(at: now.addingTimeInterval(60)) == (0, 0))
        let thirteen = ReminderWindows.due(
            from: now.addingTimeInterval(7 * Self.day), hour: 7, timeZone: TimeZone(identifier: "Africa/Porto-Novo")!)
        #expect(try await quiet.scan(at: thirteen.addingTimeInterval(60)) == (0, 1))
        #expect(try await quiet.scan(at: thirteen.addingTimeInterval(Self.day)) == (0, 0))
        let rows = try await quiet.rows()
        #expect(rows.count == 1 && rows.first?.user == quiet.partner.userID && rows.first?.kind == "period_ending")
        try await quiet.fixture.workers.drain()
        let mail = try #require(quiet.fixture.mail.messages.first)
        #expect(mail.subject == "Rappel : Birth registrations within 90 days (%)")
        #expect(mail.text.contains("la période \(starts) – \(ends) se termine le"), "\(mail.text)")
        #expect(mail.text.contains("/periods/\(open.id.rawValue.uuidString.lowercased())/report"))
        // After its last day, nothing more.
        #expect(try await quiet.scan(at: now.addingTimeInterval(22 * Self.day)) == (0, 0))
    }

    @Test("a person who turned a reminder off, or muted the partnership, is not reminded; the others are")
    func noReminderWhenTurnedOff() async throws {
        let quiet = try await Quiet.make("reminderoff")
        let start = quiet.fixture.clock.now()
        #expect(
            try await quiet.put("/api/v1/me/notifications", as: quiet.partner, #"{"quietReminders": false}"#).status
                == .ok)
        #expect(
            try await quiet.put(
                "/api/v1/me/notifications", as: quiet.coordinator,
                #"{"mutedPartnerships": ["\#(quiet.partnership.uuidString.lowercased())"]}"#
            ).status == .ok)
        let bad = try await quiet.put("/api/v1/me/notifications", as: quiet.partner, #"{"periodReminders": "no"}"#)
        #expect(bad.status == .badRequest || bad.status == .unprocessableContent)
        #expect(try await quiet.scan(at: start.addingTimeInterval(90 * Self.day + 60)) == (0, 0))
        // Turned on again: reminded in the same window.
        #expect(
            try await quiet.put("/api/v1/me/notifications", as: quiet.partner, #"{"quietReminders": true}"#).status
                == .ok)
        #expect(try await quiet.scan(at: start.addingTimeInterval(90 * Self.day + 120)) == (1, 0))
        #expect(try await quiet.rows().map(\.user) == [quiet.partner.userID])
    }

    @Test("a municipality that turned the quiet reminder off reminds nobody; its administrator sets 14 to 365 days")
    func noReminderWhenMunicipalityTurnedOff() async throws {
        let quiet = try await Quiet.make("remindermunicipality")
        let admin = try await TestTenant.create(in: quiet.fixture.database, slug: "roeselare", role: .admin)
        let start = quiet.fixture.clock.now()
        let refused = try await quiet.put("/api/v1/notifications/defaults", as: admin, #"{"quietAfterDays": 13}"#)
        #expect(refused.status == .unprocessableContent && String(buffer: refused.body).contains("quietAfterDays"))
        #expect(
            try await quiet.put("/api/v1/notifications/defaults", as: quiet.coordinator, #"{"quietAfterDays": null}"#)
                .status == .forbidden)
        let off = try object(
            try await quiet.put("/api/v1/notifications/defaults", as: admin, #"{"quietAfterDays": null}"#))
        #expect(off.keys.contains("quietAfterDays") && off["quietAfterDays"] is NSNull)
        #expect(try await quiet.scan(at: start.addingTimeInterval(400 * Self.day)) == (0, 0))
        let thirty = try object(
            try await quiet.put("/api/v1/notifications/defaults", as: admin, #"{"quietAfterDays": 30}"#))
        #expect(thirty["quietAfterDays"] as? Int == 30)
        #expect(try await quiet.scan(at: start.addingTimeInterval(31 * Self.day)) == (2, 0))
    }

    @Test("each reminder's line in each language, the period's end as the reader writes dates")
    func linesInEveryLanguage() {
        let quiet = InboxItem(kind: "reminder_quiet", partnershipTitle: "Roeselare–Dogbo", days: 90)
        func line(_ language: String, _ item: InboxItem) -> String {
            DigestStrings.of(language).line(item, { _ in "" }, { _ in "" })
        }
        #expect(line("en", quiet) == "Nothing was posted or reported in Roeselare–Dogbo for 90 days")
        #expect(line("nl", quiet) == "Al 90 dagen werd er niets gepost of gerapporteerd in Roeselare–Dogbo")
        #expect(line("fr", quiet) == "Rien n’a été publié ni rapporté dans Roeselare–Dogbo depuis 90 jours")
        #expect(line("es", quiet) == "No se ha publicado ni informado nada en Roeselare–Dogbo desde hace 90 días")
        let period = InboxItem(
            kind: "reminder_period_ending", partnershipTitle: "Roeselare–Dogbo", indicatorTitle: "Registrations",
            periodStart: CalendarDate("2026-01-01"), periodEnd: CalendarDate("2026-12-31"))
        #expect(
            line("en", period) == "Registrations: the period 2026 ends on 31 December 2026 and has no value yet")
        #expect(
            line("fr", period)
                == "Registrations : la période 2026 se termine le 31 décembre 2026 et n’a pas encore de valeur")
        #expect(line("nl", period).contains("eindigt op 31 december 2026"))
        #expect(line("es", period).contains("termina el 31 de diciembre de 2026"))
        for language in Language.allCases {
            let words = ReminderWords.all[language]
            #expect(!words.subject("X").isEmpty && !words.unsubscribeDone.isEmpty, "\(language)")
        }
    }

    @Test("two processes scanning at once make one reminder each")
    func twoProcessesMakeOneReminder() async throws {
        let quiet = try await Quiet.make("remindertwo")
        let instant = quiet.fixture.clock.now().addingTimeInterval(90 * Self.day + 60)
        quiet.fixture.clock.set(instant)
        let (pool, queue) = (quiet.fixture.pool, quiet.fixture.queue)
        async let first = NotificationsPlugin.runReminders(
            at: instant, pool: pool, queue: queue, logger: TestLogger.make("one"))
        async let second = NotificationsPlugin.runReminders(
            at: instant.addingTimeInterval(1), pool: pool, queue: queue, logger: TestLogger.make("two"))
        let (a, b) = try await (first, second)
        #expect(a.digest + b.digest == 2)
        #expect(try await quiet.rows().count == 2)
        let admin = try await quiet.fixture.database.connectAsAdmin()
        let inbox = try await admin.query(
            "SELECT count(*) FROM notifications.inbox WHERE event_name = 'notifications.reminder'")[0].decode(
                Int.self, column: 0)
        await admin.close()
        #expect(inbox == 2)
    }
}
