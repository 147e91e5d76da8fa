import Foundation
import Vocabulary

/// An activity checked against everything the schema and the codelists require, with its values cleaned
/// and mapped to IATI's terms, ready to be written; or the reasons it cannot be.
struct ExportableActivity {
    var identifier: String
    var title: String
    var description: String
    /// `nil` when the partner has no name: the partner's `participating-org` is then left out.
    var partnerName: String?
    var status: ActivityStatus
    var dates: [(type: String, date: CalendarDate)]
    var country: String
    var sdgGoals: [Int]
    var sdgTargets: [String]
    var dacSectors: [String]
    var currency: String?
    var budgets: [BudgetPeriod]
    /// Expenditure, one transaction per year (``SpendingTransaction/transactions(spent:currency:updatedOn:today:ledger:)``).
    var spending: [SpendingTransaction]
    var lastUpdated: String
    var results: [ExportableResult]
    /// The parts of the activity that cannot be written and are left out (``IATIExport/trimmed``).
    var trimmed: [IATISkipped]

    /// Why an activity cannot be exported: every problem found, in words for the municipality's staff.
    struct Problems: Error {
        var reasons: [String]
    }

    /// Checks and maps `activity` for a document made on `today` (UTC) by `organisation`.
    ///
    /// Text loses the characters XML 1.0 forbids and surrounding whitespace; codes are compared after
    /// trimming and in the codelists' case. Everything wrong is reported at once, so one round of fixes is
    /// enough.
    static func make(
        _ activity: IATIActivity, organisation: ReportingOrganisation, today: CalendarDate
    ) -> Result<ExportableActivity, Problems> {
        var reasons: [String] = []

        let statusText = activity.status.trimmingCharacters(in: .whitespaces).lowercased()
        let status = ActivityStatus(rawValue: statusText)
        if status == nil {
            let statuses = ActivityStatus.allCases.map(\.rawValue).joined(separator: ", ")
            reasons.append("status \"\(activity.status)\" is not one of \(statuses)")
        }

        let title = cleaned(activity.title)
        if title.isEmpty {
            reasons.append("the title is empty")
        }
        // The schema requires a description; a title is the most faithful stand-in for a missing one.
        let described = cleaned(activity.description)
        let description = described.isEmpty ? title : described
        let partnerName = cleaned(activity.partnerName)

        let country = activity.partnerCountry.trimmingCharacters(in: .whitespaces).uppercased()
        if !IATICodelists.countries.contains(country) {
            reasons.append("partner country \"\(activity.partnerCountry)\" is not in the IATI Country codelist")
        }

        if activity.startsOn == nil && activity.endsOn == nil {
            reasons.append("it has neither a start nor an end date, and IATI requires at least one activity date")
        }
        if let start = activity.startsOn, let end = activity.endsOn, end < start {
            reasons.append("it ends (\(end)) before it starts (\(start))")
        }

        var goals: [Int] = []
        for goal in activity.sdgGoals where !goals.contains(goal) {
            if IATICodelists.sdgGoals.contains(String(goal)) {
                goals.append(goal)
            } else {
                reasons.append("SDG goal \(goal) does not exist (goals are 1 to 17)")
            }
        }
        var targets: [String] = []
        for target in activity.sdgTargets {
            let code = target.trimmingCharacters(in: .whitespaces).lowercased()
            if targets.contains(code) { continue }
            if IATICodelists.sdgTargets.contains(code) {
                targets.append(code)
            } else {
                reasons.append("SDG target \"\(target)\" is not in the IATI UNSDG-Targets codelist")
            }
        }

        var dacSectors: [String] = []
        for sector in activity.dacSectors {
            let code = sector.trimmingCharacters(in: .whitespaces)
            if dacSectors.contains(code) { continue }
            if IATICodelists.sectors.contains(code) {
                dacSectors.append(code)
            } else {
                reasons.append("DAC sector \"\(sector)\" is not an active code of the IATI Sector codelist")
            }
        }

        let planned = amount(activity.budgetPlanned, named: "planned budget", reasons: &reasons)
        let spentAmount = amount(activity.budgetSpent, named: "spent amount", reasons: &reasons)
        let currency = activity.currency.map { $0.trimmingCharacters(in: .whitespaces).uppercased() }
            .flatMap { $0.isEmpty ? nil : $0 }
        if let currency, !IATICodelists.currencies.contains(currency) {
            reasons.append("currency \"\(activity.currency ?? "")\" is not in the IATI Currency codelist")
        }
        if currency == nil && (planned != nil || spentAmount != nil) {
            reasons.append("it has amounts but no currency")
        }

        let lastUpdated = UTCTime.dateTime(activity.updatedAt)
        let updatedOn = UTCTime.day(activity.updatedAt)
        if lastUpdated == nil || updatedOn == nil {
            reasons.append("its last update lies outside the years 1 to 9999")
        }

        guard reasons.isEmpty, let status, let lastUpdated, let updatedOn else {
            return .failure(Problems(reasons: reasons))
        }

        // A budget needs a period, and a period needs both ends: with one date missing there is no honest
        // way to place the money in time, so the planned amount is not reported (see docs/iati.md).
        var budgets: [BudgetPeriod] = []
        if let planned, let start = activity.startsOn, let end = activity.endsOn {
            budgets = BudgetPeriod.periods(planned: planned, start: start, end: end)
        }

        // The activity's parts are checked only once the activity itself can be exported: what is trimmed is
        // always a part of an exported activity.
        var trimmed: [IATISkipped] = []
        let results = activity.results.compactMap { ExportableResult.make($0, trimmed: &trimmed) }

        return .success(
            ExportableActivity(
                identifier: organisation.reference + "-" + activity.id.uuidString.lowercased(),
                title: title,
                description: description,
                partnerName: partnerName.isEmpty ? nil : partnerName,
                status: status,
                dates: status.activityDates(start: activity.startsOn, end: activity.endsOn, today: today),
                country: country,
                sdgGoals: goals,
                sdgTargets: targets,
                dacSectors: dacSectors,
                currency: currency,
                budgets: budgets,
                // What was spent, per year as the ledger stated it, or when it was last recorded; never later than
                // the document, since IATI transactions cannot lie ahead.
                spending: SpendingTransaction.transactions(
                    spent: spentAmount, currency: currency, updatedOn: updatedOn, today: today,
                    ledger: activity.spending),
                lastUpdated: lastUpdated,
                results: results,
                trimmed: trimmed
            ))
    }

    /// `text` as a narrative: without characters XML 1.0 forbids, trimmed.
    private static func cleaned(_ text: String) -> String {
        Narrative.cleaned(text)
    }

    /// The amount `text` holds, `nil` when absent or blank; a reason is added when it is not a plain
    /// non-negative decimal.
    private static func amount(_ text: String?, named name: String, reasons: inout [String]) -> Amount? {
        guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        guard let amount = Amount(text) else {
            reasons.append(
                "\(name) \"\(text)\" is not a non-negative decimal amount such as 12500.00 "
                    + "(at most \(Amount.maximumScale) decimals)")
            return nil
        }
        return amount
    }
}
