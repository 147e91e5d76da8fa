import Foundation
import TestSupport
import Testing

/// Validates documents with `xmllint --schema` against the shipped IATI 2.03 activity schema: the
/// independent judge of every document these tests make.
enum SchemaValidation {
    /// The IATI 2.03 schema files, copied from the shared reference data (see NOTICE).
    static let folder = TestPaths.root + "/Tests/IATITests/Schema"
    /// The activity schema (TestSupport's ``IATISchema``, which the other test targets use too).
    static let schema = IATISchema.schema

    /// xmllint's verdict on `xml`: whether it is valid, and what xmllint printed.
    static func verdict(_ xml: String) async throws -> (valid: Bool, output: String, file: String) {
        try await IATISchema.verdict(xml)
    }

    /// xmllint's verdict on the document in `file`.
    static func verdict(file: String) async throws -> (valid: Bool, output: String) {
        let run = try await ChildProcess.run(try IATISchema.xmllint(), ["--noout", "--schema", schema, file])
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
}
