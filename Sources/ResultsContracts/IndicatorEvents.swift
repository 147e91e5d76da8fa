import Foundation
import Messaging

/// Every indicator event carries the indicator's state after the change.
public protocol IndicatorEvent: Event {
    /// The indicator after the change.
    var indicator: IndicatorState { get }
}

extension IndicatorEvent {
    public var aggregateID: UUID { indicator.id.rawValue }
    public var aggregateVersion: Int { indicator.version }
}

/// An indicator was defined for a result.
public struct IndicatorDefined: IndicatorEvent {
    public static let name = "results.indicator_defined.v1"
    public var indicator: IndicatorState
    public init(indicator: IndicatorState) { self.indicator = indicator }
}

/// Fields of an indicator changed; `changedFields` names them as the API does.
public struct IndicatorUpdated: IndicatorEvent {
    public static let name = "results.indicator_updated.v1"
    public var indicator: IndicatorState
    public var changedFields: [String]
    public init(indicator: IndicatorState, changedFields: [String]) {
        self.indicator = indicator
        self.changedFields = changedFields
    }
}

/// An indicator was deleted, and with it its periods (no deletions of their own); `indicator` is its last
/// state, with the version after deletion.
public struct IndicatorDeleted: IndicatorEvent {
    public static let name = "results.indicator_deleted.v1"
    public var indicator: IndicatorState
    public init(indicator: IndicatorState) { self.indicator = indicator }
}
