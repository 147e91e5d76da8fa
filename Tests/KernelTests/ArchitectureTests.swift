import Foundation
import TestSupport
import Testing

/// The module rules of DESIGN.md, checked on the source tree: SwiftPM enforces declared dependencies,
/// this catches a dependency declared where it must not be.
@Suite("Architecture")
struct ArchitectureTests {
    static let plugins = ["Partnerships", "Activities", "Notifications", "Reporting"]

    private func imports(inTarget target: String) throws -> [(file: String, module: String)] {
        let folder = TestPaths.root + "/Sources/" + target
        guard let files = FileManager.default.enumerator(atPath: folder) else { return [] }
        var found: [(String, String)] = []
        for case let file as String in files where file.hasSuffix(".swift") {
            let text = try String(contentsOfFile: folder + "/" + file, encoding: .utf8)
            for line in text.split(separator: "\n") {
                let words = line.split(separator: " ")
                guard let index = words.firstIndex(of: "import"), index + 1 < words.count,
                    words[..<index].allSatisfy({
                        ["@testable", "public", "internal", "package", "@_exported"].contains($0)
                    })
                else { continue }
                found.append((target + "/" + file, String(words[index + 1])))
            }
        }
        return found
    }

    private var targets: [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: TestPaths.root + "/Sources")) ?? []
    }

    @Test("only Postgres imports CLibPQ")
    func onlyPostgresTouchesC() throws {
        #expect(targets.contains("Postgres"))
        for target in targets where target != "Postgres" {
            for (file, module) in try imports(inTarget: target) where module == "CLibPQ" {
                Issue.record("\(file) imports CLibPQ: only the Postgres target may")
            }
        }
    }

    @Test("a plugin never imports another plugin, only its Contracts")
    func pluginsImportOnlyContracts() throws {
        for plugin in Self.plugins where targets.contains(plugin) {
            for (file, module) in try imports(inTarget: plugin) where Self.plugins.contains(module) && module != plugin
            {
                Issue.record("\(file) imports the plugin \(module): import \(module)Contracts instead")
            }
        }
        for contracts in targets where contracts.hasSuffix("Contracts") {
            for (file, module) in try imports(inTarget: contracts) where Self.plugins.contains(module) {
                Issue.record("\(file) imports the plugin \(module): a Contracts target holds only events and ids")
            }
        }
    }

    @Test("the kernel and gateway import no plugin")
    func kernelIsPluginFree() throws {
        for target in ["Kernel", "Gateway", "Messaging", "Postgres", "Migrations"] {
            for (file, module) in try imports(inTarget: target) where Self.plugins.contains(module) {
                Issue.record("\(file) imports the plugin \(module)")
            }
        }
    }
}
