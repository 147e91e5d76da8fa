import Foundation
import Hummingbird
import Messaging
import Postgres
import ResultsContracts
import Vocabulary

/// An indicator as the API shows it, with its reporting periods.
public struct IndicatorRecord: ResponseEncodable, Sendable {
    /// The indicator.
    public var id: UUID
    var resultId: UUID
    var partnershipId: UUID
    /// The result's activity; `nil` for a partnership's result.
    var activityId: UUID?
    var title: String
    var description: String
    var measure: IndicatorMeasure
    var ascending: Bool
    var sdgTarget: SDGTargetID?
    var baseline: Baseline?
    var version: Int
    var createdAt: Date
    var updatedAt: Date
    /// Earliest first.
    var periods: [PeriodRecord]

    /// The indicator's columns, with its result's activity (`r`): every read joins the result.
    static let columns = """
        i.id, i.result_id, i.partnership_id, r.activity_id, i.title, i.description, i.measure, i.ascending,
        i.sdg_target, i.baseline_year, i.baseline_value::text, i.baseline_comment, i.version, i.created_at,
        i.updated_at
        """

    /// An indicator from a row of ``columns``, its periods to be added.
    init(row: PostgresRow) throws {
        id = try row.decode(UUID.self, column: 0)
        resultId = try row.decode(UUID.self, column: 1)
        partnershipId = try row.decode(UUID.self, column: 2)
        activityId = try row.decode(UUID?.self, column: 3)
        title = try row.decode(String.self, column: 4)
        description = try row.decode(String.self, column: 5)
        measure = try ResultsRepository.word(row, column: 6)
        ascending = try row.decode(Bool.self, column: 7)
        sdgTarget = try row.decode(String?.self, column: 8).flatMap(SDGTargetID.init(rawValue:))
        if let year = try row.decode(Int?.self, column: 9) {
            baseline = Baseline(
                year: year, value: try ResultsRepository.value(row, column: 10),
                comment: try row.decode(String.self, column: 11))
        }
        version = try row.decode(Int.self, column: 12)
        createdAt = try row.decode(Date.self, column: 13)
        updatedAt = try row.decode(Date.self, column: 14)
        periods = []
    }

    var state: IndicatorState {
        IndicatorState(
            id: IndicatorID(rawValue: id), resultId: ResultID(rawValue: resultId), partnershipId: partnershipId,
            activityId: activityId, title: title, description: description, measure: measure, ascending: ascending,
            sdgTarget: sdgTarget, baseline: baseline, version: version)
    }

    /// What a period event says of its indicator.
    var summary: IndicatorSummary {
        IndicatorSummary(id: IndicatorID(rawValue: id), title: title, measure: measure, baseline: baseline)
    }

    // MARK: Events: each built here and nowhere else, from the indicator as stored.

    var defined: IndicatorDefined { IndicatorDefined(indicator: state) }

    func updated(_ changedFields: [String]) -> IndicatorUpdated {
        IndicatorUpdated(indicator: state, changedFields: changedFields)
    }

    /// The indicator's last state, at the version its deletion takes.
    var deleted: IndicatorDeleted {
        var last = state
        last.version += 1
        return IndicatorDeleted(indicator: last)
    }
}
