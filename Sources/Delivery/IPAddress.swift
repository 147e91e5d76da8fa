import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An IPv4 or IPv6 address, and the part of the address space it belongs to: what decides whether a
/// webhook may connect to it.
///
/// Pure: no lookup, no I/O. The ranges follow IANA's special-purpose registries (RFC 6890 and later); anything
/// not listed is public. IPv6 outside global unicast (`2000::/3`) is not public either: nothing is assigned
/// there.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// Where an address belongs.
    public enum Kind: String, Sendable, CaseIterable {
        /// Reachable on the public internet.
        case `public`
        /// This machine: `127.0.0.0/8`, `::1`.
        case loopback
        /// A private network (RFC 1918): `10/8`, `172.16/12`, `192.168/16`.
        case privateNetwork = "private network"
        /// Carrier-grade NAT's shared space (RFC 6598): `100.64/10`.
        case sharedAddressSpace = "shared address space"
        /// One network segment only, where cloud metadata services answer: `169.254/16`, `fe80::/10`.
        case linkLocal = "link-local"
        /// Multicast: `224/4`, `ff00::/8`.
        case multicast
        /// No address at all, which connects to this machine: `0.0.0.0`, `::`.
        case unspecified
        /// IPv6's private networks (RFC 4193): `fc00::/7`.
        case uniqueLocal = "unique local"
        /// An IPv4 address written as IPv6 (`::ffff:0:0/96`): an IPv6 socket would reach the IPv4 host, so
        /// it is refused whatever it embeds; a resolver never needs to hand one out.
        case ipv4Mapped = "IPv4-mapped"
        /// Anything else that is not on the public internet: "this network" `0/8`, documentation and
        /// benchmarking ranges, `240/4` and broadcast, IETF protocol assignments, deprecated site-local and
        /// IPv4-compatible IPv6, Teredo, and IPv6 outside `2000::/3`.
        case reserved
    }

    /// The address in network byte order: 4 bytes for IPv4, 16 for IPv6.
    public let bytes: [UInt8]

    /// An address from its bytes in network order; `nil` unless there are 4 or 16.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = Array(bytes)
    }

    /// An address in its standard text form (`192.0.2.1`, `2001:db8::1`); `nil` for anything else.
    public init?(_ text: String) {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            self.bytes = withUnsafeBytes(of: &v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            self.bytes = withUnsafeBytes(of: &v6) { Array($0) }
            return
        }
        return nil
    }

    /// The address a URL's host names literally, as libcurl and the system's resolver would read it, or
    /// `nil` for a host name.
    ///
    /// Liberal on purpose: besides the standard forms it reads the forms `inet_aton` accepts (`127.1`,
    /// `2130706433`, `0x7f.0.0.1`, `0177.0.0.1`), brackets, and an IPv6 zone (`fe80::1%eth0`), since a
    /// check that read them as names would let them through.
    public static func literal(host: String) -> IPAddress? {
        var text = host
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        if text.contains(":") {
            let withoutZone = text.split(separator: "%", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            return IPAddress(String(withoutZone))
        }
        if text.hasSuffix(".") { text.removeLast() }
        var v4 = in_addr()
        guard !text.isEmpty, inet_aton(text, &v4) != 0 else { return nil }
        return IPAddress(bytes: withUnsafeBytes(of: &v4) { Array($0) })
    }

    /// Whether it is an IPv4 address.
    public var isIPv4: Bool { bytes.count == 4 }

    /// The standard text form.
    public var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = isIPv4 ? AF_INET : AF_INET6
        let written = bytes.withUnsafeBytes { raw in
            inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count))
        }
        guard written != nil else { return bytes.map { String($0) }.joined(separator: ".") }
        return String(cString: buffer)
    }

    /// Where the address belongs. An IPv6 address that carries an IPv4 one for a translator (NAT64's
    /// `64:ff9b::/96`, 6to4's `2002::/16`) belongs where the IPv4 address does: the translator would
    /// connect there.
    public var kind: Kind {
        if isIPv4 { return Self.kind(of: bytes, in: Self.v4Blocks) }
        if Self.matches(bytes, Self.nat64) { return IPAddress(bytes: bytes[12..<16])!.kind }
        if Self.matches(bytes, Self.sixToFour) { return IPAddress(bytes: bytes[2..<6])!.kind }
        let kind = Self.kind(of: bytes, in: Self.v6Blocks)
        // Only 2000::/3 is assigned as global unicast; the rest of the space is not reachable.
        if kind == .public && bytes[0] & 0xe0 != 0x20 { return .reserved }
        return kind
    }

    /// Whether it is on the public internet.
    public var isPublic: Bool { kind == .public }

    // MARK: The ranges

    /// A prefix of `length` bits and where its addresses belong.
    private struct Block: Sendable {
        var prefix: [UInt8]
        var length: Int
        var kind: Kind

        init(_ prefix: [UInt8], _ length: Int, _ kind: Kind) {
            self.prefix = prefix
            self.length = length
            self.kind = kind
        }
    }

    /// IPv4, most specific first: the first block that matches decides.
    private static let v4Blocks: [Block] = [
        Block([0, 0, 0, 0], 32, .unspecified),
        Block([0, 0, 0, 0], 8, .reserved),
        Block([10, 0, 0, 0], 8, .privateNetwork),
        Block([100, 64, 0, 0], 10, .sharedAddressSpace),
        Block([127, 0, 0, 0], 8, .loopback),
        Block([169, 254, 0, 0], 16, .linkLocal),
        Block([172, 16, 0, 0], 12, .privateNetwork),
        Block([192, 0, 0, 0], 24, .reserved),
        Block([192, 0, 2, 0], 24, .reserved),
        Block([192, 88, 99, 0], 24, .reserved),
        Block([192, 168, 0, 0], 16, .privateNetwork),
        Block([198, 18, 0, 0], 15, .reserved),
        Block([198, 51, 100, 0], 24, .reserved),
        Block([203, 0, 113, 0], 24, .reserved),
        Block([224, 0, 0, 0], 4, .multicast),
        Block([240, 0, 0, 0], 4, .reserved),
    ]

    /// NAT64's well-known prefix (RFC 6052): the last 32 bits are the IPv4 host.
    private static let nat64 = Block(v6([0x0064, 0xff9b]), 96, .public)
    /// 6to4 (RFC 3056): bits 16 to 48 are the IPv4 relay host.
    private static let sixToFour = Block(v6([0x2002]), 16, .public)

    /// IPv6, most specific first.
    private static let v6Blocks: [Block] = [
        Block(v6([]), 128, .unspecified),
        Block(v6([0, 0, 0, 0, 0, 0, 0, 1]), 128, .loopback),
        Block(v6([0, 0, 0, 0, 0, 0xffff]), 96, .ipv4Mapped),
        // IPv4-compatible addresses (RFC 4291, deprecated), after :: and ::1 which share the prefix.
        Block(v6([]), 96, .reserved),
        // NAT64 for local use (RFC 8215): a translator inside someone's own network.
        Block(v6([0x0064, 0xff9b, 0x0001]), 48, .reserved),
        Block(v6([0x0100]), 64, .reserved),
        Block(v6([0x2001, 0x0000]), 32, .reserved),
        Block(v6([0x2001, 0x0002, 0x0000]), 48, .reserved),
        Block(v6([0x2001, 0x0010]), 28, .reserved),
        Block(v6([0x2001, 0x0020]), 28, .reserved),
        Block(v6([0x2001, 0x0db8]), 32, .reserved),
        Block(v6([0x3fff]), 20, .reserved),
        Block(v6([0x5f00]), 16, .reserved),
        Block(v6([0xfc00]), 7, .uniqueLocal),
        Block(v6([0xfe80]), 10, .linkLocal),
        Block(v6([0xfec0]), 10, .reserved),
        Block(v6([0xff00]), 8, .multicast),
    ]

    /// 16 bytes from up to eight 16-bit groups, the rest zero.
    private static func v6(_ groups: [UInt16]) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 16)
        for (index, group) in groups.enumerated() {
            bytes[index * 2] = UInt8(group >> 8)
            bytes[index * 2 + 1] = UInt8(group & 0xff)
        }
        return bytes
    }

    private static func kind(of bytes: [UInt8], in blocks: [Block]) -> Kind {
        blocks.first { matches(bytes, $0) }?.kind ?? .public
    }

    private static func matches(_ bytes: [UInt8], _ block: Block) -> Bool {
        guard bytes.count == block.prefix.count else { return false }
        let whole = block.length / 8
        for index in 0..<whole where bytes[index] != block.prefix[index] { return false }
        let rest = block.length % 8
        guard rest > 0 else { return true }
        let mask = UInt8(0xff) << (8 - rest)
        return bytes[whole] & mask == block.prefix[whole] & mask
    }
}
