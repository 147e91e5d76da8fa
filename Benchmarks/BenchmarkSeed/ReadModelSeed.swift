import Foundation
import Postgres

/// Municipalities, partnerships, activities and lessons written straight into the Reporting read model, with
/// its figures recounted: what `make bench-reports` and `make bench-showcase` measure against. Much faster than
/// seeding through the API and the events (`make bench` does that), and the read model is what the reports and
/// the showcase read.
///
/// Municipality `i` is `m<i>` ("Municipality i"); its partnership `j` is "Partnership j" with "Partner j" in one
/// of six countries. The first `publishedPerMunicipality` partnerships of each are published, with a story and
/// the slug `partner-<j>`, and have `lessonsPerPublished` published lessons; every partnership also has one
/// lesson that is shared but not published and one that is neither, so the showcase's filters have something to
/// leave out. Run as a role that bypasses row-level security (the cluster's superuser).
public struct ReadModelSeed: Sendable, Equatable {
    public var municipalities: Int
    public var partnershipsPerMunicipality: Int
    public var publishedPerMunicipality: Int
    public var activitiesPerPartnership: Int
    public var lessonsPerPublished: Int
    /// Whether activities record the people they reached (10 to 99 each); off for `make bench-reports`, whose
    /// figures were recorded without.
    public var participants: Bool
    /// The lessons of each partnership that are not published: one shared, one not (none when `lessons` is off).
    public static let unpublishedLessonsPerPartnership = 2

    public init(
        municipalities: Int, partnershipsPerMunicipality: Int = 10, publishedPerMunicipality: Int = 0,
        activitiesPerPartnership: Int = 100, lessonsPerPublished: Int = 0, participants: Bool = false
    ) {
        self.municipalities = municipalities
        self.partnershipsPerMunicipality = partnershipsPerMunicipality
        self.publishedPerMunicipality = min(publishedPerMunicipality, partnershipsPerMunicipality)
        self.activitiesPerPartnership = activitiesPerPartnership
        self.lessonsPerPublished = lessonsPerPublished
        self.participants = participants
    }

    /// `make bench-reports`' read model: nothing published, no lessons, no people reached.
    public static func reports(municipalities: Int) -> ReadModelSeed {
        ReadModelSeed(municipalities: municipalities)
    }

    /// `make bench-showcase`'s: half of the partnerships published, three published lessons each.
    public static func showcase(municipalities: Int, activitiesPerPartnership: Int = 100) -> ReadModelSeed {
        ReadModelSeed(
            municipalities: municipalities, publishedPerMunicipality: 5,
            activitiesPerPartnership: activitiesPerPartnership, lessonsPerPublished: 3, participants: true)
    }

    /// Whether there are lessons at all (a showcase seed).
    var lessons: Bool { lessonsPerPublished > 0 }

    /// What ``seed(on:)`` writes, counted.
    public struct Counts: Sendable, Equatable, CustomStringConvertible {
        public var municipalities: Int
        public var partnerships: Int
        public var publishedPartnerships: Int
        public var activities: Int
        public var publishedLessons: Int
        public var lessons: Int

        public init(
            municipalities: Int, partnerships: Int, publishedPartnerships: Int, activities: Int,
            publishedLessons: Int, lessons: Int
        ) {
            self.municipalities = municipalities
            self.partnerships = partnerships
            self.publishedPartnerships = publishedPartnerships
            self.activities = activities
            self.publishedLessons = publishedLessons
            self.lessons = lessons
        }

        public var description: String {
            "\(municipalities) municipalities, \(partnerships) partnerships (\(publishedPartnerships) published), "
                + "\(activities) activities, \(lessons) lessons (\(publishedLessons) published)"
        }
    }

    /// The rows ``seed(on:)`` writes.
    public var expected: Counts {
        let partnerships = municipalities * partnershipsPerMunicipality
        let published = municipalities * publishedPerMunicipality
        let lessonsPerPartnership = lessons ? Self.unpublishedLessonsPerPartnership : 0
        return Counts(
            municipalities: municipalities, partnerships: partnerships, publishedPartnerships: published,
            activities: partnerships * activitiesPerPartnership, publishedLessons: published * lessonsPerPublished,
            lessons: published * lessonsPerPublished + partnerships * lessonsPerPartnership)
    }

    /// Writes the municipalities and their read model, then `ANALYZE`s. The figures are not summed yet:
    /// ``recount(on:)`` does that.
    public func seed(on connection: PostgresConnection) async throws {
        let story = Self.story
        try await connection.query(
            """
            WITH t AS (
                INSERT INTO platform.tenants (slug, name) SELECT 'm' || i, 'Municipality ' || i
                FROM generate_series(1, \(municipalities)::int) i RETURNING id),
            p AS (
                INSERT INTO reporting.partnerships (tenant_id, id, title, status, partner_name, partner_country,
                    sdg_focus, version, published, published_at, story, slug)
                SELECT t.id, gen_random_uuid(), 'Partnership ' || j, 'active', 'Partner ' || j,
                    (ARRAY['BJ', 'SN', 'SR', 'GT', 'MA', 'PE'])[1 + j % 6], '{3,6}', 1,
                    j <= \(publishedPerMunicipality)::int,
                    CASE WHEN j <= \(publishedPerMunicipality)::int THEN now() - make_interval(days => j) END,
                    CASE WHEN j <= \(publishedPerMunicipality)::int THEN \(story)::text ELSE '' END,
                    CASE WHEN j <= \(publishedPerMunicipality)::int THEN 'partner-' || j END
                FROM t, generate_series(1, \(partnershipsPerMunicipality)::int) j RETURNING tenant_id, id)
            INSERT INTO reporting.activities (tenant_id, id, partnership_id, title, kind, status, direction, starts_on,
                themes, sdg_goals, sdg_targets, budget_planned, budget_spent, budget_currency, participants, version,
                updated_at)
            SELECT p.tenant_id, gen_random_uuid(), p.id, 'Activity ' || k, 'knowledge_exchange',
                (ARRAY['planned', 'ongoing', 'completed'])[1 + k % 3],
                (ARRAY['north_to_south', 'south_to_north', 'mutual'])[1 + k % 3],
                make_date(2019 + k % 6, 1 + k % 12, 1), CASE WHEN k % 4 = 0 THEN '{covid-19}'::text[] ELSE '{}'::text[] END,
                ARRAY[1 + k % 17, 1 + (k + 5) % 17]::smallint[],
                ARRAY[(1 + k % 17) || '.1', (1 + (k + 5) % 17) || '.2'],
                (k * 37 % 50000)::numeric + 0.5, (k * 11 % 20000)::numeric, 'EUR',
                CASE WHEN \(participants) THEN 10 + k * 7 % 90 END, 1, now()
            FROM p, generate_series(1, \(activitiesPerPartnership)::int) k
            """)
        if lessons {
            // Per partnership, its first activities by title each get one lesson: the published ones first (on a
            // published partnership), then one shared but not published, then one neither.
            let published = lessonsPerPublished
            let body = Self.lessonBody
            try await connection.query(
                """
                INSERT INTO reporting.lessons (tenant_id, id, partnership_id, activity_id, title, body, side, themes,
                    sdg_targets, policy_domain, language, shared, published, published_at, version)
                SELECT a.tenant_id, gen_random_uuid(), a.partnership_id, a.id, 'What ' || a.title || ' taught us',
                    \(body)::text,
                    CASE WHEN a.n % 2 = 0 THEN 'partner_municipality' ELSE 'flemish_municipality' END, a.themes,
                    a.sdg_targets, (ARRAY['civil_registry', 'waste', 'water', 'other'])[1 + a.n % 4],
                    (ARRAY['nl', 'fr', 'en', 'es'])[1 + a.n % 4],
                    a.n <= a.publishable + 1, a.n <= a.publishable,
                    CASE WHEN a.n <= a.publishable THEN now() - make_interval(hours => a.n::int) END, 1
                FROM reporting.partnerships p
                CROSS JOIN LATERAL (
                    SELECT x.*, row_number() OVER (ORDER BY x.title) AS n,
                        CASE WHEN p.published THEN \(published)::int ELSE 0 END AS publishable
                    FROM reporting.activities x
                    WHERE x.tenant_id = p.tenant_id AND x.partnership_id = p.id
                    ORDER BY x.title
                    LIMIT CASE WHEN p.published THEN \(published)::int ELSE 0 END
                        + \(Self.unpublishedLessonsPerPartnership)::int
                ) a
                """)
        }
        try await connection.query("ANALYZE")
    }

    /// Sums the platform's figures from the seeded model, as migration 0009 does for an existing one and the
    /// rebuild does: `reporting.recount_figures()` and the lessons per municipality and side.
    public func recount(on connection: PostgresConnection) async throws {
        try await connection.query("SELECT reporting.recount_figures()")
        try await connection.query("DELETE FROM reporting.lesson_figures")
        try await connection.query(
            """
            INSERT INTO reporting.lesson_figures (tenant_id, side, lessons)
            SELECT l.tenant_id, l.side, count(*)::int FROM reporting.lessons l WHERE NOT l.deleted GROUP BY 1, 2
            """)
        try await connection.query(
            """
            ANALYZE reporting.figures, reporting.figure_partnerships, reporting.figure_reach, reporting.lessons,
                reporting.lesson_figures
            """)
    }

    /// The rows in the database, counted as ``expected`` counts them.
    public static func count(on connection: PostgresConnection) async throws -> Counts {
        let row = try await connection.query(
            """
            SELECT (SELECT count(*) FROM platform.tenants), (SELECT count(*) FROM reporting.partnerships),
                (SELECT count(*) FROM reporting.partnerships WHERE published AND slug IS NOT NULL AND story <> ''),
                (SELECT count(*) FROM reporting.activities), (SELECT count(*) FROM reporting.lessons WHERE published),
                (SELECT count(*) FROM reporting.lessons)
            """)[0].decode((Int, Int, Int, Int, Int, Int).self)
        return Counts(
            municipalities: row.0, partnerships: row.1, publishedPartnerships: row.2, activities: row.3,
            publishedLessons: row.4, lessons: row.5)
    }

    /// A published partnership's public story: three paragraphs, about the length a coordinator writes.
    static let story = """
        Since 2012 our municipality and our partner have worked together on clean water and a civil registry \
        that reaches every village. Officials of both sides visit each other every year and learn from each \
        other's way of working.

        Together we trained 40 registrars, connected 12 health centres to the registry and built six water \
        points with the neighbourhoods that use them. Schools on both sides exchange letters and projects.

        This page shows what we do and what we learnt, so other municipalities can build on it.
        """

    /// A lesson's words: about a paragraph.
    static let lessonBody = """
        Registering a birth on the day it happens works when the health centre does it, not the town hall: \
        mothers do not travel twice. We moved the form to the maternity ward, trained its staff for two days and \
        checked the first hundred registrations together. Late registrations fell by half within a year; the \
        town hall now spends its time on corrections instead of queues.
        """
}
