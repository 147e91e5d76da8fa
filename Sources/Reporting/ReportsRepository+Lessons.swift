import Foundation
import Gateway
import Postgres
import Vocabulary

/// The lessons a report counts: per side, and the partners of the partnerships they were learnt in.
struct LessonCounts: Sendable, Equatable {
    var bySide: [String: Int] = [:]
    /// The partner municipalities' names, distinct and sorted: the page names the partner when there is one.
    var partners: [String] = []
}

extension ReportsRepository {
    /// The lessons, not deleted, of the activities that pass `filter` and lie in `scope` (the overview's
    /// activities: same filter, same scope on our own copy of the members), per side.
    func lessonCounts(_ filter: ReportFilter, scope: ReadScope, tenant: UUID?, on connection: PostgresConnection)
        async throws -> LessonCounts
    {
        var condition: PostgresQuery =
            "NOT l.deleted AND \(fragment: filter.condition) AND \(fragment: scope.condition(partnership: "a.partnership_id", members: "reporting.members"))"
        if let tenant { condition = "\(fragment: condition) AND a.tenant_id = \(tenant)" }
        var counts = LessonCounts()
        var partners = Set<String>()
        for row in try await connection.query(
            """
            SELECT l.side, count(*)::int, array_agg(DISTINCT p.partner_name)
            FROM reporting.lessons l
            JOIN reporting.activities a ON a.tenant_id = l.tenant_id AND a.id = l.activity_id
            JOIN reporting.partnerships p ON p.tenant_id = a.tenant_id AND p.id = a.partnership_id
            WHERE \(fragment: condition)
            GROUP BY l.side
            """)
        {
            let (side, count, names) = try row.decode((String, Int, [String]).self)
            counts.bySide[side] = count
            partners.formUnion(names)
        }
        counts.partners = partners.sorted()
        return counts
    }

    /// Every municipality's lessons per side, through the owner's `reporting.platform_lesson_counts()`
    /// (migration 0052): only inside a platform administrator's request.
    func platformLessonCounts(on connection: PostgresConnection) async throws -> [UUID: [String: Int]] {
        var byTenant: [UUID: [String: Int]] = [:]
        for row in try await connection.query("SELECT tenant_id, side, lessons FROM reporting.platform_lesson_counts()")
        {
            let (tenant, side, lessons) = try row.decode((UUID, String, Int).self)
            byTenant[tenant, default: [:]][side] = lessons
        }
        return byTenant
    }
}
