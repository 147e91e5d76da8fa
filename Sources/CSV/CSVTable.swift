import Foundation

/// A CSV file as spreadsheets write it: RFC 4180 quoting (fields with separators, quotes and line breaks),
/// a comma or a semicolon as separator (Excel in Belgium writes semicolons), UTF-8 with or without a byte
/// order mark, CRLF or LF line ends. Shared by the imports of activities and of results.
public struct CSVTable: Sendable {
    /// The header's cells, trimmed.
    public var header: [String]
    /// The data rows, each with its line number in the file (for error messages).
    public var rows: [(line: Int, cells: [String])]

    /// Why a file is not a table.
    public enum Failure: Error, Equatable {
        /// Not even a header row.
        case empty
        /// A quoted field opened on `line` is never closed.
        case unterminatedQuote(line: Int)
        /// The bytes are not UTF-8 text.
        case notUTF8
    }

    /// The table in `data`.
    ///
    /// - Throws: ``Failure`` when the file is empty, not UTF-8, or leaves a quote open.
    public init(data: Data) throws(Failure) {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let text = String(bytes: bytes, encoding: .utf8) else { throw .notUTF8 }
        let scalars = Array(text.unicodeScalars)
        let separator = Self.separator(in: scalars)
        var records: [(Int, [String])] = []
        var record: [String] = []
        var field = String.UnicodeScalarView()
        var quoted = false
        var line = 1
        var recordLine = 1
        var index = 0
        func endField() {
            record.append(String(field))
            field = String.UnicodeScalarView()
        }
        func endRecord() {
            endField()
            if !(record.count == 1 && record[0].isEmpty) { records.append((recordLine, record)) }
            record = []
        }
        while index < scalars.count {
            let scalar = scalars[index]
            if quoted {
                if scalar == "\"" {
                    if index + 1 < scalars.count, scalars[index + 1] == "\"" {
                        field.append("\"")
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.append(scalar)
                }
            } else if scalar == "\"" && field.isEmpty {
                quoted = true
            } else if scalar == separator {
                endField()
            } else if scalar == "\r" && index + 1 < scalars.count && scalars[index + 1] == "\n" {
                // CRLF: the \n ends the record.
            } else if scalar == "\n" || scalar == "\r" {
                endRecord()
                line += 1
                recordLine = line
            } else {
                field.append(scalar)
            }
            index += 1
        }
        if quoted { throw .unterminatedQuote(line: recordLine) }
        if !field.isEmpty || !record.isEmpty { endRecord() }
        guard let first = records.first else { throw .empty }
        header = first.1.map { $0.trimmingCharacters(in: .whitespaces) }
        rows = records.dropFirst().map { (line: $0.0, cells: $0.1) }
    }

    /// The separator of the header line: the one of `;` and `,` that occurs more outside quotes.
    static func separator(in scalars: [Unicode.Scalar]) -> Unicode.Scalar {
        var commas = 0
        var semicolons = 0
        var quoted = false
        for scalar in scalars {
            if scalar == "\"" { quoted.toggle() }
            if quoted { continue }
            if scalar == "\n" { break }
            if scalar == "," { commas += 1 }
            if scalar == ";" { semicolons += 1 }
        }
        return semicolons > commas ? ";" : ","
    }
}

extension String {
    /// The cell's text as an import reads it: without leading and trailing white space and line breaks. Most
    /// cells have none: looking at the first and last byte settles those, and only the rest pay for
    /// Foundation's Unicode-aware trim (which also removes the no-break spaces spreadsheets like to leave).
    @inlinable
    public var trimmedCell: String {
        guard let first = utf8.first, let last = utf8.last else { return self }
        func isPlain(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x80 }
        if isPlain(first) && isPlain(last) { return self }
        return trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
