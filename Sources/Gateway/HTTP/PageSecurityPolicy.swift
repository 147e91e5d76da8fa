import Crypto
import Foundation

/// The `Content-Security-Policy` of the server's HTML pages: no script at all, nothing loaded from elsewhere,
/// no framing, forms posted only back to this server.
///
/// A page's own style is allowed by its SHA-256 hash, never by `'unsafe-inline'`: an injected `<style>` or
/// `style=` (were escaping ever to fail) is then not applied, and an injected `<script>` never runs.
public struct PageSecurityPolicy: Sendable, Hashable, CustomStringConvertible {
    /// The sources of `style-src`, each as it appears in the header (`'self'`, `'sha256-…'`).
    public var styleSources: [String]

    /// What every HTML answer gets unless its handler set a policy: styles only from this server.
    public static let pages = PageSecurityPolicy(styleSources: ["'self'"])

    /// A policy allowing styles from the given sources.
    public init(styleSources: [String]) {
        self.styleSources = styleSources
    }

    /// A policy allowing exactly the given `<style>` elements' contents, and with `attributes` the given
    /// `style="…"` values (`'unsafe-hashes'`: an HTML e-mail, styled inline as mail clients need it).
    public init(styles: [String], attributes: [String] = []) {
        var sources = styles.map(Self.hashSource)
        if !attributes.isEmpty { sources += ["'unsafe-hashes'"] + attributes.map(Self.hashSource) }
        var seen = Set<String>()
        self.init(styleSources: sources.filter { seen.insert($0).inserted })
    }

    /// `'sha256-…'`: the source that allows exactly this style text (the bytes between `<style>` and
    /// `</style>`, or an attribute's value).
    public static func hashSource(_ text: String) -> String {
        "'sha256-" + Data(SHA256.hash(data: Data(text.utf8))).base64EncodedString() + "'"
    }

    /// The header's value.
    public var description: String { (directives + ["frame-ancestors 'none'"]).joined(separator: "; ") }

    /// The value for a page's own `<meta http-equiv="Content-Security-Policy">`, which keeps a saved copy of
    /// the page as strict as the served one (`frame-ancestors` is left out: browsers ignore it there).
    public var metaContent: String { directives.joined(separator: "; ") }

    private var directives: [String] {
        [
            "default-src 'none'", "style-src " + styleSources.joined(separator: " "), "img-src 'self' data:",
            "form-action 'self'", "base-uri 'none'",
        ]
    }
}
