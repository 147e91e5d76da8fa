import Foundation
import Hummingbird
import Messaging
import Postgres
import ResultsContracts
import Vocabulary

/// An indicator's reporting period as the API shows it: its dates, its target, the value reported for it and
/// where that value stands in its review.
public struct PeriodRecord: ResponseEncodable, Sendable {
    /// The period.
    public var id: UUID
    var indicatorId: UUID
    var resultId: UUID
    var partnershipId: UUID
    /// The result's activity; `nil` for a partnership's result.
    var activityId: UUID?
    var start: CalendarDate
    var end: CalendarDate
    /// `nil` when the period has neither a target value nor a comment on it.
    var target: PeriodValue?
    /// `nil` until someone reports a value (a draft).
    var actual: PeriodValue?
    var status: PeriodStatus
    var reportedBy: UUID?
    var reportedAt: Date?
    var reviewedBy: UUID?
    var reviewedAt: Date?
    var reviewComment: String
    var version: Int
    var createdAt: Date
    var updatedAt: Date

    /// The period's columns, with its indicator's result (`i`) and that result's activity (`r`): every read
    /// joins both.
    static let columns = """
        p.id, p.indicator_id, i.result_id, p.partnership_id, r.activity_id, p.starts_on, p.ends_on,
        p.target_value::text, p.target_comment, p.actual_value::text, p.actual_comment, p.status, p.reported_by,
        p.reported_at, p.reviewed_by, p.reviewed_at, p.review_comment, p.version, p.created_at, p.updated_at
        """

    /// The tables ``columns`` reads, joined.
    static let tables = """
        results.periods p
        JOIN results.indicators i ON i.tenant_id = p.tenant_id AND i.id = p.indicator_id
        JOIN results.results r ON r.tenant_id = i.tenant_id AND r.id = i.result_id
        """

    init(row: PostgresRow) throws {
        id = try row.decode(UUID.self, column: 0)
        indicatorId = try row.decode(UUID.self, column: 1)
        resultId = try row.decode(UUID.self, column: 2)
        partnershipId = try row.decode(UUID.self, column: 3)
        activityId = try row.decode(UUID?.self, column: 4)
        start = try row.decode(CalendarDate.self, column: 5)
        end = try row.decode(CalendarDate.self, column: 6)
        let targetValue = try ResultsRepository.value(row, column: 7)
        let targetComment = try row.decode(String.self, column: 8)
        target =
            targetValue == nil && targetComment.isEmpty ? nil : PeriodValue(value: targetValue, comment: targetComment)
        let actualValue = try ResultsRepository.value(row, column: 9)
        let actualComment = try row.decode(String.self, column: 10)
        status = try ResultsRepository.word(row, column: 11)
        reportedBy = try row.decode(UUID?.self, column: 12)
        reportedAt = try row.decode(Date?.self, column: 13)
        // A value is reported once the period leaves its draft (the table's check ties both together).
        actual = reportedAt == nil ? nil : PeriodValue(value: actualValue, comment: actualComment)
        reviewedBy = try row.decode(UUID?.self, column: 14)
        reviewedAt = try row.decode(Date?.self, column: 15)
        reviewComment = try row.decode(String.self, column: 16)
        version = try row.decode(Int.self, column: 17)
        createdAt = try row.decode(Date.self, column: 18)
        updatedAt = try row.decode(Date.self, column: 19)
    }

    var state: PeriodState {
        PeriodState(
            id: PeriodID(rawValue: id), indicatorId: IndicatorID(rawValue: indicatorId),
            resultId: ResultID(rawValue: resultId), partnershipId: partnershipId, activityId: activityId,
            start: start, end: end, target: target, actual: actual, status: status, reportedBy: reportedBy,
            reportedAt: reportedAt, reviewedBy: reviewedBy, reviewedAt: reviewedAt, reviewComment: reviewComment,
            version: version)
    }

    // MARK: Events: each built here and nowhere else, from the period as stored.

    func defined(of indicator: IndicatorRecord) -> PeriodDefined {
        PeriodDefined(period: state, indicator: indicator.summary)
    }

    func updated(_ changedFields: [String], of indicator: IndicatorRecord) -> PeriodUpdated {
        PeriodUpdated(period: state, indicator: indicator.summary, changedFields: changedFields)
    }

    /// The period's last state, at the version its deletion takes.
    func deleted(of indicator: IndicatorRecord) -> PeriodDeleted {
        var last = state
        last.version += 1
        return PeriodDeleted(period: last, indicator: indicator.summary)
    }

    func reported(of indicator: IndicatorRecord, by side: ReporterSide, partnerName: String) -> ValueReported {
        ValueReported(period: state, indicator: indicator.summary, reporterSide: side, partnerName: partnerName)
    }

    func approved(of indicator: IndicatorRecord) -> ValueApproved {
        ValueApproved(period: state, indicator: indicator.summary)
    }

    func returned(of indicator: IndicatorRecord) -> ValueReturned {
        ValueReturned(period: state, indicator: indicator.summary)
    }
}

extension PeriodRecord {
    private enum Key: String, CodingKey {
        case id, indicatorId, resultId, partnershipId, activityId, start, end, target, actual, status, review
        case version, createdAt, updatedAt
        case value, comment, reportedBy, reportedAt, reviewedBy, reviewedAt
    }

    /// `target`, `actual` and `review` are written as `null` when there is none, so a client reading a draft
    /// sees every field it will later fill; `activityId` is left out for a partnership's result, as a result's
    /// and an indicator's are.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(id, forKey: .id)
        try container.encode(indicatorId, forKey: .indicatorId)
        try container.encode(resultId, forKey: .resultId)
        try container.encode(partnershipId, forKey: .partnershipId)
        try container.encodeIfPresent(activityId, forKey: .activityId)
        try container.encode(start, forKey: .start)
        try container.encode(end, forKey: .end)
        if let target {
            var nested = container.nestedContainer(keyedBy: Key.self, forKey: .target)
            try Self.encode(target, into: &nested)
        } else {
            try container.encodeNil(forKey: .target)
        }
        if let actual {
            var nested = container.nestedContainer(keyedBy: Key.self, forKey: .actual)
            try Self.encode(actual, into: &nested)
            // Both are set whenever a value is (the table's check on `reported_at`, and the report's update).
            try nested.encodeIfPresent(reportedBy, forKey: .reportedBy)
            try nested.encodeIfPresent(reportedAt, forKey: .reportedAt)
        } else {
            try container.encodeNil(forKey: .actual)
        }
        try container.encode(status, forKey: .status)
        if let reviewedAt {
            var nested = container.nestedContainer(keyedBy: Key.self, forKey: .review)
            try nested.encode(reviewComment, forKey: .comment)
            try nested.encodeIfPresent(reviewedBy, forKey: .reviewedBy)
            try nested.encode(reviewedAt, forKey: .reviewedAt)
        } else {
            try container.encodeNil(forKey: .review)
        }
        try container.encode(version, forKey: .version)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }

    /// A target or an actual: its value, `null` when there is none (a qualitative one), and its comment.
    private static func encode(_ value: PeriodValue, into container: inout KeyedEncodingContainer<Key>) throws {
        if let number = value.value {
            try container.encode(number, forKey: .value)
        } else {
            try container.encodeNil(forKey: .value)
        }
        try container.encode(value.comment, forKey: .comment)
    }
}
