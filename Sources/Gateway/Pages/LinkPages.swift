import HTTPTypes
import Hummingbird

/// What the pages behind a mailed link share (a sign-in link, a platform administrator's sign-in link, an
/// invitation): reading the link's secret from the path and the page of a link that no longer works.
extension SessionSecret {
    /// The secret in the path's `{token}`, if it has the form of one.
    init?(pathOf context: GatewayRequestContext) {
        guard let text = context.parameters.get("token") else { return nil }
        self.init(text)
    }
}

extension PageShell {
    /// The page of a used or expired link (410) or an unknown one (404), with a way to ask for a new one.
    func linkGone(_ state: String?, context: GatewayRequestContext) -> Response {
        let words = PageWords.of(language(context))
        let (heading, status): (String, HTTPResponse.Status) =
            switch state {
            case "used": (words.linkUsedTitle, .gone)
            case "expired": (words.linkExpiredTitle, .gone)
            default: (words.linkUnknownTitle, .notFound)
            }
        return message(
            heading: heading, paragraphs: [words.linkGoneBody], link: ("/sign-in", words.askNewLink),
            status: status, context: context)
    }
}
