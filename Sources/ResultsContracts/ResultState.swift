import Foundation
import Vocabulary

/// A result's state as every result event carries it, so subscribers never read the Results schema.
public struct ResultState: Codable, Sendable, Hashable {
    public var id: ResultID
    /// The partnership the result belongs to, directly or through its activity.
    public var partnershipId: UUID
    /// The activity the result belongs to; `nil` for a partnership's long-term result.
    public var activityId: UUID?
    public var title: String
    public var type: ResultType
    public var description: String
    /// Whether the result's indicators may be summed with others' (IATI's `aggregation-status`).
    public var aggregates: Bool
    public var version: Int

    public init(
        id: ResultID,
        partnershipId: UUID,
        activityId: UUID?,
        title: String,
        type: ResultType,
        description: String,
        aggregates: Bool,
        version: Int
    ) {
        self.id = id
        self.partnershipId = partnershipId
        self.activityId = activityId
        self.title = title
        self.type = type
        self.description = description
        self.aggregates = aggregates
        self.version = version
    }
}
