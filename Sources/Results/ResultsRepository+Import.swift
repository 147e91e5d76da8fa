import Foundation
import Gateway
import Postgres

extension ResultsRepository {
    // MARK: The import's lookups

    /// The activities and partnerships in `scope`, by id and title: what a file's rows may name.
    func parents(scope: ReadScope, on connection: PostgresConnection) async throws -> (
        activities: [(id: UUID, title: String)], partnerships: [(id: UUID, title: String)]
    ) {
        let activities = try await connection.query(
            """
            SELECT a.id, a.title FROM results.activities a
            WHERE \(fragment: scope.results(partnership: "a.partnership_id"))
            """
        ).map { try $0.decode((UUID, String).self) }
        let partnerships = try await connection.query(
            """
            SELECT p.id, p.title FROM results.partnerships p
            WHERE \(fragment: scope.results(partnership: "p.id"))
            """
        ).map { try $0.decode((UUID, String).self) }
        return (activities.map { (id: $0.0, title: $0.1) }, partnerships.map { (id: $0.0, title: $0.1) })
    }

    /// Every result in `scope` (without its indicators), oldest first: what a file's rows are matched against.
    func allResults(scope: ReadScope, on connection: PostgresConnection) async throws -> [ResultRecord] {
        try await connection.query(
            """
            SELECT \(unsafeSQL: ResultRecord.columns) FROM results.results r
            WHERE \(fragment: scope.results(partnership: "r.partnership_id"))
            ORDER BY r.created_at, r.id
            """
        ).map(ResultRecord.init(row:))
    }
}
