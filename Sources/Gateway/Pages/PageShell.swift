import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import NIOCore
import ReferenceData
import Vocabulary

/// The frame of every page: one layout (`Templates/layout.mustache`: skip link, header with the product name,
/// navigation, the locale switch and the sign-out button, `<main>`), the gateway's own page templates, and the
/// one stylesheet served at `/assets/stedenband.css`.
///
/// A plugin renders its page's content with its own template and hands it to ``respond(title:content:status:context:)``.
public struct PageShell: Sendable {
    let library: MustacheLibrary
    /// The stylesheet's text.
    public let stylesheet: String

    /// The shell shipped with the gateway (loaded once).
    public static let standard: PageShell = {
        do {
            return try PageShell(file: EmbeddedFiles.text)
        } catch {
            preconditionFailure("the gateway's page templates are missing from its embedded files: \(error)")
        }
    }()

    /// Loads the shell's templates and stylesheet through `file`, which answers a path such as
    /// `Pages/Templates/layout.mustache` (the gateway's ``EmbeddedFiles``, or a test's own).
    init(file: (String) -> String?) throws {
        var library = MustacheLibrary()
        for name in [
            "layout", "error-summary", "sign-in", "message", "confirm", "settings", "admin-municipality", "platform",
        ] {
            guard let text = file("Pages/Templates/\(name).mustache") else {
                throw ResourceMissing(name: "Pages/Templates/\(name).mustache")
            }
            try library.register(text, named: name)
        }
        guard let css = file("Pages/Assets/stedenband.css") else {
            throw ResourceMissing(name: "Pages/Assets/stedenband.css")
        }
        self.library = library
        self.stylesheet = try Self.withSDGGoalRules(css)
    }

    /// The start of the stylesheet's line that stands for the SDG goals' colour rules.
    static let sdgGoalLine = "/* .sdg-goal-1 … .sdg-goal-17:"

    /// `css` with the line ``sdgGoalLine`` replaced by a rule per goal (`.sdg-goal-1 { background: #E5243B; }`)
    /// in the SDG catalogue's colour. The colours live once, in the reference data (the charts draw with them
    /// too); the rules are written into the one stylesheet when it is loaded, so a page still needs one request,
    /// cacheable, with no inline style for the policy to allow.
    static func withSDGGoalRules(_ css: String) throws -> String {
        var lines = css.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let index = lines.firstIndex(where: { $0.hasPrefix(sdgGoalLine) }) else {
            throw ResourceMissing(name: "The line \(sdgGoalLine) of Assets/stedenband.css")
        }
        lines.replaceSubrange(
            index...index, with: SDGCatalogue.goals.map { ".sdg-goal-\($0.number) { background: \($0.colour); }" })
        return lines.joined(separator: "\n")
    }

    struct ResourceMissing: Error, CustomStringConvertible {
        var name: String
        var description: String { "\(name) is missing from the Gateway's embedded files" }
    }

    /// The language of the page being answered.
    public func language(_ context: GatewayRequestContext) -> Language { context.page?.language ?? .fallback }

    /// A whole page: `content` (HTML the caller rendered and escaped) inside the layout, with `title` in the
    /// `<title>`; answered `text/html`, never cached (it carries the form's CSRF token).
    public func respond(
        title: String, content: String, status: HTTPResponse.Status = .ok, context: GatewayRequestContext
    ) -> Response {
        let page = context.page
        let language = page?.language ?? .fallback
        var object = base(context)
        object["title"] = title
        object["content"] = content
        object["lang"] = language.rawValue
        object["languages"] = Language.allCases.map { code -> [String: Any] in
            ["code": code.rawValue, "name": PageWords.languageName(code), "current": code == language]
        }
        if let person = page?.person {
            object["person"] = ["name": person.name, "municipality": person.municipality] as [String: Any]
        }
        let path = page.map { $0.path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? "/" } ?? "/"
        object["nav"] = Self.navigation(path: path, role: page?.person == nil ? nil : context.identity?.role)
        let html = library.render(object, withTemplate: "layout") ?? ""
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// Renders one of the gateway's templates with `values`, the page's words (`words`), CSRF token (`csrf`) and
    /// path, inside the layout.
    func view(
        _ template: String, title: String, values: [String: Any] = [:], status: HTTPResponse.Status = .ok,
        context: GatewayRequestContext
    ) -> Response {
        var object = base(context)
        object.merge(values) { _, new in new }
        let content = library.render(object, withTemplate: template) ?? ""
        return respond(title: title, content: content, status: status, context: context)
    }

    /// A page with a heading, paragraphs and perhaps a link.
    func message(
        heading: String, paragraphs: [String], link: (href: String, text: String)? = nil,
        status: HTTPResponse.Status, context: GatewayRequestContext
    ) -> Response {
        var values: [String: Any] = ["heading": heading, "paragraphs": paragraphs]
        if let link { values["link"] = ["href": link.href, "text": link.text] }
        return view("message", title: heading, values: values, status: status, context: context)
    }

    /// The page of a request refused before its handler: 403 (CSRF, origin) or 429.
    func refusal(_ status: HTTPResponse.Status, context: GatewayRequestContext) -> Response {
        let words = PageWords.of(language(context))
        switch status {
        case .tooManyRequests:
            return message(
                heading: words.tooManyTitle, paragraphs: [words.tooManyBody], status: status, context: context)
        default:
            return message(
                heading: words.forbiddenTitle, paragraphs: [words.forbiddenBody], status: .forbidden,
                context: context)
        }
    }

    /// A ``Problem`` a page handler (or the service it called) threw, as a page with the same status.
    public func problem(_ problem: Problem, context: GatewayRequestContext) -> Response {
        let words = PageWords.of(language(context))
        var response: Response
        switch problem.status {
        case .notFound:
            response = message(
                heading: words.notFoundTitle, paragraphs: [words.notFoundBody], link: ("/", words.dashboard),
                status: .notFound, context: context)
        case .tooManyRequests:
            response = refusal(.tooManyRequests, context: context)
        default:
            let details =
                [problem.detail].compactMap { $0 } + (problem.errors ?? []).map { "\($0.field): \($0.message)" }
            response = message(
                heading: words.problemTitle, paragraphs: details, link: ("/", words.dashboard),
                status: problem.status, context: context)
        }
        for field in problem.headers { response.headers.append(field) }
        return response
    }

    /// The header's links for a signed-in person with `role` (`nil`: nobody signed in) and which one is the
    /// page at `path`: a municipality's people get its pages, by role; a platform administrator the platform's.
    static func navigation(path: String, role: Identity.Role?) -> [String: Any] {
        func at(_ prefix: String) -> Bool { path == prefix || path.hasPrefix(prefix + "/") }
        guard let role else { return [:] }
        // A platform administrator's settings page has their language and sessions only.
        if role == .platformAdmin {
            return ["platform": ["current": at("/platform")], "settings": ["current": at("/settings")]]
        }
        var nav: [String: Any] = ["settings": ["current": at("/settings")]]
        nav["municipality"] = [
            "atDashboard": path == "/", "atPartnerships": at("/partnerships"), "atActivities": at("/activities"),
            "atReports": at("/reports"), "atLibrary": at("/library"),
        ]
        if role == .admin || role == .coordinator { nav["importData"] = ["current": at("/import")] }
        if role == .admin {
            nav["administration"] = ["atUsers": at("/admin/users"), "atMunicipality": at("/admin/municipality")]
        }
        return nav
    }

    /// What every template may use: the words, the CSRF token, the path.
    private func base(_ context: GatewayRequestContext) -> [String: Any] {
        let page = context.page
        return [
            "words": Self.wordObjects[page?.language ?? .fallback],
            "admin": AdminWords.objects[page?.language ?? .fallback],
            "csrf": page?.csrfToken ?? "",
            "path": page?.path ?? "/",
        ]
    }

    /// Every language's words as templates read them, made once.
    static let wordObjects = templateObjects(PageWords.all)

    /// Every language's words of a table as templates read them, made once: a words type keeps the result
    /// (`static let templates = PageShell.templateObjects(all)`), so no request pays for the reflection.
    public static func templateObjects<Words>(_ table: Localised<Words>) -> Localised<[String: String]> {
        table.map(templateWords)
    }

    /// A words table as a template reads it (`{{words.title}}`): each `String` property by its name. By
    /// reflection, so slow: pages read ``templateObjects(_:)``' result, made once per language.
    public static func templateWords(_ words: Any) -> [String: String] {
        var object: [String: String] = [:]
        for child in Mirror(reflecting: words).children {
            if let label = child.label, let text = child.value as? String { object[label] = text }
        }
        return object
    }
}
