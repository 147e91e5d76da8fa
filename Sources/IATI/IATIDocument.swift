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
        return IATIExport(xml: writer.output, skipped: skipped)
    }

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
        if let spent = activity.spent {
            writer.start("transaction")
            // TransactionType 4: Expenditure.
            writer.empty("transaction-type", [("code", "4")])
            writer.empty("transaction-date", [("iso-date", spent.on.description)])
            writer.element(
                "value", [("currency", activity.currency!), ("value-date", spent.on.description)],
                text: spent.amount.description)
            writer.end()
        }
        writer.end()
    }
}
