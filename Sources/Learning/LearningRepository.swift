import ActivitiesContracts
import Foundation
import Gateway
import PartnershipsContracts
import Postgres
import Vocabulary

/// Every SQL statement against the `learning` schema's lessons and policy domains, each in the caller's
/// transaction. The copies of the partnerships, their members and the activities are kept by
/// ``LearningPlugin``'s `PartnershipCopy` and `ActivityCopy`.
struct LearningRepository: Sendable {
    // MARK: Activities (our copy)

    /// Whether the activity exists in our copy and the caller may see it.
    /// What a digest line names beside a lesson: its activity's title and the partner municipality's name.
    struct Names: Sendable {
        var activity: String
        var partner: String
    }

    /// The names of `activity` and its partner, from our copies; `nil` when the copy has no such activity.
    func names(of activity: UUID, on connection: PostgresConnection) async throws -> Names? {
        try await connection.query(
            """
            SELECT a.title, p.partner_name FROM learning.activities a
            JOIN learning.partnerships p ON p.tenant_id = a.tenant_id AND p.id = a.partnership_id
            WHERE a.id = \(activity)
            """
        ).first.map {
            Names(activity: try $0.decode(String.self, column: 0), partner: try $0.decode(String.self, column: 1))
        }
    }

    func activityExists(_ id: UUID, scope: ReadScope, on connection: PostgresConnection) async throws -> Bool {
        !(try await connection.query(
            """
            SELECT FROM learning.activities a
            WHERE a.id = \(id) AND \(fragment: scope.learning(partnership: "a.partnership_id"))
            """
        ).isEmpty)
    }

    // MARK: Lessons

    /// The lesson if the caller may see it; `FOR UPDATE` when about to change it.
    func lesson(_ id: UUID, scope: ReadScope, lock: Bool = false, on connection: PostgresConnection) async throws
        -> LessonRecord?
    {
        try await connection.query(
            """
            SELECT \(unsafeSQL: LessonRecord.columns) FROM learning.lessons l
            WHERE l.id = \(id) AND \(fragment: scope.learning(partnership: "l.partnership_id"))
            \(unsafeSQL: lock ? "FOR UPDATE OF l" : "")
            """
        ).first.map(LessonRecord.init(row:))
    }

    /// A page of an activity's lessons, oldest first: `limit + 1` rows, so the caller knows whether there is a
    /// next page.
    func lessons(
        of activity: UUID, scope: ReadScope, limit: Int, after: (date: Date, id: UUID)?,
        on connection: PostgresConnection
    ) async throws -> [LessonRecord] {
        var condition: PostgresQuery =
            "\(fragment: scope.learning(partnership: "l.partnership_id")) AND l.activity_id = \(activity)"
        if let after {
            condition =
                "\(fragment: condition) AND (l.created_at, l.id) > (\(after.date)::timestamptz, \(after.id)::uuid)"
        }
        return try await connection.query(
            """
            SELECT \(unsafeSQL: LessonRecord.columns) FROM learning.lessons l
            WHERE \(fragment: condition)
            ORDER BY l.created_at, l.id
            LIMIT \(limit + 1)
            """
        ).map(LessonRecord.init(row:))
    }

    /// Writes a checked lesson on an activity, when the activity exists and the caller may see it (the check
    /// folded into the insert): `nil` when it does not. The author's role is their role in the partnership
    /// when they are a member, else `coordinator` (an administrator or coordinator of the municipality).
    func insert(
        _ lesson: NewLesson, on activity: UUID, tenant: UUID, author: UUID, scope: ReadScope,
        on connection: PostgresConnection
    ) async throws -> LessonRecord? {
        let now = Date()
        return try await connection.query(
            """
            INSERT INTO learning.lessons AS l (tenant_id, id, activity_id, partnership_id, title, body, side, themes,
                sdg_targets, policy_domain, language, author_id, author_role, created_at, updated_at)
            SELECT \(tenant), \(UUID.timeOrdered(at: now)), a.id, a.partnership_id, \(lesson.title), \(lesson.body),
                \(lesson.side), \(lesson.themes ?? [])::text[], \(lesson.sdgTargets ?? [])::text[],
                \(lesson.policyDomain), \(lesson.language), \(author),
                coalesce((SELECT m.role FROM learning.partnership_members m
                          WHERE m.partnership_id = a.partnership_id AND m.user_id = \(author)
                            AND m.role IN ('coordinator', 'partner_coordinator')), 'coordinator'),
                \(now), \(now)
            FROM learning.activities a
            WHERE a.id = \(activity) AND \(fragment: scope.learning(partnership: "a.partnership_id"))
            RETURNING \(unsafeSQL: LessonRecord.columns)
            """
        ).first.map(LessonRecord.init(row:))
    }

    /// Writes a lesson's fields and flags and moves it to the next version; answers the lesson as stored.
    func update(_ lesson: LessonRecord, on connection: PostgresConnection) async throws -> LessonRecord? {
        try await connection.query(
            """
            UPDATE learning.lessons AS l SET title = \(lesson.title), body = \(lesson.body),
                side = \(lesson.side.rawValue), themes = \(lesson.themes)::text[],
                sdg_targets = \(lesson.sdgTargets)::text[], policy_domain = \(lesson.policyDomain),
                language = \(lesson.language), shared = \(lesson.shared), shared_at = \(lesson.sharedAt),
                published = \(lesson.published), published_at = \(lesson.publishedAt), version = version + 1,
                updated_at = \(Date())
            WHERE l.id = \(lesson.id)
            RETURNING \(unsafeSQL: LessonRecord.columns)
            """
        ).first.map(LessonRecord.init(row:))
    }

    /// Deletes a lesson; its row in the library goes with it (cascade).
    func delete(_ id: UUID, on connection: PostgresConnection) async throws {
        try await connection.query("DELETE FROM learning.lessons WHERE id = \(id)")
    }

    // MARK: The library

    /// Keeps the lesson's row in the library as the lesson now is: written (or rewritten) while it is shared,
    /// with the partnership's title, the partner's name and country and the activity's title from our copies and
    /// the author's role as the contact, and gone once it is not.
    func keepLibrary(_ id: UUID, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            WITH gone AS (
                DELETE FROM learning.shared_lessons s
                WHERE s.lesson_id = \(id) AND NOT EXISTS (
                    SELECT FROM learning.lessons l WHERE l.tenant_id = s.tenant_id AND l.id = s.lesson_id AND l.shared))
            INSERT INTO learning.shared_lessons AS s (tenant_id, lesson_id, title, body, side, themes, sdg_targets,
                policy_domain, language, partnership_title, partner_name, partner_country, activity_title,
                contact_role, shared_at)
            SELECT l.tenant_id, l.id, l.title, l.body, l.side, l.themes, l.sdg_targets, l.policy_domain, l.language,
                p.title, p.partner_name, p.partner_country, a.title, l.author_role, l.shared_at
            FROM learning.lessons l
            JOIN learning.activities a ON a.tenant_id = l.tenant_id AND a.id = l.activity_id
            JOIN learning.partnerships p ON p.tenant_id = l.tenant_id AND p.id = l.partnership_id
            WHERE l.id = \(id) AND l.shared
            ON CONFLICT (tenant_id, lesson_id) DO UPDATE SET title = excluded.title, body = excluded.body,
                side = excluded.side, themes = excluded.themes, sdg_targets = excluded.sdg_targets,
                policy_domain = excluded.policy_domain, language = excluded.language,
                partnership_title = excluded.partnership_title, partner_name = excluded.partner_name,
                partner_country = excluded.partner_country, activity_title = excluded.activity_title,
                contact_role = excluded.contact_role, shared_at = excluded.shared_at
            """)
    }

    /// The statement that rewrites the library's rows of the partnerships' shared lessons with their new title
    /// and partner, in the publisher's transaction (the newest state of each, if a batch holds several).
    static func followPartnerships(_ partnerships: [PartnershipState], tenant: UUID) -> PostgresQuery {
        """
        UPDATE learning.shared_lessons s SET partnership_title = p.title, partner_name = p.name,
            partner_country = p.country
        FROM (
            SELECT DISTINCT ON (p.id) p.id, p.title, p.name, p.country
            FROM unnest(\(partnerships.map(\.id.rawValue))::uuid[], \(partnerships.map(\.title))::text[],
                        \(partnerships.map(\.partner.name))::text[], \(partnerships.map(\.partner.country))::text[],
                        \(partnerships.map(\.version))::int8[]) AS p(id, title, name, country, version)
            ORDER BY p.id, p.version DESC) p,
            learning.lessons l
        WHERE s.tenant_id = \(tenant) AND l.tenant_id = s.tenant_id AND l.id = s.lesson_id AND l.partnership_id = p.id
        """
    }

    /// The statement that rewrites the library's rows of the activities' shared lessons with their new title.
    static func followActivities(_ activities: [ActivityState], tenant: UUID) -> PostgresQuery {
        """
        UPDATE learning.shared_lessons s SET activity_title = a.title
        FROM (
            SELECT DISTINCT ON (a.id) a.id, a.title
            FROM unnest(\(activities.map(\.id.rawValue))::uuid[], \(activities.map(\.title))::text[],
                        \(activities.map(\.version))::int8[]) AS a(id, title, version)
            ORDER BY a.id, a.version DESC) a,
            learning.lessons l
        WHERE s.tenant_id = \(tenant) AND l.tenant_id = s.tenant_id AND l.id = s.lesson_id AND l.activity_id = a.id
        """
    }

    // MARK: Policy domains

    /// Whether a policy domain is open for lessons: `true` when it exists and is not retired, `false` when it
    /// is retired, `nil` when there is none.
    func domainIsOpen(_ code: String, on connection: PostgresConnection) async throws -> Bool? {
        try await connection.query(
            "SELECT retired_at IS NULL FROM learning.policy_domains WHERE code = \(code)"
        ).first.map { try $0.decode(Bool.self, column: 0) }
    }

    /// Every policy domain of the instance, in its order, retired ones included.
    func policyDomains(on connection: PostgresConnection) async throws -> [PolicyDomainRecord] {
        try await connection.query(
            """
            SELECT code, names::text, retired_at IS NOT NULL FROM learning.policy_domains ORDER BY position, code
            """
        ).map { row in
            let names = try JSONDecoder().decode(
                [String: String].self, from: Data(try row.decode(String.self, column: 1).utf8))
            return PolicyDomainRecord(
                code: try row.decode(String.self, column: 0), names: names,
                retired: try row.decode(Bool.self, column: 2))
        }
    }

    // MARK: Reading stored words

    /// A word stored as text (a side, a role), read back as the vocabulary's case.
    static func word<Word: RawRepresentable>(_ row: PostgresRow, column: Int) throws -> Word
    where Word.RawValue == String {
        let text = try row.decode(String.self, column: column)
        guard let word = Word(rawValue: text) else {
            throw PostgresDecodingFailure.invalidValue("not a \(Word.self): \(text)")
        }
        return word
    }
}

extension ReadScope {
    /// The scope as a condition on our own copy of the members, given the column that holds the partnership's
    /// id: every read of lessons, and every lock before a change, goes through it.
    func learning(partnership column: StaticString) -> PostgresQuery {
        condition(partnership: column, members: "learning.partnership_members")
    }
}
