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
