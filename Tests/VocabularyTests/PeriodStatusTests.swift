import Testing
import Vocabulary

@Suite("A period's value: draft, submitted, approved, returned")
struct PeriodStatusTests {
    /// Every status and action, with where the design's table (docs/design/results-framework.md §5) says it
    /// leads; `nil` is the API's 409.
    private static let table: [(PeriodStatus, PeriodAction, PeriodStatus?)] = [
        (.draft, .report, .submitted),
        (.draft, .approve, nil),
        (.draft, .return, nil),
        (.submitted, .report, .submitted),
        (.submitted, .approve, .approved),
        (.submitted, .return, .returned),
        (.returned, .report, .submitted),
        (.returned, .approve, nil),
        (.returned, .return, nil),
        (.approved, .report, nil),
        (.approved, .approve, nil),
        (.approved, .return, .returned),
    ]

    @Test("every status and action leads where the table says, and the table leaves none out")
    func everyTransition() {
        for (status, action, next) in Self.table {
            #expect(status.after(action) == next, "\(status) after \(action)")
        }
        let pairs = Set(Self.table.map { "\($0.0.rawValue) \($0.1.rawValue)" })
        #expect(pairs.count == PeriodStatus.allCases.count * PeriodAction.allCases.count)
    }

    @Test("a new period is a draft, and a value reported, returned and reported again is approved")
    func aValuesLife() throws {
        #expect(PeriodStatus.initial == .draft)
        var status = PeriodStatus.initial
        for action in [PeriodAction.report, .report, .return, .report, .approve] {
            status = try #require(status.after(action), "\(status) after \(action)")
        }
        #expect(status == .approved)
    }

    @Test("an approved value is locked until a coordinator returns it")
    func approvedIsLockedUntilReturned() {
        #expect(PeriodStatus.approved.after(.report) == nil)
        #expect(PeriodStatus.approved.after(.approve) == nil)
        #expect(PeriodStatus.approved.after(.return)?.after(.report) == .submitted)
    }

    @Test("only a submitted value can be approved, and only a reported one returned")
    func reviewNeedsAReport() {
        #expect(PeriodStatus.allCases.filter { $0.after(.approve) != nil } == [.submitted])
        #expect(PeriodStatus.allCases.filter { $0.after(.return) != nil } == [.submitted, .approved])
    }

    @Test("the statuses and actions are the API's and the database's words")
    func rawValues() {
        #expect(PeriodStatus.rawValues == ["draft", "submitted", "approved", "returned"])
        #expect(PeriodAction.rawValues == ["report", "approve", "return"])
    }
}
