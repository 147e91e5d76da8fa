import Foundation

/// `xmllint --schema` against the IATI 2.03 activity schema shipped with the tests (`Tests/IATITests/Schema`,
/// copied from the shared reference data; see NOTICE): the independent judge of every IATI file the tests make.
public enum IATISchema {
    /// The activity schema; it includes `iati-common.xsd` and imports `xml.xsd` from the same folder.
    public static let schema = TestPaths.root + "/Tests/IATITests/Schema/iati-activities-schema.xsd"

    /// xmllint's verdict on `xml`: whether it is valid, what xmllint printed, and the file it was saved in
    /// (kept when invalid, for a look; removed otherwise).
    public static func verdict(_ xml: String) async throws -> (valid: Bool, output: String, file: String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("stedenband-iati-\(UUID()).xml").path
        try Data(xml.utf8).write(to: URL(fileURLWithPath: file))
        let run = try await ChildProcess.run(try xmllint(), ["--noout", "--schema", schema, file])
        let valid = run.status == 0
        if valid { try? FileManager.default.removeItem(atPath: file) }
        return (valid, run.stderr + run.stdout, file)
    }

    /// The xmllint on PATH (Debian: libxml2-utils, installed by scripts/install-deps).
    public static func xmllint() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = String(folder) + "/xmllint"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw XMLLintMissing()
    }

    public struct XMLLintMissing: Error, CustomStringConvertible {
        public var description: String { "xmllint is not on PATH; install libxml2-utils (scripts/install-deps does)" }
    }
}
