import Foundation

/// Writes the Swift file the EmbedFiles plugin adds to a module: `EmbedFilesTool OUTPUT [KEY PATH]...`.
///
/// Each file's bytes go in as base64, so no text (SQL with `"""`, a template with `\(`) can break the literal,
/// and a long literal compiles quickly. They are decoded once, the first time the module asks for a file.
@main
enum EmbedFilesTool {
    static func main() throws {
        var arguments = CommandLine.arguments.dropFirst()
        guard let output = arguments.popFirst(), arguments.count % 2 == 0 else {
            FileHandle.standardError.write(Data("usage: EmbedFilesTool OUTPUT [KEY PATH]...\n".utf8))
            exit(64)
        }
        var entries: [String] = []
        while let key = arguments.popFirst(), let path = arguments.popFirst() {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("EmbedFilesTool: cannot read \(path)\n".utf8))
                exit(1)
            }
            guard String(data: data, encoding: .utf8) != nil else {
                FileHandle.standardError.write(Data("EmbedFilesTool: \(path) is not UTF-8 text\n".utf8))
                exit(1)
            }
            entries.append("        \(literal(key)): \"\(data.base64EncodedString())\",")
        }
        let source = """
            // Written at build time by the EmbedFiles plugin (Plugins/EmbedFiles); not checked in.
            import Foundation

            /// This module's embedded files (see the EmbedFiles plugin), by path from their folder on.
            enum EmbeddedFiles {
                /// The paths of the embedded files, sorted.
                static var paths: [String] { texts.keys.sorted() }

                /// The text of the file at `path` (e.g. `Templates/layout.mustache`), or nil.
                static func text(_ path: String) -> String? { texts[path] }

                private static let texts: [String: String] = encoded.mapValues {
                    String(decoding: Data(base64Encoded: $0) ?? Data(), as: UTF8.self)
                }

                private static let encoded: [String: String] = [
            \(entries.isEmpty ? "        :" : entries.joined(separator: "\n"))
                ]
            }

            """
        let data = Data(source.utf8)
        // Unchanged output keeps its timestamp, so the module is not compiled again for nothing.
        if FileManager.default.contents(atPath: output) == data { return }
        try data.write(to: URL(fileURLWithPath: output), options: .atomic)
    }

    /// `text` as a Swift string literal (keys are file paths: letters, digits, `_`, `-`, `.` and `/`).
    static func literal(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
