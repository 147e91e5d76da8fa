import Foundation

/// A job enqueued on a schedule.
public struct PeriodicJob: Sendable {
    /// When it runs.
    public enum Schedule: Sendable, Hashable {
        /// Every so many seconds, aligned on the first run, skipping periods missed while nothing ran.
        case every(TimeInterval)
        /// Every day at a local time in an IANA time zone, correct across daylight-saving changes.
        case daily(hour: Int, minute: Int, timeZone: TimeZone)
    }

    /// A name unique among periodic jobs, e.g. `notifications.schedule_digests`.
    public var name: String
    /// When it runs.
    public var schedule: Schedule
    /// The job to enqueue each period.
    public var job: @Sendable () throws -> NewJob

    /// Describes a periodic job.
    public init(name: String, schedule: Schedule, job: @escaping @Sendable () throws -> NewJob) {
        if case .every(let seconds) = schedule { precondition(seconds > 0, "a period must be positive") }
        self.name = name
        self.schedule = schedule
        self.job = job
    }

    /// The first run strictly after `date` (for tests and operators).
    public func nextRunForTesting(after date: Date) -> Date { nextRun(after: date) }

    /// The first run strictly after `date`, for a schedule last due at `due` (or first seen at `date`).
    func nextRun(after date: Date, previous due: Date? = nil) -> Date {
        switch schedule {
        case .every(let seconds):
            guard let due else { return date.addingTimeInterval(seconds) }
            var next = due.addingTimeInterval(max(1, (date.timeIntervalSince(due) / seconds).rounded(.down)) * seconds)
            // The database keeps microseconds: a next run less than a millisecond after `date` could be stored
            // as `date` itself and be due again at once. Step past it.
            while next.timeIntervalSince(date) < 0.001 { next = next.addingTimeInterval(seconds) }
            return next
        case .daily(let hour, let minute, let timeZone):
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            let components = DateComponents(hour: hour, minute: minute, second: 0)
            return calendar.nextDate(
                after: date,
                matching: components,
                matchingPolicy: .nextTime,
                repeatedTimePolicy: .first,
                direction: .forward
            ) ?? date.addingTimeInterval(86_400)
        }
    }
}
