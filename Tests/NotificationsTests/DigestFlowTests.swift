import Activities
import Delivery
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kernel
import Messaging
import NIOCore
import Partnerships
import Postgres
import Synchronization
import TestSupport
import Testing

@testable import Notifications

/// Records the messages it is asked to send; fails transiently while `failures` is above zero.
final class RecordingMail: MailTransport {
    private let state = Mutex<(messages: [MailMessage], failures: Int)>(([], 0))

    func send(_ message: MailMessage) async throws(DeliveryError) {
        let failing = state.withLock { state -> Bool in
            if state.failures > 0 {
                state.failures -= 1
                return true
            }
            state.messages.append(message)
            return false
        }
        if failing { throw DeliveryError(isTransient: true, description: "421 service not available") }
    }

    var messages: [MailMessage] { state.withLock { $0.messages } }
    func failNext(_ count: Int) { state.withLock { $0.failures = count } }
}

/// The gateway with the Partnerships, Activities and Notifications plugins, and workers to drain the queue.
struct NotificationsFixture {
    let database: TestDatabase
    let router: Router<GatewayRequestContext>
    let pool: PostgresConnectionPool
    let queue: PostgresJobQueue
    let workers: BackgroundWork
    let mail: RecordingMail
    /// The queue's clock, which the plugin also reads: events, windows and backoff all follow it.
    let clock: ManualClock
    /// The kernel's bus, for publishing events no route of these plugins publishes (the Results plugin's).
    let bus: EventBus

    /// `transport` replaces the recording one, e.g. a real SMTP mailer. The clock starts at the real time,
    /// so the send times tests compute from it are still ahead.
    /// `allowPrivateWebhooks` turns the operator's setting on, so webhooks may reach the tests' own servers
    /// on 127.0.0.1; `resolver` answers lookups of webhook hosts (by default any lookup fails the test).
    static func make(
        _ label: String, transport: (any MailTransport)? = nil, webhooks: WebhookSender? = nil,
        allowPrivateWebhooks: Bool = false, resolver: HostResolver = .unexpected
    ) async throws -> NotificationsFixture {
        let database = try await TestDatabase.migrated(label)
        let logger = TestLogger.make("notifications")
        let pool = PostgresConnectionPool(
            configuration: .init(connection: database.appConfiguration, maximumConnections: 6), logger: logger)
        let environment = GatewayEnvironment(
            pool: pool, readiness: AlwaysReady(), logger: logger,
            rateLimiter: RateLimiter(rate: 100_000, burst: 100_000))
        let router = buildRouter(environment: environment)
        let clock = ManualClock(Date())
        let queue = PostgresJobQueue(clock: clock)
        let mail = RecordingMail()
        let kernel = try Kernel.assemble(
            plugins: [
                PartnershipsPlugin(), ActivitiesPlugin(),
                NotificationsPlugin(mail: transport ?? mail, webhooks: webhooks, resolver: resolver),
            ],
            configuration: KernelConfiguration(settings: [
                "notifications": [
                    "publicUrl": "https://stedenband.example.org",
                    "allowPrivateWebhooks": allowPrivateWebhooks ? "1" : "0",
                ]
            ]),
            router: router, environment: environment, queue: queue, logger: logger)
        let workers = BackgroundWork(bus: kernel.bus, kinds: kernel.jobKinds, pool: pool, logger: logger)
        return NotificationsFixture(
            database: database, router: router, pool: pool, queue: queue, workers: workers, mail: mail, clock: clock,
            bus: kernel.bus)
    }

    /// Moves the clock to `instant` and runs the scheduler there, as the periodic job would.
    func schedule(movingTo instant: Date) async throws -> Int {
        clock.set(instant)
        return try await schedule(at: instant)
    }

    func schedule(at instant: Date) async throws -> Int {
        try await NotificationsPlugin.runScheduler(
            at: instant, pool: pool, queue: queue, logger: TestLogger.make("scheduler")
        ).digests
    }

    /// Makes retried jobs due, by moving the clock past their backoff.
    func expireBackoff() async throws {
        let admin = try await database.connectAsAdmin()
        let latest = try await admin.query(
            "SELECT max(run_at) FROM messaging.jobs WHERE state = 'available'"
        )[0].decode(Date?.self, column: 0)
        await admin.close()
        if let latest, latest > clock.now() { clock.set(latest) }
    }

    func digests(status: String) async throws -> Int {
        let admin = try await database.connectAsAdmin()
        let rows = try await admin.query("SELECT count(*) FROM notifications.digests WHERE status = \(status)")
        await admin.close()
        return try rows[0].decode(Int.self, column: 0)
    }
}

extension HostResolver {
    /// A resolver for tests that look nothing up: a lookup fails the test.
    static let unexpected = HostResolver { host in
        Issue.record("unexpected lookup of \(host)")
        return .unavailable
    }

    /// A resolver that knows only `names`; any other lookup fails the test.
    static func fixed(_ names: [String: HostResolver.Answer]) -> HostResolver {
        HostResolver { host in
            guard let answer = names[host] else {
                Issue.record("unexpected lookup of \(host)")
                return .unavailable
            }
            return answer
        }
    }
}

struct AlwaysReady: ReadinessCheck {
    func notReadyReason() async -> String? { nil }
}

extension TestClientProtocol {
    /// Registers a partnership as `coordinator` and makes `partner` its partner coordinator; answers its id.
    func partnership(_ json: String, by coordinator: TestTenant, member partner: TestTenant) async throws -> String {
        let partnership = try object(try await send(.post, "/api/v1/partnerships", as: coordinator, json: json))
        let id = try #require(partnership["id"] as? String)
        let added = try await send(
            .post, "/api/v1/partnerships/\(id)/members", as: coordinator,
            json: #"{"userId": "\#(partner.userID)", "role": "partner_coordinator"}"#)
        #expect(added.status == .created)
        return id
    }
}

func object(_ response: TestResponse) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
}

@Suite("Digests from events to messages")
struct DigestFlowTests {
    @Test("a partner coordinator in Dakar gets one French digest a day with exactly that day's changes, once")
    func dailyDigestInDakar() async throws {
        let fixture = try await NotificationsFixture.make("digestdaily")
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        let partner = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .partnerCoordinator)
        let stranger = try await TestTenant.create(in: fixture.database, slug: "oostende", role: .coordinator)
        try await Application(router: fixture.router).test(.router) { client in
            let settings = try await client.send(
                .put, "/api/v1/me/notifications", as: partner,
                json: #"{"frequency": "daily", "hour": 7, "timeZone": "Africa/Dakar", "locale": "fr"}"#)
            #expect(settings.status == .ok)
            let bad = try await client.send(
                .put, "/api/v1/me/notifications", as: partner, json: #"{"hour": 24, "timeZone": "Mars/Olympus"}"#)
            #expect(bad.status == .unprocessableContent)
            #expect(String(buffer: bad.body).contains("hour") && String(buffer: bad.body).contains("timeZone"))

            let id = try await client.partnership(
                #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}, "status": "active"}"#,
                by: coordinator, member: partner)
            for title in ["Handwashing stations", "Online exchange on crisis communication"] {
                let recorded = try await client.send(
                    .post, "/api/v1/partnerships/\(id)/activities", as: coordinator,
                    json: #"""
                        {"title": "\#(title)", "kind": "emergency_support", "direction": "north_to_south",
                         "themes": ["covid-19"], "sdgTargets": ["6.2"], "budget": {"planned": "12500", "currency": "EUR"}}
                        """#)
                #expect(recorded.status == .created)
            }
            // Another municipality's changes never reach this inbox.
            _ = try await client.send(
                .post, "/api/v1/partnerships", as: stranger,
                json: #"{"title": "Oostende–Elsewhere", "partner": {"name": "Banjul", "country": "GM"}}"#)
        }
        try await fixture.workers.drain()
        try await Application(router: fixture.router).test(.router) { client in
            let preview = try await client.send(.get, "/api/v1/me/digests/preview?format=text", as: partner)
            #expect(String(buffer: preview.body).contains("Test partner_coordinator a rejoint le partenariat"))
        }
        // The window closes at the next 07:00 in Dakar; the scheduler runs a few seconds late.
        let sendTime = DigestScheduleProbe.nextDaily(7, "Africa/Dakar")
        #expect(try await fixture.schedule(at: sendTime.addingTimeInterval(5)) >= 1)
        try await fixture.workers.drain()
        let toPartner = fixture.mail.messages.filter { $0.to.first?.address.hasPrefix("partner_coordinator") == true }
        #expect(toPartner.count == 1)
        let message = try #require(toPartner.first)
        // Member added (the partner), two activities recorded: the partner's own change is theirs.
        #expect(message.subject == "3 modifications dans Roeselare–Dogbo", "\(message.text)")
        #expect(message.text.contains("Handwashing stations") && message.text.contains("500,00\u{00A0}€"))
        #expect(!message.text.contains("Oostende"))
        #expect(message.html?.contains("<html lang=\"fr\">") == true)
        #expect(
            message.headers.contains { $0.name == "List-Unsubscribe-Post" && $0.value == "List-Unsubscribe=One-Click" })
        #expect(message.headers.contains { $0.name == "List-Id" && $0.value.hasPrefix("<roeselare.digests.") })

        // The same instant again, and a second process: nothing more.
        #expect(try await fixture.schedule(at: sendTime.addingTimeInterval(5)) == 0)
        #expect(try await fixture.schedule(at: sendTime.addingTimeInterval(30)) == 0)
        try await fixture.workers.drain()
        #expect(
            fixture.mail.messages.filter { $0.to.first?.address.hasPrefix("partner_coordinator") == true }.count == 1)
    }

    @Test("a member removed after the window closed but before sending receives nothing about it")
    func removedBeforeSending() async throws {
        let fixture = try await NotificationsFixture.make("digestremoved")
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        let partner = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .partnerCoordinator)
        let id = try await Application(router: fixture.router).test(.router) { client in
            let id = try await client.partnership(
                #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}}"#, by: coordinator,
                member: partner)
            _ = try await client.send(
                .post, "/api/v1/partnerships/\(id)/activities", as: coordinator,
                json: #"{"title": "Market study", "kind": "other", "direction": "mutual"}"#)
            return id
        }
        try await fixture.workers.drain()
        #expect(try await fixture.schedule(at: DigestScheduleProbe.nextDaily(7, "Europe/Brussels")) == 1)
        // Removed while the digest waits for delivery.
        try await Application(router: fixture.router).test(.router) { client in
            let removed = try await client.send(
                .delete, "/api/v1/partnerships/\(id)/members/\(partner.userID)", as: coordinator)
            #expect(removed.status == .noContent)
        }
        try await fixture.workers.drain()
        #expect(fixture.mail.messages.isEmpty)
        #expect(try await fixture.digests(status: "empty") == 1)
    }

    @Test("SMTP failing during a window: the digest is retried and delivered once when it comes back")
    func retriedAfterOutage() async throws {
        let fixture = try await NotificationsFixture.make("digestretry")
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        let partner = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .partnerCoordinator)
        try await Application(router: fixture.router).test(.router) { client in
            _ = try await client.partnership(
                #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}}"#, by: coordinator,
                member: partner)
        }
        try await fixture.workers.drain()
        fixture.mail.failNext(2)
        #expect(try await fixture.schedule(at: DigestScheduleProbe.nextDaily(7, "Europe/Brussels")) == 1)
        try await fixture.workers.drain()
        #expect(fixture.mail.messages.isEmpty)
        try await fixture.expireBackoff()
        try await fixture.workers.drain()
        try await fixture.expireBackoff()
        try await fixture.workers.drain()
        #expect(fixture.mail.messages.count == 1)
        #expect(try await fixture.digests(status: "sent") == 1)
        try await fixture.expireBackoff()
        try await fixture.workers.drain()
        #expect(fixture.mail.messages.count == 1)
    }

    @Test("one-click unsubscribe: a GET only asks, the RFC 8058 POST turns digests off at once")
    func oneClickUnsubscribe() async throws {
        let fixture = try await NotificationsFixture.make("digestunsubscribe")
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        let partner = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .partnerCoordinator)
        try await Application(router: fixture.router).test(.router) { client in
            _ = try await client.partnership(
                #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}}"#, by: coordinator,
                member: partner)
        }
        try await fixture.workers.drain()
        _ = try await fixture.schedule(at: DigestScheduleProbe.nextDaily(7, "Europe/Brussels"))
        try await fixture.workers.drain()
        let message = try #require(fixture.mail.messages.first)
        let header = try #require(message.headers.first { $0.name == "List-Unsubscribe" }?.value)
        let url = try #require(
            header.split(separator: ",").first?.trimmingCharacters(in: CharacterSet(charactersIn: " <>")))
        #expect(url.hasPrefix("https://stedenband.example.org/unsubscribe/sbu_"))
        let path = String(url.dropFirst("https://stedenband.example.org".count))
        try await Application(router: fixture.router).test(.router) { client in
            let page = try await client.execute(uri: path, method: .get)
            #expect(page.status == .ok)
            #expect(String(buffer: page.body).contains("<form method=\"post\""))
            // The page's policy allows its own stylesheet (by hash) and no script; the usual page headers come too.
            let policy = try #require(page.headers[.contentSecurityPolicy])
            #expect(policy.contains("default-src 'none'") && policy.contains("frame-ancestors 'none'"))
            #expect(policy.contains(PageSecurityPolicy.hashSource(NotificationsController.pageStyle)))
            #expect(!policy.contains("unsafe-inline") && !policy.contains("script-src"))
            #expect(!String(buffer: page.body).contains("style=\""))
            #expect(page.headers[.xContentTypeOptions] == "nosniff" && page.headers[.referrerPolicy] == "same-origin")
            let stillOn = try object(try await client.send(.get, "/api/v1/me/notifications", as: partner))
            #expect(stillOn["frequency"] as? String == "daily")
            let wrongBody = try await client.execute(
                uri: path, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "unsubscribe=yes"))
            #expect(wrongBody.status == .unprocessableContent)
            let done = try await client.execute(
                uri: path, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "List-Unsubscribe=One-Click"))
            #expect(done.status == .ok)
            let off = try object(try await client.send(.get, "/api/v1/me/notifications", as: partner))
            #expect(off["frequency"] as? String == "off")
            let unknown = try await client.execute(
                uri: "/unsubscribe/sbu_doesnotexist", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "List-Unsubscribe=One-Click"))
            #expect(unknown.status == .notFound)
        }
    }

    @Test(
        "through a real SMTP server: a French mail each day in Tambacounda with exactly that day's changes, once; one-click unsubscribe works"
    )
    func throughSMTPOverTwoDays() async throws {
        try await TestSMTPServer.with { smtp in
            let mailer = try SMTPMailer(url: smtp.url, logger: TestLogger.make("smtp"))
            let fixture = try await NotificationsFixture.make("digestsmtp", transport: mailer)
            let coordinator = try await TestTenant.create(
                in: fixture.database, slug: "sint-niklaas", role: .coordinator)
            let partner = try await TestTenant.create(
                in: fixture.database, slug: "sint-niklaas", role: .partnerCoordinator, email: "awa@tambacounda.sn")
            let schedule = DigestScheduleProbe.daily(7, "Africa/Dakar")
            let dayOne = try #require(schedule.nextSend(after: fixture.clock.now()))
            let dayTwo = try #require(schedule.nextSend(after: dayOne))
            let app = Application(router: fixture.router)
            /// Records an activity at `instant` on the fixture's clock.
            func record(_ title: String, at instant: Date, in partnership: String) async throws {
                fixture.clock.set(instant)
                try await app.test(.router) { client in
                    let recorded = try await client.send(
                        .post, "/api/v1/partnerships/\(partnership)/activities", as: coordinator,
                        json: #"""
                            {"title": "\#(title)", "kind": "awareness_campaign", "direction": "north_to_south",
                             "budget": {"planned": "2500", "currency": "EUR"}}
                            """#)
                    #expect(recorded.status == .created)
                }
                try await fixture.workers.drain()
            }

            let id = try await app.test(.router) { client in
                let settings = try await client.send(
                    .put, "/api/v1/me/notifications", as: partner,
                    json: #"{"frequency": "daily", "hour": 7, "timeZone": "Africa/Dakar", "locale": "fr"}"#)
                #expect(settings.status == .ok)
                return try await client.partnership(
                    #"{"title": "Sint-Niklaas–Tambacounda", "partner": {"name": "Tambacounda", "country": "SN"}}"#,
                    by: coordinator, member: partner)
            }
            try await fixture.workers.drain()
            try await record("Campagne de sensibilisation COVID-19", at: dayOne.addingTimeInterval(-1), in: id)
            // At the send time itself and after it: the window is half-open, so both are the next day's.
            try await record("Formation des relais communautaires", at: dayOne, in: id)
            try await record("Distribution de kits d'hygiène", at: dayOne.addingTimeInterval(1), in: id)

            // The scheduler runs a few seconds late, after the last two changes: they still wait.
            #expect(try await fixture.schedule(movingTo: dayOne.addingTimeInterval(5)) == 1)
            try await fixture.workers.drain()
            #expect(try await fixture.schedule(at: dayOne.addingTimeInterval(5)) == 0)
            try await fixture.workers.drain()
            let first = try await smtp.waitForMessages(count: 1)
            #expect(first.count == 1 && first.first?.recipients == ["awa@tambacounda.sn"])
            let mailOne = try await ParsedMail.parse(try #require(first.first).data)
            // The partner joining, and the change just before 07:00.
            #expect(mailOne.header("Subject") == "2 modifications dans Sint-Niklaas–Tambacounda")
            #expect(mailOne.contentType == "multipart/alternative")
            #expect(mailOne.parts.map(\.contentType) == ["text/plain", "text/html"])
            let textOne = try #require(mailOne.parts.first?.content)
            #expect(textOne.contains("Campagne de sensibilisation COVID-19"))
            #expect(textOne.contains("2\u{202F}500,00\u{00A0}€"))
            #expect(!textOne.contains("Formation des relais communautaires"))
            #expect(!textOne.contains("Distribution de kits"))

            try await record("Atelier de bilan", at: dayTwo.addingTimeInterval(-1), in: id)
            try await record("Visite de suivi", at: dayTwo.addingTimeInterval(1), in: id)
            #expect(try await fixture.schedule(movingTo: dayTwo.addingTimeInterval(5)) == 1)
            try await fixture.workers.drain()
            #expect(try await fixture.schedule(at: dayTwo.addingTimeInterval(5)) == 0)
            try await fixture.workers.drain()
            let both = try await smtp.waitForMessages(count: 2)
            #expect(both.count == 2)
            let mailTwo = try await ParsedMail.parse(try #require(both.last).data)
            #expect(mailTwo.header("Subject") == "3 modifications dans Sint-Niklaas–Tambacounda")
            let textTwo = try #require(mailTwo.parts.first?.content)
            for title in ["Formation des relais communautaires", "Distribution de kits d'hygiène", "Atelier de bilan"] {
                #expect(textTwo.contains(title), "\(title) is missing from the second day's digest")
            }
            #expect(!textTwo.contains("Campagne de sensibilisation COVID-19"))
            #expect(!textTwo.contains("Visite de suivi"))
            #expect(mailTwo.header("Message-ID") != mailOne.header("Message-ID"))

            // The history: both days, newest first, one window following the other.
            try await app.test(.router) { client in
                let history = try object(try await client.send(.get, "/api/v1/me/digests", as: partner))
                let items = try #require(history["items"] as? [[String: Any]])
                #expect(items.count == 2)
                #expect(items.map { $0["status"] as? String } == ["sent", "sent"])
                #expect(items.map { $0["itemCount"] as? Int } == [3, 2])
                #expect(
                    items.map { $0["subject"] as? String } == [mailTwo.header("Subject"), mailOne.header("Subject")])
                #expect(items.map { $0["channels"] as? [String] } == [["email"], ["email"]])
                let format = Date.ISO8601FormatStyle()
                #expect(items[0]["windowEnd"] as? String == dayTwo.formatted(format))
                #expect(items[0]["windowStart"] as? String == dayOne.formatted(format))
                #expect(items[1]["windowEnd"] as? String == dayOne.formatted(format))
                let latest = try object(try await client.send(.get, "/api/v1/me/digests?limit=1", as: partner))
                #expect((latest["items"] as? [[String: Any]])?.count == 1)
                let tooMany = try await client.send(.get, "/api/v1/me/digests?limit=1000", as: partner)
                #expect(tooMany.status == .unprocessableContent)
            }

            #expect(mailTwo.header("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click")
            let unsubscribe = try #require(mailTwo.header("List-Unsubscribe"))
            let link = try #require(
                unsubscribe.split(separator: ",").first?.trimmingCharacters(in: CharacterSet(charactersIn: " <>")))
            let path = String(link.drop { $0 != "/" }.dropFirst(2).drop { $0 != "/" })
            try await app.test(.router) { client in
                let done = try await client.execute(
                    uri: path, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: "List-Unsubscribe=One-Click"))
                #expect(done.status == .ok)
                let off = try object(try await client.send(.get, "/api/v1/me/notifications", as: partner))
                #expect(off["frequency"] as? String == "off")
            }
            // Unsubscribed: the next day brings nothing, though "Visite de suivi" was waiting.
            let dayThree = try #require(schedule.nextSend(after: dayTwo))
            #expect(try await fixture.schedule(movingTo: dayThree.addingTimeInterval(5)) == 0)
            try await fixture.workers.drain()
            #expect(try smtp.messages().count == 2)
        }
    }

    @Test(
        "a webhook gets the digest signed; a 500 is retried; three digests failing in a row disable it with a note, a delivered one resets the count"
    )
    func webhooks() async throws {
        // Day 1: 500 then 200; day 2: 404; day 3: 200; days 4, 5, 6: 404.
        let answers = [500, 200, 404, 200, 404, 404, 404].map { TestHTTPServer.Response(status: $0) }
        try await TestHTTPServer.with(answers) { receiver in
            let sender = WebhookSender(
                timeout: .seconds(2), caCertificatePath: receiver.caCertificatePath, logger: TestLogger.make("webhook"))
            let fixture = try await NotificationsFixture.make(
                "digestwebhook", webhooks: sender, allowPrivateWebhooks: true)
            let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
            let partner = try await TestTenant.create(
                in: fixture.database, slug: "roeselare", role: .partnerCoordinator)
            let (secret, partnershipID) = try await Application(router: fixture.router).test(.router) { client in
                let refused = try await client.send(
                    .put, "/api/v1/me/notifications", as: partner,
                    json: #"{"webhook": {"url": "http://hooks.example.org/digest"}}"#)
                #expect(refused.status == .unprocessableContent && String(buffer: refused.body).contains("webhook.url"))
                let answer = try await client.send(
                    .put, "/api/v1/me/notifications", as: partner, json: #"{"webhook": {"url": "\#(receiver.url)"}}"#)
                // The answer carries the signing secret, once: no cache may keep it.
                #expect(answer.headers[.cacheControl] == "no-store")
                let settings = try object(answer)
                let secret = try #require((settings["webhook"] as? [String: Any])?["secret"] as? String)
                // The secret is shown once.
                let again = try object(try await client.send(.get, "/api/v1/me/notifications", as: partner))
                #expect((again["webhook"] as? [String: Any])?["secret"] == nil)
                let id = try await client.partnership(
                    #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}}"#, by: coordinator,
                    member: partner)
                return (secret, id)
            }
            try await fixture.workers.drain()
            let firstDay = DigestScheduleProbe.nextDaily(7, "Europe/Brussels")
            _ = try await fixture.schedule(at: firstDay)
            try await fixture.workers.drain()  // the e-mail, then the webhook's first try: 500
            try await fixture.expireBackoff()
            try await fixture.workers.drain()  // the retry: 200
            let requests = try await receiver.waitForRequests(count: 2)
            let delivered = try #require(requests.last)
            let signature = try #require(delivered.header("Stedenband-Signature"))
            #expect(WebhookSignature.verify(header: signature, secret: secret, body: delivered.body, now: Date()))
            #expect(
                !WebhookSignature.verify(header: signature, secret: secret + "x", body: delivered.body, now: Date()))
            let payload = try #require(try JSONSerialization.jsonObject(with: delivered.body) as? [String: Any])
            #expect(payload["type"] as? String == "digest")
            #expect(((payload["digest"] as? [String: Any])?["itemCount"] as? Int) == 1)
            #expect(fixture.mail.messages.count == 1)

            // One digest a day, each with one change; `expected` is how many requests the receiver has seen.
            var day = firstDay
            var days = 1
            func nextDigest(expecting expected: Int) async throws {
                days += 1
                let title = "Roeselare–Dogbo, day \(days)"
                try await Application(router: fixture.router).test(.router) { client in
                    let changed = try await client.send(
                        .patch, "/api/v1/partnerships/\(partnershipID)", as: coordinator,
                        json: #"{"title": "\#(title)"}"#)
                    #expect(changed.status == .ok)
                }
                try await fixture.workers.drain()
                // The schedule's own next send time: on a daylight-saving weekend the next 07:00 is 23 or 25
                // hours later, not 24.
                day = try #require(DigestScheduleProbe.daily(7, "Europe/Brussels").nextSend(after: day))
                #expect(try await fixture.schedule(movingTo: day) == 1)
                try await fixture.workers.drain()
                // A 404 is not retried: no webhook job is left waiting.
                try await fixture.expireBackoff()
                try await fixture.workers.drain()
                #expect(try await receiver.waitForRequests(count: expected).count == expected)
            }
            func webhookSettings() async throws -> [String: Any] {
                try await Application(router: fixture.router).test(.router) { client in
                    let settings = try object(try await client.send(.get, "/api/v1/me/notifications", as: partner))
                    return try #require(settings["webhook"] as? [String: Any])
                }
            }
            try await nextDigest(expecting: 3)  // 404
            #expect(try await webhookSettings()["disabledAt"] == nil)
            try await nextDigest(expecting: 4)  // 200: the count starts again
            try await nextDigest(expecting: 5)  // 404
            try await nextDigest(expecting: 6)  // 404
            #expect(try await webhookSettings()["disabledAt"] == nil)
            try await nextDigest(expecting: 7)  // 404: the third in a row
            let disabled = try await webhookSettings()
            #expect(disabled["disabledAt"] != nil)
            let note = try #require(disabled["note"] as? String)
            #expect(
                note == "disabled after 3 digests in a row failed; the last: could not deliver: the server answered 404"
            )

            // Disabled: the next digest is e-mailed, and the receiver hears nothing more.
            try await nextDigest(expecting: 7)
            #expect(try receiver.requests().count == 7)
            #expect(fixture.mail.messages.count == 7)
        }
    }

    @Test("a muted partnership's changes stay out of the digest; the others' are in it")
    func mutedPartnership() async throws {
        let fixture = try await NotificationsFixture.make("digestmute")
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        let partner = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .partnerCoordinator)
        try await Application(router: fixture.router).test(.router) { client in
            let kept = try await client.partnership(
                #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}}"#, by: coordinator,
                member: partner)
            let muted = try await client.partnership(
                #"{"title": "Roeselare–Banjul", "partner": {"name": "Banjul", "country": "GM"}}"#, by: coordinator,
                member: partner)
            for (partnership, title) in [(kept, "Market study"), (muted, "Quiet study")] {
                let recorded = try await client.send(
                    .post, "/api/v1/partnerships/\(partnership)/activities", as: coordinator,
                    json: #"{"title": "\#(title)", "kind": "other", "direction": "mutual"}"#)
                #expect(recorded.status == .created)
            }
            // Muted after the changes reached the inbox: the mute is checked when the digest is sent.
            let settings = try object(
                try await client.send(
                    .put, "/api/v1/me/notifications", as: partner, json: #"{"mutedPartnerships": ["\#(muted)"]}"#))
            #expect((settings["mutedPartnerships"] as? [String])?.map { $0.lowercased() } == [muted.lowercased()])
        }
        try await fixture.workers.drain()
        let sendTime = try #require(
            DigestScheduleProbe.daily(7, "Europe/Brussels").nextSend(after: fixture.clock.now()))
        #expect(try await fixture.schedule(movingTo: sendTime) == 1)
        try await fixture.workers.drain()
        let message = try #require(fixture.mail.messages.first)
        #expect(fixture.mail.messages.count == 1)
        #expect(message.text.contains("Market study") && message.text.contains("Roeselare–Dogbo"))
        #expect(!message.text.contains("Quiet study") && !message.text.contains("Banjul"))
        #expect(!message.subject.contains("Banjul"))
    }

    @Test("the preview renders the next digest as HTML without claiming anything; an unknown format is refused")
    func previewAsHTML() async throws {
        let fixture = try await NotificationsFixture.make("digestpreview")
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        let partner = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .partnerCoordinator)
        try await Application(router: fixture.router).test(.router) { client in
            _ = try await client.send(.put, "/api/v1/me/notifications", as: partner, json: #"{"locale": "es"}"#)
            let id = try await client.partnership(
                #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}}"#, by: coordinator,
                member: partner)
            _ = try await client.send(
                .post, "/api/v1/partnerships/\(id)/activities", as: coordinator,
                json: #"{"title": "Market <study>", "kind": "other", "direction": "mutual"}"#)
        }
        try await fixture.workers.drain()
        try await Application(router: fixture.router).test(.router) { client in
            let html = try await client.send(.get, "/api/v1/me/digests/preview?format=html", as: partner)
            #expect(html.status == .ok)
            #expect(html.headers[.contentType] == "text/html; charset=utf-8")
            let body = String(buffer: html.body)
            #expect(body.contains("<html lang=\"es\">"))
            // Titles are escaped, never markup.
            #expect(body.contains("Market &lt;study&gt;") && !body.contains("Market <study>"))
            // The e-mail's inline styles are allowed one by one, by hash; nothing else is (no script at all).
            let policy = try #require(html.headers[.contentSecurityPolicy])
            #expect(policy.contains("'unsafe-hashes'") && !policy.contains("unsafe-inline"))
            #expect(policy.contains("default-src 'none'") && policy.contains("frame-ancestors 'none'"))
            let styles = DigestRenderer.styleAttributes(in: body)
            #expect(!styles.isEmpty)
            for style in styles { #expect(policy.contains(PageSecurityPolicy.hashSource(style)), "\(style)") }
            let json = try object(try await client.send(.get, "/api/v1/me/digests/preview", as: partner))
            #expect(json["itemCount"] as? Int == 2)
            let bad = try await client.send(.get, "/api/v1/me/digests/preview?format=pdf", as: partner)
            #expect(bad.status == .unprocessableContent)
        }
        // Previewing claimed nothing: the whole window still goes out.
        let sendTime = try #require(
            DigestScheduleProbe.daily(7, "Europe/Brussels").nextSend(after: fixture.clock.now()))
        #expect(try await fixture.schedule(movingTo: sendTime) == 1)
        try await fixture.workers.drain()
        #expect(fixture.mail.messages.first?.text.contains("Market <study>") == true)
    }

    @Test("a change of status is told once, by its own line, not again as a changed field")
    func statusToldOnce() async throws {
        let fixture = try await NotificationsFixture.make("digeststatusonce")
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        let partner = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .partnerCoordinator)
        try await Application(router: fixture.router).test(.router) { client in
            _ = try await client.send(.put, "/api/v1/me/notifications", as: partner, json: #"{"locale": "en"}"#)
            let id = try await client.partnership(
                #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}}"#, by: coordinator,
                member: partner)
            let activity = try object(
                try await client.send(
                    .post, "/api/v1/partnerships/\(id)/activities", as: coordinator,
                    json: #"{"title": "Masks", "kind": "other", "direction": "mutual"}"#))
            let activityID = try #require(activity["id"] as? String)
            for change in [#"{"status": "ongoing"}"#, #"{"status": "completed", "title": "Masks sewn"}"#] {
                let patched = try await client.send(
                    .patch, "/api/v1/activities/\(activityID)", as: coordinator, json: change)
                #expect(patched.status == .ok)
            }
            let status = try await client.send(
                .patch, "/api/v1/partnerships/\(id)", as: coordinator, json: #"{"status": "suspended"}"#)
            #expect(status.status == .ok)
        }
        try await fixture.workers.drain()
        try await Application(router: fixture.router).test(.router) { client in
            let text = String(
                buffer: try await client.send(.get, "/api/v1/me/digests/preview?format=text", as: partner).body)
            #expect(
                text.contains("Status: planned → ongoing") && text.contains("Status: ongoing → completed"), "\(text)")
            #expect(text.contains("Changed: title"), "\(text)")
            #expect(
                !text.contains("Changed: status") && !text.contains("status,") && !text.contains(", status"), "\(text)")
        }
    }

    @Test("a weekly digest goes out on its weekday and hour through the scheduler, and not on the days between")
    func weeklyThroughTheScheduler() async throws {
        let fixture = try await NotificationsFixture.make("digestweekly")
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        let partner = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .partnerCoordinator)
        try await Application(router: fixture.router).test(.router) { client in
            let settings = try await client.send(
                .put, "/api/v1/me/notifications", as: partner,
                json: #"{"frequency": "weekly", "weekday": 3, "hour": 18, "timeZone": "America/La_Paz"}"#)
            #expect(settings.status == .ok)
            _ = try await client.partnership(
                #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}}"#, by: coordinator,
                member: partner)
        }
        try await fixture.workers.drain()
        let weekly = DigestScheduleProbe.weekly(weekday: 3, hour: 18, "America/La_Paz")
        let sendTime = try #require(weekly.nextSend(after: fixture.clock.now()))
        // Wednesday 18:00 in La Paz, which keeps UTC−4 all year.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "America/La_Paz")!
        #expect(calendar.component(.weekday, from: sendTime) == 4 && calendar.component(.hour, from: sendTime) == 18)
        #expect(try await fixture.schedule(movingTo: sendTime.addingTimeInterval(-1)) == 0)
        #expect(try await fixture.schedule(movingTo: sendTime) == 1)
        try await fixture.workers.drain()
        #expect(fixture.mail.messages.count == 1)
        try await Application(router: fixture.router).test(.router) { client in
            _ = try await client.partnership(
                #"{"title": "Roeselare–Banjul", "partner": {"name": "Banjul", "country": "GM"}}"#, by: coordinator,
                member: partner)
        }
        try await fixture.workers.drain()
        let nextWeek = try #require(weekly.nextSend(after: sendTime))
        #expect(nextWeek.timeIntervalSince(sendTime) == 7 * 86_400)
        #expect(try await fixture.schedule(movingTo: sendTime.addingTimeInterval(6 * 86_400)) == 0)
        #expect(try await fixture.schedule(movingTo: nextWeek) == 1)
        try await fixture.workers.drain()
        #expect(fixture.mail.messages.count == 2)
        #expect(fixture.mail.messages.last?.text.contains("Roeselare–Banjul") == true)
        #expect(fixture.mail.messages.last?.text.contains("Roeselare–Dogbo") == false)
    }

    @Test("an immediate digest gathers one minute's changes and goes out once that minute has ended")
    func immediateThroughTheScheduler() async throws {
        let fixture = try await NotificationsFixture.make("digestimmediate")
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        let partner = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .partnerCoordinator)
        // Start 20 seconds into a minute, so the changes below fall in known minutes.
        let minute = (fixture.clock.now().timeIntervalSince1970 / 60).rounded(.down) * 60 + 60
        let start = Date(timeIntervalSince1970: minute)
        fixture.clock.set(start.addingTimeInterval(20))
        let id = try await Application(router: fixture.router).test(.router) { client in
            let settings = try await client.send(
                .put, "/api/v1/me/notifications", as: partner, json: #"{"frequency": "immediate"}"#)
            #expect(settings.status == .ok)
            return try await client.partnership(
                #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}}"#, by: coordinator,
                member: partner)
        }
        try await fixture.workers.drain()
        // Within the minute: nothing yet.
        #expect(try await fixture.schedule(movingTo: start.addingTimeInterval(50)) == 0)
        fixture.clock.set(start.addingTimeInterval(55))
        try await Application(router: fixture.router).test(.router) { client in
            _ = try await client.send(
                .post, "/api/v1/partnerships/\(id)/activities", as: coordinator,
                json: #"{"title": "Market study", "kind": "other", "direction": "mutual"}"#)
        }
        try await fixture.workers.drain()
        // The scheduler's 15-second tick after the minute ends.
        #expect(try await fixture.schedule(movingTo: start.addingTimeInterval(75)) == 1)
        try await fixture.workers.drain()
        #expect(fixture.mail.messages.count == 1)
        #expect(fixture.mail.messages.first?.subject.hasPrefix("2 ") == true)
        // The next minute had no change: nothing is sent for it.
        #expect(try await fixture.schedule(movingTo: start.addingTimeInterval(135)) == 0)
        try await fixture.workers.drain()
        #expect(fixture.mail.messages.count == 1)
        try await Application(router: fixture.router).test(.router) { client in
            let history = try object(try await client.send(.get, "/api/v1/me/digests", as: partner))
            let digest = try #require((history["items"] as? [[String: Any]])?.first)
            #expect(digest["frequency"] as? String == "immediate")
            #expect(digest["windowEnd"] as? String == start.addingTimeInterval(60).formatted(.iso8601))
        }
    }

    @Test("a real SMTP server down when the window closes: the digest waits, and arrives once when it is back")
    func realServerOutage() async throws {
        try await TestSMTPServer.with { smtp in
            let mailer = try SMTPMailer(url: smtp.url, logger: TestLogger.make("smtp"))
            let fixture = try await NotificationsFixture.make("digestoutage", transport: mailer)
            let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
            let partner = try await TestTenant.create(
                in: fixture.database, slug: "roeselare", role: .partnerCoordinator, email: "partner@dogbo.example.org")
            try await Application(router: fixture.router).test(.router) { client in
                _ = try await client.partnership(
                    #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}}"#, by: coordinator,
                    member: partner)
            }
            try await fixture.workers.drain()
            await smtp.stop()
            #expect(try await fixture.schedule(at: DigestScheduleProbe.nextDaily(7, "Europe/Brussels")) == 1)
            try await fixture.workers.drain()
            #expect(try await fixture.digests(status: "pending") == 1)
            try await smtp.restart()
            try await fixture.expireBackoff()
            try await fixture.workers.drain()
            try await fixture.expireBackoff()
            try await fixture.workers.drain()
            let received = try await smtp.waitForMessages(count: 1)
            #expect(received.count == 1 && received.first?.recipients == ["partner@dogbo.example.org"])
            #expect(try await fixture.digests(status: "sent") == 1)
        }
    }
}
