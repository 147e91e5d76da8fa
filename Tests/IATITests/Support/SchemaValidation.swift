import Foundation
import TestSupport
import Testing

/// Validates documents with `xmllint --schema` against the shipped IATI 2.03 activity schema: the
/// independent judge of every document these tests make.
enum SchemaValidation {
    /// The IATI 2.03 schema files, copied from the shared reference data (see NOTICE).
    static let folder = TestPaths.root + "/Tests/IATITests/Schema"
    /// The activity schema; it includes `iati-common.xsd` and imports `xml.xsd` from the same folder.
    static let schema = folder + "/iati-activities-schema.xsd"

    /// xmllint's verdict on `xml`: whether it is valid, and what xmllint printed.
    static func verdict(_ xml: String) async throws -> (valid: Bool, output: String, file: String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("stedenband-iati-\(UUID()).xml").path
        try Data(xml.utf8).write(to: URL(fileURLWithPath: file))
        let verdict = try await verdict(file: file)
        if verdict.valid {
            try? FileManager.default.removeItem(atPath: file)
        }
        return (verdict.valid, verdict.output, file)
    }

    /// xmllint's verdict on the document in `file`.
    static func verdict(file: String) async throws -> (valid: Bool, output: String) {
        let run = try await ChildProcess.run(try xmllint(), ["--noout", "--schema", schema, file])
        return (run.status == 0, run.stderr + run.stdout)
    }

    /// Records an issue, with xmllint's output and the kept file, unless `xml` is valid.
    static func expectValid(_ xml: String, context: String = "", sourceLocation: SourceLocation = #_sourceLocation)
        async throws
    {
        let verdict = try await verdict(xml)
        if !verdict.valid {
            Issue.record(
                "xmllint rejected the document\(context) (kept at \(verdict.file)):\n\(verdict.output)",
                sourceLocation: sourceLocation)
        }
    }

    /// The xmllint on PATH (Debian: libxml2-utils, installed by scripts/install-deps).
    static func xmllint() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = String(folder) + "/xmllint"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw XMLLintMissing()
    }

    struct XMLLintMissing: Error, CustomStringConvertible {
        var description: String { "xmllint is not on PATH; install libxml2-utils (scripts/install-deps does)" }
    }
}
