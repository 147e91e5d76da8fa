import Foundation
import Gateway
import Hummingbird
import Mustache
import Postgres
import ReferenceData
import Vocabulary

/// A published lesson of a published partnership, as `reporting.showcase_lessons` (migration 0056) answers it:
/// its words and where it comes from, never who wrote it.
struct ShowcaseLesson: Sendable {
    var id: UUID
    var municipalitySlug: String
    var municipalityName: String
    var partnershipSlug: String
    var partnershipTitle: String
    var partnerName: String
    var activityTitle: String
    var title: String
    var body: String
    var side: String
    /// The language it is written in (a BCP 47 code: `fr`, `pt`, …), for the `lang` attribute.
    var language: String
    /// When it was published, in RFC 3339 (UTC), and its day (`2020-05-14`).
    var publishedAt: String
    var publishedOn: String

    /// Who learnt it, by name: the municipality for the Flemish side, the partner municipality for theirs.
    var learntBy: String { side == LessonSide.partnerMunicipality.rawValue ? partnerName : municipalityName }

    /// The newest first: of one partnership, of one municipality, or of the instance (`nil`s); at most `limit`.
    static func read(municipality: String?, partnership: String?, limit: Int?, on connection: PostgresConnection)
        async throws -> [ShowcaseLesson]
    {
        try await connection.query(
            """
            SELECT id, municipality_slug, municipality_name, partnership_slug, partnership_title, partner_name,
                activity_title, title, body, side, language,
                coalesce(to_char(published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), ''),
                coalesce(to_char(published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), '')
            FROM reporting.showcase_lessons(\(municipality)::text, \(partnership)::text, \(limit)::integer)
            """
        ).map { row in
            ShowcaseLesson(
                id: try row.decode(UUID.self, column: 0), municipalitySlug: try row.decode(String.self, column: 1),
                municipalityName: try row.decode(String.self, column: 2),
                partnershipSlug: try row.decode(String.self, column: 3),
                partnershipTitle: try row.decode(String.self, column: 4),
                partnerName: try row.decode(String.self, column: 5),
                activityTitle: try row.decode(String.self, column: 6), title: try row.decode(String.self, column: 7),
                body: try row.decode(String.self, column: 8), side: try row.decode(String.self, column: 9),
                language: try row.decode(String.self, column: 10),
                publishedAt: try row.decode(String.self, column: 11),
                publishedOn: try row.decode(String.self, column: 12))
        }
    }
}

/// The instance's counts on `/showcase` (`reporting.showcase_counts`, migration 0056): numbers only, money only
/// in the (start year, currency) cells where three or more municipalities spent.
struct ShowcaseCounts: Sendable {
    var municipalities: Int
    var partnerships: Int
    var countries: Int
    var activities: Int
    var goals: [Int]
    var lessonsBySide: [String: Int]
    var spentByYear: [YearSpent]

    struct YearSpent: Decodable, Sendable {
        var year: String
        var currency: String
        var spentCents: Int64
    }

    static func read(on connection: PostgresConnection) async throws -> ShowcaseCounts {
        let row = try await connection.query(
            """
            SELECT municipalities, partnerships, countries, activities, sdg_goals::int[], lessons_by_side::text,
                spent_by_year::text
            FROM reporting.showcase_counts()
            """)[0]
        let decoder = JSONDecoder()
        return ShowcaseCounts(
            municipalities: try row.decode(Int.self, column: 0), partnerships: try row.decode(Int.self, column: 1),
            countries: try row.decode(Int.self, column: 2), activities: try row.decode(Int.self, column: 3),
            goals: try row.decode([Int].self, column: 4),
            lessonsBySide: try decoder.decode(
                [String: Int].self, from: Data(try row.decode(String.self, column: 5).utf8)),
            spentByYear: try decoder.decode([YearSpent].self, from: Data(try row.decode(String.self, column: 6).utf8)))
    }

    /// What `showcase.mustache` reads, in `language`.
    func object(language: Language) -> [String: Any] {
        let locale = Locale(identifier: ReportWords.of(language).localeIdentifier)
        func number(_ value: Int) -> String { value.formatted(.number.locale(locale)) }
        return [
            "municipalities": number(municipalities), "partnerships": number(partnerships),
            "countries": number(countries), "activities": number(activities),
            "goals": goals.map { ["number": $0, "name": SDGCatalogue.goal($0)?.shortName(language) ?? ""] },
            "flemishLessons": number(lessonsBySide[LessonSide.flemishMunicipality.rawValue] ?? 0),
            "partnerLessons": number(lessonsBySide[LessonSide.partnerMunicipality.rawValue] ?? 0),
            "hasSpentByYear": !spentByYear.isEmpty,
            "spentByYear": spentByYear.map { cell in
                [
                    "year": cell.year,
                    "text": (Decimal(cell.spentCents) / 100).formatted(.currency(code: cell.currency).locale(locale)),
                ]
            },
        ]
    }
}

extension ShowcasePages {
    /// How many lessons a feed holds: the newest.
    static let feedLength = 50

    /// `/showcase/feed.atom` and `/showcase/{municipality}/feed.atom`: the newest published lessons as Atom
    /// (RFC 4287), each entry linking to the lesson on its partnership's page and authored by the municipality
    /// that learnt it, never a person. A municipality's feed is a 404 while it has published nothing, as its page.
    func feed(_ request: Request, _ context: GatewayRequestContext) async throws -> CachedPage {
        let visit = try context.requirePublicVisit()
        let language = visit.language
        let words = ShowcaseWords.all[language]
        let municipality = context.parameters.get("municipality")
        let (published, lessons) = try await visit.read { connection in
            var published: [Published]?
            if let municipality { published = try await Self.published(municipality, on: connection) }
            return (
                published,
                try await ShowcaseLesson.read(
                    municipality: municipality, partnership: nil, limit: Self.feedLength, on: connection)
            )
        }
        let base = visit.publicURL
        let query = Self.query(request)
        let title: String
        let page: String
        if let published {
            guard let first = published.first else { throw Problem.notFound("nothing published here") }
            title = words.municipalityFeedTitle.replacingOccurrences(of: "{municipality}", with: first.municipalityName)
            page = "/showcase/\(first.municipalitySlug)"
        } else {
            title = words.feedTitle
            page = "/showcase"
        }
        let entries = lessons.map { lesson -> [String: Any] in
            let summary = lesson.body.count > 300 ? String(lesson.body.prefix(299)) + "…" : lesson.body
            return [
                "id": lesson.id.uuidString.lowercased(), "title": lesson.title, "language": lesson.language,
                "updated": lesson.publishedAt, "author": lesson.learntBy, "summary": summary,
                "url":
                    "\(base)/showcase/\(lesson.municipalitySlug)/\(lesson.partnershipSlug)\(query)#lesson-\(lesson.id.uuidString.lowercased())",
            ]
        }
        let object: [String: Any] = [
            "lang": language.rawValue, "title": title, "subtitle": words.feedSubtitle,
            "id": "\(base)\(page)/feed.atom", "self": "\(base)\(page)/feed.atom\(query)",
            "page": "\(base)\(page)\(query)",
            // A feed without entries still names a time: the epoch, so that its ETag stays the same until a
            // lesson is published.
            "updated": lessons.first?.publishedAt ?? "1970-01-01T00:00:00Z",
            "author": published?.first?.municipalityName ?? words.heading, "entries": entries,
        ]
        let body = try library.render(object, withTemplate: "showcase-feed") ?? ""
        return CachedPage(body: body, contentType: "application/atom+xml; charset=utf-8", language: language)
    }
}
