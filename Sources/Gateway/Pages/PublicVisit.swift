import Postgres
import Vocabulary

/// What a public page's handler knows of its request (``PublicPageMiddleware``): the language to answer in,
/// the page's address in each language, and a way to read the database without a municipality.
///
/// It knows nothing of who asks (no session, no person, no CSRF token), so a signed-in person gets
/// byte-for-byte the page a visitor gets, and a shared cache may keep it for both.
public struct PublicVisit: Sendable {
    /// The language of the page: `?lang=`, then `Accept-Language`, then ``PublicPageMiddleware/defaultLanguage``.
    public let language: Language
    /// The page in each of the four languages, in ``Language/allCases``' order: the locale switch's links.
    public let alternates: [PublicPageAlternate]
    /// The instance's address (`PUBLIC_URL`) without a trailing slash, for absolute links (the feeds').
    public let publicURL: String
    let pool: PostgresConnectionPool

    /// Runs `body` in a read-only transaction as the app role, with no municipality (`app.tenant_id`) and no
    /// platform administrator (`app.platform_admin`) set: row-level security answers it no municipality's rows,
    /// so what a public page shows comes only through the `SECURITY DEFINER` functions made for it, which
    /// answer what was published. The connection is borrowed for `body` only: a page that reads nothing
    /// borrows none.
    public func read<Result>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await pool.withTransaction(isolation: isolation, readOnly: true, body)
    }
}

/// A public page in one language: the locale switch's link and the `<head>`'s `hreflang` alternate.
public struct PublicPageAlternate: Sendable, Hashable {
    /// The language.
    public let language: Language
    /// The link relative to the page: its query with `lang` set (`?year=2020&lang=fr`).
    public let href: String
    /// The same under `PUBLIC_URL`, as search engines want an alternate.
    public let url: String

    /// The page at `path` (as the request has it, percent-encoded) in every language: `query`'s other
    /// parameters kept in their order, every `lang` dropped and the language's own appended.
    static func all(path: String, query: String?, publicURL: String) -> [PublicPageAlternate] {
        let kept = (query ?? "").split(separator: "&").filter { pair in
            pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first != "lang"
        }
        let base = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
        return Language.allCases.map { language in
            let href = "?" + (kept + ["lang=\(language.rawValue)"]).joined(separator: "&")
            return PublicPageAlternate(language: language, href: href, url: base + path + href)
        }
    }
}
