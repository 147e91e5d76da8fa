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
