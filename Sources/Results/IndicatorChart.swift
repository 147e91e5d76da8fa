import Foundation
import Gateway
import ResultsContracts
import Vocabulary

/// An indicator's progress as a small inline SVG: the baseline as a dashed line, each period's target as a hollow
/// square, the approved values as a line with a dot at each period's end; years as tick labels.
///
/// Every position and colour is an attribute (the pages' policy allows no inline style and no script), the chart
/// scales by its `viewBox`, and its `<title>` says in words what it shows; a table with the same numbers follows
/// it on the page, so the chart is only a picture for those who can see it. Only approved values are drawn, as
/// reports count only those.
struct IndicatorChart {
    struct Point: Equatable {
        var end: CalendarDate
        var target: IndicatorValue?
        /// The approved value; `nil` before approval.
        var actual: IndicatorValue?
    }

    /// The indicator's id: the chart's title is labelled by it.
    var id: UUID
    var title: String
    var baseline: IndicatorValue?
    var points: [Point]

    static let width = 320.0
    static let height = 120.0
    private static let left = 34.0
    private static let right = 10.0
    private static let top = 10.0
    private static let bottom = 22.0

    /// The chart, or `nil` when there is nothing to draw (no period with a target or an approved value).
    func svg(words: ResultsPageWords, number: (IndicatorValue) -> String) -> String? {
        let values = points.flatMap { [$0.target, $0.actual].compactMap { $0 } } + (baseline.map { [$0] } ?? [])
        guard !values.isEmpty, points.contains(where: { $0.target != nil || $0.actual != nil }) else { return nil }
        let numbers = values.map(Self.double)
        var low = min(numbers.min() ?? 0, 0)
        var high = numbers.max() ?? 1
        if high == low { high = low + 1 }
        let pad = (high - low) * 0.08
        high += pad
        low = low < 0 ? low - pad : low
        let plotWidth = Self.width - Self.left - Self.right
        let plotHeight = Self.height - Self.top - Self.bottom
        func x(_ index: Int) -> Double {
            points.count == 1
                ? Self.left + plotWidth / 2 : Self.left + plotWidth * Double(index) / Double(points.count - 1)
        }
        func y(_ value: IndicatorValue) -> Double {
            Self.top + plotHeight * (1 - (Self.double(value) - low) / (high - low))
        }
        func f(_ value: Double) -> String { String(format: "%.1f", value) }

        var parts: [String] = []
        parts.append(
            ##"<svg class="indicator-chart" role="img" focusable="false" viewBox="0 0 320 120" width="100%" "##
                + ##"aria-labelledby="chart-\##(HTML.escape(anchor))"><title id="chart-\##(HTML.escape(anchor))">"##
                + HTML.escape(summary(words: words, number: number)) + "</title>")
        let axis = Self.top + plotHeight
        parts.append(
            ##"<line x1="\##(f(Self.left))" y1="\##(f(axis))" x2="\##(f(Self.width - Self.right))" y2="\##(f(axis))" stroke="#b1b4b6" stroke-width="1"></line>"##
        )
        if let baseline {
            let level = f(y(baseline))
            parts.append(
                ##"<line class="baseline" x1="\##(f(Self.left))" y1="\##(level)" x2="\##(f(Self.width - Self.right))" y2="\##(level)" stroke="#505a5f" stroke-width="1.5" stroke-dasharray="4 3"></line>"##
            )
            parts.append(
                ##"<text x="\##(f(Self.left - 4))" y="\##(f(y(baseline) + 4))" font-size="10" text-anchor="end">\##(HTML.escape(number(baseline)))</text>"##
            )
        }
        for (index, point) in points.enumerated() {
            parts.append(
                ##"<text x="\##(f(x(index)))" y="\##(f(Self.height - 6))" font-size="10" text-anchor="middle">\##(point.end.year)</text>"##
            )
            if let target = point.target {
                parts.append(
                    ##"<rect class="target" x="\##(f(x(index) - 4))" y="\##(f(y(target) - 4))" width="8" height="8" fill="none" stroke="#19486a" stroke-width="1.5"></rect>"##
                )
            }
        }
        let approved = points.enumerated().compactMap { index, point in point.actual.map { (x(index), y($0)) } }
        if approved.count > 1 {
            let line = approved.map { "\(f($0.0)),\(f($0.1))" }.joined(separator: " ")
            parts.append(
                ##"<polyline class="actual" points="\##(line)" fill="none" stroke="#00703c" stroke-width="2"></polyline>"##
            )
        }
        for (px, py) in approved {
            parts.append(##"<circle class="actual" cx="\##(f(px))" cy="\##(f(py))" r="3.5" fill="#00703c"></circle>"##)
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    /// The chart in words: "Birth registrations: 74 in 2020, target 90 in 2023".
    func summary(words: ResultsPageWords, number: (IndicatorValue) -> String) -> String {
        var text = title
        if let latest = points.last(where: { $0.actual != nil }), let actual = latest.actual {
            text += ": " + words.valueIn(number(actual), latest.end.year)
        } else {
            text += ": " + words.noApprovedValue
        }
        if let last = points.last(where: { $0.target != nil }), let target = last.target {
            text += ", " + words.targetIn(number(target), last.end.year)
        }
        return text
    }

    /// An id for the chart's title, unique on the page.
    var anchor: String { id.uuidString.lowercased() }

    private static func double(_ value: IndicatorValue) -> Double { Double(value.description) ?? 0 }
}
