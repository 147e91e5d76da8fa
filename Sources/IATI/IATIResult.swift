import Foundation
import Vocabulary

/// One result of an activity, as the export needs it: what the activity set out to achieve, measured by its
/// indicators. The caller passes approved actual values only (see docs/iati.md).
public struct IATIResult: Sendable, Equatable {
    public var id: UUID
    /// `output`, `outcome`, `impact` or `other` (``ResultType``).
    public var type: String
    public var title: String
    /// Left out of the document when empty.
    public var description: String
    /// Whether its indicators may be added up with other activities' (`aggregation-status`).
    public var aggregates: Bool
    public var indicators: [IATIIndicator]

    public init(
        id: UUID, type: String, title: String, description: String = "", aggregates: Bool = true,
        indicators: [IATIIndicator]
    ) {
        self.id = id
        self.type = type
        self.title = title
        self.description = description
        self.aggregates = aggregates
        self.indicators = indicators
    }
}

/// One indicator of a result: how it is measured, where it started, and its periods.
public struct IATIIndicator: Sendable, Equatable {
    public var id: UUID
    public var title: String
    /// Left out of the document when empty.
    public var description: String
    /// `unit`, `percentage`, `nominal`, `ordinal` or `qualitative` (``IndicatorMeasure``).
    public var measure: String
    /// Whether a higher value is better; not written for a qualitative indicator.
    public var ascending: Bool
    public var baseline: IATIBaseline?
    public var periods: [IATIPeriod]

    public init(
        id: UUID, title: String, description: String = "", measure: String, ascending: Bool = true,
        baseline: IATIBaseline? = nil, periods: [IATIPeriod] = []
    ) {
        self.id = id
        self.title = title
        self.description = description
        self.measure = measure
        self.ascending = ascending
        self.baseline = baseline
        self.periods = periods
    }
}

/// Where an indicator started: the year, and a value or (for a qualitative indicator) a comment.
public struct IATIBaseline: Sendable, Equatable {
    public var year: Int
    /// An exact non-negative decimal as a string (`"61"`, `"61.5"`), never a float.
    public var value: String?
    public var comment: String

    public init(year: Int, value: String?, comment: String = "") {
        self.year = year
        self.value = value
        self.comment = comment
    }
}

/// One reporting period of an indicator, with its target and its approved actual.
public struct IATIPeriod: Sendable, Equatable {
    public var id: UUID
    public var start: CalendarDate
    /// The last day, included.
    public var end: CalendarDate
    public var target: IATIValue?
    /// Only an approved value: the caller leaves out what is reported but not approved.
    public var actual: IATIValue?

    public init(id: UUID, start: CalendarDate, end: CalendarDate, target: IATIValue? = nil, actual: IATIValue? = nil) {
        self.id = id
        self.start = start
        self.end = end
        self.target = target
        self.actual = actual
    }
}

/// A target or actual: a value, a comment, or both.
public struct IATIValue: Sendable, Equatable {
    /// An exact non-negative decimal as a string; a qualitative indicator's is not written.
    public var value: String?
    public var comment: String

    public init(value: String?, comment: String = "") {
        self.value = value
        self.comment = comment
    }
}
