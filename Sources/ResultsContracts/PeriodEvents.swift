import Foundation
import Messaging

/// Every period event carries the period's state after the change and what a reader needs of its indicator.
public protocol PeriodEvent: Event {
    /// The period after the change.
    var period: PeriodState { get }
    /// The period's indicator, as it was when the period changed.
    var indicator: IndicatorSummary { get }
}

extension PeriodEvent {
    public var aggregateID: UUID { period.id.rawValue }
    public var aggregateVersion: Int { period.version }
}

/// A reporting period, with its target, was defined for an indicator.
public struct PeriodDefined: PeriodEvent {
    public static let name = "results.period_defined.v1"
    public var period: PeriodState
    public var indicator: IndicatorSummary
    public init(period: PeriodState, indicator: IndicatorSummary) {
        self.period = period
        self.indicator = indicator
    }
}

/// A period's dates or target changed; `changedFields` names them as the API does (`start`, `end`, `target`).
public struct PeriodUpdated: PeriodEvent {
    public static let name = "results.period_updated.v1"
    public var period: PeriodState
    public var indicator: IndicatorSummary
    public var changedFields: [String]
    public init(period: PeriodState, indicator: IndicatorSummary, changedFields: [String]) {
        self.period = period
        self.indicator = indicator
        self.changedFields = changedFields
    }
}

/// A period was deleted; `period` is its last state, with the version after deletion.
public struct PeriodDeleted: PeriodEvent {
    public static let name = "results.period_deleted.v1"
    public var period: PeriodState
    public var indicator: IndicatorSummary
    public init(period: PeriodState, indicator: IndicatorSummary) {
        self.period = period
        self.indicator = indicator
    }
}

/// Someone reported a value for a period (first time, again after a return, or revised before review): it now
/// waits for a coordinator's review.
public struct ValueReported: PeriodEvent {
    public static let name = "results.value_reported.v1"
    public var period: PeriodState
    public var indicator: IndicatorSummary
    /// Whether the reporter was the partner's coordinator or the municipality's staff.
    public var reporterSide: ReporterSide
    /// The partner municipality's name, for a digest line such as "Dogbo reported 74 % for …".
    public var partnerName: String
    public init(period: PeriodState, indicator: IndicatorSummary, reporterSide: ReporterSide, partnerName: String) {
        self.period = period
        self.indicator = indicator
        self.reporterSide = reporterSide
        self.partnerName = partnerName
    }
}

/// A coordinator approved a period's reported value: from now on it counts in reports, charts and the IATI
/// file.
public struct ValueApproved: PeriodEvent {
    public static let name = "results.value_approved.v1"
    public var period: PeriodState
    public var indicator: IndicatorSummary
    public init(period: PeriodState, indicator: IndicatorSummary) {
        self.period = period
        self.indicator = indicator
    }
}

/// A coordinator returned a period's value to its reporter, or reopened an approved one; why is
/// `period.reviewComment`.
public struct ValueReturned: PeriodEvent {
    public static let name = "results.value_returned.v1"
    public var period: PeriodState
    public var indicator: IndicatorSummary
    public init(period: PeriodState, indicator: IndicatorSummary) {
        self.period = period
        self.indicator = indicator
    }
}
