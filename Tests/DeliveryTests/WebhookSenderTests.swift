import Delivery
import Foundation
import TestSupport
import Testing

/// WebhookSender against a real HTTP server started by each test.
@Suite("Sending webhooks")
struct WebhookSenderTests {
    static let body = Array(#"{"event":"partnerships.partnership_created.v1","id":"7c0e"}"#.utf8)
    static let secret = "whsec_roeselare"

    static func sender(timeout: Duration = .seconds(10), now: @escaping @Sendable () -> Date = { Date() })
        -> WebhookSender
    {
        WebhookSender(timeout: timeout, now: now, logger: TestLogger.make("webhook"))
    }

    /// Sends and returns the error, or nil when the receiver took the webhook.
    static func sendError(_ sender: WebhookSender, to url: String) async -> DeliveryError? {
        do {
            try await sender.send(body, to: url, secret: secret)
            return nil
        } catch {
            return error
        }
    }

    @Test("posts the JSON body with a signature the receiver verifies, and answers the 2xx status")
    func signedPost() async throws {
        try await TestHTTPServer.with([.init(status: 202)]) { http in
            let status = try await Self.sender().send(
                Self.body, to: http.url, secret: Self.secret, headers: [("Stedenband-Delivery", "d-1")])
            #expect(status == 202)
            let request = try #require(try await http.waitForRequests(count: 1).first)
            #expect(request.method == "POST")
            #expect(request.path == "/hook")
            #expect(Array(request.body) == Self.body)
            #expect(request.header("Content-Type") == "application/json")
            #expect(request.header("User-Agent") == "stedenband")
            #expect(request.header("Stedenband-Delivery") == "d-1")
            let signature = try #require(request.header("Stedenband-Signature"))
            #expect(signature.hasPrefix("t="))
            #expect(WebhookSignature.verify(header: signature, secret: Self.secret, body: request.body))
            #expect(!WebhookSignature.verify(header: signature, secret: "whsec_other", body: request.body))
        }
    }

    @Test("signs with the injected clock's time")
    func injectedClock() async throws {
        let then = Date(timeIntervalSince1970: 1_732_867_260)
        try await TestHTTPServer.with { http in
            try await Self.sender(now: { then }).send(Self.body, to: http.url, secret: Self.secret)
            let request = try #require(try await http.waitForRequests(count: 1).first)
            #expect(request.header("Stedenband-Signature")?.hasPrefix("t=1732867260,v1=") == true)
        }
    }

    @Test("treats 500 and 429 as transient, and delivers when the receiver recovers")
    func transientStatuses() async throws {
        try await TestHTTPServer.with([.init(status: 500), .init(status: 429), .init(status: 200)]) { http in
            let sender = Self.sender()
            let first = try #require(await Self.sendError(sender, to: http.url))
            #expect(first.isTransient)
            #expect(first.code == 500)
            let second = try #require(await Self.sendError(sender, to: http.url))
            #expect(second.isTransient)
            #expect(second.code == 429)
            #expect(try await sender.send(Self.body, to: http.url, secret: Self.secret) == 200)
            #expect(try await http.waitForRequests(count: 3).count == 3)
        }
    }

    @Test("treats 404 as permanent")
    func notFound() async throws {
        try await TestHTTPServer.with([.init(status: 404)]) { http in
            let error = try #require(await Self.sendError(Self.sender(), to: http.url))
            #expect(!error.isTransient)
            #expect(error.code == 404)
        }
    }

    @Test("does not follow a redirect, and treats it as permanent")
    func noRedirects() async throws {
        try await TestHTTPServer.with([.init(status: 302)]) { http in
            let error = try #require(await Self.sendError(Self.sender(), to: http.url))
            #expect(!error.isTransient)
            #expect(error.code == 302)
            #expect(try http.requests().count == 1)
        }
    }

    @Test("gives up on a slow receiver after the timeout, as a transient error")
    func slowReceiver() async throws {
        try await TestHTTPServer.with([.init(status: 200, delay: .seconds(5))]) { http in
            let started = ContinuousClock.now
            let error = try #require(await Self.sendError(Self.sender(timeout: .milliseconds(500)), to: http.url))
            #expect(error.isTransient)
            #expect(error.code == nil)
            #expect(ContinuousClock.now - started < .seconds(4))
        }
    }

    @Test("treats a refused connection as transient, and a URL that is not HTTP as permanent")
    func connectionErrors() async throws {
        let http = try await TestHTTPServer.start()
        let url = http.url
        await http.stop()
        let refused = try #require(await Self.sendError(Self.sender(), to: url))
        #expect(refused.isTransient)
        let notHTTP = try #require(await Self.sendError(Self.sender(), to: "file:///etc/passwd"))
        #expect(!notHTTP.isTransient)
    }
}
