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
import Notifications
import Partnerships
import Postgres
import Synchronization
import TestSupport
import Testing

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
    let workers: JobWorkers
    let mail: RecordingMail

    /// `transport` replaces the recording one, e.g. a real SMTP mailer.
    static func make(
        _ label: String, transport: (any MailTransport)? = nil, webhooks: WebhookSender? = nil
    ) async throws -> NotificationsFixture {
        let database = try await TestDatabase.migrated(label)
        let logger = TestLogger.make("notifications")
        let pool = PostgresConnectionPool(
            configuration: .init(connection: database.appConfiguration, maximumConnections: 6), logger: logger)
        let environment = GatewayEnvironment(
            pool: pool, readiness: AlwaysReady(), logger: logger,
            rateLimiter: RateLimiter(rate: 100_000, burst: 100_000))
        let router = buildRouter(environment: environment)
        let queue = PostgresJobQueue()
        let mail = RecordingMail()
        let kernel = try Kernel.assemble(
            plugins: [
                PartnershipsPlugin(), ActivitiesPlugin(),
                NotificationsPlugin(mail: transport ?? mail, webhooks: webhooks),
            ],
            configuration: KernelConfiguration(settings: [
                "notifications": ["publicUrl": "https://stedenband.example.org"]
            ]),
            router: router, environment: environment, queue: queue, logger: logger)
        let workers = JobWorkers(
            configuration: .init(concurrency: 8, workerName: "test"), kinds: kernel.jobKinds, pool: pool, queue: queue,
            retryPolicy: RetryPolicy(random: { 0 }), listenOn: nil, logger: logger)
        return NotificationsFixture(
            database: database, router: router, pool: pool, queue: queue, workers: workers, mail: mail)
    }

    func schedule(at instant: Date) async throws -> Int {
        try await NotificationsPlugin.runScheduler(
            at: instant, pool: pool, queue: queue, logger: TestLogger.make("scheduler")
        ).digests
    }

    /// Makes retried jobs due now, as if their backoff had passed.
    func expireBackoff() async throws {
        let admin = try await database.connectAsAdmin()
        try await admin.query("UPDATE messaging.jobs SET run_at = now() WHERE state IN ('available', 'retryable')")
        await admin.close()
    }

    func digests(status: String) async throws -> Int {
        let admin = try await database.connectAsAdmin()
        let rows = try await admin.query("SELECT count(*) FROM notifications.digests WHERE status = \(status)")
        await admin.close()
        return try rows[0].decode(Int.self, column: 0)
    }
}

struct AlwaysReady: ReadinessCheck {
    func notReadyReason() async -> String? { nil }
}

extension TestClientProtocol {
    func send(
        _ method: HTTPRequest.Method, _ uri: String, as user: TestTenant, json: String? = nil
    ) async throws -> TestResponse {
        try await execute(
            uri: uri, method: method,
            headers: [.authorization: user.authorization, .contentType: "application/json"],
            body: json.map { ByteBuffer(string: $0) })
    }
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

    @Test("through a real SMTP server: one French mail for the day in Tambacounda, one-click unsubscribe works")
    func throughSMTP() async throws {
        try await TestSMTPServer.with { smtp in
            let mailer = try SMTPMailer(url: smtp.url, logger: TestLogger.make("smtp"))
            let fixture = try await NotificationsFixture.make("digestsmtp", transport: mailer)
            let coordinator = try await TestTenant.create(
                in: fixture.database, slug: "sint-niklaas", role: .coordinator)
            let partner = try await TestTenant.create(
                in: fixture.database, slug: "sint-niklaas", role: .partnerCoordinator, email: "awa@tambacounda.sn")
            try await Application(router: fixture.router).test(.router) { client in
                _ = try await client.send(
                    .put, "/api/v1/me/notifications", as: partner,
                    json: #"{"frequency": "daily", "hour": 7, "timeZone": "Africa/Dakar", "locale": "fr"}"#)
                let id = try await client.partnership(
                    #"{"title": "Sint-Niklaas–Tambacounda", "partner": {"name": "Tambacounda", "country": "SN"}}"#,
                    by: coordinator, member: partner)
                _ = try await client.send(
                    .post, "/api/v1/partnerships/\(id)/activities", as: coordinator,
                    json: #"""
                        {"title": "Campagne de sensibilisation COVID-19", "kind": "awareness_campaign",
                         "direction": "north_to_south", "budget": {"planned": "2500", "currency": "EUR"}}
                        """#)
            }
            try await fixture.workers.drain()
            let sendTime = DigestScheduleProbe.nextDaily(7, "Africa/Dakar")
            #expect(try await fixture.schedule(at: sendTime) >= 1)
            try await fixture.workers.drain()
            #expect(try await fixture.schedule(at: sendTime) == 0)
            try await fixture.workers.drain()
            let received = try await smtp.waitForMessages(count: 1).filter { $0.recipients == ["awa@tambacounda.sn"] }
            #expect(received.count == 1)
            let mail = try await ParsedMail.parse(try #require(received.first).data)
            #expect(mail.header("Subject") == "2 modifications dans Sint-Niklaas–Tambacounda")
            #expect(mail.contentType == "multipart/alternative")
            #expect(mail.parts.map(\.contentType) == ["text/plain", "text/html"])
            #expect(mail.parts.first?.content.contains("Campagne de sensibilisation COVID-19") == true)
            #expect(mail.parts.first?.content.contains("2\u{202F}500,00\u{00A0}€") == true)
            #expect(mail.header("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click")
            let unsubscribe = try #require(mail.header("List-Unsubscribe"))
            let link = try #require(
                unsubscribe.split(separator: ",").first?.trimmingCharacters(in: CharacterSet(charactersIn: " <>")))
            let path = String(link.drop { $0 != "/" }.dropFirst(2).drop { $0 != "/" })
            try await Application(router: fixture.router).test(.router) { client in
                let done = try await client.execute(
                    uri: path, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: "List-Unsubscribe=One-Click"))
                #expect(done.status == .ok)
                let off = try object(try await client.send(.get, "/api/v1/me/notifications", as: partner))
                #expect(off["frequency"] as? String == "off")
            }
        }
    }

    @Test("a webhook gets the digest signed; a 500 is retried, a 404 disables it with a note in the settings")
    func webhooks() async throws {
        try await TestHTTPServer.with([.init(status: 500), .init(status: 200), .init(status: 404)]) { receiver in
            let sender = WebhookSender(timeout: .seconds(2), logger: TestLogger.make("webhook"))
            let fixture = try await NotificationsFixture.make("digestwebhook", webhooks: sender)
            let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
            let partner = try await TestTenant.create(
                in: fixture.database, slug: "roeselare", role: .partnerCoordinator)
            let (secret, partnershipID) = try await Application(router: fixture.router).test(.router) { client in
                let refused = try await client.send(
                    .put, "/api/v1/me/notifications", as: partner,
                    json: #"{"webhook": {"url": "http://hooks.example.org/digest"}}"#)
                #expect(refused.status == .unprocessableContent && String(buffer: refused.body).contains("webhook.url"))
                let settings = try object(
                    try await client.send(
                        .put, "/api/v1/me/notifications", as: partner,
                        json: #"{"webhook": {"url": "\#(receiver.url)"}}"#))
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
            _ = try await fixture.schedule(at: DigestScheduleProbe.nextDaily(7, "Europe/Brussels"))
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

            // The next day's change meets a 404: the webhook is disabled, and the settings say why.
            try await Application(router: fixture.router).test(.router) { client in
                _ = try await client.send(
                    .patch, "/api/v1/partnerships/\(partnershipID)", as: coordinator, json: #"{"status": "active"}"#)
            }
            try await fixture.workers.drain()
            let nextDay = DigestScheduleProbe.nextDaily(7, "Europe/Brussels").addingTimeInterval(86_400)
            #expect(try await fixture.schedule(at: nextDay) == 1)
            try await fixture.workers.drain()
            _ = try await receiver.waitForRequests(count: 3)
            try await Application(router: fixture.router).test(.router) { client in
                let settings = try object(try await client.send(.get, "/api/v1/me/notifications", as: partner))
                let webhook = try #require(settings["webhook"] as? [String: Any])
                #expect(webhook["disabledAt"] != nil)
                #expect((webhook["note"] as? String)?.contains("404") == true)
            }
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
