import Foundation
import Gateway
import Postgres
import Vocabulary

/// The annex of examples (`GET /api/v1/platform/reports/examples`, `/platform/examples`): per municipality, its
/// published partnerships with their partner, public story and showcase address, the activities that match the
/// theme and year, and their published lessons — what the association may show a council or a ministry,
/// produced from the data (`reporting.platform_examples`, migration 0055). Published work only.
struct ExamplesReport: Sendable, Encodable {
    /// The theme asked for; absent without one.
    var theme: String?
    /// The year asked for; absent without one.
    var year: Int?
    var municipalities: [PerMunicipality]

    struct PerMunicipality: Sendable, Encodable {
        var municipality: Municipality
        var partnerships: [Partnership]
    }

    struct Partnership: Sendable, Encodable {
        var title: String
        var partner: Partner
        /// The partnership's page on the showcase, under the instance's public address.
        var showcase: String
        var story: String
        var activities: [Activity]
        var lessons: [Lesson]
    }

    struct Partner: Sendable, Encodable {
        var name: String
        var country: String
    }

    struct Activity: Sendable, Encodable {
        var title: String
        var kind: String
        var startsOn: String?
        var endsOn: String?
        var sdgGoals: [Int]
        var direction: String
        var participants: Int?
        /// How many of the partnership's `lessons`, in order, were learnt in this activity: the CSV's rows.
        var lessonCount = 0

        enum CodingKeys: String, CodingKey {
            case title, kind, startsOn, endsOn, sdgGoals, direction, participants
        }
    }

    struct Lesson: Sendable, Encodable {
        var title: String
        var side: String
        var language: String
        var policyDomain: String
        var body: String
        /// The title of the activity it was learnt in (one of the partnership's `activities`).
        var activity: String
    }
}

extension ExamplesReport {
    /// The function's rows, in its order (municipality, partnership, activity, lesson), as the report:
    /// `publicURL` makes each partnership's showcase address absolute.
    init(theme: String?, year: Int?, rows: [ExamplesRow], publicURL: String) {
        self.theme = theme
        self.year = year
        let base = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
        var municipalities: [PerMunicipality] = []
        var lastPartnership: UUID?
        var lastActivity: UUID?
        for row in rows {
            if municipalities.last?.municipality.id != row.tenantID {
                municipalities.append(
                    PerMunicipality(
                        municipality: Municipality(
                            id: row.tenantID, slug: row.municipalitySlug, name: row.municipalityName),
                        partnerships: []))
                lastPartnership = nil
            }
            let m = municipalities.count - 1
            if lastPartnership != row.partnershipID {
                let address = row.partnershipSlug.map { "\(base)/showcase/\(row.municipalitySlug)/\($0)" } ?? ""
                municipalities[m].partnerships.append(
                    Partnership(
                        title: row.partnershipTitle,
                        partner: Partner(name: row.partnerName, country: row.partnerCountry),
                        showcase: address, story: row.story, activities: [], lessons: []))
                lastPartnership = row.partnershipID
                lastActivity = nil
            }
            let p = municipalities[m].partnerships.count - 1
            guard let activity = row.activity else { continue }
            if lastActivity != activity.id {
                municipalities[m].partnerships[p].activities.append(activity.value)
                lastActivity = activity.id
            }
            if let lesson = row.lesson {
                municipalities[m].partnerships[p].lessons.append(lesson)
                municipalities[m].partnerships[p].activities[municipalities[m].partnerships[p].activities.count - 1]
                    .lessonCount += 1
            }
        }
        self.municipalities = municipalities
    }
}

/// One row of `reporting.platform_examples`: a published partnership, one of its matching activities (none when
/// it has none and no filter was given) and one published lesson of it (none when it has none).
struct ExamplesRow: Sendable {
    var tenantID: UUID
    var municipalitySlug: String
    var municipalityName: String
    var partnershipID: UUID
    var partnershipTitle: String
    var partnerName: String
    var partnerCountry: String
    var partnershipSlug: String?
    var story: String
    var activity: (id: UUID, value: ExamplesReport.Activity)?
    var lesson: ExamplesReport.Lesson?

    static let columns: PostgresQuery = """
        tenant_id, municipality_slug, municipality_name, partnership_id, partnership_title, partner_name,
        partner_country, partnership_slug, story, activity_id, activity_title, kind, starts_on, ends_on, sdg_goals,
        direction, participants, lesson_id, lesson_title, side, language, policy_domain, body
        """

    init(_ row: PostgresRow) throws {
        tenantID = try row.decode(UUID.self, column: 0)
        municipalitySlug = try row.decode(String.self, column: 1)
        municipalityName = try row.decode(String.self, column: 2)
        partnershipID = try row.decode(UUID.self, column: 3)
        partnershipTitle = try row.decode(String.self, column: 4)
        partnerName = try row.decode(String.self, column: 5)
        partnerCountry = try row.decode(String.self, column: 6)
        partnershipSlug = try row.decode(String?.self, column: 7)
        story = try row.decode(String.self, column: 8)
        if let id = try row.decode(UUID?.self, column: 9) {
            let title = try row.decode(String.self, column: 10)
            activity = (
                id,
                ExamplesReport.Activity(
                    title: title, kind: try row.decode(String.self, column: 11),
                    startsOn: try row.decode(String?.self, column: 12),
                    endsOn: try row.decode(String?.self, column: 13),
                    sdgGoals: try row.decode([Int].self, column: 14),
                    direction: try row.decode(String.self, column: 15),
                    participants: try row.decode(Int?.self, column: 16))
            )
            if try row.decode(UUID?.self, column: 17) != nil {
                lesson = ExamplesReport.Lesson(
                    title: try row.decode(String.self, column: 18), side: try row.decode(String.self, column: 19),
                    language: try row.decode(String.self, column: 20),
                    policyDomain: try row.decode(String.self, column: 21),
                    body: try row.decode(String.self, column: 22),
                    activity: title)
            }
        }
    }
}

extension ReportsRepository {
    /// Every published example of `year` and `theme` (either may be `nil`), through the owner's
    /// `reporting.platform_examples` (migration 0055): only inside a platform administrator's request.
    func platformExamples(year: Int?, theme: String?, on connection: PostgresConnection) async throws -> [ExamplesRow] {
        try await connection.query(
            "SELECT \(fragment: ExamplesRow.columns) FROM reporting.platform_examples(\(year)::integer, \(theme)::text)"
        ).map(ExamplesRow.init)
    }
}

extension ReportCSV {
    /// The annex for a spreadsheet: one row per lesson, or per activity without lessons (a published
    /// partnership without any activity, listed when no filter was given, has a row with its activity empty).
    /// Every cell goes through ``CSVDelimiter/line(_:)``: a title that starts with `=`, `+`, `-` or `@` is text.
    static func examples(_ report: ExamplesReport, delimiter: CSVDelimiter) -> String {
        var text = delimiter.line([
            "municipality", "partner", "country", "activity", "starts_on", "lesson_side", "lesson_title",
            "lesson_language", "showcase_url",
        ])
        for municipality in report.municipalities {
            for partnership in municipality.partnerships {
                func line(_ activity: ExamplesReport.Activity?, _ lesson: ExamplesReport.Lesson?) {
                    text += delimiter.line([
                        municipality.municipality.name, partnership.partner.name, partnership.partner.country,
                        activity?.title ?? "", activity?.startsOn ?? "", lesson?.side ?? "", lesson?.title ?? "",
                        lesson?.language ?? "", partnership.showcase,
                    ])
                }
                if partnership.activities.isEmpty { line(nil, nil) }
                var lessons = partnership.lessons[...]
                for activity in partnership.activities {
                    if activity.lessonCount == 0 { line(activity, nil) }
                    for lesson in lessons.prefix(activity.lessonCount) { line(activity, lesson) }
                    lessons = lessons.dropFirst(activity.lessonCount)
                }
            }
        }
        return text
    }
}

extension ReportsService {
    /// `GET /api/v1/platform/reports/examples`: every municipality's published examples of `filter`'s year
    /// and theme (its other fields are not the annex's and are ignored), showcase addresses under `publicURL`.
    func platformExamples(
        _ filter: ReportFilter, caller: Identity, publicURL: String, on connection: PostgresConnection
    ) async throws -> ExamplesReport {
        try Self.requirePlatformAdministrator(caller)
        let rows = try await repository.platformExamples(year: filter.year, theme: filter.theme, on: connection)
        return ExamplesReport(theme: filter.theme, year: filter.year, rows: rows, publicURL: publicURL)
    }
}
