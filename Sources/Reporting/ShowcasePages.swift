import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import Mustache
import Postgres
import ReferenceData
import Vocabulary

/// The public showcase (issue 18): `/showcase` (the platform's counts, every municipality's published
/// partnerships, the newest published lessons), `/showcase/{municipality}` and
/// `/showcase/{municipality}/{partnership}` (with its published lessons by side), and their Atom feeds
/// (`ShowcasePages+Feed.swift`) — for anyone, without signing in, in four languages, cacheable (`pages.public`:
/// no cookie, an ETag, 304).
///
/// Everything comes through the `reporting.showcase_*` functions (migrations 0054 and 0056), which answer
/// published partnerships and lessons only; a municipality that published nothing, or a partnership that is not
/// published, is a 404.
struct ShowcasePages: Sendable {
    let library: MustacheLibrary

    init() throws {
        var library = MustacheLibrary()
        for name in [
            "showcase", "showcase-municipality", "showcase-partnership", "showcase-figures", "showcase-lesson",
            "showcase-feed",
        ] {
            guard let text = EmbeddedFiles.text("Templates/\(name).mustache") else { throw TemplateMissing(name: name) }
            try library.register(text, named: name)
        }
        self.library = library
    }

    struct TemplateMissing: Error, CustomStringConvertible {
        var name: String
        var description: String { "Templates/\(name).mustache is not embedded in the Reporting module" }
    }

    func register(on pages: Pages, documentation: APIDocumentation) {
        let shell = pages.shell
        pages.public.get("showcase") { request, context in try await platform(request, context, shell) }
        // The feeds' constant segment is tried before a parameter (pinned by ShowcaseCrawlTests); slugs hold no dot.
        pages.public.get("showcase/feed.atom") { request, context in try await feed(request, context) }
        pages.public.get("showcase/:municipality/feed.atom") { request, context in try await feed(request, context) }
        pages.public.get("showcase/:municipality") { request, context in
            try await municipality(request, context, shell)
        }
        pages.public.get("showcase/:municipality/:partnership") { request, context in
            try await partnership(request, context, shell)
        }
        documentation.add(Self.operations)
    }

    /// A published partnership as the functions answer it.
    struct Published: Sendable {
        var municipalitySlug: String
        var municipalityName: String
        var slug: String
        var title: String
        var partnerName: String
        var partnerCountry: String
        var story: String
        var activities: Int
        var peopleReached: Int
        var reciprocal: Int
        var spent: [String: String]
        var goals: [Int]

        init(_ row: PostgresRow) throws {
            municipalitySlug = try row.decode(String.self, column: 0)
            municipalityName = try row.decode(String.self, column: 1)
            slug = try row.decode(String.self, column: 2)
            title = try row.decode(String.self, column: 3)
            partnerName = try row.decode(String.self, column: 4)
            partnerCountry = try row.decode(String.self, column: 5)
            story = try row.decode(String.self, column: 7)
            activities = try row.decode(Int.self, column: 8)
            peopleReached = try row.decode(Int.self, column: 9)
            reciprocal = try row.decode(Int.self, column: 10)
            spent = try JSONDecoder().decode(
                [String: String].self, from: Data(try row.decode(String.self, column: 11).utf8))
            goals = try row.decode([Int].self, column: 12)
        }
    }

    static func published(_ municipality: String?, on connection: PostgresConnection) async throws -> [Published] {
        try await connection.query(
            """
            SELECT municipality_slug, municipality_name, slug, title, partner_name, partner_country, published_at,
                story, activities, people_reached, reciprocal, spent::text, sdg_goals::int[]
            FROM reporting.showcase_partnerships(\(municipality)::text)
            """
        ).map { try Published($0) }
    }

    private func platform(_ request: Request, _ context: GatewayRequestContext, _ shell: PageShell) async throws
        -> CachedPage
    {
        let visit = try context.requirePublicVisit()
        let language = visit.language
        let words = ShowcaseWords.all[language]
        let (counts, published, lessons) = try await visit.read { connection in
            (
                try await ShowcaseCounts.read(on: connection), try await Self.published(nil, on: connection),
                try await ShowcaseLesson.read(municipality: nil, partnership: nil, limit: 10, on: connection)
            )
        }
        let locale = Locale(identifier: ReportWords.of(language).localeIdentifier)
        let query = Self.query(request)
        let municipalities = Dictionary(grouping: published, by: \.municipalitySlug).map { slug, partnerships in
            [
                "slug": slug, "name": partnerships[0].municipalityName, "langQuery": query,
                "partnerships": partnerships.map { item($0, words: words, language: language, query: query) },
            ] as [String: Any]
        }.sorted { ($0["name"] as? String ?? "") < ($1["name"] as? String ?? "") }
        let object: [String: Any] = [
            "words": ShowcaseWords.templates[language], "counts": counts.object(language: language),
            "municipalities": municipalities, "langQuery": query,
            "lessons": lessons.map { Self.recent($0, language: language, query: query) },
            "hasLessons": !lessons.isEmpty,
        ]
        return shell.publicPage(
            title: words.heading, content: try library.render(object, withTemplate: "showcase") ?? "",
            language: language, alternates: visit.alternates,
            feed: (href: "/showcase/feed.atom\(query)", title: words.feedTitle))
    }

    private func municipality(_ request: Request, _ context: GatewayRequestContext, _ shell: PageShell) async throws
        -> CachedPage
    {
        let visit = try context.requirePublicVisit()
        let language = visit.language
        let words = ShowcaseWords.all[language]
        let slug = context.parameters.get("municipality") ?? ""
        let published = try await visit.read { try await Self.published(slug, on: $0) }
        // A municipality is on the showcase only through what it publishes.
        guard let first = published.first else { throw Problem.notFound("nothing published here") }
        let query = Self.query(request)
        let heading = words.partnershipsOf.replacingOccurrences(of: "{municipality}", with: first.municipalityName)
        let feed = "/showcase/\(first.municipalitySlug)/feed.atom\(query)"
        let object: [String: Any] = [
            "words": ShowcaseWords.templates[language], "heading": heading, "langQuery": query, "feed": feed,
            "partnerships": published.map { item($0, words: words, language: language, query: query) },
        ]
        return shell.publicPage(
            title: heading, content: try library.render(object, withTemplate: "showcase-municipality") ?? "",
            language: language, alternates: visit.alternates,
            feed: (
                href: feed,
                title: words.municipalityFeedTitle.replacingOccurrences(
                    of: "{municipality}", with: first.municipalityName)
            ))
    }

    private func partnership(_ request: Request, _ context: GatewayRequestContext, _ shell: PageShell) async throws
        -> CachedPage
    {
        let visit = try context.requirePublicVisit()
        let language = visit.language
        let words = ShowcaseWords.all[language]
        let municipality = context.parameters.get("municipality") ?? ""
        let slug = context.parameters.get("partnership") ?? ""
        let (published, activities, lessons) = try await visit.read { connection in
            let published = try await Self.published(municipality, on: connection).first { $0.slug == slug }
            guard published != nil else { return (published, [(String, [Int], String)](), [ShowcaseLesson]()) }
            let activities = try await connection.query(
                """
                SELECT title, sdg_goals::int[], coalesce(to_char(starts_on, 'YYYY-MM-DD'), '')
                FROM reporting.showcase_activities(\(municipality)::text, \(slug)::text)
                """
            ).map { try $0.decode((String, [Int], String).self) }
            let lessons = try await ShowcaseLesson.read(
                municipality: municipality, partnership: slug, limit: nil, on: connection)
            return (published, activities, lessons)
        }
        guard let published else { throw Problem.notFound("no such published partnership") }
        let query = Self.query(request)
        var object = item(published, words: words, language: language, query: query)
        object["words"] = ShowcaseWords.templates[language]
        object["back"] = words.back.replacingOccurrences(of: "{municipality}", with: published.municipalityName)
        let paragraphs = published.story.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        if !paragraphs.isEmpty { object["story"] = ["paragraphs": paragraphs] }
        // Each activity under each of its goals; those without a goal last.
        var goals: [[String: Any]] = []
        for goal in Set(activities.flatMap(\.1)).sorted() {
            goals.append([
                "number": goal, "name": SDGCatalogue.goal(goal)?.shortName(language) ?? "",
                "activities": activities.filter { $0.1.contains(goal) }.map { Self.activity($0, language) },
            ])
        }
        let other = activities.filter(\.1.isEmpty)
        if !other.isEmpty {
            goals.append([
                "number": "", "name": words.withoutGoal, "activities": other.map { Self.activity($0, language) },
            ])
        }
        object["goals"] = goals
        // What each side learnt: the Flemish municipality's lessons first, then the partner's; a side without
        // published lessons is left out, and the section with both.
        let sides: [[String: Any]] = [
            (LessonSide.flemishMunicipality, published.municipalityName),
            (LessonSide.partnerMunicipality, published.partnerName),
        ].compactMap { side, name in
            let learnt = lessons.filter { $0.side == side.rawValue }
            guard !learnt.isEmpty else { return nil }
            return [
                "side": side.rawValue, "heading": words.learntBy.replacingOccurrences(of: "{name}", with: name),
                "lessons": learnt.map { Self.lesson($0, words: words, language: language) },
            ]
        }
        if !sides.isEmpty { object["lessons"] = ["sides": sides] }
        return shell.publicPage(
            title: published.title, content: try library.render(object, withTemplate: "showcase-partnership") ?? "",
            language: language, alternates: visit.alternates)
    }

    static func activity(_ activity: (String, [Int], String), _ language: Language) -> [String: Any] {
        var object: [String: Any] = ["title": activity.0]
        if let when = day(activity.2, language) { object["when"] = when }
        return object
    }

    /// `2020-05-14` as the page's language writes a day ("May 14, 2020"); `nil` for anything else.
    static func day(_ text: String, _ language: Language) -> String? {
        guard let date = CalendarDate(text) else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(date.daysSinceEpoch) * 86_400).formatted(
            Date.FormatStyle(date: .long, time: .omitted, locale: Locale(identifier: language.rawValue), timeZone: .gmt)
        )
    }

    /// A lesson on its partnership's page: its words in its own language, where it comes from in the page's.
    static func lesson(_ lesson: ShowcaseLesson, words: ShowcaseWords, language: Language) -> [String: Any] {
        let paragraphs = lesson.body.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        return [
            "id": lesson.id.uuidString.lowercased(), "title": lesson.title, "language": lesson.language,
            "paragraphs": paragraphs,
            "from": words.fromActivity.replacingOccurrences(of: "{activity}", with: lesson.activityTitle)
                .replacingOccurrences(of: "{date}", with: day(lesson.publishedOn, language) ?? ""),
        ]
    }

    /// A lesson in `/showcase`'s list of the newest: its title, who learnt it, a link to it on its partnership's
    /// page.
    static func recent(_ lesson: ShowcaseLesson, language: Language, query: String) -> [String: Any] {
        var object: [String: Any] = [
            "title": lesson.title, "language": lesson.language, "partnership": lesson.partnershipTitle,
            "learntBy": lesson.learntBy,
            "href":
                "/showcase/\(lesson.municipalitySlug)/\(lesson.partnershipSlug)\(query)#lesson-\(lesson.id.uuidString.lowercased())",
        ]
        if let when = day(lesson.publishedOn, language) { object["when"] = when }
        return object
    }

    /// The `?lang=` the visitor chose, kept on the showcase's own links; none when they did not choose.
    static func query(_ request: Request) -> String {
        guard let lang = request.uri.queryParameters.get("lang"), let language = Language(rawValue: String(lang))
        else { return "" }
        return "?lang=\(language.rawValue)"
    }

    /// A partnership with its headline figures, in the page's language.
    func item(_ published: Published, words: ShowcaseWords, language: Language, query: String) -> [String: Any] {
        let locale = Locale(identifier: ReportWords.of(language).localeIdentifier)
        let country =
            Locale(identifier: language.rawValue).localizedString(forRegionCode: published.partnerCountry)
            ?? published.partnerCountry
        let spent = published.spent.sorted { $0.key < $1.key }.enumerated().map { index, entry in
            [
                "br": index > 0,
                "text": (Decimal(string: entry.value) ?? 0).formatted(.currency(code: entry.key).locale(locale)),
            ] as [String: Any]
        }
        let share =
            published.activities == 0
            ? 0 : (published.reciprocal * 100 + published.activities / 2) / published.activities
        return [
            "municipalitySlug": published.municipalitySlug, "slug": published.slug, "title": published.title,
            "langQuery": query,
            "with": words.with.replacingOccurrences(of: "{partner}", with: published.partnerName)
                .replacingOccurrences(of: "{country}", with: country),
            "activities": published.activities.formatted(.number.locale(locale)),
            "peopleReached": published.peopleReached.formatted(.number.locale(locale)),
            "hasSpent": !spent.isEmpty, "spent": spent, "reciprocity": share.formatted(.number.locale(locale)),
            "reciprocityNote": words.reciprocityNote.replacingOccurrences(
                of: "{municipality}", with: published.municipalityName),
        ]
    }

    static var operations: [APIOperation] {
        let lang = APIOperation.Parameter.query("lang", .string(enumeration: Language.rawValues), "the page's language")
        let municipality = APIOperation.Parameter.path(
            "municipality", .string(pattern: "^[a-z0-9-]{1,63}$"), "the municipality's slug")
        let partnership = APIOperation.Parameter.path(
            "partnership", .string(pattern: "^[a-z0-9-]{1,63}$"), "the partnership's public slug")
        var platform = APIOperation(
            .get, "/showcase", id: "showcasePage",
            summary:
                "The public showcase, without signing in: the platform's counts and every municipality's published partnerships; cacheable (ETag, 304).",
            tag: "pages", parameters: [lang], success: (200, .string()), problems: [], authenticated: false)
        platform.successMediaType = "text/html"
        var town = APIOperation(
            .get, "/showcase/{municipality}", id: "showcaseMunicipalityPage",
            summary:
                "A municipality's published partnerships with their headline figures; 404 when it published nothing.",
            tag: "pages", parameters: [municipality, lang], success: (200, .string()), problems: [404],
            authenticated: false)
        town.successMediaType = "text/html"
        var one = APIOperation(
            .get, "/showcase/{municipality}/{partnership}", id: "showcasePartnershipPage",
            summary:
                "A published partnership: its story, headline figures, activities by SDG goal and published lessons by side; 404 unless published.",
            tag: "pages", parameters: [municipality, partnership, lang], success: (200, .string()), problems: [404],
            authenticated: false)
        one.successMediaType = "text/html"
        var feed = APIOperation(
            .get, "/showcase/feed.atom", id: "showcaseFeed",
            summary:
                "The newest 50 published lessons of the instance as an Atom feed, each linking to its partnership's page; cacheable (ETag, 304).",
            tag: "pages", parameters: [lang], success: (200, .string()), problems: [], authenticated: false)
        feed.successMediaType = "application/atom+xml"
        var townFeed = APIOperation(
            .get, "/showcase/{municipality}/feed.atom", id: "showcaseMunicipalityFeed",
            summary:
                "The newest 50 published lessons of a municipality as an Atom feed; 404 when it published nothing.",
            tag: "pages", parameters: [municipality, lang], success: (200, .string()), problems: [404],
            authenticated: false)
        townFeed.successMediaType = "application/atom+xml"
        return [platform, town, one, feed, townFeed]
    }
}
