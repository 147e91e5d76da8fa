/// Where a period's reported value stands: not yet reported, waiting for review, accepted, or sent back.
/// Only an approved value counts in reports, charts and the IATI file.
public enum PeriodStatus: String, Codable, Sendable, Hashable, CaseIterable {
    case draft
    case submitted
    case approved
    case returned

    /// The status of a newly defined period: nothing reported yet.
    public static let initial: PeriodStatus = .draft

    /// The status after `action`, or `nil` when the action is not allowed from this status (the API's 409).
    ///
    /// - Reporting makes a draft or returned value submitted, and revises a submitted one before anyone
    ///   reviewed it (it stays submitted). An approved value cannot be reported over: a coordinator returns it
    ///   first, so a counted figure never changes without a review.
    /// - Approving needs a submitted value: there is nothing to approve in a draft, a returned value waits for
    ///   its new report, and an approved one is approved already.
    /// - Returning sends a submitted value back to its reporter, or reopens an approved one (a coordinator who
    ///   finds a mistake after approving). A draft or returned value has nothing to send back.
    public func after(_ action: PeriodAction) -> PeriodStatus? {
        switch (self, action) {
        case (.draft, .report), (.returned, .report), (.submitted, .report): .submitted
        case (.approved, .report): nil
        case (.submitted, .approve): .approved
        case (.draft, .approve), (.returned, .approve), (.approved, .approve): nil
        case (.submitted, .return), (.approved, .return): .returned
        case (.draft, .return), (.returned, .return): nil
        }
    }
}
