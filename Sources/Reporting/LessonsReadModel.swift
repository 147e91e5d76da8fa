import Foundation
import LearningContracts
import Messaging
import Postgres
import Vocabulary

/// The read model's lessons: what each side of a partnership learnt, as the Learning plugin's events describe
/// it (migration 0052), for the reciprocity report's lessons per side and, later, the showcase.
///
/// As ``ReadModel`` keeps activities: every event carries the lesson's whole state and version, so applying one
/// is an upsert that only a newer version wins, and a deletion leaves a tombstone at its version. The same
/// statement moves `reporting.lesson_figures` (lessons per municipality and side, what the platform's counts
/// read) by the change it made; the rebuild applies without them and recounts once at the end. A lesson deleted
/// with its activity or partnership publishes no event of its own: the activity's or partnership's deletion
/// tombstones its lessons here (``forget(activities:partnerships:tenant:on:)``).
enum LessonsReadModel {
    /// Subscribes to the lesson events under the read model's subscriber, and adds their appliers for the
    /// rebuild.
    static func register(into events: inout EventSubscriptions, appliers: inout [String: ReadModel.Applier]) {
        func keep<E: LessonEvent>(_ type: E.Type, deleted: Bool = false) {
            // One statement per event, sent together: the lessons are few beside the activities.
            events.subscribeInBatches(to: type, as: ReadModel.subscriber) { envelopes, context in
                _ = try await context.connection.pipeline(
                    envelopes.map { keepingFigures($0.event.lesson, deleted: deleted, tenant: $0.tenantID) })
            }
            appliers[E.name] = { payload, tenant, _, connection in
                let event = try ReadModel.decoder.decode(E.self, from: payload)
                try await connection.query(upsert(event.lesson, deleted: deleted, tenant: tenant))
            }
        }
        keep(LessonWritten.self)
        keep(LessonChanged.self)
        keep(LessonVisibilityChanged.self)
        keep(LessonDeleted.self, deleted: true)
    }

    /// The upsert of a lesson's state that only a newer version wins, or a deletion at the same version (as
    /// ``ReadModel``'s upserts), returning the lesson as it now is when it applied.
    static func upsert(_ state: LessonState, deleted: Bool, tenant: UUID) -> PostgresQuery {
        """
        INSERT INTO reporting.lessons AS kept (tenant_id, id, partnership_id, activity_id, title, body, side, themes,
            sdg_targets, policy_domain, language, shared, published, published_at, version, deleted)
        VALUES (\(tenant), \(state.id.rawValue), \(state.partnershipId), \(state.activityId), \(state.title),
            \(state.body), \(state.side.rawValue), \(state.themes)::text[], \(state.sdgTargets)::text[],
            \(state.policyDomain), \(state.language), \(state.shared), \(state.published), \(state.publishedAt),
            \(state.version), \(deleted))
        ON CONFLICT (tenant_id, id) DO UPDATE SET partnership_id = excluded.partnership_id,
            activity_id = excluded.activity_id, title = excluded.title, body = excluded.body, side = excluded.side,
            themes = excluded.themes, sdg_targets = excluded.sdg_targets, policy_domain = excluded.policy_domain,
            language = excluded.language, shared = excluded.shared, published = excluded.published,
            published_at = excluded.published_at, version = excluded.version, deleted = excluded.deleted
        WHERE kept.version < excluded.version OR (excluded.deleted AND NOT kept.deleted AND kept.version <= excluded.version)
        RETURNING kept.side, kept.deleted
        """
    }

    /// `upsert` and, in the same statement, the change it makes to the lesson figures: the lesson's old side
    /// counted out and its new one in, when it applied. Every part of one statement sees the same snapshot:
    /// `old` is the row before the upsert. A side's count goes down only where it went up before, so the
    /// decrease is an update of a row that exists, and the increase an insert that adds to it.
    static func keepingFigures(_ state: LessonState, deleted: Bool, tenant: UUID) -> PostgresQuery {
        """
        WITH old AS (
            SELECT l.side FROM reporting.lessons l
            WHERE l.tenant_id = \(tenant) AND l.id = \(state.id.rawValue) AND NOT l.deleted),
        new AS (\(fragment: upsert(state, deleted: deleted, tenant: tenant))),
        delta AS (
            SELECT side, -1 AS n FROM old WHERE EXISTS (SELECT FROM new)
            UNION ALL SELECT side, 1 FROM new WHERE NOT deleted),
        sums AS (SELECT side, sum(n)::int AS n FROM delta GROUP BY side HAVING sum(n) <> 0),
        fewer AS (
            UPDATE reporting.lesson_figures f SET lessons = greatest(f.lessons + s.n, 0) FROM sums s
            WHERE s.n < 0 AND f.tenant_id = \(tenant) AND f.side = s.side)
        INSERT INTO reporting.lesson_figures AS f (tenant_id, side, lessons)
        SELECT \(tenant), side, n FROM sums WHERE n > 0
        ON CONFLICT (tenant_id, side) DO UPDATE SET lessons = f.lessons + excluded.lessons
        """
    }

    /// Tombstones the lessons of deleted activities or partnerships (their lessons went with them in the
    /// Learning plugin, without events) and counts them out of the figures, in one statement.
    static func forget(activities: [UUID] = [], partnerships: [UUID] = [], tenant: UUID) -> PostgresQuery {
        """
        WITH gone AS (
            UPDATE reporting.lessons l SET deleted = true
            WHERE l.tenant_id = \(tenant) AND NOT l.deleted
              AND (l.activity_id = ANY(\(activities)::uuid[]) OR l.partnership_id = ANY(\(partnerships)::uuid[]))
            RETURNING l.side),
        counted AS (SELECT side, count(*)::int AS n FROM gone GROUP BY side)
        UPDATE reporting.lesson_figures f SET lessons = greatest(f.lessons - c.n, 0) FROM counted c
        WHERE f.tenant_id = \(tenant) AND f.side = c.side
        """
    }

    /// Empties the lessons and their figures of the transaction's municipality, before a rebuild replays.
    static func clear(on connection: PostgresConnection) async throws {
        try await connection.query("DELETE FROM reporting.lesson_figures")
        try await connection.query("DELETE FROM reporting.lessons")
    }

    /// Counts the replayed lessons into the figures, once, at the end of a rebuild.
    static func recount(tenant: UUID, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO reporting.lesson_figures (tenant_id, side, lessons)
            SELECT \(tenant), l.side, count(*)::int FROM reporting.lessons l
            WHERE l.tenant_id = \(tenant) AND NOT l.deleted GROUP BY l.side
            """)
    }
}
