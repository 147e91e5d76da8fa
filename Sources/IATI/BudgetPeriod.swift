import Vocabulary

/// One `budget` element's period and amount: a slice of the activity's planned budget.
struct BudgetPeriod: Equatable {
    var start: CalendarDate
    var end: CalendarDate
    var amount: Amount

    /// Splits `planned` over the activity's days from `start` to `end` (both included), one period per
    /// calendar year the activity touches.
    ///
    /// Calendar years because a Flemish municipality's financial year is the calendar year, and IATI asks
    /// for budgets per financial year (never longer than one year): an activity from 2024-09-01 to
    /// 2026-03-31 gets 2024-09-01…2024-12-31, 2025-01-01…2025-12-31 and 2026-01-01…2026-03-31. Each period's
    /// share is proportional to its number of days (see ``Amount/split(weights:)``), so the parts add
    /// up to `planned` exactly.
    static func periods(planned: Amount, start: CalendarDate, end: CalendarDate) -> [BudgetPeriod] {
        precondition(start <= end, "a budget runs forwards")
        var slices: [(start: CalendarDate, end: CalendarDate)] = []
        var sliceStart = start
        while true {
            // December 31 and January 1 exist in every year 1…9999, and `end` bounds the year.
            let yearEnd = CalendarDate(year: sliceStart.year, month: 12, day: 31)!
            if end <= yearEnd {
                slices.append((sliceStart, end))
                break
            }
            slices.append((sliceStart, yearEnd))
            sliceStart = CalendarDate(year: sliceStart.year + 1, month: 1, day: 1)!
        }
        let days = slices.map { $0.end.daysSinceEpoch - $0.start.daysSinceEpoch + 1 }
        return zip(slices, planned.split(weights: days)).map { slice, amount in
            BudgetPeriod(start: slice.start, end: slice.end, amount: amount)
        }
    }
}
