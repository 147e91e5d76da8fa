import Foundation
import Hummingbird
import Messaging
import Postgres
import ResultsContracts
import Vocabulary

/// A result as the API shows it, with its indicators.
public struct ResultRecord: ResponseEncodable, Sendable {
    /// The result.
    public var id: UUID
    var partnershipId: UUID
    /// `nil` for a partnership's long-term result.
    var activityId: UUID?
    var title: String
    var type: ResultType
    var description: String
    var aggregates: Bool
    var version: Int
    var createdAt: Date
    var updatedAt: Date
    /// Oldest first.
    var indicators: [IndicatorRecord]

    static let columns = """
        r.id, r.partnership_id, r.activity_id, r.title, r.type, r.description, r.aggregates, r.version,
        r.created_at, r.updated_at
        """

    /// A result from a row of ``columns``, its indicators to be added.
    init(row: PostgresRow) throws {
        id = try row.decode(UUID.self, column: 0)
        partnershipId = try row.decode(UUID.self, column: 1)
        activityId = try row.decode(UUID?.self, column: 2)
        title = try row.decode(String.self, column: 3)
        type = try ResultsRepository.word(row, column: 4)
        description = try row.decode(String.self, column: 5)
        aggregates = try row.decode(Bool.self, column: 6)
        version = try row.decode(Int.self, column: 7)
        createdAt = try row.decode(Date.self, column: 8)
        updatedAt = try row.decode(Date.self, column: 9)
        indicators = []
    }

    var state: ResultState {
        ResultState(
            id: ResultID(rawValue: id), partnershipId: partnershipId, activityId: activityId, title: title,
            type: type, description: description, aggregates: aggregates, version: version)
    }

    // MARK: Events: each built here and nowhere else, from the result as stored.

    var defined: ResultDefined { ResultDefined(result: state) }

    func updated(_ changedFields: [String]) -> ResultUpdated {
        ResultUpdated(result: state, changedFields: changedFields)
    }

    /// The result's last state, at the version its deletion takes.
    var deleted: ResultDeleted {
        var last = state
        last.version += 1
        return ResultDeleted(result: last)
    }
}

/// A page of results.
struct ResultPage: ResponseEncodable, Sendable {
    var items: [ResultRecord]
    var nextCursor: String?
}
