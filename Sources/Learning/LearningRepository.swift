import Foundation
import Gateway
import Postgres
import Vocabulary

/// Every SQL statement against the `learning` schema's lessons and policy domains, each in the caller's
/// transaction. The copies of the partnerships, their members and the activities are kept by
/// ``LearningPlugin``'s `PartnershipCopy` and `ActivityCopy`.
struct LearningRepository: Sendable {
    // MARK: Activities (our copy)

    /// Whether the activity exists in our copy and the caller may see it.
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
