import Foundation
import TestSupport
import Testing

@testable import Delivery

/// WebhookSender against a real HTTPS server started by each test, on 127.0.0.1: reachable only with the
/// policy that allows private networks, as the operator's setting does for development and tests.
@Suite("Sending webhooks")
struct WebhookSenderTests {
    static let body = Array(#"{"event":"partnerships.partnership_created.v1","id":"7c0e"}"#.utf8)
    static let secret = "whsec_roeselare"

    static func sender(
        timeout: Duration = .seconds(10), policy: WebhookAddressPolicy = .init(allowsPrivateNetworks: true),
        now: @escaping @Sendable () -> Date = { Date() }
    ) async throws -> WebhookSender {
        WebhookSender(
            timeout: timeout, caCertificatePath: try await TestCertificates.shared().caCertificatePath,
            addressPolicy: policy, now: now, logger: TestLogger.make("webhook"))
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
            let sender = try await Self.sender()
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
            let error = try #require(await Self.sendError(try await Self.sender(), to: http.url))
            #expect(!error.isTransient)
            #expect(error.code == 404)
        }
    }

    @Test("does not follow a redirect, and treats it as permanent")
    func noRedirects() async throws {
        try await TestHTTPServer.with([.init(status: 302, location: "/elsewhere"), .init(status: 200)]) { http in
            let error = try #require(await Self.sendError(try await Self.sender(), to: http.url))
            #expect(!error.isTransient)
            #expect(error.code == 302)
            #expect(error.cause == .answered)
            #expect(try http.requests().count == 1)
        }
    }

    @Test("gives up on a slow receiver after the timeout, as a transient error")
    func slowReceiver() async throws {
        try await TestHTTPServer.with([.init(status: 200, delay: .seconds(5))]) { http in
            let started = ContinuousClock.now
            let error = try #require(
                await Self.sendError(try await Self.sender(timeout: .milliseconds(500)), to: http.url))
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
        let refused = try #require(await Self.sendError(try await Self.sender(), to: url))
        #expect(refused.isTransient)
        #expect(refused.cause == .connectionFailed)
        let notHTTP = try #require(await Self.sendError(try await Self.sender(), to: "file:///etc/passwd"))
        #expect(!notHTTP.isTransient)
        #expect(notHTTP.cause == .invalidRequest)
    }

    @Test("refuses plain http, even where private networks are allowed, before connecting")
    func plainHTTP() async throws {
        try await TestHTTPServer.with(tls: false) { http in
            #expect(http.url.hasPrefix("http://"))
            let error = try #require(await Self.sendError(try await Self.sender(), to: http.url))
            #expect(!error.isTransient)
            #expect(error.cause == .invalidRequest)
            #expect(http.connectionCount() == 0)
        }
    }

    @Test("refuses a certificate no trusted CA signed, for good")
    func untrustedCertificate() async throws {
        try await TestHTTPServer.with { http in
            let sender = WebhookSender(
                addressPolicy: .init(allowsPrivateNetworks: true), logger: TestLogger.make("webhook"))
            let error = try #require(await Self.sendError(sender, to: http.url))
            #expect(!error.isTransient)
            #expect(error.cause == .certificate)
            #expect(try http.requests().isEmpty)
        }
    }

    @Test("by default, refuses a name that resolves to loopback as it connects: the server sees no connection")
    func loopbackNameRefused() async throws {
        try await TestHTTPServer.with { http in
            let error = try #require(
                await Self.sendError(try await Self.sender(policy: .publicOnly), to: http.url(host: "localhost")))
            #expect(!error.isTransient)
            #expect(error.cause == .refusedAddress)
            #expect(error.code == nil)
            #expect(http.connectionCount() == 0)
            // The same server is reachable once private networks are allowed: the refusal was the policy's.
            #expect(
                try await Self.sender().send(Self.body, to: http.url(host: "localhost"), secret: Self.secret) == 200)
            #expect(http.connectionCount() == 1)
        }
    }

    @Test(
        "checks the address a name resolves to at delivery, not the name: a public-looking name pinned to loopback is refused"
    )
    func pinnedNameRefused() async throws {
        try await TestHTTPServer.with { http in
            var sender = try await Self.sender(policy: .publicOnly)
            sender.pinnedAddresses = ["hooks.example.org:\(http.port):127.0.0.1"]
            let error = try #require(await Self.sendError(sender, to: http.url(host: "hooks.example.org")))
            #expect(error.cause == .refusedAddress)
            #expect(!error.description.isEmpty)
            #expect(http.connectionCount() == 0)
        }
    }

    @Test(
        "by default, refuses every address off the public internet before connecting",
        arguments: [
            "https://127.0.0.1:{port}/hook", "https://[::1]:{port}/hook", "https://0.0.0.0:{port}/hook",
            "https://[::ffff:127.0.0.1]:{port}/hook", "https://2130706433:{port}/hook", "https://10.0.0.1:8443/",
            "https://172.16.0.1/", "https://192.168.0.1/", "https://100.64.0.1/",
            "https://169.254.169.254/latest/meta-data", "https://224.0.0.1/", "https://[fc00::1]/",
            "https://[fe80::1]/", "https://[::]/", "https://[::ffff:10.0.0.1]/", "https://240.0.0.1/",
        ])
    func everyClassRefused(_ template: String) async throws {
        try await TestHTTPServer.with { http in
            let url = template.replacingOccurrences(of: "{port}", with: "\(http.port)")
            let error = try #require(await Self.sendError(try await Self.sender(policy: .publicOnly), to: url))
            #expect(error.cause == .refusedAddress, "\(url): \(error.description)")
            #expect(!error.isTransient)
            #expect(http.connectionCount() == 0)
        }
    }

    @Test(
        "allowing private networks still refuses link-local, multicast, unspecified and mapped addresses",
        arguments: [
            "https://169.254.169.254/latest/meta-data", "https://[fe80::1]/", "https://224.0.0.1/",
            "https://0.0.0.0:{port}/hook", "https://[::ffff:127.0.0.1]:{port}/hook",
        ])
    func allowedPrivateStillRefuses(_ template: String) async throws {
        try await TestHTTPServer.with { http in
            let url = template.replacingOccurrences(of: "{port}", with: "\(http.port)")
            let error = try #require(await Self.sendError(try await Self.sender(), to: url))
            #expect(error.cause == .refusedAddress, "\(url): \(error.description)")
            #expect(http.connectionCount() == 0)
        }
    }

    @Test("ignores proxies named in the environment, which would connect past the address check")
    func noProxyFromEnvironment() async throws {
        await #expect(processExitsWith: .success) {
            // In a child process of its own: the environment is the whole process's.
            for name in ["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"] {
                setenv(name, "http://127.0.0.1:9", 1)
            }
            unsetenv("no_proxy")
            unsetenv("NO_PROXY")
            let delivered = try await TestHTTPServer.with { http in
                try await WebhookSenderTests.sender().send(
                    WebhookSenderTests.body, to: http.url, secret: WebhookSenderTests.secret)
            }
            exit(delivered == 200 ? 0 : 1)
        }
    }
}
