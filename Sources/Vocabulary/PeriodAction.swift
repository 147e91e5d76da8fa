/// What someone does to a period's reported value: the step ``PeriodStatus/after(_:)`` takes.
public enum PeriodAction: String, Sendable, Hashable, CaseIterable {
    /// A partner coordinator or a coordinator reports the period's actual value (`PUT /periods/{id}/actual`).
    case report
    /// A coordinator accepts the reported value: from then on it counts in reports, charts and the IATI file.
    case approve
    /// A coordinator sends the value back with a comment, to be reported again.
    case `return`
}
