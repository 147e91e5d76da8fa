import Foundation
import Testing

/// Ids are written in lower case everywhere (docs/api.md), decided in two places: JSON by
/// `LowercaseUUIDJSONEncoder`, text (pages, mails, CSV, output, logs) by `uuidString.lowercased()`. These
/// checks read `Sources/`, so a new encoder or a bare `uuidString` fails here before it reaches a client.
@Suite("Ids are written in lower case: the sources make no other kind")
struct LowercaseIDSourceTests {
    /// The one file that may make a `JSONEncoder`: the encoder every other one is.
    static let encoderFile = "Sources/Vocabulary/LowercaseUUIDJSONEncoder.swift"

    /// Every Swift file under `Sources/`, relative to the package, with its lines outside comments.
    static func sourceLines() throws -> [(file: String, number: Int, line: String)] {
        let root = PackageGraph.packageRoot
        let sources = root + "/Sources"
        let files = try #require(FileManager.default.enumerator(atPath: sources)).compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") }.sorted()
        #expect(files.count > 100, "found only \(files.count) source files")
        var lines: [(String, Int, String)] = []
        for file in files {
            let text = try String(contentsOfFile: sources + "/" + file, encoding: .utf8)
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                if line.trimmingCharacters(in: .whitespaces).hasPrefix("//") { continue }
                lines.append(("Sources/" + file, index + 1, String(line)))
            }
        }
        return lines
    }

    @Test("no JSONEncoder is made but LowercaseUUIDJSONEncoder: answers, webhooks, commands and stored JSON")
    func everyJSONEncoderWritesIDsLowerCase() throws {
        var made: [String] = []
        for (file, number, line) in try Self.sourceLines()
        where file != Self.encoderFile && line.contains(#/(^|[^A-Za-z])JSONEncoder\(/#) {
            made.append("\(file):\(number): \(line.trimmingCharacters(in: .whitespaces))")
        }
        #expect(made.isEmpty, "make a LowercaseUUIDJSONEncoder instead:\n\(made.joined(separator: "\n"))")
    }

    @Test("every uuidString in the sources is read (UUID(uuidString:)) or lower-cased at once")
    func everyUUIDStringIsLowerCased() throws {
        var bare: [String] = []
        for (file, number, line) in try Self.sourceLines() {
            let rest = line.replacing(#/uuidString(:|\.lowercased\(\))/#, with: "")
            if rest.contains("uuidString") {
                bare.append("\(file):\(number): \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
        #expect(bare.isEmpty, "write uuidString.lowercased():\n\(bare.joined(separator: "\n"))")
    }

    @Test("the checks find what they look for")
    func checksWork() {
        #expect("let e = JSONEncoder()".contains(#/(^|[^A-Za-z])JSONEncoder\(/#))
        #expect(!"let e = LowercaseUUIDJSONEncoder()".contains(#/(^|[^A-Za-z])JSONEncoder\(/#))
        #expect("\"\\(id.uuidString)\"".replacing(#/uuidString(:|\.lowercased\(\))/#, with: "").contains("uuidString"))
        #expect(
            !"UUID(uuidString: t) ?? id.uuidString.lowercased()".replacing(
                #/uuidString(:|\.lowercased\(\))/#, with: ""
            ).contains("uuidString"))
    }
}
