import Foundation
import Gateway
import Mustache

/// The report's templates, shipped in `Templates/` (swift-mustache, as the digests), and the policy its
/// printable page is served with.
struct ReportTemplates: Sendable {
    /// `report.html.mustache`: the printable page (`?format=html`), a whole document around the sections.
    let page: MustacheTemplate
    /// `report-sections.mustache`: the charts and tables, on the printable page and on `/reports`.
    let sections: MustacheTemplate
    /// `reports.mustache`: the `/reports` page's own part (filters, figures, downloads) inside the layout.
    let reports: MustacheTemplate
    /// `results-report.html.mustache`: the results report's printable page (`/api/v1/reports/results?format=html`).
    let results: MustacheTemplate
    /// `examples-report.html.mustache`: the platform's annex of examples (`/api/v1/platform/reports/examples?format=html`).
    let examples: MustacheTemplate
    /// The policy the printable page is served with, and carries in its `<meta>` for when it is saved and
    /// reopened: the pages' own (styles only from this server's stylesheet, `/assets/stedenband.css`, where
    /// the report's rules are), so no hash of an inline `<style>` is needed.
    let policy = PageSecurityPolicy.pages

    /// The content type of the templates' `{{% CONTENT_TYPE: REPORT_HTML}}`: text escaped by the gateway's
    /// `HTML.escape`, as every page of the server (swift-mustache's own HTML type also escapes `'`).
    struct GatewayHTML: MustacheContentType {
        static let name = "REPORT_HTML"
        func escapeText(_ text: String) -> String { HTML.escape(text) }
    }

    /// Loads the templates shipped with the plugin.
    init() throws {
        MustacheContentTypes.register(GatewayHTML(), named: GatewayHTML.name)
        page = try Self.load("report.html")
        sections = try Self.load("report-sections")
        reports = try Self.load("reports")
        results = try Self.load("results-report.html")
        examples = try Self.load("examples-report.html")
    }

    private static func load(_ name: String) throws -> MustacheTemplate {
        guard let text = EmbeddedFiles.text("Templates/\(name).mustache") else { throw TemplateMissing(name: name) }
        return try MustacheTemplate(string: text)
    }

    struct TemplateMissing: Error, CustomStringConvertible {
        var name: String
        var description: String { "\(name).mustache is not embedded in the Reporting module" }
    }
}
