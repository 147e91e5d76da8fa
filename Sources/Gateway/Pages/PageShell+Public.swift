import HTTPTypes
import Hummingbird
import Mustache
import NIOCore
import Vocabulary

extension PageShell {
    /// A public page (``Pages/public``): `content` (HTML the caller rendered and escaped) inside the layout, with
    /// nothing of who asks: no person or sign-out in the header, no CSRF field, the locale switch as links to
    /// `alternates` (``PublicVisit/alternates``), which the `<head>` names as `hreflang` alternates too, and with
    /// `feed` a `<link rel="alternate" type="application/atom+xml">` to it. Answered as a ``CachedPage``.
    public func publicPage(
        title: String,
        content: String,
        language: Language,
        alternates: [PublicPageAlternate],
        feed: (href: String, title: String)? = nil
    ) -> CachedPage {
        CachedPage(
            body: publicHTML(title: title, content: content, language: language, alternates: alternates, feed: feed),
            contentType: CachedPage.html, language: language)
    }

    /// The whole HTML of a public page.
    func publicHTML(
        title: String, content: String, language: Language, alternates: [PublicPageAlternate],
        feed: (href: String, title: String)?
    ) -> String {
        var object: [String: Any] = [
            "public": true, "title": title, "content": content, "lang": language.rawValue,
            "words": Self.wordObjects[language],
        ]
        object["languages"] = alternates.map { alternate -> [String: Any] in
            [
                "code": alternate.language.rawValue, "name": PageWords.languageName(alternate.language),
                "href": alternate.href, "url": alternate.url, "current": alternate.language == language,
            ]
        }
        if let feed { object["feed"] = ["href": feed.href, "title": feed.title] }
        return library.render(object, withTemplate: "layout") ?? ""
    }

    /// A ``Problem`` a public page's handler threw, as a public page with the same status and headers
    /// (`Retry-After`), in the visit's language; `Cache-Control: no-store`, as a page that is not there now may
    /// be published the next minute.
    func publicProblem(_ problem: Problem, visit: PublicVisit) -> Response {
        let words = PageWords.of(visit.language)
        let (heading, paragraphs): (String, [String])
        switch problem.status {
        case .notFound: (heading, paragraphs) = (words.notFoundTitle, [words.notFoundBody])
        case .tooManyRequests: (heading, paragraphs) = (words.tooManyTitle, [words.tooManyBody])
        default:
            (heading, paragraphs) = (
                words.problemTitle,
                [problem.detail].compactMap { $0 } + (problem.errors ?? []).map { "\($0.field): \($0.message)" }
            )
        }
        let values: [String: Any] = [
            "words": Self.wordObjects[visit.language], "heading": heading, "paragraphs": paragraphs,
        ]
        let content = library.render(values, withTemplate: "message") ?? ""
        let html = publicHTML(
            title: heading, content: content, language: visit.language, alternates: visit.alternates, feed: nil)
        var headers = HTTPFields()
        headers[.contentType] = CachedPage.html
        headers[.cacheControl] = "no-store"
        headers[.contentLanguage] = visit.language.rawValue
        for field in problem.headers { headers.append(field) }
        return Response(status: problem.status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
