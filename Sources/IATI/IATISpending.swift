import Foundation
import Vocabulary

/// What had been spent on an activity as stated in one calendar year: the spent amount of that year's latest
/// statement. The export writes one Expenditure transaction per year from these (see docs/iati.md).
public struct IATISpending: Sendable, Equatable {
    public var year: Int
    /// The whole amount spent so far, as stated: an exact decimal string (`"4000.00"`), never a float.
    public var spent: String
    /// ISO 4217.
    public var currency: String
    /// The day it was stated (UTC): the transaction's date.
    public var recordedOn: CalendarDate

    public init(year: Int, spent: String, currency: String, recordedOn: CalendarDate) {
        self.year = year
        self.spent = spent
        self.currency = currency
        self.recordedOn = recordedOn
    }
}

/// One Expenditure transaction: what was spent, and when.
struct SpendingTransaction: Equatable {
    var amount: Amount
    var on: CalendarDate

    /// The transactions for an activity that has spent `spent` in `currency` now, last stated on `updatedOn`.
    ///
    /// From the ledger, one per year: the year's stated amount minus the previous stated year's, dated on the day
    /// it was stated (never after `today`); a year that changed nothing is left out, and a year that stated less
    /// than the one before (a correction) gives a negative transaction. After a change of currency the ledger
    /// starts again from zero, so the transactions are all in the activity's currency. They add up to `spent`.
    ///
    /// The ledger is used only when its latest year states `spent` in `currency`, as it does when it was kept
    /// with the activity; otherwise (no ledger, or one that does not agree) the whole amount is one transaction
    /// dated `updatedOn`, never after `today`, as before the ledger existed.
    static func transactions(
        spent: Amount?, currency: String?, updatedOn: CalendarDate, today: CalendarDate, ledger: [IATISpending]
    ) -> [SpendingTransaction] {
        guard let spent else { return [] }
        let whole = [SpendingTransaction(amount: spent, on: min(updatedOn, today))]
        var rows: [(amount: Amount, currency: String, on: CalendarDate)] = []
        for row in ledger.sorted(by: { $0.year < $1.year }) {
            guard let amount = Amount(row.spent) else { return whole }
            rows.append((amount, row.currency.trimmingCharacters(in: .whitespaces).uppercased(), row.recordedOn))
        }
        guard let last = rows.last, last.currency == currency, last.amount.hasSameValue(as: spent) else {
            return whole
        }
        let sameCurrency = rows.reversed().prefix { $0.currency == currency }.reversed()
        var transactions: [SpendingTransaction] = []
        var previous = Amount(units: 0, scale: spent.scale)
        for row in sameCurrency {
            let difference = row.amount + -previous
            if difference.units != 0 {
                transactions.append(SpendingTransaction(amount: difference, on: min(row.on, today)))
            }
            previous = row.amount
        }
        return transactions
    }
}
