import Foundation
import PackagePlugin

/// Builds a module's files into the binary: every file of the module's folder that is not Swift source (page and
/// mail templates, the stylesheet, the SQL of `migrations/`). The module gets an internal `enum EmbeddedFiles`,
/// written by the `EmbedFilesTool` executable, that answers a file's text by its path inside the module's folder,
/// e.g. `Templates/layout.mustache` or `0001_platform_foundation.sql`.
///
/// The binary then runs from any folder, copied alone: no resource bundle to find beside it (SwiftPM's
/// `Bundle.module` looks there, then in the build folder of the machine that built it) and no migrations folder
/// to point at. The files must be inside the module's folder (and excluded from its sources): SwiftPM plans the
/// build again when a file is added to or removed from a module's folder, not elsewhere.
@main
struct EmbedFiles: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        guard let module = target as? SourceModuleTarget else { return [] }
        let files = try Self.files(in: module.directoryURL, keyPrefix: nil).sorted { $0.key < $1.key }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedFiles.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(files.count) files in \(module.name)",
                executable: try context.tool(named: "EmbedFilesTool").url,
                arguments: [output.path(percentEncoded: false)]
                    + files.flatMap { [$0.key, $0.url.path(percentEncoded: false)] },
                inputFiles: files.map(\.url),
                outputFiles: [output]
            )
        ]
    }

    /// Every regular file under `folder` but Swift sources and hidden files, keyed by its path inside the
    /// module's folder.
    static func files(in folder: URL, keyPrefix: String?) throws -> [(key: String, url: URL)] {
        var files: [(key: String, url: URL)] = []
        let contents = try FileManager.default.contentsOfDirectory(
            at: folder, includingPropertiesForKeys: [.isDirectoryKey, .isRegularFileKey])
        for url in contents where !url.lastPathComponent.hasPrefix(".") {
            let key = keyPrefix.map { $0 + "/" + url.lastPathComponent } ?? url.lastPathComponent
            let values = try url.resourceValues(forKeys: [.isDirectoryKey, .isRegularFileKey])
            if values.isDirectory == true {
                files += try Self.files(in: url, keyPrefix: key)
            } else if values.isRegularFile == true, url.pathExtension != "swift" {
                files.append((key, url))
            }
        }
        return files
    }
}
