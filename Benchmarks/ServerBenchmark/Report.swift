import BenchmarkSupport
import Foundation

/// The middle of `values` (the mean of the two middle ones for an even count), or nil for none: the issue's
/// targets are medians of three runs.
func median(_ values: [Double]) -> Double? {
    guard !values.isEmpty else { return nil }
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/// The requests of a load that were not answered 2xx: per status, and the socket errors (connect, read,
/// write, timeout). Any of them makes the load's figures invalid.
struct Failures: Equatable {
    var statuses: [Int: Int] = [:]
    var socketErrors = 0

    var total: Int { statuses.values.reduce(0, +) + socketErrors }

    /// "429 × 120, 500 × 3, 2 socket errors", or "" for none.
    var summary: String {
        var parts = statuses.sorted { $0.key < $1.key }.map { "\($0.key) × \($0.value)" }
        if socketErrors > 0 { parts.append("\(socketErrors) socket errors") }
        return parts.joined(separator: ", ")
    }

    static func + (left: Failures, right: Failures) -> Failures {
        Failures(
            statuses: left.statuses.merging(right.statuses, uniquingKeysWith: +),
            socketErrors: left.socketErrors + right.socketErrors)
    }
}

/// One line of the results: a figure, the limit it is compared with (named), and its target.
struct Figure {
    /// One condition of a target; a target holds when all of its conditions do.
    enum Condition: Equatable {
        case atLeast(Double)
        case atMost(Double)
        /// At least this share of the figure's own limit, measured in the same run.
        case ratioAtLeast(Double)
    }

    var name: String
    var value: Double
    var unit: String
    var limit: Double?
    /// What the limit is: "pgbench GET shape".
    var limitName: String?
    var target: [Condition] = []
    /// The row of the issue's "Targets" table this figure answers ("GET by id"), if any.
    var issueTarget: String?
    /// Requests of the measured load that were not answered 2xx, over every run.
    var failures = Failures()
    /// Each run's value, when there was more than one.
    var runs: [Double] = []
    /// A remark printed after the verdict and kept in the JSON.
    var note: String?
    /// For a load: where its processor time went, per request (medians of the runs).
    var processor: ProcessorUse?

    init(
        _ name: String, _ value: Double, _ unit: String, limit: Double? = nil, limitName: String? = nil,
        target: [Condition] = [], issueTarget: String? = nil
    ) {
        self.name = name
        self.value = value
        self.unit = unit
        self.limit = limit
        self.limitName = limitName
        self.target = target
        self.issueTarget = issueTarget
    }

    var ratio: Double? { limit.flatMap { $0 > 0 ? value / $0 : nil } }

    var isValid: Bool { failures.total == 0 }

    /// Whether the target is met: nil without a target, false for a figure with failed requests.
    var isMet: Bool? {
        guard !target.isEmpty else { return nil }
        guard isValid else { return false }
        return target.allSatisfy { condition in
            switch condition {
            case .atLeast(let bound): value >= bound
            case .atMost(let bound): value <= bound
            case .ratioAtLeast(let share): (ratio ?? 0) >= share
            }
        }
    }

    /// "≥ 2000 and ≥ 0.80 × limit".
    var targetText: String {
        target.map { condition in
            switch condition {
            case .atLeast(let bound): "≥ \(format(bound))"
            case .atMost(let bound): "≤ \(format(bound))"
            case .ratioAtLeast(let share): "≥ \(String(format: "%.2f", share)) × limit"
            }
        }.joined(separator: " and ")
    }

    /// "met", how far from the target, or why the figure does not count.
    var verdict: String {
        if !isValid { return "NOT valid: \(failures.total) requests failed (\(failures.summary))" }
        guard let met = isMet else { return "" }
        if met { return "met" }
        let misses = target.compactMap { condition -> String? in
            switch condition {
            case .atLeast(let bound) where value < bound: "\(format(bound - value)) \(unit) short"
            case .atMost(let bound) where value > bound: "\(format(value - bound)) \(unit) over"
            case .ratioAtLeast(let share) where (ratio ?? 0) < share:
                "ratio \(String(format: "%.2f", ratio ?? 0)) < \(String(format: "%.2f", share))"
            default: nil
            }
        }
        return "NOT met: " + misses.joined(separator: ", ")
    }
}

/// The table printed at the end of `make bench`, the issue's targets, and `bench/results.json`.
struct BenchReport {
    var figures: [Figure]
    /// How many runs the figures are medians of.
    var runs = 1

    func printTable() {
        say("")
        say(tableLines().joined(separator: "\n"))
        say("")
        say(processorLines().joined(separator: "\n"))
        say("")
        say(targetLines().joined(separator: "\n"))
    }

    func tableLines() -> [String] {
        func cell(_ text: String, _ width: Int) -> String {
            text.count >= width ? text + " " : text.padding(toLength: width, withPad: " ", startingAt: 0)
        }
        var lines = [
            cell("figure", 26) + cell("value", 16) + cell("limit (same run)", 34) + cell("ratio", 7)
                + cell("target", 28) + "verdict"
        ]
        for figure in figures {
            let limit = figure.limit.map { "\(figure.limitName.map { $0 + " " } ?? "")\(format($0))" } ?? ""
            var verdict = figure.verdict
            if let note = figure.note { verdict += verdict.isEmpty ? note : "; \(note)" }
            lines.append(
                cell(figure.name, 26) + cell("\(format(figure.value)) \(figure.unit)", 16) + cell(limit, 34)
                    + cell(figure.ratio.map { String(format: "%.2f", $0) } ?? "", 7) + cell(figure.targetText, 28)
                    + verdict)
        }
        return lines
    }

    /// One line per load: the processor time a request cost the server, PostgreSQL and the rest of the
    /// machine, and the rate at which the machine's cores would all be busy; and one for the seeding's deliveries.
    func processorLines() -> [String] {
        let median = runs > 1 ? "medians of \(runs) runs" : "one run"
        return ["Processor time per request (\(median)) and per delivery (the seeding's):"]
            + figures.compactMap { figure in
                figure.processor.map { "  \(figure.issueTarget ?? figure.name): \($0.summary)" }
            }
    }

    /// One line per row of the issue's "Targets" table: the figure, its limit, met or not; for a load that
    /// missed its target, the rate at which the processor bounds it.
    func targetLines() -> [String] {
        let median = runs > 1 ? "medians of \(runs) runs" : "one run"
        var lines = ["Targets of issue 15 (\(median)):"]
        for figure in figures {
            guard let label = figure.issueTarget else { continue }
            let limit =
                figure.limit.map {
                    ", limit \(figure.limitName ?? "") \(format($0)) (ratio \(String(format: "%.2f", figure.ratio ?? 0)))"
                } ?? ""
            let outcome: String
            if !figure.isValid {
                outcome = "NOT valid (\(figure.failures.summary))"
            } else {
                outcome =
                    figure.isMet == true
                    ? "met"
                    : "NOT met"
                        + (figure.processor.map { "; processor-bound at \(format($0.processorBound)) \($0.unit.rate)" }
                            ?? "")
            }
            lines.append(
                "  \(label): \(format(figure.value)) \(figure.unit)\(limit); target \(figure.targetText): \(outcome)")
        }
        if let floor = floorLine() { lines.append(floor) }
        if figures.contains(where: { $0.issueTarget != nil && $0.isMet != true }) {
            lines.append(Self.whatWasTried)
        }
        return lines
    }

    /// When the GET missed its target: what the HTTP stack alone costs the server (`GET /healthz`), beside the
    /// GET's own cost. The difference is all that any database client, the token's check, the row's decoding and
    /// its JSON together cost; with the floor's cost and nothing else the GET would be bound at the rate given.
    func floorLine() -> String? {
        guard let get = figures.first(where: { $0.name == "get_by_id_rps" }), get.isMet != true,
            let getUse = get.processor,
            let floor = figures.first(where: { $0.name == "http_floor_rps" })?.processor
        else { return nil }
        var bound = getUse
        bound.serverMicroseconds = floor.serverMicroseconds
        return
            "  the HTTP stack alone (GET /healthz) costs the server \(format(floor.serverMicroseconds)) µs a request, "
            + "the GET \(format(getUse.serverMicroseconds)) µs: with the floor's cost in the server and its own "
            + "elsewhere, the GET would be bound at \(format(bound.processorBound)) req/s"
    }

    /// Where the targets missed are explained: what limits each, and what was tried.
    static let whatWasTried =
        "What limits each target missed, and what was tried: docs/performance.md, \"Issue 15's targets: where "
        + "each stands\"."

    /// `[{"figure", "value", "unit", "limit", "ratio", "target", "met"}]` in the table's order, with
    /// `limitName`, `valid`, `failedRequests`, `failures`, `runs` and `note` beside them where they apply.
    func jsonObjects() -> [[String: Any]] {
        func rounded(_ value: Double) -> Double { (value * 100).rounded() / 100 }
        return figures.map { figure in
            var object: [String: Any] = [
                "figure": figure.name, "value": rounded(figure.value), "unit": figure.unit,
                "limit": figure.limit.map(rounded) ?? NSNull(), "ratio": figure.ratio.map(rounded) ?? NSNull(),
            ]
            if let met = figure.isMet {
                object["target"] = figure.targetText
                object["met"] = met
            }
            if let name = figure.limitName, figure.limit != nil { object["limitName"] = name }
            if let label = figure.issueTarget { object["issueTarget"] = label }
            if !figure.isValid {
                object["valid"] = false
                object["failedRequests"] = figure.failures.total
                object["failures"] = figure.failures.summary
            }
            if figure.runs.count > 1 { object["runs"] = figure.runs.map(rounded) }
            if let note = figure.note { object["note"] = note }
            if let use = figure.processor {
                object["processor"] = [
                    "serverMicroseconds": rounded(use.serverMicroseconds),
                    "postgresMicroseconds": rounded(use.postgresMicroseconds),
                    "otherMicroseconds": rounded(use.otherMicroseconds), "machineBusy": rounded(use.machineBusy),
                    "cores": use.cores, "processorBoundPerSecond": rounded(use.processorBound),
                ]
            }
            return object
        }
    }

    func write(to path: String) throws {
        let data = try JSONSerialization.data(withJSONObject: jsonObjects(), options: [.prettyPrinted, .sortedKeys])
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        try data.write(to: URL(fileURLWithPath: path))
        say("Wrote \(path)")
    }
}
