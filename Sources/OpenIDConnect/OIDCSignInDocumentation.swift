import Gateway
import HTTPTypes

/// The two routes in the OpenAPI document (tag `pages`): HTML and redirects for browsers, not JSON, but
/// routes all the same, so the document names every route the server has.
public enum OIDCSignInDocumentation {
    /// Adds the routes to `documentation`.
    public static func register(in documentation: APIDocumentation) {
        let slug = APIOperation.Parameter.path(
            "slug", .string(maxLength: 63), "the municipality's slug, e.g. sint-niklaas")
        func query(_ name: String, _ description: String) -> APIOperation.Parameter {
            .query(name, .string(maxLength: 2000), description)
        }
        var start = APIOperation(
            .get, "/sign-in/oidc/{slug}", id: "signInWithProvider",
            summary:
                "Sends the browser (303) to the municipality's OpenID provider, with PKCE, state and nonce; "
                + "a page (404) when it has none, (502) when the provider cannot be reached.",
            tag: "pages", parameters: [slug, query("next", "a path on this site to open once signed in")],
            success: (303, nil), problems: [404, 502], authenticated: false)
        start.successMediaType = "text/html"
        var callback = APIOperation(
            .get, "/sign-in/oidc/{slug}/callback", id: "signInWithProviderCallback",
            summary:
                "Back from the provider: the code is exchanged, the ID token verified, and the person with that "
                + "verified address in the municipality gets a session (303 to next or /); otherwise a page saying why.",
            tag: "pages",
            parameters: [
                slug, query("code", "the provider's authorization code"), query("state", "this sign-in's state"),
                query("error", "the provider's refusal, e.g. access_denied"),
            ],
            success: (303, nil), problems: [400, 403, 404, 502], authenticated: false)
        callback.successMediaType = "text/html"
        documentation.add([start, callback])
    }
}
