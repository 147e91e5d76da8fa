import Foundation
import Messaging

/// Every result event carries the result's state after the change.
public protocol ResultEvent: Event {
    /// The result after the change.
    var result: ResultState { get }
}

extension ResultEvent {
    public var aggregateID: UUID { result.id.rawValue }
    public var aggregateVersion: Int { result.version }
}

/// A result was defined for an activity or a partnership.
public struct ResultDefined: ResultEvent {
    public static let name = "results.result_defined.v1"
    public var result: ResultState
    public init(result: ResultState) { self.result = result }
}

/// Fields of a result changed; `changedFields` names them as the API does.
public struct ResultUpdated: ResultEvent {
    public static let name = "results.result_updated.v1"
    public var result: ResultState
    public var changedFields: [String]
    public init(result: ResultState, changedFields: [String]) {
        self.result = result
        self.changedFields = changedFields
    }
}

/// A result was deleted, and with it its indicators and their periods (which publish no deletions of their
/// own: subscribers drop them by the result's id); `result` is its last state, with the version after deletion.
public struct ResultDeleted: ResultEvent {
    public static let name = "results.result_deleted.v1"
    public var result: ResultState
    public init(result: ResultState) { self.result = result }
}
