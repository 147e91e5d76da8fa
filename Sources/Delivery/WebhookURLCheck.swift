import Foundation

/// Decides whether a URL may receive webhooks, when a user sets it: https, to a host on the public internet.
///
/// This check serves the user (an early, clear 422); it is not the guard. Names can resolve differently
/// by the time a digest is sent, so ``WebhookSender`` checks every address again as it connects.
public struct WebhookURLCheck: Sendable {
    /// The longest URL accepted.
    public static let maximumLength = 2000
    /// What a user is told about a URL whose form is wrong.
    public static let formMessage =
        "must be an https URL of at most \(maximumLength) characters, without a user name or password"
    /// What a user is told about a URL whose host is not on the public internet, whether it is written as
    /// an address, is `localhost`, resolves only to refused addresses or does not exist: one message for
    /// all, so the answer says nothing about names only the hosting network knows.
    public static let addressMessage = "must name a host on the public internet"

    private let policy: WebhookAddressPolicy
    private let resolver: HostResolver

    /// A check with the addresses `policy` permits, looking names up with `resolver`.
    public init(policy: WebhookAddressPolicy = .publicOnly, resolver: HostResolver = .system) {
        self.policy = policy
        self.resolver = resolver
    }

    /// Why `url` may not receive webhooks, as a message for its field; `nil` when it may.
    ///
    /// A name that the resolver cannot look up now (``HostResolver/Answer/unavailable``) is accepted: a
    /// failing DNS server should not stop a user from saving settings, and delivery checks the address
    /// anyway. A name that does not exist is refused like a private one.
    public func refusal(_ url: String) async -> String? {
        guard let host = Self.host(url) else { return Self.formMessage }
        if let address = IPAddress.literal(host: host) {
            return policy.permits(address) ? nil : Self.addressMessage
        }
        let name = host.lowercased().hasSuffix(".") ? String(host.lowercased().dropLast()) : host.lowercased()
        // RFC 6761: localhost and its subdomains are this machine, whatever a resolver says.
        if name == "localhost" || name.hasSuffix(".localhost") {
            return policy.allowsPrivateNetworks ? nil : Self.addressMessage
        }
        switch await resolver.resolve(name) {
        case .addresses(let addresses):
            // One permitted address is enough: delivery connects only to permitted ones.
            return addresses.contains(where: policy.permits) ? nil : Self.addressMessage
        case .noSuchHost:
            return Self.addressMessage
        case .unavailable:
            return nil
        }
    }

    /// The host of `url` when its form is acceptable (https, a host, no user or password, not too long);
    /// `nil` otherwise.
    public static func host(_ url: String) -> String? {
        guard url.count <= maximumLength, !url.unicodeScalars.contains(where: isForbidden),
            let components = URLComponents(string: url), components.scheme?.lowercased() == "https",
            let host = components.host, !host.isEmpty, components.user == nil, components.password == nil
        else { return nil }
        return host
    }

    /// Control characters and spaces, which no URL holds and which would forge lines in logs.
    private static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control || scalar == " "
    }
}
