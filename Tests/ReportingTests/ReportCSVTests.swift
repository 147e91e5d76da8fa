import Foundation
import Testing

@testable import Reporting

@Suite("Report CSV a spreadsheet cannot run")
struct ReportCSVTests {
    @Test("a cell starting with =, +, -, @, a tab or a carriage return gets a leading quote; others stay as they are")
    func neutralisesFormulaCells() {
        let line = CSVDelimiter.comma.line([
            #"=HYPERLINK("http://evil.example")"#, "+1", "-2", "@SUM(A1)", "\tx", "\r=1", "a=b", "12.00", "", "'quoted",
        ])
        #expect(
            line
                == #""'=HYPERLINK(""http://evil.example"")",'+1,-2,'@SUM(A1),'\#tx,"'\#r=1",a=b,12.00,,'quoted\#r\#n"#
        )
        #expect(CSVDelimiter.semicolon.line(["-", "=", "+3,5"]) == "'-;'=;'+3,5\r\n")
    }

    @Test("a plain negative number stays a number; a minus before anything else is still neutralised")
    func plainNegativeNumbersStayNumbers() {
        for number in ["-2", "-40.0", "-12,5", "-0.001"] { #expect(CSVDelimiter.cell(number) == number) }
        for formula in ["-1+2", "-A1", "-", "-1.", "-.5", "-1.2.3", "-1,2.3", "- 1", "-1e3", "-2\t", "--2"] {
            #expect(CSVDelimiter.cell(formula) == "'" + formula, "\(formula) is not a plain number")
        }
        #expect(CSVDelimiter.semicolon.line(["-40,0", "-1+2"]) == "-40,0;'-1+2\r\n")
    }

    @Test("a field holding a bare carriage return is quoted, as one holding a line feed or the separator")
    func quotesBareCarriageReturn() {
        #expect(CSVDelimiter.semicolon.line(["a\rb", "c\nd", "e;f", "g,h"]) == "\"a\rb\";\"c\nd\";\"e;f\";g,h\r\n")
        #expect(CSVDelimiter.comma.line(["a\rb", "g,h"]) == "\"a\rb\",\"g,h\"\r\n")
    }

    @Test("no figure of ours is neutralised: counts, shares and amounts stay numbers in both delimiters")
    func figuresStayNumbers() {
        func activity(_ planned: Int64, _ spent: Int64, _ currency: String?, goals: [Int], targets: [String])
            -> ReportedActivity
        {
            ReportedActivity(
                partnershipID: UUID(), status: "ongoing", kind: "other", direction: "mutual", themes: ["covid-19"],
                goals: goals, targets: targets, planned: planned, spent: spent, currency: currency, startYear: 2020,
                country: "BJ")
        }
        let activities = [
            activity(0, 0, "EUR", goals: [3, 6], targets: ["3.d", "6.2"]),
            activity(1, 0, "EUR", goals: [1, 2, 3], targets: []),
            activity(99_999_999_999_999, 12_345, "XOF", goals: [17], targets: ["17.1"]),
            activity(0, 0, nil, goals: [], targets: []),
        ]
        let overview = OverviewReport(activities: activities, partnershipStatuses: ["active": 4])
        let sdg = SDGReport(activities)
        for delimiter in [CSVDelimiter.comma, .semicolon] {
            let number = try! Regex(delimiter == .comma ? "^[0-9]+(\\.[0-9]+)?$" : "^[0-9]+(,[0-9]+)?$")
            for (text, figures) in [
                (ReportCSV.overview(overview, delimiter: delimiter), [2, 4, 5]),
                (ReportCSV.sdg(sdg, delimiter: delimiter), [2, 3, 5, 6]),
            ] {
                let rows = text.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }
                #expect(rows.count > 5)
                for row in rows {
                    let cells = row.components(separatedBy: delimiter.separator)
                    #expect(!cells.contains { $0.hasPrefix("'") }, "\(row)")
                    for column in figures where !cells[column].isEmpty {
                        #expect(cells[column].wholeMatch(of: number) != nil, "\(row)")
                    }
                }
            }
        }
    }
}
