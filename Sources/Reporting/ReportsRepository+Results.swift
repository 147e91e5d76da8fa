import Foundation
import Gateway
import IATI
import Postgres
import Vocabulary

extension ReportsRepository {
    /// The indicators in `scope` that pass `filter`, each with its result, partnership, activity and periods, in
    /// one statement: by partnership, result and indicator title, then id. What is deleted at any level is left
    /// out; only an approved period's actual value and comment leave the database.
    ///
    /// The filters read as the other reports' do, through the indicator: `partnershipId` and `country` by its
    /// partnership; `status` and `theme` by its activity, so a partnership's long-term results are left out when
    /// either is given; `year` keeps the periods that overlap the year, and the indicators that have one.
    func resultRows(_ filter: ReportFilter, scope: ReadScope, tenant: UUID, on connection: PostgresConnection)
        async throws -> [ReportedIndicator]
    {
        var condition: PostgresQuery = """
            i.tenant_id = \(tenant) AND NOT i.deleted AND NOT r.deleted AND NOT p.deleted
            AND (i.activity_id IS NULL OR a.id IS NOT NULL AND NOT a.deleted)
            AND \(fragment: scope.condition(partnership: "i.partnership_id", members: "reporting.members"))
            """
        var periods: PostgresQuery = "d.tenant_id = i.tenant_id AND d.indicator_id = i.id AND NOT d.deleted"
        if let year = filter.year {
            let start = CalendarDate(year: year, month: 1, day: 1)
            let end = CalendarDate(year: year, month: 12, day: 31)
            periods = "\(fragment: periods) AND d.starts_on <= \(end) AND d.ends_on >= \(start)"
            condition =
                "\(fragment: condition) AND EXISTS (SELECT FROM reporting.indicator_periods d WHERE \(fragment: periods))"
        }
        if let partnership = filter.partnershipID {
            condition = "\(fragment: condition) AND i.partnership_id = \(partnership)"
        }
        if let country = filter.country { condition = "\(fragment: condition) AND p.partner_country = \(country)" }
        if let status = filter.status { condition = "\(fragment: condition) AND a.status = \(status)" }
        if let theme = filter.theme { condition = "\(fragment: condition) AND \(theme) = ANY(a.themes)" }
        let rows = try await connection.query(
            """
            SELECT i.id, i.title, i.measure, i.ascending, i.sdg_target, i.baseline_year, i.baseline_value::text,
                r.id, r.title, r.type, p.id, p.title, a.id, a.title,
                coalesce((
                    SELECT json_agg(json_build_object('start', d.starts_on, 'end', d.ends_on,
                            'target', d.target_value::text,
                            'actual', CASE WHEN d.status = 'approved' THEN d.actual_value::text END,
                            'approvedComment', CASE WHEN d.status = 'approved' THEN d.actual_comment END)
                        ORDER BY d.starts_on, d.ends_on, d.id)
                    FROM reporting.indicator_periods d WHERE \(fragment: periods)), '[]')::text
            FROM reporting.indicators i
            JOIN reporting.results r ON r.tenant_id = i.tenant_id AND r.id = i.result_id
            JOIN reporting.partnerships p ON p.tenant_id = i.tenant_id AND p.id = i.partnership_id
            LEFT JOIN reporting.activities a ON a.tenant_id = i.tenant_id AND a.id = i.activity_id
            WHERE \(fragment: condition)
            ORDER BY p.title, p.id, r.title, r.id, i.title, i.id
            """)
        let decoder = JSONDecoder()
        return try rows.map { row in
            let (
                id, title, measure, ascending, sdgTarget, baselineYear, baselineValue, resultID, resultTitle,
                resultType, partnershipID, partnershipTitle, activityID, activityTitle, periodsJSON
            ) = try row.decode(
                (
                    UUID, String, String, Bool, String?, Int?, String?, UUID, String, String, UUID, String, UUID?,
                    String?, String
                ).self)
            let periods = try decoder.decode([ReportedIndicator.Period].self, from: Data(periodsJSON.utf8))
            return ReportedIndicator(
                id: id, title: title, measure: measure, ascending: ascending, sdgTarget: sdgTarget,
                baselineYear: baselineYear, baselineValue: baselineValue, resultID: resultID,
                resultTitle: resultTitle, resultType: resultType, partnershipID: partnershipID,
                partnershipTitle: partnershipTitle, activityID: activityID, activityTitle: activityTitle,
                periods: periods)
        }
    }
}

extension ReportsRepository {
    /// The results of `activities` as the IATI export writes them, by activity, in one statement: each result
    /// with its indicators and their periods nested, what is deleted at any level left out, by title then id
    /// (periods by their dates). Only an approved period's actual value and comment leave the database; a
    /// result without indicators comes too, so the export can say it left it out.
    func iatiResults(of activities: [UUID], on connection: PostgresConnection) async throws -> [UUID: [IATIResult]] {
        guard !activities.isEmpty else { return [:] }
        let rows = try await connection.query(
            """
            SELECT r.activity_id, r.id, r.type, r.title, r.description, r.aggregates,
                coalesce((
                    SELECT json_agg(json_build_object('id', i.id, 'title', i.title, 'description', i.description,
                            'measure', i.measure, 'ascending', i.ascending, 'baselineYear', i.baseline_year,
                            'baselineValue', i.baseline_value::text, 'baselineComment', i.baseline_comment,
                            'periods', coalesce((
                                SELECT json_agg(json_build_object('id', d.id, 'start', d.starts_on, 'end', d.ends_on,
                                        'target', d.target_value::text, 'targetComment', d.target_comment,
                                        'actual', CASE WHEN d.status = 'approved' THEN d.actual_value::text END,
                                        'actualComment', CASE WHEN d.status = 'approved' THEN d.actual_comment END)
                                    ORDER BY d.starts_on, d.ends_on, d.id)
                                FROM reporting.indicator_periods d
                                WHERE d.tenant_id = i.tenant_id AND d.indicator_id = i.id AND NOT d.deleted), '[]'))
                        ORDER BY i.title, i.id)
                    FROM reporting.indicators i
                    WHERE i.tenant_id = r.tenant_id AND i.result_id = r.id AND NOT i.deleted), '[]')::text
            FROM reporting.results r
            WHERE r.activity_id = ANY(\(activities)::uuid[]) AND NOT r.deleted
            ORDER BY r.activity_id, r.title, r.id
            """)
        let decoder = JSONDecoder()
        var results: [UUID: [IATIResult]] = [:]
        for row in rows {
            let (activity, id, type, title, description, aggregates, indicatorsJSON) = try row.decode(
                (UUID, UUID, String, String, String, Bool, String).self)
            let indicators = try decoder.decode([ExportedIndicator].self, from: Data(indicatorsJSON.utf8))
            results[activity, default: []].append(
                IATIResult(
                    id: id, type: type, title: title, description: description, aggregates: aggregates,
                    indicators: indicators.map(\.iati)))
        }
        return results
    }
}

/// An indicator as ``ReportsRepository/iatiResults(of:on:)`` reads it from its JSON.
private struct ExportedIndicator: Decodable {
    struct Period: Decodable {
        var id: UUID
        var start: CalendarDate
        var end: CalendarDate
        var target: String?
        var targetComment: String
        var actual: String?
        var actualComment: String?
    }

    var id: UUID
    var title: String
    var description: String
    var measure: String
    var ascending: Bool
    var baselineYear: Int?
    var baselineValue: String?
    var baselineComment: String?
    var periods: [Period]

    var iati: IATIIndicator {
        IATIIndicator(
            id: id, title: title, description: description, measure: measure, ascending: ascending,
            baseline: baselineYear.map { IATIBaseline(year: $0, value: baselineValue, comment: baselineComment ?? "") },
            periods: periods.map { period in
                IATIPeriod(
                    id: period.id, start: period.start, end: period.end,
                    target: period.target == nil && period.targetComment.isEmpty
                        ? nil : IATIValue(value: period.target, comment: period.targetComment),
                    actual: period.actual == nil && (period.actualComment ?? "").isEmpty
                        ? nil : IATIValue(value: period.actual, comment: period.actualComment ?? ""))
            })
    }
}
