import Dispatch
import Testing

@testable import Delivery

/// The check a webhook URL gets when a user sets it, with a stand-in resolver: no DNS server is needed.
@Suite("Checking webhook URLs")
struct WebhookURLCheckTests {
    static let names: [String: HostResolver.Answer] = [
        "hooks.example.org": .addresses([IPAddress("93.184.215.14")!]),
        "mixed.example.org": .addresses([IPAddress("10.0.0.5")!, IPAddress("2606:4700:4700::1111")!]),
        "intranet.example.org": .addresses([IPAddress("10.0.0.5")!, IPAddress("fd00::5")!]),
        "metadata.example.org": .addresses([IPAddress("169.254.169.254")!]),
        "rebind.example.org": .addresses([IPAddress("127.0.0.1")!]),
        "missing.example.org": .noSuchHost,
        "dns-down.example.org": .unavailable,
    ]

    static func check(allowingPrivate: Bool = false) -> WebhookURLCheck {
        WebhookURLCheck(
            policy: WebhookAddressPolicy(allowsPrivateNetworks: allowingPrivate),
            resolver: HostResolver { host in
                guard let answer = names[host] else {
                    Issue.record("unexpected lookup of \(host)")
                    return .unavailable
                }
                return answer
            })
    }

    @Test(
        "refuses URLs that are not https, or carry a user name, or are too long",
        arguments: [
            "http://hooks.example.org/digest", "ftp://hooks.example.org/", "file:///etc/passwd", "hooks.example.org",
            "https://user:secret@hooks.example.org/", "https://user@hooks.example.org/", "https:///digest",
            "https://hooks.example.org/a b", "https://hooks.example.org/\r\nX-Forged: 1",
            "https://hooks.example.org/" + String(repeating: "a", count: 2000),
        ])
    func refusesForm(_ url: String) async {
        #expect(await Self.check().refusal(url) == WebhookURLCheck.formMessage)
        #expect(await Self.check(allowingPrivate: true).refusal(url) == WebhookURLCheck.formMessage)
    }

    @Test(
        "refuses hosts written as addresses off the public internet, in every form a resolver reads",
        arguments: [
            "https://127.0.0.1/", "https://127.0.0.1:22/", "https://10.0.0.1:8443/", "https://172.16.5.4/",
            "https://192.168.1.1/", "https://100.64.0.1/", "https://169.254.169.254/latest/meta-data",
            "https://224.0.0.1/", "https://0.0.0.0/", "https://[::1]/", "https://[::]/", "https://[fc00::1]/",
            "https://[fd12::1]/", "https://[fe80::1]/", "https://[fe80::1%25eth0]/", "https://[ff02::1]/",
            "https://[::ffff:127.0.0.1]/", "https://[::ffff:10.0.0.1]/", "https://[::ffff:8.8.8.8]/",
            "https://[64:ff9b::7f00:1]/", "https://2130706433/", "https://127.1/", "https://0x7f.0.0.1/",
            "https://0177.0.0.1/", "https://127.0.0.1./",
        ])
    func refusesLiteralAddresses(_ url: String) async {
        #expect(await Self.check().refusal(url) == WebhookURLCheck.addressMessage)
    }

    @Test(
        "refuses localhost, names that resolve only to refused addresses, and names that do not exist",
        arguments: [
            "https://localhost/", "https://LOCALHOST:5432/", "https://localhost./", "https://db.localhost/",
            "https://intranet.example.org/", "https://metadata.example.org/", "https://rebind.example.org/",
            "https://missing.example.org/",
        ])
    func refusesNames(_ url: String) async {
        #expect(await Self.check().refusal(url) == WebhookURLCheck.addressMessage)
    }

    @Test(
        "accepts a public address, a name with one public address, and a name the resolver cannot look up now",
        arguments: [
            "https://93.184.215.14/hook", "https://[2606:4700:4700::1111]/hook", "https://hooks.example.org/digest",
            "https://HOOKS.example.org:8443/digest?list=1", "https://mixed.example.org/",
            "https://dns-down.example.org/",
        ])
    func accepts(_ url: String) async {
        #expect(await Self.check().refusal(url) == nil)
    }

    @Test("allowing private networks accepts loopback and private hosts, but still not link-local or mapped ones")
    func allowingPrivate() async {
        let check = Self.check(allowingPrivate: true)
        for url in [
            "https://127.0.0.1:8443/", "https://localhost/", "https://[::1]/", "https://10.0.0.1/",
            "https://intranet.example.org/", "https://rebind.example.org/",
        ] {
            #expect(await check.refusal(url) == nil, "\(url)")
        }
        for url in [
            "https://169.254.169.254/", "https://[fe80::1]/", "https://[::ffff:127.0.0.1]/", "https://0.0.0.0/",
            "https://metadata.example.org/", "https://missing.example.org/",
        ] {
            #expect(await check.refusal(url) == WebhookURLCheck.addressMessage, "\(url)")
        }
        #expect(await check.refusal("http://127.0.0.1:8080/") == WebhookURLCheck.formMessage)
    }

    @Test("the system resolver reads /etc/hosts, and finds no address for a name that cannot exist")
    func systemResolver() async {
        guard case .addresses(let addresses) = await HostResolver.system.resolve("localhost") else {
            Issue.record("localhost did not resolve")
            return
        }
        #expect(!addresses.isEmpty && addresses.allSatisfy { $0.kind == .loopback })
        // `.invalid` never exists (RFC 6761): without DNS it is unavailable, with DNS it does not exist.
        if case .addresses(let found) = await HostResolver.system.resolve("nothing.invalid") {
            Issue.record("nothing.invalid resolved to \(found)")
        }
    }

    @Test("a lookup that blocks answers the fallback at the deadline, and the blocked work learns it was dropped")
    func deadline() async {
        let threads = TransferThreads(count: 1, name: "test-resolve")
        let gate = DispatchSemaphore(value: 0)
        let started = ContinuousClock.now
        let answer = await threads.run(within: .milliseconds(200), otherwise: "fallback") { _ in
            gate.wait()
            return "late"
        }
        #expect(answer == "fallback")
        // The work is released only below, so without the deadline the call would never return; the bound
        // is loose because a full test run once took 8 s to get back to this task.
        #expect(ContinuousClock.now - started < .seconds(30))
        // Queued behind the blocked one: its caller gives up first, and then the work sees the raised flag.
        let (observed, report) = AsyncStream.makeStream(of: Bool.self)
        let second = await threads.run(within: .milliseconds(50), otherwise: "fallback") { flag in
            report.yield(flag.isRaised)
            return "ran"
        }
        #expect(second == "fallback")
        gate.signal()
        var seen = observed.makeAsyncIterator()
        #expect(await seen.next() == true)
        #expect(await threads.run(within: .seconds(5), otherwise: "fallback") { _ in "in time" } == "in time")
    }
}
