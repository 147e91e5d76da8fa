import Foundation

/// A CSV file as spreadsheets write it: RFC 4180 quoting (fields with separators, quotes and line breaks),
/// a comma or a semicolon as separator (Excel in Belgium writes semicolons), UTF-8 with or without a byte
/// order mark, CRLF or LF line ends.
struct CSVTable {
    /// The header's cells, trimmed.
    var header: [String]
    /// The data rows, each with its line number in the file (for error messages).
    var rows: [(line: Int, cells: [String])]

    enum Failure: Error, Equatable {
        case empty
        case unterminatedQuote(line: Int)
        case notUTF8
    }

    init(data: Data) throws(Failure) {
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
    /// The string without leading and trailing white space and line breaks. Most cells have none: looking at
    /// the first and last byte settles those, and only the rest pay for Foundation's Unicode-aware trim
    /// (which also removes the no-break spaces spreadsheets like to leave).
    var trimmedCell: String {
        guard let first = utf8.first, let last = utf8.last else { return self }
        func isPlain(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x80 }
        if isPlain(first) && isPlain(last) { return self }
        return trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
