import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import Mustache
import Vocabulary

/// `/library` and `/library/lessons/{id}` for every signed-in person of a municipality: the library's search as
/// a GET form (the API's words and filters, read by the same ``LibraryQuery``), the results newest first with
/// their municipality, partnership, side, domain and the role to ask, and one lesson whole.
struct LibraryPages: Sendable {
    let repository = LibraryRepository()
    let library: MustacheLibrary

    /// The fields of the search form, in order: the API's query parameters.
    static let fields = ["q", "policyDomain", "side", "theme", "sdgTarget", "country"]

    init() throws {
        var library = MustacheLibrary()
        for name in ["library", "library-lesson"] {
            guard let text = EmbeddedFiles.text("Templates/\(name).mustache") else {
                throw TemplateMissing(name: name)
            }
            try library.register(text, named: name)
        }
        self.library = library
    }

    struct TemplateMissing: Error, CustomStringConvertible {
        var name: String
        var description: String { "Templates/\(name).mustache is not embedded in the Learning module" }
    }

    func register(on pages: Pages, documentation: APIDocumentation) {
        let shell = pages.shell
        pages.signedIn.get("library") { request, context in try await search(request, context, shell) }
        pages.signedIn.get("library/lessons/:id") { _, context in try await lesson(context, shell) }
        documentation.add(Self.operations)
    }

    /// A query value as a GET form sends it: an empty field is no filter.
    static func value(_ request: Request, _ name: String) -> String? { PageForm.queryValue(request, name) }

    /// The form, and (when its filters are right) a page of lessons; wrong filters are shown beside their field
    /// and in a summary, in the person's language, with what was typed, as a 422.
    private func search(_ request: Request, _ context: GatewayRequestContext, _ shell: PageShell) async throws
        -> Response
    {
        _ = try TenantAccess(context)
        let language = shell.language(context)
        let words = LibraryPageWords.all[language]
        let connection = try context.requireConnection()
        let domains = try await repository.domains(in: language, on: connection)
        let (query, errors) = LibraryQuery.read({ Self.value(request, $0) }, domains: Set(domains.map(\.code)))
        var messages: [String: String] = [:]
        for error in errors where messages[error.field] == nil {
            messages[error.field] = words.messages[error.field] ?? error.message
        }
        let (limit, after) = try Pagination.read(request)
        var object: [String: Any] = [
            "page": LibraryPageWords.templates[language],
            "fields": fields(request, words: words, language: language, domains: domains, errors: messages),
            "filtered": Self.fields.contains { Self.value(request, $0) != nil },
        ]
        if !errors.isEmpty {
            object["errors"] = [
                "items": Self.fields.compactMap { field in messages[field].map { ["field": field, "message": $0] } }
            ]
        } else {
            let rows = try await repository.search(query, limit: limit + 1, after: after, on: connection)
            let page = Pagination.page(rows, limit: limit) { ($0.sharedAt, $0.id) }
            let names = Dictionary(uniqueKeysWithValues: domains.map { ($0.code, $0.name) })
            var results: [String: Any] = [
                "items": page.items.map { Self.item($0, words: words, language: language, domains: names) }
            ]
            if page.items.isEmpty {
                results["nothing"] =
                    query.isEmpty
                    ? words.nothing
                    : words.nothingWith.replacingOccurrences(
                        of: "{filters}", with: summary(request, language: language, domains: names))
            }
            if let next = page.nextCursor {
                var items = Self.fields.compactMap { name in
                    Self.value(request, name).map { URLQueryItem(name: name, value: $0) }
                }
                items.append(.init(name: "cursor", value: next))
                var components = URLComponents()
                components.queryItems = items
                results["next"] = "?" + (components.percentEncodedQuery ?? "")
            }
            object["results"] = results
        }
        return shell.respond(
            title: words.heading, content: try library.render(object, withTemplate: "library") ?? "",
            status: errors.isEmpty ? .ok : .unprocessableContent, context: context)
    }

    /// One shared lesson whole; 404 unless it is shared.
    private func lesson(_ context: GatewayRequestContext, _ shell: PageShell) async throws -> Response {
        _ = try TenantAccess(context)
        let language = shell.language(context)
        let words = LibraryPageWords.all[language]
        let connection = try context.requireConnection()
        guard let text = context.parameters.get("id"), let id = UUID(uuidString: text),
            let lesson = try await repository.search(LibraryQuery(), lesson: id, limit: 1, after: nil, on: connection)
                .first
        else { throw Problem.notFound("no such lesson in the library") }
        let names = Dictionary(
            uniqueKeysWithValues: try await repository.domains(in: language, on: connection).map { ($0.code, $0.name) })
        var object = Self.item(lesson, words: words, language: language, domains: names)
        object["page"] = LibraryPageWords.templates[language]
        object["activity"] = lesson.activity.title
        object["side"] = lesson.side.name(in: language)
        object["themes"] = lesson.themes.isEmpty ? nil : lesson.themes.joined(separator: ", ")
        object["targets"] = lesson.sdgTargets.isEmpty ? nil : lesson.sdgTargets.joined(separator: ", ")
        object["paragraphs"] = lesson.body.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        object["shared"] = words.sharedOn.replacingOccurrences(of: "{date}", with: Self.day(lesson.sharedAt, language))
        return shell.respond(
            title: lesson.title, content: try library.render(object, withTemplate: "library-lesson") ?? "",
            context: context)
    }

    /// A lesson as a result: who learnt it by name (the municipality, or its partner), the role to ask, the
    /// first 300 characters.
    static func item(
        _ lesson: LibraryLesson, words: LibraryPageWords, language: Language, domains: [String: String]
    ) -> [String: Any] {
        let learner =
            lesson.side == .flemishMunicipality ? lesson.municipality.name : lesson.partnership.partnerName
        let contact = (lesson.contactRole == .partnerCoordinator ? words.partnerCoordinatorOf : words.coordinatorOf)
            .replacingOccurrences(of: "{partnership}", with: lesson.partnership.title)
            .replacingOccurrences(of: "{municipality}", with: lesson.municipality.name)
        let excerpt = lesson.body.count > 300 ? String(lesson.body.prefix(300)) + "…" : lesson.body
        return [
            "id": lesson.id.uuidString.lowercased(), "title": lesson.title, "language": lesson.language,
            "municipality": lesson.municipality.name, "partnership": lesson.partnership.title,
            "country": Self.countryName(lesson.partnership.partnerCountry, language),
            "learntBy": words.learntBy.replacingOccurrences(of: "{name}", with: learner),
            "domain": domains[lesson.policyDomain] ?? lesson.policyDomain, "excerpt": excerpt, "contact": contact,
        ]
    }

    /// A country's name in `language`, else its code.
    static func countryName(_ code: String, _ language: Language) -> String {
        Locale(identifier: language.rawValue).localizedString(forRegionCode: code) ?? code
    }

    /// A day as people of `language` write it.
    static func day(_ date: Date, _ language: Language) -> String {
        date.formatted(
            Date.FormatStyle(date: .long, time: .omitted, locale: Locale(identifier: language.rawValue), timeZone: .gmt)
        )
    }

    /// The filters used, in words: "registre · état civil · BJ".
    private func summary(_ request: Request, language: Language, domains: [String: String]) -> String {
        Self.fields.compactMap { field -> String? in
            guard let value = Self.value(request, field) else { return nil }
            switch field {
            case "policyDomain": return domains[value] ?? value
            case "side": return LessonSide(rawValue: value)?.name(in: language) ?? value
            case "country": return Self.countryName(value, language)
            default: return value
            }
        }.joined(separator: " · ")
    }

    /// The form's fields: the API's parameter names, what was typed kept, the message beside a wrong one.
    private func fields(
        _ request: Request, words: LibraryPageWords, language: Language, domains: [PolicyDomainName],
        errors: [String: String]
    ) -> [[String: Any]] {
        func field(_ id: String, _ label: String, hint: String? = nil) -> [String: Any] {
            var field: [String: Any] = ["id": id, "label": label]
            PageField.describe(&field, id: id, hint: hint, error: errors[id])
            return field
        }
        func input(_ id: String, _ label: String, hint: String, type: String = "text") -> [String: Any] {
            var input = field(id, label, hint: hint)
            input["input"] = ["value": Self.value(request, id) ?? "", "type": type]
            return input
        }
        func select(_ id: String, _ label: String, _ options: [(value: String, name: String)]) -> [String: Any] {
            var select = field(id, label)
            let chosen = Self.value(request, id) ?? ""
            select["select"] = [
                "options": options.map { ["value": $0.value, "name": $0.name, "selected": $0.value == chosen] }
            ]
            return select
        }
        return [
            input("q", words.words, hint: words.wordsHint, type: "search"),
            select(
                "policyDomain", words.policyDomain,
                [("", words.anyDomain)] + domains.filter { !$0.retired }.map { ($0.code, $0.name) }),
            select(
                "side", words.side,
                [("", words.eitherSide)] + LessonSide.allCases.map { ($0.rawValue, $0.name(in: language)) }),
            input("theme", words.theme, hint: words.themeHint),
            input("sdgTarget", words.sdgTarget, hint: words.sdgTargetHint),
            input("country", words.country, hint: words.countryHint),
        ]
    }

    static var operations: [APIOperation] {
        var search = APIOperation(
            .get, "/library", id: "libraryPage",
            summary:
                "The library of lessons every municipality shared, as a search form (the API's q, policyDomain, side, theme, sdgTarget, country) and results newest first; a wrong filter is shown beside its field (422).",
            tag: "pages",
            parameters: Self.fields.map { .query($0, .string(maxLength: 1000), "as GET /api/v1/library/lessons") }
                + [
                    .query("limit", .integer(minimum: 1, maximum: 200), "page size, 50 by default"),
                    .query("cursor", .string(), "the next page's link carries it"),
                ],
            success: (200, .string()), problems: [400, 404, 422], authenticated: false)
        search.successMediaType = "text/html"
        var lesson = APIOperation(
            .get, "/library/lessons/{id}", id: "libraryLessonPage",
            summary: "One shared lesson whole, with the role to ask; 404 unless it is shared.", tag: "pages",
            parameters: [.path("id", .string(format: "uuid"), "the lesson's id")], success: (200, .string()),
            problems: [404], authenticated: false)
        lesson.successMediaType = "text/html"
        return [search, lesson]
    }
}
