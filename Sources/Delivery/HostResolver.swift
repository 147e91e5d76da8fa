import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Looks a host name up: the system's resolver, or a stand-in that tests give (this project's tests never
/// depend on a DNS server).
public struct HostResolver: Sendable {
    /// What a lookup found.
    public enum Answer: Sendable, Equatable {
        /// The name's addresses.
        case addresses([IPAddress])
        /// The name does not exist, or has no address.
        case noSuchHost
        /// The resolver could not answer now (a timeout, a failing DNS server).
        case unavailable
    }

    /// How long ``system`` waits for the system's resolver before answering ``Answer/unavailable``.
    public static let defaultDeadline = Duration.seconds(2)

    private let lookup: @Sendable (String) async -> Answer

    /// A resolver that answers with `lookup`.
    public init(_ lookup: @escaping @Sendable (String) async -> Answer) {
        self.lookup = lookup
    }

    /// The addresses of `host`.
    public func resolve(_ host: String) async -> Answer {
        await lookup(host)
    }

    /// The system's resolver (`getaddrinfo`: `/etc/hosts`, then DNS), on two threads of its own, giving up
    /// after ``defaultDeadline``: the caller may be holding a request open.
    public static let system = HostResolver { host in
        await HostResolver.systemThreads.run(within: HostResolver.defaultDeadline, otherwise: .unavailable) { flag in
            // A lookup whose caller already gave up is not worth a DNS query.
            flag.isRaised ? .unavailable : HostResolver.systemLookup(host)
        }
    }

    private static let systemThreads = TransferThreads(count: 2, name: "resolve")

    private static func systemLookup(_ host: String) -> Answer {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        defer { if let list { freeaddrinfo(list) } }
        switch status {
        case 0:
            break
        case EAI_NONAME:
            return .noSuchHost
        default:
            return .unavailable
        }
        var addresses: [IPAddress] = []
        var next = list
        while let entry = next {
            if let address = entry.pointee.ai_addr, let ip = Self.address(address, family: entry.pointee.ai_family),
                !addresses.contains(ip)
            {
                addresses.append(ip)
            }
            next = entry.pointee.ai_next
        }
        return addresses.isEmpty ? .noSuchHost : .addresses(addresses)
    }

    private static func address(_ socketAddress: UnsafeMutablePointer<sockaddr>, family: Int32) -> IPAddress? {
        switch family {
        case AF_INET:
            return socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { v4 in
                withUnsafeBytes(of: v4.pointee.sin_addr) { IPAddress(bytes: $0) }
            }
        case AF_INET6:
            return socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { v6 in
                withUnsafeBytes(of: v6.pointee.sin6_addr) { IPAddress(bytes: $0) }
            }
        default:
            return nil
        }
    }
}
