import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kernel
import Logging
import Messaging
import Postgres
import Synchronization
import TestSupport
import Testing

@testable import Delivery
@testable import Notifications

/// Webhooks reach only the public internet: refused when set, refused again as they connect, and what the
/// user is told about a failure says nothing about the network the server sits in.
@Suite("Webhooks reach only the public internet")
struct WebhookSafetyTests {
    /// What the stand-in resolver knows; no test depends on a DNS server.
    static let names: [String: HostResolver.Answer] = [
        "hooks.example.org": .addresses([IPAddress("93.184.215.14")!]),
        "intranet.example.org": .addresses([IPAddress("10.0.0.5")!, IPAddress("fd00::5")!]),
        "metadata.example.org": .addresses([IPAddress("169.254.169.254")!]),
        "missing.example.org": .noSuchHost,
        "dns-down.example.org": .unavailable,
    ]

    static func put(_ url: String, as user: TestTenant, router: Router<GatewayRequestContext>) async throws
        -> TestResponse
    {
        try await Application(router: router).test(.router) { client in
            try await client.send(.put, "/api/v1/me/notifications", as: user, json: #"{"webhook": {"url": "\#(url)"}}"#)
        }
    }

    /// Expects a 422 problem that names `webhook.url`, and the webhook left unset.
    static func expectRefused(
        _ url: String, as user: TestTenant, router: Router<GatewayRequestContext>,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let response = try await put(url, as: user, router: router)
        #expect(response.status == .unprocessableContent, "\(url)", sourceLocation: sourceLocation)
        #expect(response.headers[.contentType] == "application/problem+json", sourceLocation: sourceLocation)
        let problem = try object(response)
        let fields = (problem["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String }
        #expect(fields == ["webhook.url"], "\(url)", sourceLocation: sourceLocation)
    }

    @Test("PUT refuses, with 422 naming webhook.url, every URL that is not https to a public host")
    func refusedWhenSet() async throws {
        let fixture = try await NotificationsFixture.make("webhookrefused", resolver: .fixed(Self.names))
        let viewer = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .viewer)
        let refused = [
            // The addresses of the issue, and every class of address off the public internet.
            "http://127.0.0.1:22/", "https://10.0.0.1:8443/", "https://169.254.169.254/latest/meta-data",
            "http://localhost:5432/", "https://localhost:5432/", "https://127.0.0.1/", "https://172.16.0.1/",
            "https://192.168.1.1/", "https://100.64.0.1/", "https://224.0.0.1/", "https://0.0.0.0/",
            "https://[::1]/", "https://[::]/", "https://[fc00::1]/", "https://[fe80::1]/",
            "https://[::ffff:127.0.0.1]/", "https://[::ffff:10.0.0.1]/", "https://2130706433/",
            // Names: resolving only to refused addresses, or to nothing at all.
            "https://intranet.example.org/", "https://metadata.example.org/", "https://missing.example.org/",
            "http://hooks.example.org/digest", "https://user:pw@hooks.example.org/",
        ]
        for url in refused {
            try await Self.expectRefused(url, as: viewer, router: fixture.router)
        }
        let settings = try await Application(router: fixture.router).test(.router) { client in
            try object(try await client.send(.get, "/api/v1/me/notifications", as: viewer))
        }
        #expect(settings["webhook"] == nil)
        for url in ["https://hooks.example.org/digest", "https://dns-down.example.org/digest"] {
            let accepted = try await Self.put(url, as: viewer, router: fixture.router)
            #expect(accepted.status == .ok, "\(url)")
            #expect(((try object(accepted))["webhook"] as? [String: Any])?["url"] as? String == url)
        }
    }

    @Test("with the operator's setting on, PUT accepts loopback and private hosts, but not http or link-local")
    func allowedWhenSettingOn() async throws {
        let fixture = try await NotificationsFixture.make(
            "webhookallowed", allowPrivateWebhooks: true, resolver: .fixed(Self.names))
        let viewer = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .viewer)
        for url in ["https://127.0.0.1:8443/hook", "https://localhost:8443/hook", "https://intranet.example.org/"] {
            #expect(try await Self.put(url, as: viewer, router: fixture.router).status == .ok, "\(url)")
        }
        for url in ["http://127.0.0.1:8080/hook", "https://169.254.169.254/", "https://metadata.example.org/"] {
            try await Self.expectRefused(url, as: viewer, router: fixture.router)
        }
    }

    @Test(
        "a name that resolves to loopback only at delivery is refused before any connection; after three digests the webhook is disabled with a generic note"
    )
    func refusedAtDelivery() async throws {
        try await TestHTTPServer.with { receiver in
            var sender = WebhookSender(
                timeout: .seconds(2), caCertificatePath: receiver.caCertificatePath, logger: TestLogger.make("webhook"))
            // What a resolver could answer by the time a digest is sent (DNS rebinding): 127.0.0.1.
            sender.pinnedAddresses = ["hooks.example.org:\(receiver.port):127.0.0.1"]
            let fixture = try await NotificationsFixture.make(
                "webhookrebind", webhooks: sender, resolver: .fixed(Self.names))
            let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
            let partner = try await TestTenant.create(
                in: fixture.database, slug: "roeselare", role: .partnerCoordinator)
            let url = receiver.url(host: "hooks.example.org")
            #expect(try await Self.put(url, as: partner, router: fixture.router).status == .ok)
            let partnershipID = try await Application(router: fixture.router).test(.router) { client in
                try await client.partnership(
                    #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}}"#, by: coordinator,
                    member: partner)
            }
            var day = Date()
            for round in 1...3 {
                if round > 1 {
                    try await Application(router: fixture.router).test(.router) { client in
                        let changed = try await client.send(
                            .patch, "/api/v1/partnerships/\(partnershipID)", as: coordinator,
                            json: #"{"title": "Roeselare–Dogbo \#(round)"}"#)
                        #expect(changed.status == .ok)
                    }
                }
                try await fixture.workers.drain()
                day = try #require(DigestScheduleProbe.daily(7, "Europe/Brussels").nextSend(after: day))
                #expect(try await fixture.schedule(movingTo: day) == 1)
                try await fixture.workers.drain()
                try await fixture.expireBackoff()
                try await fixture.workers.drain()
            }
            #expect(fixture.mail.messages.count == 3)
            #expect(receiver.connectionCount() == 0)
            #expect(try receiver.requests().isEmpty)
            let webhook = try await Application(router: fixture.router).test(.router) { client in
                let settings = try object(try await client.send(.get, "/api/v1/me/notifications", as: partner))
                return try #require(settings["webhook"] as? [String: Any])
            }
            #expect(webhook["disabledAt"] != nil)
            #expect(
                webhook["note"] as? String
                    == "disabled after 3 digests in a row failed; the last: could not deliver: the address is not on the public internet"
            )
        }
    }

    @Test("the note names the kind of failure, never the transport's own text")
    func genericNotes() async throws {
        let sender = WebhookSender(
            timeout: .milliseconds(500), caCertificatePath: try await TestCertificates.shared().caCertificatePath,
            addressPolicy: .init(allowsPrivateNetworks: true), logger: TestLogger.make("webhook"))
        func failure(_ url: String) async -> DeliveryError? {
            do {
                try await sender.send(Array("{}".utf8), to: url, secret: "whsec_test")
                return nil
            } catch {
                return error
            }
        }
        let closed = try await TestHTTPServer.start()
        let closedURL = closed.url
        await closed.stop()
        let refused = try #require(await failure(closedURL))
        #expect(DigestDelivery.note(for: refused) == "could not deliver: connection failed")
        // The log keeps libcurl's words, with the address and port; the note keeps none of them.
        #expect(refused.description.contains("127.0.0.1"))
        #expect(!DigestDelivery.note(for: refused).contains("127.0.0.1"))
        try await TestHTTPServer.with([.init(status: 500), .init(status: 200, delay: .seconds(5))]) { http in
            let answered = try #require(await failure(http.url))
            #expect(DigestDelivery.note(for: answered) == "could not deliver: the server answered 500")
            let slow = try #require(await failure(http.url))
            #expect(DigestDelivery.note(for: slow) == "could not deliver: the server did not answer in time")
        }
        let publicOnly = sender.with(addressPolicy: .publicOnly)
        var refusedAddress: DeliveryError?
        do {
            try await publicOnly.send(Array("{}".utf8), to: "https://10.0.0.1:8443/", secret: "whsec_test")
        } catch {
            refusedAddress = error
        }
        let privateTarget = try #require(refusedAddress)
        #expect(
            DigestDelivery.note(for: privateTarget) == "could not deliver: the address is not on the public internet")
        #expect(
            DigestDelivery.note(
                for: DeliveryError(isTransient: false, description: "SSL peer certificate", cause: .certificate))
                == "could not deliver: the server's certificate was not accepted")
    }

    @Test("the operator's setting is logged as a warning at start when on, and not otherwise")
    func warningAtStart() async throws {
        let database = try await TestDatabase.migrated("webhookwarning")
        func warnings(_ value: String?) throws -> [String] {
            let logs = CollectedLogs()
            let logger = Logger(label: "test.start") { _ in logs }
            let pool = PostgresConnectionPool(
                configuration: .init(connection: database.appConfiguration, maximumConnections: 1), logger: logger)
            let environment = GatewayEnvironment(
                pool: pool, readiness: AlwaysReady(), logger: logger, rateLimiter: RateLimiter(rate: 1, burst: 1))
            _ = try Kernel.assemble(
                plugins: [NotificationsPlugin(mail: nil, resolver: .unexpected)],
                configuration: KernelConfiguration(
                    settings: value.map { ["notifications": ["allowPrivateWebhooks": $0]] } ?? [:]),
                router: buildRouter(environment: environment), environment: environment, queue: PostgresJobQueue(),
                logger: logger)
            return logs.messages(at: .warning).filter { $0.contains("ALLOW_PRIVATE_WEBHOOKS") }
        }
        #expect(try warnings("1").count == 1)
        #expect(try warnings("true").count == 1)
        #expect(try warnings(nil).isEmpty)
        #expect(try warnings("0").isEmpty)
        #expect(throws: ConfigurationError.self) { try warnings("maybe") }
    }

    @Test("while a webhook receiver keeps the delivery waiting, no database connection is left in a transaction")
    func noTransactionWhileWebhookWaits() async throws {
        try await TestHTTPServer.with([.init(status: 200, hold: true)]) { receiver in
            let sender = WebhookSender(
                timeout: .seconds(30), caCertificatePath: receiver.caCertificatePath, logger: TestLogger.make("webhook")
            )
            let fixture = try await NotificationsFixture.make(
                "webhookwaits", webhooks: sender, allowPrivateWebhooks: true)
            try await Self.digestDue(fixture, webhook: receiver.url)
            let workers = fixture.workers
            let running = Task { try await workers.drain() }
            // The request is recorded as it arrives; the answer is held until released. The whole suite's load can
            // keep the first delivery waiting more than the default ten seconds.
            _ = try await receiver.waitForRequests(count: 1, timeout: .seconds(60))
            try await Self.expectNoTransactionHeld(fixture.database)
            try receiver.release()
            _ = try await running.value
            #expect(receiver.connectionCount() == 1)
        }
    }

    @Test("while the SMTP server keeps the delivery waiting, no database connection is left in a transaction")
    func noTransactionWhileMailWaits() async throws {
        let mail = GatedMail()
        let fixture = try await NotificationsFixture.make("mailwaits", transport: mail)
        try await Self.digestDue(fixture, webhook: nil)
        let workers = fixture.workers
        let running = Task { try await workers.drain() }
        var entered = mail.entered.makeAsyncIterator()
        _ = await entered.next()
        try await Self.expectNoTransactionHeld(fixture.database)
        mail.release()
        _ = try await running.value
        #expect(try await fixture.digests(status: "sent") == 1)
    }

    /// Makes one digest due and claimed for a partner coordinator, with `webhook` set when given.
    static func digestDue(_ fixture: NotificationsFixture, webhook: String?) async throws {
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        let partner = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .partnerCoordinator)
        if let webhook {
            #expect(try await put(webhook, as: partner, router: fixture.router).status == .ok)
        }
        try await Application(router: fixture.router).test(.router) { client in
            _ = try await client.partnership(
                #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}}"#, by: coordinator,
                member: partner)
        }
        try await fixture.workers.drain()
        let sendTime = try #require(
            DigestScheduleProbe.daily(7, "Europe/Brussels").nextSend(after: fixture.clock.now()))
        #expect(try await fixture.schedule(movingTo: sendTime) == 1)
    }

    /// Reads `pg_stat_activity` as the superuser: the app's connections to the fixture's database are there,
    /// and none is idle inside a transaction (which is what a handler holding one while it waits looks like).
    static func expectNoTransactionHeld(
        _ database: TestDatabase, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let admin = try await database.connectAsAdmin()
        let rows = try await admin.query(
            """
            SELECT count(*) FILTER (WHERE state LIKE 'idle in transaction%'),
                count(*) FILTER (WHERE state = 'idle'),
                coalesce(string_agg(query, ' | ') FILTER (WHERE state LIKE 'idle in transaction%'), '')
            FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
            """)
        await admin.close()
        let (inTransaction, idle, queries) = try rows[0].decode((Int, Int, String).self)
        // The pool's connections are there, idle: the query sees the app, so the count below means something.
        #expect(idle >= 1, sourceLocation: sourceLocation)
        #expect(inTransaction == 0, "held while waiting: \(queries)", sourceLocation: sourceLocation)
    }
}

/// A mail transport that waits, as an SMTP server that does not answer would, until the test releases it;
/// it reports each send it starts.
final class GatedMail: MailTransport {
    let entered: AsyncStream<Void>
    private let enter: AsyncStream<Void>.Continuation
    private let gate = Mutex<(released: Bool, waiting: [CheckedContinuation<Void, Never>])>((false, []))

    init() {
        (entered, enter) = AsyncStream.makeStream(of: Void.self)
    }

    func send(_ message: MailMessage) async throws(DeliveryError) {
        enter.yield()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let released = gate.withLock { state -> Bool in
                if !state.released { state.waiting.append(continuation) }
                return state.released
            }
            if released { continuation.resume() }
        }
    }

    /// Lets every send waiting, and every later one, finish.
    func release() {
        let waiting = gate.withLock { state in
            state.released = true
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume() }
    }
}

/// Log records kept for a test to read.
final class CollectedLogs: LogHandler, Sendable {
    private let records = Mutex<[(level: Logger.Level, message: String)]>([])

    func messages(at level: Logger.Level) -> [String] {
        records.withLock { $0.filter { $0.level == level }.map(\.message) }
    }

    var metadata: Logger.Metadata {
        get { [:] }
        set {}
    }
    var logLevel: Logger.Level {
        get { .trace }
        set {}
    }
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { nil }
        set {}
    }

    func log(event: LogEvent) {
        records.withLock { $0.append((event.level, "\(event.message)")) }
    }
}
