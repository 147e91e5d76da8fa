import Foundation
import ReferenceData
import Vocabulary

/// `GET /api/v1/reports/results`: every indicator in the caller's scope with its baseline, its periods' targets
/// and approved actual values, and its progress; the indicators per SDG target they serve; and totals.
///
/// Only approved values count: a value reported and not yet approved, or returned, is left out, as funders
/// expect of a report (docs/results.md). Progress is ``IndicatorProgress/percent(baseline:target:actual:)``'s,
/// so the report, its CSV and the pages agree to the last digit.
struct ResultsReport: Encodable, Equatable {
    var indicators: [Indicator]
    var sdgTargets: [SDGTargetIndicators]
    var totals: Totals
    var method =
        "progress = (actual − baseline) / (target − baseline) × 100, approved actual values only, rounded to 0.1"

    struct Indicator: Encodable, Equatable {
        var id: UUID
        var title: String
        var measure: String
        var ascending: Bool
        var sdgTarget: String?
        var partnership: Named
        /// Absent for a partnership's long-term result.
        var activity: Named?
        var result: Result
        var baseline: Baseline?
        var periods: [Period]
        /// The approved actual of the latest-ending period that has one.
        var latest: Latest?
        /// The target of the latest-ending period that has one.
        var finalTarget: String?
        /// From the baseline towards `finalTarget`, at `latest`; absent without the three, and for a qualitative
        /// indicator.
        var progress: String?
        /// A qualitative indicator's approved comments, oldest first; absent for the other measures.
        var comments: [Comment]?
    }

    struct Named: Encodable, Equatable {
        var id: UUID
        var title: String
    }

    struct Result: Encodable, Equatable {
        var id: UUID
        var title: String
        var type: String
    }

    struct Baseline: Encodable, Equatable {
        var year: Int
        var value: String?
    }

    struct Period: Encodable, Equatable {
        var start: CalendarDate
        var end: CalendarDate
        var target: String?
        /// Present once approved.
        var actual: String?
        var progress: String?
    }

    struct Latest: Encodable, Equatable {
        var end: CalendarDate
        var actual: String
    }

    struct Comment: Encodable, Equatable {
        var end: CalendarDate
        var comment: String
    }

    struct SDGTargetIndicators: Encodable, Equatable {
        var code: String
        var goal: Int
        var indicators: [UUID]
    }

    struct Totals: Encodable, Equatable {
        var indicators: Int
        var withApprovedActual: Int
        var byType: [String: Int]
    }

    /// The report of `rows`, in their order (the repository's: by partnership, result and indicator).
    init(_ rows: [ReportedIndicator]) {
        indicators = rows.map(Self.indicator)
        var byTarget: [String: [UUID]] = [:]
        for indicator in indicators {
            if let code = indicator.sdgTarget { byTarget[code, default: []].append(indicator.id) }
        }
        let order = Dictionary(
            SDGCatalogue.targetCodes.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        sdgTargets = byTarget.keys.sorted { (order[$0] ?? .max, $0) < (order[$1] ?? .max, $1) }.map { code in
            SDGTargetIndicators(
                code: code, goal: Int(code.prefix { $0 != "." }) ?? 0, indicators: byTarget[code] ?? [])
        }
        var byType = Dictionary(uniqueKeysWithValues: ResultType.allCases.map { ($0.rawValue, 0) })
        for row in rows { byType[row.resultType, default: 0] += 1 }
        // A qualitative indicator's approved period counts too: its actual is the comment.
        totals = Totals(
            indicators: rows.count,
            withApprovedActual: rows.filter { $0.periods.contains { $0.approvedComment != nil } }.count,
            byType: byType)
    }

    private static func indicator(_ row: ReportedIndicator) -> Indicator {
        let qualitative = row.measure == IndicatorMeasure.qualitative.rawValue
        let baseline = row.baselineValue.flatMap(IndicatorValue.init)
        func progress(_ target: String?, _ actual: String?) -> String? {
            guard !qualitative, let baseline, let target = target.flatMap(IndicatorValue.init),
                let actual = actual.flatMap(IndicatorValue.init)
            else { return nil }
            return IndicatorProgress.percent(baseline: baseline, target: target, actual: actual)
        }
        let periods = row.periods.map { period in
            Period(
                start: period.start, end: period.end, target: period.target, actual: period.actual,
                progress: progress(period.target, period.actual))
        }
        let latest = row.periods.filter { $0.actual != nil }.max { ($0.end, $0.start) < ($1.end, $1.start) }
        let finalTarget = row.periods.filter { $0.target != nil }.max { ($0.end, $0.start) < ($1.end, $1.start) }?
            .target
        return Indicator(
            id: row.id, title: row.title, measure: row.measure, ascending: row.ascending, sdgTarget: row.sdgTarget,
            partnership: Named(id: row.partnershipID, title: row.partnershipTitle),
            activity: row.activityID.map { Named(id: $0, title: row.activityTitle ?? "") },
            result: Result(id: row.resultID, title: row.resultTitle, type: row.resultType),
            baseline: row.baselineYear.map { Baseline(year: $0, value: row.baselineValue) }, periods: periods,
            latest: latest.flatMap { period in period.actual.map { Latest(end: period.end, actual: $0) } },
            finalTarget: finalTarget, progress: progress(finalTarget, latest?.actual),
            comments: qualitative
                ? row.periods.compactMap { period in
                    period.approvedComment.map { Comment(end: period.end, comment: $0) }
                } : nil)
    }
}

/// An indicator as the results report reads it from the read model: its result, partnership and activity, and
/// its periods in order, with only approved actual values.
struct ReportedIndicator: Sendable, Equatable {
    var id: UUID
    var title: String
    var measure: String
    var ascending: Bool
    var sdgTarget: String?
    var baselineYear: Int?
    var baselineValue: String?
    var resultID: UUID
    var resultTitle: String
    var resultType: String
    var partnershipID: UUID
    var partnershipTitle: String
    var activityID: UUID?
    var activityTitle: String?
    var periods: [Period]

    struct Period: Sendable, Equatable, Decodable {
        var start: CalendarDate
        var end: CalendarDate
        var target: String?
        /// The actual value, once approved; `nil` before.
        var actual: String?
        /// The approved value's comment (empty when it has none); `nil` until the period is approved.
        var approvedComment: String?
    }
}

extension ReportCSV {
    /// One row per indicator and period (an indicator without periods has one row without them); values with
    /// the delimiter's decimal mark, progress too, which may be negative.
    static func results(_ report: ResultsReport, delimiter: CSVDelimiter) -> String {
        var text = delimiter.line([
            "partnership", "activity", "result", "type", "indicator", "measure", "sdgTarget", "baselineYear",
            "baselineValue", "periodStart", "periodEnd", "target", "actual", "progress",
        ])
        for indicator in report.indicators {
            let fixed = [
                indicator.partnership.title, indicator.activity?.title ?? "", indicator.result.title,
                indicator.result.type, indicator.title, indicator.measure, indicator.sdgTarget ?? "",
                indicator.baseline.map { "\($0.year)" } ?? "", delimiter.decimal(indicator.baseline?.value),
            ]
            if indicator.periods.isEmpty {
                text += delimiter.line(fixed + ["", "", "", "", ""])
            }
            for period in indicator.periods {
                text += delimiter.line(
                    fixed + [
                        period.start.description, period.end.description, delimiter.decimal(period.target),
                        delimiter.decimal(period.actual), delimiter.decimal(period.progress),
                    ])
            }
        }
        return text
    }
}
