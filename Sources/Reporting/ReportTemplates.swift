import Foundation
import Gateway
import Mustache

/// The report page's template, shipped in `Templates/` (swift-mustache, as the digests), and the policy it is
/// served with.
struct ReportTemplates: Sendable {
    /// `report.html.mustache`.
    let page: MustacheTemplate
    /// The page's one stylesheet: the text between the template's `<style>` and `</style>`, inline so that the
    /// page stays one file; its hash is all the page's policy allows, and colours that vary (the swatches) are
    /// SVG fills, which a policy does not govern.
    let stylesheet: String
    /// The policy the page is served with, and carries in its `<meta>` for when it is saved and reopened.
    let policy: PageSecurityPolicy

    /// The content type of the template's `{{% CONTENT_TYPE: REPORT_HTML}}`: text escaped by the gateway's
    /// `HTML.escape`, as every page of the server (swift-mustache's own HTML type also escapes `'`).
    struct GatewayHTML: MustacheContentType {
        static let name = "REPORT_HTML"
        func escapeText(_ text: String) -> String { HTML.escape(text) }
    }

    /// Loads the template shipped with the plugin.
    init() throws {
        guard
            let url = Bundle.module.url(
                forResource: "report.html", withExtension: "mustache", subdirectory: "Templates")
        else { throw TemplateMissing(name: "report.html") }
        let source = try String(contentsOf: url, encoding: .utf8)
        guard let style = source.firstMatch(of: #/<style>([^<]*)</style>/#) else {
            throw TemplateMissing(name: "the <style> of report.html")
        }
        MustacheContentTypes.register(GatewayHTML(), named: GatewayHTML.name)
        page = try MustacheTemplate(string: source)
        stylesheet = String(style.output.1)
        policy = PageSecurityPolicy(styles: [stylesheet])
    }

    struct TemplateMissing: Error, CustomStringConvertible {
        var name: String
        var description: String { "\(name).mustache is missing from the Reporting resources" }
    }
}
