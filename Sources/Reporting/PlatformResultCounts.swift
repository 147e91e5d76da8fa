import Foundation
import Postgres
import Vocabulary

/// How a municipality (or the platform) uses the results framework, for `GET /api/v1/platform/reports/results`:
/// indicators, and those with an approved value, in all and per result type, measure and SDG target. Counts and
/// codes only: a platform administrator never sees a title, a value or a comment.
struct ResultCounts: Encodable, Sendable, Equatable {
    struct Count: Encodable, Sendable, Equatable {
        var indicators = 0
        var withApprovedActual = 0

        static func + (left: Count, right: Count) -> Count {
            Count(
                indicators: left.indicators + right.indicators,
                withApprovedActual: left.withApprovedActual + right.withApprovedActual)
        }
    }

    var total = Count()
    /// Every result type and measure, zero or not; the SDG targets that have an indicator.
    var byType = Dictionary(uniqueKeysWithValues: ResultType.allCases.map { ($0.rawValue, Count()) })
    var byMeasure = Dictionary(uniqueKeysWithValues: IndicatorMeasure.allCases.map { ($0.rawValue, Count()) })
    var bySDGTarget: [String: Count] = [:]

    /// Adds one row of `reporting.platform_result_counts()`.
    mutating func add(type: String, measure: String, sdgTarget: String?, _ count: Count) {
        total = total + count
        byType[type] = (byType[type] ?? Count()) + count
        byMeasure[measure] = (byMeasure[measure] ?? Count()) + count
        if let sdgTarget { bySDGTarget[sdgTarget] = (bySDGTarget[sdgTarget] ?? Count()) + count }
    }

    static func + (left: ResultCounts, right: ResultCounts) -> ResultCounts {
        var sum = left
        sum.total = left.total + right.total
        sum.byType.merge(right.byType, uniquingKeysWith: +)
        sum.byMeasure.merge(right.byMeasure, uniquingKeysWith: +)
        sum.bySDGTarget.merge(right.bySDGTarget, uniquingKeysWith: +)
        return sum
    }
}

extension ReportsRepository {
    /// The counts of every municipality whose indicators pass `filter`, through the owner's
    /// `reporting.platform_result_counts()` (migration 0043): only inside a platform administrator's request.
    func platformResultCounts(_ filter: ReportFilter, on connection: PostgresConnection) async throws
        -> [UUID: ResultCounts]
    {
        let rows = try await connection.query(
            """
            SELECT * FROM reporting.platform_result_counts(\(filter.year)::int, \(filter.partnershipID)::uuid,
                \(filter.country)::text, \(filter.status)::text, \(filter.theme)::text)
            """)
        var byTenant: [UUID: ResultCounts] = [:]
        for row in rows {
            let (tenant, type, measure, sdgTarget, indicators, approved) = try row.decode(
                (UUID, String, String, String?, Int, Int).self)
            byTenant[tenant, default: ResultCounts()].add(
                type: type, measure: measure, sdgTarget: sdgTarget,
                .init(indicators: indicators, withApprovedActual: approved))
        }
        return byTenant
    }
}

extension ReportCSV {
    /// One row per count: all, then per result type, measure and SDG target (codes sorted).
    static func resultCounts(_ counts: ResultCounts, delimiter: CSVDelimiter) -> String {
        var text = delimiter.line(["dimension", "key", "indicators", "withApprovedActual"])
        func row(_ dimension: String, _ key: String, _ count: ResultCounts.Count) {
            text += delimiter.line([dimension, key, "\(count.indicators)", "\(count.withApprovedActual)"])
        }
        row("all", "", counts.total)
        for type in ResultType.allCases { row("type", type.rawValue, counts.byType[type.rawValue] ?? .init()) }
        for measure in IndicatorMeasure.allCases {
            row("measure", measure.rawValue, counts.byMeasure[measure.rawValue] ?? .init())
        }
        for (code, count) in counts.bySDGTarget.sorted(by: { $0.key < $1.key }) { row("sdgTarget", code, count) }
        return text
    }
}
