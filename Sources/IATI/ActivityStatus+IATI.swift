import Vocabulary

/// How an activity's status maps onto IATI's ActivityStatus codelist and activity-date types.
extension ActivityStatus {
    /// The IATI ActivityStatus code: 1 Pipeline/identification, 2 Implementation, 4 Closed, 5 Cancelled.
    /// (3 Finalisation and 6 Suspended have no stedenband counterpart.)
    var iatiCode: String {
        switch self {
        case .planned: "1"
        case .ongoing: "2"
        case .completed: "4"
        case .cancelled: "5"
        }
    }

    /// The `activity-date` elements for an activity with this status, as (IATI ActivityDateType code, date),
    /// start before end.
    ///
    /// A date is reported as actual (2 start, 4 end) only when the status says it happened and it is not
    /// after `today`: an ongoing or completed activity has actually started, a completed one has actually
    /// ended. Otherwise it is planned (1 start, 3 end), so a date in the future is never called actual,
    /// whatever the status claims. A cancelled activity's dates stay planned: stedenband does not record
    /// whether it was cancelled before or after it began.
    func activityDates(start: CalendarDate?, end: CalendarDate?, today: CalendarDate) -> [(
        type: String, date: CalendarDate
    )] {
        let started: Bool
        let ended: Bool
        switch self {
        case .planned, .cancelled: (started, ended) = (false, false)
        case .ongoing: (started, ended) = (true, false)
        case .completed: (started, ended) = (true, true)
        }
        var dates: [(type: String, date: CalendarDate)] = []
        if let start {
            dates.append((started && start <= today ? "2" : "1", start))
        }
        if let end {
            dates.append((ended && end <= today ? "4" : "3", end))
        }
        return dates
    }
}
