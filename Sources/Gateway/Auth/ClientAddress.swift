import Encodings
import Foundation
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An IP address (v4 or v6) as its bytes, in network order; IPv4-mapped IPv6 addresses are taken as IPv4.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// 4 bytes for IPv4, 16 for IPv6.
    public let bytes: [UInt8]

    /// Reads an address written as text (`192.0.2.7`, `2001:db8::1`, `::ffff:192.0.2.7`); `nil` for
    /// anything else, a port or a zone included.
    public init?(_ text: some StringProtocol) {
        let text = String(text).trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty, !text.contains("%"), let address = try? SocketAddress(ipAddress: text, port: 0) else {
            return nil
        }
        self.init(address)
    }

    /// The address of a socket's peer; `nil` for a Unix socket.
    public init?(_ address: SocketAddress) {
        switch address {
        case .v4(let v4):
            bytes = withUnsafeBytes(of: v4.address.sin_addr) { Array($0) }
        case .v6(let v6):
            let all = withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
            // A dual-stack listener sees IPv4 clients as ::ffff:a.b.c.d: the same client either way.
            bytes = all[0..<12] == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff] ? Array(all[12...]) : all
        default:
            return nil
        }
    }

    /// The key a client's rate-limit bucket is kept under: the address for IPv4, and the /64 network for
    /// IPv6, since one subscriber usually has a whole /64 and could otherwise take a fresh address per request.
    public var limitKey: String {
        bytes.count == 4
            ? description
            : Hex.encode(bytes[0..<8]) + "::/64"
    }

    public var description: String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        return stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
            .joined(separator: ":")
    }
}

/// An address range written as CIDR (`10.0.0.0/8`, `2001:db8::/32`), or a single address.
public struct IPNetwork: Sendable, Hashable {
    /// The network's address.
    public let address: IPAddress
    /// The length of its prefix, in bits.
    public let prefixLength: Int

    /// Reads `address/length` or a bare address; `nil` when either part does not read.
    public init?(_ text: some StringProtocol) {
        let parts = String(text).split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(parts[0]) else { return nil }
        let maximum = parts[0].contains(":") ? 128 : 32
        if parts.count == 2 {
            guard let length = Int(parts[1]), (0...maximum).contains(length) else { return nil }
            // An IPv4-mapped network given as IPv6 is kept as the IPv4 network it names.
            prefixLength = parts[0].contains(":") && address.bytes.count == 4 ? max(0, length - 96) : length
        } else {
            prefixLength = maximum
        }
        self.address = address
    }

    /// Whether `other` lies in this network (never across IPv4 and IPv6).
    public func contains(_ other: IPAddress) -> Bool {
        guard other.bytes.count == address.bytes.count else { return false }
        var bits = prefixLength
        for (mine, theirs) in zip(address.bytes, other.bytes) {
            guard bits > 0 else { return true }
            let mask: UInt8 = bits >= 8 ? 0xff : ~(0xff >> UInt8(bits))
            if mine & mask != theirs & mask { return false }
            bits -= 8
        }
        return true
    }
}

/// The proxies whose `X-Forwarded-For` is believed (`TRUSTED_PROXIES`); with none, the header is ignored and
/// the client is the socket's peer.
public struct TrustedProxies: Sendable, Equatable {
    /// The trusted networks.
    public let networks: [IPNetwork]

    /// Trusts `networks`; none by default.
    public init(_ networks: [IPNetwork] = []) {
        self.networks = networks
    }

    /// Reads a comma-separated list of addresses and CIDR networks.
    ///
    /// - Throws: ``GatewaySettingError`` naming the first entry that does not read.
    public init(list: String, name: String = "TRUSTED_PROXIES") throws {
        var networks: [IPNetwork] = []
        for entry in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
            guard let network = IPNetwork(entry) else {
                throw GatewaySettingError(
                    name: name, value: entry, expected: "a comma-separated list of IP addresses or CIDR networks")
            }
            networks.append(network)
        }
        self.networks = networks
    }

    /// Whether `address` is one of the trusted proxies.
    public func trusts(_ address: IPAddress) -> Bool {
        networks.contains { $0.contains(address) }
    }

    /// The client's address: the peer's, unless the peer is a trusted proxy; then the right-most address of
    /// `X-Forwarded-For` that is not a trusted proxy (each proxy appends the address it saw, so the entries
    /// left of it are whatever the client wrote). When every entry is trusted, or one does not read, the last
    /// trusted address seen is the client.
    public func client(peer: IPAddress?, forwardedFor: [String]) -> IPAddress? {
        guard let peer, trusts(peer) else { return peer }
        let chain = forwardedFor.flatMap { $0.split(separator: ",") }
        var client = peer
        for entry in chain.reversed() {
            guard let address = IPAddress(entry) else { return client }
            client = address
            if !trusts(address) { return address }
        }
        return client
    }
}

/// A gateway setting that cannot be used: refused at start rather than ignored.
public struct GatewaySettingError: Error, CustomStringConvertible, Equatable {
    /// The environment variable.
    public var name: String
    /// What it held.
    public var value: String
    /// What it should hold.
    public var expected: String

    /// Makes the error.
    public init(name: String, value: String, expected: String) {
        self.name = name
        self.value = value
        self.expected = expected
    }

    public var description: String { "\(name) must be \(expected), not \"\(value)\"" }
}
