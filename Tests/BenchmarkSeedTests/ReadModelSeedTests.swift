import BenchmarkSeed
import Postgres
import TestSupport
import Testing

/// The benchmarks' seed writes what it says it writes, so `make bench-showcase` and `make bench-reports` measure
/// the read model they describe: counted against the tests' PostgreSQL, small.
@Suite("the benchmarks' read-model seed")
struct ReadModelSeedTests {
    @Test("the showcase's seed: published partnerships with slugs and stories, lessons published and not, figures")
    func showcaseSeedWritesWhatItSays() async throws {
        let database = try await TestDatabase.migrated("benchseed")
        let connection = try await database.connectAsAdmin()
        let seed = ReadModelSeed(
            municipalities: 3, partnershipsPerMunicipality: 4, publishedPerMunicipality: 2,
            activitiesPerPartnership: 6, lessonsPerPublished: 3, participants: true)
        try await seed.seed(on: connection)
        try await seed.recount(on: connection)

        let counts = try await ReadModelSeed.count(on: connection)
        #expect(counts == seed.expected)
        #expect(
            counts
                == ReadModelSeed.Counts(
                    municipalities: 3, partnerships: 12, publishedPartnerships: 6, activities: 72,
                    publishedLessons: 18, lessons: 18 + 12 * 2))
        // Published lessons only on published partnerships; every published lesson shared; one shared but
        // unpublished lesson per partnership.
        let lessons = try await connection.query(
            """
            SELECT count(*) FILTER (WHERE l.published AND NOT p.published),
                count(*) FILTER (WHERE l.published AND NOT l.shared),
                count(*) FILTER (WHERE l.shared AND NOT l.published)
            FROM reporting.lessons l JOIN reporting.partnerships p ON p.tenant_id = l.tenant_id AND p.id = l.partnership_id
            """)[0].decode((Int, Int, Int).self)
        #expect(lessons == (0, 0, 12))
        // The public function sees each municipality's two published partnerships with their figures.
        let published = try await connection.query(
            "SELECT municipality_slug, slug, activities, people_reached FROM reporting.showcase_partnerships(NULL)"
        ).map { try $0.decode((String, String, Int, Int).self) }
        #expect(published.count == 6)
        #expect(Set(published.map(\.0)) == ["m1", "m2", "m3"])
        #expect(Set(published.map(\.1)) == ["partner-1", "partner-2"])
        #expect(published.allSatisfy { $0.2 == 6 && $0.3 > 0 })
        // The figures are summed: the platform's activities and the lessons per municipality and side.
        let figures = try await connection.query(
            """
            SELECT (SELECT sum(activities) FROM reporting.figures WHERE dimension = 'all'),
                (SELECT sum(lessons) FROM reporting.lesson_figures)
            """)[0].decode((Int?, Int?).self)
        #expect(figures.0 == 72)
        #expect(figures.1 == counts.lessons)
        await connection.close()
    }

    @Test("the reports' seed publishes nothing and writes no lessons")
    func reportsSeedPublishesNothing() async throws {
        let database = try await TestDatabase.migrated("benchseed")
        let connection = try await database.connectAsAdmin()
        let seed = ReadModelSeed.reports(municipalities: 2)
        try await seed.seed(on: connection)
        let counts = try await ReadModelSeed.count(on: connection)
        #expect(
            counts
                == ReadModelSeed.Counts(
                    municipalities: 2, partnerships: 20, publishedPartnerships: 0, activities: 2_000,
                    publishedLessons: 0, lessons: 0))
        #expect(counts == seed.expected)
        await connection.close()
    }
}
