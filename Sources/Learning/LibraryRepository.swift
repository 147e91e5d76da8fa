import Foundation
import Postgres
import Vocabulary

/// The library's reads: through `learning.search_library(…)`, the one path by which a municipality reads
/// another's lessons, and only the shared ones (migration 0050).
struct LibraryRepository: Sendable {
    /// Up to `limit` shared lessons of every municipality matching `query`, newest shared first, after `after`.
    func search(
        _ query: LibraryQuery, lesson: UUID? = nil, limit: Int, after: (date: Date, id: UUID)?,
        on connection: PostgresConnection
    ) async throws -> [LibraryLesson] {
        try await connection.query(
            """
            SELECT * FROM learning.search_library(\(query.words)::text[], \(query.theme)::text,
                \(query.sdgTarget)::text, \(query.policyDomain)::text, \(query.country)::text,
                \(query.side?.rawValue)::text, \(lesson)::uuid, \(after?.date)::timestamptz, \(after?.id)::uuid,
                \(limit)::integer)
            """
        ).map { try LibraryLesson(row: $0) }
    }

    /// The codes of the instance's policy domains, retired ones included (old lessons keep theirs).
    func domainCodes(on connection: PostgresConnection) async throws -> Set<String> {
        Set(try await connection.query("SELECT code FROM learning.policy_domains").map { try $0.decode(String.self) })
    }
}
