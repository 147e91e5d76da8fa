import Messaging

/// What a ``ResultID`` identifies.
public enum ResultTag {}

/// The id of a result: what an activity or a partnership sets out to achieve.
public typealias ResultID = Identifier<ResultTag>

/// What an ``IndicatorID`` identifies.
public enum IndicatorTag {}

/// The id of an indicator: how a result is measured.
public typealias IndicatorID = Identifier<IndicatorTag>

/// What a ``PeriodID`` identifies.
public enum PeriodTag {}

/// The id of an indicator's reporting period, with its target and its reported value.
public typealias PeriodID = Identifier<PeriodTag>
