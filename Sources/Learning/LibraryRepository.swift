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

    /// The instance's policy domains in their order, retired ones included (old lessons keep theirs), each with
    /// its name in `language`: the list `GET /api/v1/policy-domains` answers, read by the same statement.
    func domains(in language: Language, on connection: PostgresConnection) async throws -> [PolicyDomainName] {
        try await LearningRepository().policyDomains(on: connection).map {
            PolicyDomainName(code: $0.code, name: $0.names[language.rawValue] ?? $0.code, retired: $0.retired)
        }
    }
}

/// A policy domain as a page or a filter names it.
struct PolicyDomainName: Sendable, Equatable {
    var code: String
    /// In the page's language.
    var name: String
    var retired: Bool
}
