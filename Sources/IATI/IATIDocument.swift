import Foundation
import Vocabulary

/// Makes IATI 2.03 `iati-activities` documents from a municipality's activities, for the Reporting plugin's
/// export. See docs/iati.md for how each field maps and why.
public enum IATIDocument {
    /// The IATI standard version the documents follow.
    public static let version = "2.03"

    /// The `iati-activities` document for `activities`, published by `organisation` and stamped
    /// `generatedAt`, which also decides which dates already lie in the past (in UTC).
    ///
    /// The document is valid against the 2.03 schema whatever the input: an activity that cannot be
    /// expressed validly (unknown status, country, currency or SDG code, an amount that does not parse, an
    /// end before its start, an empty title, no dates, an id seen before) is left out and listed in
    /// ``IATIExport/skipped``, with every reason. Activities keep their order.
    ///
    /// - Throws: ``IATIExportError`` when there is no valid document to make: the organisation's own data
    ///   is unusable, every activity was skipped (the schema wants at least one), or `generatedAt` lies
    ///   outside the years 1…9999.
    public static func export(
        organisation: IATIOrganisation, activities: [IATIActivity], generatedAt: Date
    ) throws(IATIExportError) -> IATIExport {
        guard let generated = UTCTime.dateTime(generatedAt), let today = UTCTime.day(generatedAt) else {
            throw IATIExportError(
                code: .invalidGenerationTime, reason: "the generation time lies outside the years 1 to 9999")
        }
        let publisher = try ReportingOrganisation(organisation)

        var exportable: [ExportableActivity] = []
        var skipped: [IATISkipped] = []
        var seen: Set<UUID> = []
        for activity in activities {
            // Identifiers must be unique within a publisher's data: a repeated id is kept the first time only.
            guard seen.insert(activity.id).inserted else {
                skipped.append(IATISkipped(id: activity.id, reason: "another activity in this export has the same id"))
                continue
            }
            switch ExportableActivity.make(activity, organisation: publisher, today: today) {
            case .success(let ready): exportable.append(ready)
            case .failure(let problems):
                skipped.append(IATISkipped(id: activity.id, reason: problems.reasons.joined(separator: "; ")))
            }
        }
        guard !exportable.isEmpty else {
            throw IATIExportError(
                code: .noActivities,
                reason: activities.isEmpty
                    ? "there are no activities to export" : "none of the activities can be exported",
                skipped: skipped)
        }

        var writer = XMLWriter()
        writer.start("iati-activities", [("version", version), ("generated-datetime", generated)])
        for activity in exportable {
            write(activity, by: publisher, to: &writer)
        }
        writer.end()
        return IATIExport(xml: writer.output, skipped: skipped, trimmed: exportable.flatMap(\.trimmed))
    }

    /// 100 %, in hundredths.
    private static let hundred = Amount(units: 10_000, scale: 2)

    /// Writes one `iati-activity`, its children in the order the schema's sequence demands.
    private static func write(
        _ activity: ExportableActivity, by publisher: ReportingOrganisation, to writer: inout XMLWriter
    ) {
        var attributes: [(String, String)] = []
        if let currency = activity.currency {
            attributes.append(("default-currency", currency))
        }
        attributes += [("last-updated-datetime", activity.lastUpdated), ("xml:lang", publisher.language)]
        writer.start("iati-activity", attributes)

        writer.element("iati-identifier", text: activity.identifier)
        writer.start("reporting-org", [("ref", publisher.reference), ("type", publisher.type)])
        writer.element("narrative", text: publisher.name)
        writer.end()
        writer.start("title")
        writer.element("narrative", [("xml:lang", publisher.language)], text: activity.title)
        writer.end()
        // DescriptionType 1: General.
        writer.start("description", [("type", "1")])
        writer.element("narrative", [("xml:lang", publisher.language)], text: activity.description)
        writer.end()

        // The municipality funds (1) and implements (4); the partner municipality implements (4). The
        // partner has no IATI identifier, so it is named, and typed as the local government it is.
        for role in ["1", "4"] {
            writer.start("participating-org", [("ref", publisher.reference), ("type", publisher.type), ("role", role)])
            writer.element("narrative", text: publisher.name)
            writer.end()
        }
        if let partnerName = activity.partnerName {
            writer.start("participating-org", [("type", IATICodelists.localGovernment), ("role", "4")])
            writer.element("narrative", text: partnerName)
            writer.end()
        }

        writer.empty("activity-status", [("code", activity.status.iatiCode)])
        for date in activity.dates {
            writer.empty("activity-date", [("type", date.type), ("iso-date", date.date.description)])
        }
        // One recipient country takes all: IATI only asks for a percentage when there are several.
        writer.empty("recipient-country", [("code", activity.country)])
        // Sectors per vocabulary: 1 DAC 5-digit, 7 SDG goals, 8 SDG targets. IATI wants each vocabulary's
        // percentages to add up to 100: an even split in hundredths, the first ones taking the rest (33.34,
        // 33.33, 33.33).
        for (vocabulary, codes) in [
            ("1", activity.dacSectors), ("7", activity.sdgGoals.map(String.init)), ("8", activity.sdgTargets),
        ]
        where !codes.isEmpty {
            for (code, share) in zip(codes, Self.hundred.splitEvenly(into: codes.count)) {
                writer.empty("sector", [("vocabulary", vocabulary), ("code", code), ("percentage", share.description)])
            }
        }
        for goal in activity.sdgGoals {
            writer.empty("tag", [("vocabulary", "2"), ("code", String(goal))])
        }
        for target in activity.sdgTargets {
            writer.empty("tag", [("vocabulary", "3"), ("code", target)])
        }

        // Amounts only exist with a currency (checked in ExportableActivity), so the force-unwraps hold.
        for budget in activity.budgets {
            // BudgetType 1 Original, BudgetStatus 1 Indicative: the plan as first made, not a commitment.
            writer.start("budget", [("type", "1"), ("status", "1")])
            writer.empty("period-start", [("iso-date", budget.start.description)])
            writer.empty("period-end", [("iso-date", budget.end.description)])
            writer.element(
                "value", [("currency", activity.currency!), ("value-date", budget.start.description)],
                text: budget.amount.description)
            writer.end()
        }
        for spent in activity.spending {
            writer.start("transaction")
            // TransactionType 4: Expenditure.
            writer.empty("transaction-type", [("code", "4")])
            writer.empty("transaction-date", [("iso-date", spent.on.description)])
            writer.element(
                "value", [("currency", activity.currency!), ("value-date", spent.on.description)],
                text: spent.amount.description)
            writer.end()
        }
        for result in activity.results {
            write(result, language: publisher.language, to: &writer)
        }
        writer.end()
    }

    /// Writes one `result`, its children in the schema's order. Values are written as they were given
    /// (`74.50` stays `74.50`); a qualitative indicator has no `ascending` and carries comments only.
    private static func write(_ result: ExportableResult, language: String, to writer: inout XMLWriter) {
        writer.start("result", [("type", result.type.iatiCode), ("aggregation-status", result.aggregates ? "1" : "0")])
        narrative("title", result.title, language: language, to: &writer)
        if !result.description.isEmpty {
            narrative("description", result.description, language: language, to: &writer)
        }
        for indicator in result.indicators {
            var attributes = [("measure", indicator.measure.iatiCode)]
            if !indicator.measure.isQualitative {
                attributes.append(("ascending", indicator.ascending ? "1" : "0"))
            }
            writer.start("indicator", attributes)
            narrative("title", indicator.title, language: language, to: &writer)
            if !indicator.description.isEmpty {
                narrative("description", indicator.description, language: language, to: &writer)
            }
            if let baseline = indicator.baseline {
                var attributes = [("year", String(baseline.year))]
                if let value = baseline.value { attributes.append(("value", value.description)) }
                measured("baseline", attributes, comment: baseline.comment, language: language, to: &writer)
            }
            for period in indicator.periods {
                writer.start("period")
                writer.empty("period-start", [("iso-date", period.start.description)])
                writer.empty("period-end", [("iso-date", period.end.description)])
                for (name, given) in [("target", period.target), ("actual", period.actual)] {
                    guard let given else { continue }
                    measured(
                        name, given.value.map { [("value", $0.description)] } ?? [], comment: given.comment,
                        language: language, to: &writer)
                }
                writer.end()
            }
            writer.end()
        }
        writer.end()
    }

    /// `<name><narrative xml:lang>text</narrative></name>`.
    private static func narrative(_ name: String, _ text: String, language: String, to writer: inout XMLWriter) {
        writer.start(name)
        writer.element("narrative", [("xml:lang", language)], text: text)
        writer.end()
    }

    /// A baseline, target or actual: its attributes, and a `comment` when there is one.
    private static func measured(
        _ name: String, _ attributes: [(String, String)], comment: String, language: String,
        to writer: inout XMLWriter
    ) {
        guard !comment.isEmpty else {
            writer.empty(name, attributes)
            return
        }
        writer.start(name, attributes)
        narrative("comment", comment, language: language, to: &writer)
        writer.end()
    }
}
