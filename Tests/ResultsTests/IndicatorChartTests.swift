import Foundation
import Testing
import Vocabulary

@testable import Results

@Suite("An indicator's chart")
struct IndicatorChartTests {
    static let id = UUID(uuidString: "6F1B2A3C-0000-4000-8000-0000000000C1")!

    static func point(_ year: Int, target: String?, actual: String?) -> IndicatorChart.Point {
        IndicatorChart.Point(
            end: CalendarDate(year: year, month: 12, day: 31)!, target: target.flatMap(IndicatorValue.init),
            actual: actual.flatMap(IndicatorValue.init))
    }

    static let words = ResultsPageWords.all[.en]

    @Test("targets as squares, approved values as a line of dots, the baseline dashed; positions only in attributes")
    func drawsWhatItSays() throws {
        let chart = IndicatorChart(
            id: Self.id, title: "Births <registered>", baseline: IndicatorValue("61"),
            points: [
                Self.point(2020, target: "70", actual: "74"), Self.point(2021, target: "80", actual: "79"),
                Self.point(2022, target: "90", actual: nil),
            ])
        let svg = try #require(chart.svg(words: Self.words) { $0.description })
        #expect(svg.components(separatedBy: #"<rect class="target""#).count - 1 == 3)
        #expect(svg.components(separatedBy: #"<circle class="actual""#).count - 1 == 2)
        #expect(svg.contains(#"<polyline class="actual""#) && svg.contains(#"stroke-dasharray="4 3""#))
        #expect(svg.contains(#"<title id="chart-6f1b2a3c-0000-4000-8000-0000000000c1">"#))
        // What the person typed is escaped; the summary names the latest approved value and the last target.
        #expect(svg.contains("Births &lt;registered&gt;: 79 in 2021, target 90 in 2022</title>"))
        #expect(!svg.contains("style=") && !svg.contains("<script"))
        // Higher values stand higher: 79 above 74.
        let dots = svg.components(separatedBy: #"<circle class="actual" cx=""#).dropFirst().map { part in
            Double(part.components(separatedBy: #"cy=""#)[1].prefix { $0 != "\"" }) ?? 0
        }
        #expect(dots.count == 2 && dots[1] < dots[0])
    }

    @Test("nothing to draw without a target or an approved value; the summary says there is no approved value")
    func nothingToDraw() {
        let empty = IndicatorChart(
            id: Self.id, title: "Waste collected", baseline: nil, points: [Self.point(2020, target: nil, actual: nil)])
        #expect(empty.svg(words: Self.words) { $0.description } == nil)
        let pending = IndicatorChart(
            id: Self.id, title: "Waste collected", baseline: nil, points: [Self.point(2020, target: "10", actual: nil)])
        #expect(
            pending.summary(words: Self.words) { $0.description }
                == "Waste collected: no approved value yet, target 10 in 2020")
    }
}
