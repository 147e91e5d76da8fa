import Foundation

/// What an issuer URL (and every address a provider's discovery document names) must be: https, or plain
/// http to this machine only (`127.0.0.1`, `localhost`, `[::1]`), for tests and development.
public enum OIDCIssuer {
    /// Why `issuer` cannot be a municipality's issuer, or `nil` when it can.
    public static func problem(with issuer: String) -> String? {
        guard let url = URL(string: issuer), let scheme = url.scheme?.lowercased(), let host = url.host,
            !host.isEmpty
        else {
            return "must be an absolute URL such as https://login.example.org/realms/town"
        }
        guard url.user == nil, url.password == nil, url.query == nil, url.fragment == nil else {
            return "must have no user name, query or fragment"
        }
        switch scheme {
        case "https": return nil
        case "http" where isLoopback(host: host): return nil
        default: return "must be https (plain http only to 127.0.0.1 or localhost, for tests and development)"
        }
    }

    /// Whether `url` may be called for a provider whose issuer is `issuer`: https, or plain http to this
    /// machine when the issuer itself is such an address.
    static func permits(_ url: String, issuer: String) -> Bool {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), let host = parsed.host,
            !host.isEmpty, parsed.user == nil
        else { return false }
        if scheme == "https" { return true }
        return scheme == "http" && isLoopback(host: host) && problem(with: issuer) == nil
            && issuer.lowercased().hasPrefix("http://")
    }

    /// The discovery document's address: `{issuer}/.well-known/openid-configuration`.
    static func discoveryURL(for issuer: String) -> String {
        var base = issuer
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/.well-known/openid-configuration"
    }

    private static func isLoopback(host: String) -> Bool {
        ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host.lowercased())
    }
}
