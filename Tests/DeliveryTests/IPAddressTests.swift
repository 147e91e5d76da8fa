import Delivery
import Testing

/// The address classification behind every webhook: which addresses are on the public internet.
@Suite("IP address classification")
struct IPAddressTests {
    static func kind(_ text: String) throws -> IPAddress.Kind {
        try #require(IPAddress(text), "\(text) should parse").kind
    }

    @Test(
        "classifies each IPv4 range, at its first and last address, and its neighbours outside as public",
        arguments: [
            ("0.0.0.0", IPAddress.Kind.unspecified), ("0.0.0.1", .reserved), ("0.255.255.255", .reserved),
            ("1.0.0.0", .public),
            ("9.255.255.255", .public), ("10.0.0.0", .privateNetwork), ("10.255.255.255", .privateNetwork),
            ("11.0.0.0", .public),
            ("100.63.255.255", .public), ("100.64.0.0", .sharedAddressSpace),
            ("100.127.255.255", .sharedAddressSpace), ("100.128.0.0", .public),
            ("126.255.255.255", .public), ("127.0.0.0", .loopback), ("127.0.0.1", .loopback),
            ("127.255.255.255", .loopback), ("128.0.0.0", .public),
            ("169.253.255.255", .public), ("169.254.0.0", .linkLocal), ("169.254.169.254", .linkLocal),
            ("169.254.255.255", .linkLocal), ("169.255.0.0", .public),
            ("172.15.255.255", .public), ("172.16.0.0", .privateNetwork), ("172.31.255.255", .privateNetwork),
            ("172.32.0.0", .public),
            ("192.0.0.8", .reserved), ("192.0.2.1", .reserved), ("192.88.99.1", .reserved),
            ("192.167.255.255", .public), ("192.168.0.0", .privateNetwork), ("192.168.255.255", .privateNetwork),
            ("192.169.0.0", .public),
            ("198.17.255.255", .public), ("198.18.0.0", .reserved), ("198.19.255.255", .reserved),
            ("198.20.0.0", .public), ("198.51.100.7", .reserved), ("203.0.113.9", .reserved),
            ("223.255.255.255", .public), ("224.0.0.0", .multicast), ("239.255.255.250", .multicast),
            ("240.0.0.1", .reserved), ("255.255.255.255", .reserved),
            ("8.8.8.8", .public), ("93.184.215.14", .public),
        ])
    func ipv4(_ text: String, _ expected: IPAddress.Kind) throws {
        #expect(try Self.kind(text) == expected)
    }

    @Test(
        "classifies each IPv6 range, and only global unicast outside them as public",
        arguments: [
            ("::", IPAddress.Kind.unspecified), ("::1", .loopback), ("::2", .reserved),
            ("::127.0.0.1", .reserved),
            ("fc00::", .uniqueLocal), ("fd12:3456:789a::1", .uniqueLocal),
            ("fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", .uniqueLocal), ("fe00::1", .reserved),
            ("fe80::", .linkLocal), ("fe80::1", .linkLocal), ("febf:ffff::1", .linkLocal),
            ("fec0::1", .reserved), ("ff02::1", .multicast), ("ff0e::101", .multicast),
            ("2001:db8::1", .reserved), ("2001::1", .reserved), ("2001:10::1", .reserved),
            ("100::1", .reserved), ("3fff::1", .reserved), ("4000::1", .reserved), ("1fff::1", .reserved),
            ("64:ff9b:1::a00:1", .reserved),
            ("2606:4700:4700::1111", .public), ("2a00:1450:4001:82b::200e", .public), ("2001:4860::8888", .public),
        ])
    func ipv6(_ text: String, _ expected: IPAddress.Kind) throws {
        #expect(try Self.kind(text) == expected)
    }

    @Test(
        "refuses every IPv4-mapped IPv6 address, public or not",
        arguments: [
            "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::ffff:8.8.8.8", "::ffff:0.0.0.0",
        ])
    func mapped(_ text: String) throws {
        #expect(try Self.kind(text) == .ipv4Mapped)
        #expect(!WebhookAddressPolicy(allowsPrivateNetworks: true).permits(try #require(IPAddress(text))))
    }

    @Test(
        "classifies NAT64 and 6to4 addresses as the IPv4 address they carry",
        arguments: [
            ("64:ff9b::7f00:1", IPAddress.Kind.loopback), ("64:ff9b::a00:1", .privateNetwork),
            ("64:ff9b::a9fe:a9fe", .linkLocal), ("64:ff9b::808:808", .public),
            ("2002:7f00:1::1", .loopback), ("2002:c0a8:101::1", .privateNetwork), ("2002:808:808::1", .public),
        ])
    func embedded(_ text: String, _ expected: IPAddress.Kind) throws {
        #expect(try Self.kind(text) == expected)
    }

    @Test("parses only standard forms; a URL's host also in the forms resolvers accept")
    func parsing() throws {
        #expect(IPAddress("127.1") == nil)
        #expect(IPAddress("localhost") == nil)
        #expect(IPAddress("[::1]") == nil)
        #expect(IPAddress("256.0.0.1") == nil)
        #expect(IPAddress(bytes: [1, 2, 3]) == nil)
        #expect(IPAddress(bytes: [127, 0, 0, 1]) == IPAddress("127.0.0.1"))
        for host in ["127.1", "2130706433", "0x7f000001", "0x7f.0.0.1", "0177.0.0.1", "127.0.0.1.", "[::1]"] {
            #expect(IPAddress.literal(host: host)?.kind == .loopback, "\(host)")
        }
        #expect(IPAddress.literal(host: "fe80::1%eth0")?.kind == .linkLocal)
        #expect(IPAddress.literal(host: "[::ffff:7f00:1]")?.kind == .ipv4Mapped)
        #expect(IPAddress.literal(host: "hooks.example.org") == nil)
        #expect(IPAddress.literal(host: "localhost") == nil)
        #expect(IPAddress.literal(host: "") == nil)
    }

    @Test("writes the standard text form")
    func description() throws {
        #expect(try #require(IPAddress(bytes: [10, 0, 0, 1])).description == "10.0.0.1")
        #expect(try #require(IPAddress("2001:0db8:0000::0001")).description == "2001:db8::1")
        #expect(try #require(IPAddress("::ffff:127.0.0.1")).description == "::ffff:127.0.0.1")
    }

    @Test("the default policy permits the public internet only")
    func publicOnly() throws {
        let policy = WebhookAddressPolicy.publicOnly
        for text in ["93.184.215.14", "2606:4700:4700::1111", "64:ff9b::808:808"] {
            #expect(policy.permits(try #require(IPAddress(text))), "\(text)")
        }
        for text in [
            "127.0.0.1", "10.1.2.3", "172.20.0.1", "192.168.1.1", "100.64.0.1", "169.254.169.254", "224.0.0.1",
            "0.0.0.0", "::1", "::", "fc00::1", "fe80::1", "ff02::1", "::ffff:10.0.0.1", "240.0.0.1",
        ] {
            #expect(!policy.permits(try #require(IPAddress(text))), "\(text)")
        }
    }

    @Test("allowing private networks opens loopback, RFC 1918, CGNAT and unique-local, and nothing else")
    func allowingPrivate() throws {
        let policy = WebhookAddressPolicy(allowsPrivateNetworks: true)
        for text in ["127.0.0.1", "::1", "10.1.2.3", "172.20.0.1", "192.168.1.1", "100.64.0.1", "fd00::1", "8.8.8.8"] {
            #expect(policy.permits(try #require(IPAddress(text))), "\(text)")
        }
        for text in [
            "169.254.169.254", "fe80::1", "224.0.0.1", "ff02::1", "0.0.0.0", "::", "::ffff:127.0.0.1", "240.0.0.1",
        ] {
            #expect(!policy.permits(try #require(IPAddress(text))), "\(text)")
        }
    }
}
