import Gateway
import Testing

@Suite("The page shell's stylesheet")
struct PageShellTests {
    /// The goals' colours come from the SDG catalogue, written into the one stylesheet when it is loaded: a rule
    /// per goal in its official colour, and nothing left of the line that stands for them.
    @Test func stylesheetCarriesEachGoalsColourFromTheCatalogue() {
        let css = PageShell.standard.stylesheet
        let rules = css.split(separator: "\n").filter { $0.hasPrefix(".sdg-goal-") }
        #expect(rules.count == 17)
        #expect(css.contains(".sdg-goal-1 { background: #E5243B; }"))
        #expect(css.contains(".sdg-goal-17 { background: #19486A; }"))
        #expect(!css.contains("/* .sdg-goal-1 …"))
    }

}
