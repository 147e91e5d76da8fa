import Foundation
import Vocabulary

/// A reporting period's state as every period event carries it: its dates, its target, the value reported for
/// it and where that value stands in its review.
public struct PeriodState: Codable, Sendable, Hashable {
    public var id: PeriodID
    public var indicatorId: IndicatorID
    public var resultId: ResultID
    public var partnershipId: UUID
    /// The result's activity; `nil` for a partnership's result.
    public var activityId: UUID?
    /// The first day of the period.
    public var start: CalendarDate
    /// The last day of the period, on or after `start`.
    public var end: CalendarDate
    public var target: PeriodValue?
    /// The reported value; `nil` until someone reports one.
    public var actual: PeriodValue?
    public var status: PeriodStatus
    public var reportedBy: UUID?
    public var reportedAt: Date?
    public var reviewedBy: UUID?
    public var reviewedAt: Date?
    /// Why the reviewer returned the value (or what they said approving it); empty when nothing was said.
    public var reviewComment: String
    public var version: Int

    public init(
        id: PeriodID,
        indicatorId: IndicatorID,
        resultId: ResultID,
        partnershipId: UUID,
        activityId: UUID?,
        start: CalendarDate,
        end: CalendarDate,
        target: PeriodValue?,
        actual: PeriodValue?,
        status: PeriodStatus,
        reportedBy: UUID?,
        reportedAt: Date?,
        reviewedBy: UUID?,
        reviewedAt: Date?,
        reviewComment: String,
        version: Int
    ) {
        self.id = id
        self.indicatorId = indicatorId
        self.resultId = resultId
        self.partnershipId = partnershipId
        self.activityId = activityId
        self.start = start
        self.end = end
        self.target = target
        self.actual = actual
        self.status = status
        self.reportedBy = reportedBy
        self.reportedAt = reportedAt
        self.reviewedBy = reviewedBy
        self.reviewedAt = reviewedAt
        self.reviewComment = reviewComment
        self.version = version
    }
}
