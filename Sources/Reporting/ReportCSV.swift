import Foundation
import Vocabulary

/// A comma with decimal points, or, as Excel in Belgium expects, a semicolon with decimal commas.
enum CSVDelimiter: Equatable, Sendable {
    case comma, semicolon

    var separator: String { self == .comma ? "," : ";" }

    /// An amount as this delimiter's spreadsheet reads it. Report amounts are sums of budgets that the
    /// activities' schema keeps non-negative (`CHECK (budget_planned >= 0)`), so `line(_:)` never neutralises
    /// one into text; should a bug ever make one negative, it would show as text (`'-12.00`), not as a formula.
    func amount(_ amount: Amount) -> String {
        assert(amount.units >= 0, "report amounts are sums of non-negative budgets")
        let text = amount.description
        return self == .comma ? text : text.replacingOccurrences(of: ".", with: ",")
    }

    /// A decimal carried as text (an indicator's value, a progress), with this delimiter's decimal mark; empty for
    /// none.
    func decimal(_ text: String?) -> String {
        guard let text else { return "" }
        return self == .comma ? text : text.replacingOccurrences(of: ".", with: ",")
    }

    func ratio(_ value: Double) -> String {
        let text = String(format: "%.3f", value)
        return self == .comma ? text : text.replacingOccurrences(of: ".", with: ",")
    }

    /// One line: each field neutralised (see `cell(_:)`), and quoted when it holds the separator, a quote or a
    /// line break (`\n`, or a bare `\r`, which spreadsheets also take for one).
    func line(_ fields: [String]) -> String {
        fields.map { field in
            let cell = Self.cell(field)
            return cell.contains(separator) || cell.contains("\"") || cell.contains("\n") || cell.contains("\r")
                ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
        }.joined(separator: separator) + "\r\n"
    }

    /// A field as a spreadsheet may read it without running it. Excel, LibreOffice and Google Sheets take a
    /// cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return before one) for a formula, and a
    /// formula can fetch URLs or run commands when the reader opens the file: CSV injection. Today's keys are
    /// codes the API validates, but every cell is neutralised wherever it comes from, so a later column of
    /// typed text (a theme, a title) cannot open that hole: as OWASP advises, such a cell gets a leading single
    /// quote, which spreadsheets show as text and do not run. The
    /// figures we write ourselves never start so: counts, shares and amounts are never negative (see
    /// `amount(_:)`), so no number of ours turns into text; a negative plain number (a results report's progress)
    /// is left as it is, since it cannot be a formula.
    static func cell(_ field: String) -> String {
        guard let first = field.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first),
            !isNegativeNumber(field)
        else {
            return field
        }
        return "'" + field
    }

    /// Only a minus, digits and at most one decimal mark with digits after it (`-12.5`, `-3,0`): a number a
    /// spreadsheet reads as one and cannot run, such as a progress below the baseline. `-1+2` and `-A1` are not.
    static func isNegativeNumber(_ field: String) -> Bool {
        let bytes = Array(field.utf8)
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "-") else { return false }
        let digits = bytes.dropFirst()
        let marks = digits.filter { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ",") }
        guard marks.count <= 1, digits.allSatisfy({ (48...57).contains($0) || marks.contains($0) }) else {
            return false
        }
        guard let first = digits.first, let last = digits.last else { return false }
        return (48...57).contains(first) && (48...57).contains(last)
    }
}

/// The reports as spreadsheet rows: one row per figure and currency.
enum ReportCSV {
    static func sdg(_ report: SDGReport, delimiter: CSVDelimiter) -> String {
        var text = delimiter.line(["goal", "target", "activities", "partnerships", "currency", "planned", "spent"])
        func rows(_ goal: Int, _ target: String, _ activities: Int, _ partnerships: Int, _ budget: Budgets) {
            let money = budget.byCurrency.sorted { $0.key < $1.key }
            if money.isEmpty {
                text += delimiter.line(["\(goal)", target, "\(activities)", "\(partnerships)", "", "", ""])
            }
            for (currency, amounts) in money {
                text += delimiter.line([
                    "\(goal)", target, "\(activities)", "\(partnerships)", currency, delimiter.amount(amounts.planned),
                    delimiter.amount(amounts.spent),
                ])
            }
        }
        for goal in report.goals {
            rows(goal.goal, "", goal.activities, goal.partnerships, goal.budget)
            for target in goal.targets {
                rows(goal.goal, target.target, target.activities, target.partnerships, target.budget)
            }
        }
        return text
    }

    static func overview(_ report: OverviewReport, delimiter: CSVDelimiter) -> String {
        var text = delimiter.line(["figure", "key", "count", "currency", "planned", "spent"])
        func counts(_ figure: String, _ list: [OverviewReport.Count]) {
            for count in list { text += delimiter.line([figure, count.key, "\(count.count)", "", "", ""]) }
        }
        func slice(_ figure: String, _ slice: OverviewReport.Slice) {
            let money = slice.budget.byCurrency.sorted { $0.key < $1.key }
            if money.isEmpty { text += delimiter.line([figure, slice.key, "\(slice.activities)", "", "", ""]) }
            for (currency, amounts) in money {
                text += delimiter.line([
                    figure, slice.key, "\(slice.activities)", currency, delimiter.amount(amounts.planned),
                    delimiter.amount(amounts.spent),
                ])
            }
        }
        counts("partnerships_by_status", report.partnershipsByStatus)
        counts("activities_by_status", report.activitiesByStatus)
        counts("activities_by_kind", report.activitiesByKind)
        counts("activities_by_direction", report.activitiesByDirection)
        text += delimiter.line(["reciprocity_share", "", delimiter.ratio(report.reciprocityShare), "", "", ""])
        counts("lessons_by_side", report.lessonsBySide)
        slice("budget", OverviewReport.Slice(key: "all", activities: report.activities, budget: report.budget))
        slice("theme", report.covid19)
        for country in report.byCountry { slice("country", country) }
        for year in report.byYear { slice("year", year) }
        return text
    }
}
