import Foundation
import Vocabulary

/// An indicator's state as every indicator event carries it.
public struct IndicatorState: Codable, Sendable, Hashable {
    public var id: IndicatorID
    public var resultId: ResultID
    /// The result's partnership, which never changes.
    public var partnershipId: UUID
    /// The result's activity; `nil` for a partnership's result.
    public var activityId: UUID?
    public var title: String
    public var description: String
    public var measure: IndicatorMeasure
    /// Whether a higher value is better (`false` for an indicator meant to go down).
    public var ascending: Bool
    /// The SDG target the indicator measures progress towards, if any.
    public var sdgTarget: SDGTargetID?
    public var baseline: Baseline?
    public var version: Int

    public init(
        id: IndicatorID,
        resultId: ResultID,
        partnershipId: UUID,
        activityId: UUID?,
        title: String,
        description: String,
        measure: IndicatorMeasure,
        ascending: Bool,
        sdgTarget: SDGTargetID?,
        baseline: Baseline?,
        version: Int
    ) {
        self.id = id
        self.resultId = resultId
        self.partnershipId = partnershipId
        self.activityId = activityId
        self.title = title
        self.description = description
        self.measure = measure
        self.ascending = ascending
        self.sdgTarget = sdgTarget
        self.baseline = baseline
        self.version = version
    }
}
