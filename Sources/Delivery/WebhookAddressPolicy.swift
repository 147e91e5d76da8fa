/// Which addresses a webhook may connect to: the public internet only, unless the operator opens private
/// networks for development and tests.
public struct WebhookAddressPolicy: Sendable, Equatable {
    /// Whether loopback, private (RFC 1918), shared (CGNAT) and unique-local addresses are allowed too.
    /// Link-local (where cloud metadata services answer), multicast, unspecified, reserved and IPv4-mapped
    /// addresses stay refused even then: no development receiver needs them.
    public var allowsPrivateNetworks: Bool

    /// A policy; the default allows the public internet only.
    public init(allowsPrivateNetworks: Bool = false) {
        self.allowsPrivateNetworks = allowsPrivateNetworks
    }

    /// The public internet only.
    public static let publicOnly = WebhookAddressPolicy()

    /// Whether a webhook may connect to `address`.
    public func permits(_ address: IPAddress) -> Bool {
        switch address.kind {
        case .public:
            return true
        case .loopback, .privateNetwork, .sharedAddressSpace, .uniqueLocal:
            return allowsPrivateNetworks
        case .linkLocal, .multicast, .unspecified, .ipv4Mapped, .reserved:
            return false
        }
    }
}
