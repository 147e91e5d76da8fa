import Foundation
import IATI
import Postgres
import Testing
import Vocabulary

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite("Spent money as one Expenditure transaction per year")
struct IATISpendingTests {
    typealias F = Fixtures

    /// The transactions' (date, value) pairs of the document's only activity, after checking it validates.
    static func transactions(_ activity: IATIActivity, generatedAt: Date = F.generatedAt) async throws -> [String] {
        let export = try IATIDocument.export(
            organisation: F.organisation, activities: [activity], generatedAt: generatedAt)
        try await SchemaValidation.expectValid(export.xml)
        let element = try #require(try ParsedDocument(export.xml).activities.first)
        return element.elements(forName: "transaction").map { transaction in
            #expect(transaction.child("transaction-type")?.value("code") == "4")
            let value = transaction.child("value")
            #expect(value?.value("currency") == activity.currency)
            #expect(value?.value("value-date") == transaction.child("transaction-date")?.value("iso-date"))
            return "\(transaction.child("transaction-date")?.value("iso-date") ?? "?") \(value?.stringValue ?? "?")"
        }
    }

    static func year(_ year: Int, _ spent: String, _ currency: String = "EUR", on day: String) -> IATISpending {
        IATISpending(year: year, spent: spent, currency: currency, recordedOn: F.day(day))
    }

    @Test(
        "each year's transaction is what it added to the amount stated before; together they are the amount spent now")
    func spendingPerYearAddsUp() async throws {
        // 1 500.00 by the end of 2022, 4 000.00 by the end of 2023, nothing more in 2024 (left out).
        let activity = F.activity(
            budgetSpent: "4000.00",
            spending: [
                Self.year(2024, "4000.00", on: "2024-02-01"), Self.year(2022, "1500.00", on: "2022-12-20"),
                Self.year(2023, "4000.00", on: "2023-11-03"),
            ])
        #expect(try await Self.transactions(activity) == ["2022-12-20 1500.00", "2023-11-03 2500.00"])

        // A date after the document's day is written as that day: a transaction cannot lie ahead.
        let ahead = F.activity(
            budgetSpent: "30.00",
            spending: [Self.year(2024, "10.00", on: "2024-06-01"), Self.year(2025, "30.00", on: "2025-01-05")])
        #expect(try await Self.transactions(ahead) == ["2024-06-01 10.00", "2024-11-29 20.00"])

        // After a change of currency the ledger starts again: everything is in the activity's currency.
        let changed = F.activity(
            budgetSpent: "650000", currency: "XOF",
            spending: [
                Self.year(2021, "800.00", "EUR", on: "2021-05-01"), Self.year(2022, "400000", "XOF", on: "2022-03-01"),
                Self.year(2023, "650000", "xof", on: "2023-03-01"),
            ])
        #expect(try await Self.transactions(changed) == ["2022-03-01 400000", "2023-03-01 250000"])

        // A ledger that does not state today's amount is not used: the whole amount, dated on the last update.
        let stale = F.activity(budgetSpent: "4000.00", spending: [Self.year(2023, "3000.00", on: "2023-01-01")])
        #expect(try await Self.transactions(stale) == ["2024-10-27 4000.00"])
        let none = F.activity(budgetSpent: "4000.00")
        #expect(try await Self.transactions(none) == ["2024-10-27 4000.00"])
        // Nothing spent is stated: no transaction, whatever the ledger says.
        #expect(
            try await Self.transactions(
                F.activity(budgetSpent: nil, spending: [Self.year(2023, "5.00", on: "2023-01-01")])
            ).isEmpty)
    }

    @Test("a year that stated less than the one before gives a negative transaction, which the schema accepts")
    func negativeCorrectionValidates() async throws {
        let activity = F.activity(
            budgetSpent: "450.00",
            spending: [Self.year(2020, "500.00", on: "2020-12-31"), Self.year(2022, "450.00", on: "2022-05-01")])
        #expect(try await Self.transactions(activity) == ["2020-12-31 500.00", "2022-05-01 -50.00"])
        // Back to zero: the correction takes everything back, and the transactions add up to nothing.
        let undone = F.activity(
            budgetSpent: "0.00",
            spending: [Self.year(2020, "500.00", on: "2020-06-01"), Self.year(2021, "0.00", on: "2021-06-01")])
        #expect(try await Self.transactions(undone) == ["2020-06-01 500.00", "2021-06-01 -500.00"])
    }
}
