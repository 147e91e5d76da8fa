import Foundation

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
