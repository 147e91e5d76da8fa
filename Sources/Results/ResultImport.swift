import CSV
import Foundation
import Vocabulary

/// Results from a spreadsheet: reading the CSV file and each row's cells, for
/// ``ResultsService/importCSV(_:access:on:)`` (the HTTP route, the `/import` page and `stedenband import results`).
///
/// One row per period, or per indicator without periods, or per result without indicators; the columns are
/// documented in docs/results-import.md. What a row says is checked against the results already stored by the
/// service; here each cell is read as the spreadsheet wrote it.
enum ResultImporter {
    /// A file with more bad rows than this answers the first ones only.
    static let maximumReportedErrors = 200

    /// The columns as the documentation and the answers name them; the header may write them in any case.
    static let columns = [
        "activity", "partnership", "result", "resultType", "resultDescription", "indicator", "measure", "ascending",
        "sdgTarget", "baselineYear", "baselineValue", "baselineComment", "periodStart", "periodEnd", "target",
        "targetComment", "actual", "actualComment",
    ]

    /// Each column by its name in lower case.
    static let columnsByKey = Dictionary(uniqueKeysWithValues: columns.map { ($0.lowercased(), $0) })

    /// One row of the file: its line and its non-empty cells by column name (as ``columns`` names them).
    struct Row: Sendable {
        var line: Int
        var cells: [String: String]

        subscript(_ column: String) -> String? { cells[column] }
    }

    /// The rows of the file, each cell trimmed, empty cells left out.
    ///
    /// - Throws: ``ResultImportRefused`` naming what is wrong with the file or its header.
    static func rows(_ csv: Data) throws(ResultImportRefused) -> [Row] {
        let table: CSVTable
        do {
            table = try CSVTable(data: csv)
        } catch {
            switch error {
            case .empty: throw ResultImportRefused(problems: [.init(column: "file", reason: .noHeader)])
            case .notUTF8: throw ResultImportRefused(problems: [.init(column: "file", reason: .notUTF8)])
            case .unterminatedQuote(let line):
                throw ResultImportRefused(problems: [.init(column: "line \(line)", reason: .unclosedQuote)])
            }
        }
        var problems: [ResultImportProblem] = []
        var header: [String?] = []
        for cell in table.header {
            let column = columnsByKey[cell.lowercased()]
            if column == nil { problems.append(.init(column: "header", reason: .unknownColumn(cell))) }
            header.append(column)
        }
        if !header.contains("result") { problems.append(.init(column: "header", reason: .missingColumn("result"))) }
        if !header.contains("activity") && !header.contains("partnership") {
            problems.append(.init(column: "header", reason: .missingColumn("activity")))
        }
        if !problems.isEmpty { throw ResultImportRefused(problems: problems) }
        return table.rows.map { line, cells in
            var values: [String: String] = [:]
            for (index, column) in header.enumerated() where index < cells.count {
                let value = cells[index].trimmedCell
                if let column, !value.isEmpty { values[column] = value }
            }
            return Row(line: line, cells: values)
        }
    }

    /// A row's cells read as the API takes them, and the problems of those that do not read.
    struct Cells: Sendable {
        var resultType: String?
        var ascending: Bool?
        var baselineYear: Int?
        var baselineValue: String?
        var start: CalendarDate?
        var end: CalendarDate?
        var target: String?
        var actual: String?
        var problems: [(column: String, reason: ResultImportReason)] = []

        /// Whether the row names a period (both its dates read).
        var period: (start: CalendarDate, end: CalendarDate)? {
            guard let start, let end else { return nil }
            return (start, end)
        }
    }

    /// The row's dates, numbers and yes-or-no cells as the API takes them: numbers as the activity import reads
    /// amounts (`74,5`, `1 200`, `1.200,5`), dates as `YYYY-MM-DD` or `DD/MM/YYYY`.
    static func cells(of row: Row) -> Cells {
        var cells = Cells()
        cells.resultType = row["resultType"]?.lowercased()
        if let text = row["ascending"] {
            cells.ascending = SpreadsheetValues.yesOrNo(text)
            if cells.ascending == nil { cells.problems.append(("ascending", .badYesNo)) }
        }
        if let text = row["baselineYear"] {
            cells.baselineYear = Int(text)
            if cells.baselineYear == nil { cells.problems.append(("baselineYear", .badYear)) }
        } else if row["baselineValue"] != nil || row["baselineComment"] != nil {
            cells.problems.append(("baselineYear", .baselineYearMissing))
        }
        cells.baselineValue = row["baselineValue"].map(SpreadsheetValues.decimal)
        for column in ["periodStart", "periodEnd"] {
            guard let text = row[column] else { continue }
            let date = SpreadsheetValues.date(text)
            if date == nil { cells.problems.append((column, .badDate)) }
            if column == "periodStart" { cells.start = date } else { cells.end = date }
        }
        switch (row["periodStart"], row["periodEnd"]) {
        case (nil, nil):
            for column in ["target", "targetComment", "actual", "actualComment"] where row[column] != nil {
                cells.problems.append(("periodStart", .periodMissing))
                break
            }
        case (nil, _?): cells.problems.append(("periodStart", .periodDatesTogether))
        case (_?, nil): cells.problems.append(("periodEnd", .periodDatesTogether))
        default: break
        }
        cells.target = row["target"].map(SpreadsheetValues.decimal)
        cells.actual = row["actual"].map(SpreadsheetValues.decimal)
        return cells
    }
}
