import Foundation
import Hummingbird
import Synchronization

/// Parts that plugins add to a page the gateway or another plugin owns: `/settings` (the Notifications plugin adds
/// the digest settings), `/admin/municipality` (the municipality's digest defaults) and `/import` (the Activities
/// plugin's page; the Results plugin adds its upload). Plugins do not import each other or the gateway's page
/// handlers, so a plugin registers a renderer here and the page shows each section's HTML below its own forms, in
/// `order`. One registry per page (``Pages/settingsSections``, ``Pages/municipalitySections``,
/// ``Pages/importSections``); the page's owner installs how the page is rendered again (``install(_:)``).
///
/// A section posts its own form to a route of its plugin (`/settings/notifications`,
/// `/admin/municipality/notifications`), which answers 303 to the page after a save, or
/// ``refuse(section:html:errors:context:)`` when the form had errors: the whole page again, that section
/// rendered with its messages beside the fields and the error summary at the top, 422.
public final class PageSections: Sendable {
    /// Renders a section of the page; `nil` shows nothing.
    public typealias Render = @Sendable (_ context: GatewayRequestContext) async throws -> String?

    /// A message for the error summary: the `id` of the field it is about, and the message.
    public struct FieldError: Sendable, Equatable {
        /// The `id` of the field, which the summary links to.
        public var field: String
        /// The message, in the person's language.
        public var message: String

        /// A message about `field`.
        public init(field: String, message: String) {
            self.field = field
            self.message = message
        }
    }

    /// What the page is asked to show in place of one section.
    public struct Replacement: Sendable {
        /// The section's `id`.
        public var section: String
        /// The section's HTML with its messages.
        public var html: String
        /// The messages for the error summary at the top of the page.
        public var errors: [FieldError]
    }

    /// Renders the whole page with a replacement, installed by the page that owns the registry.
    public typealias Page =
        @Sendable (_ replacement: Replacement, _ context: GatewayRequestContext) async throws -> Response

    private let sections = Mutex<[(id: String, order: Int, render: Render)]>([])
    private let page = Mutex<Page?>(nil)

    /// No sections.
    public init() {}

    /// Adds the section `id`; lower `order` comes first.
    public func add(id: String, order: Int, _ render: @escaping Render) {
        sections.withLock { sections in
            sections.append((id, order, render))
            sections.sort { $0.order < $1.order }
        }
    }

    /// The page again with the section `id` shown as `html` (its form, with what the person typed and each
    /// message beside its field) and `errors` in the error summary; status 422.
    public func refuse(
        section id: String, html: String, errors: [FieldError], context: GatewayRequestContext
    ) async throws -> Response {
        guard let page = page.withLock({ $0 }) else { throw Problem.notFound() }
        return try await page(Replacement(section: id, html: html, errors: errors), context)
    }

    /// The page again with the section `id` shown as `html` and no errors: a confirmation after the section's
    /// form was sent (`/import` answers it 200; the pages whose sections save and redirect never ask for it).
    public func show(section id: String, html: String, context: GatewayRequestContext) async throws -> Response {
        try await refuse(section: id, html: html, errors: [], context: context)
    }

    /// How the page that owns the registry renders itself with a replacement: installed once, by that page.
    public func install(_ render: @escaping Page) {
        page.withLock { $0 = render }
    }

    /// Every section's HTML, in order, the one `replacement` names shown as it says.
    public func render(context: GatewayRequestContext, replacement: Replacement? = nil) async throws -> [String] {
        var html: [String] = []
        for section in sections.withLock({ $0 }) {
            if let replacement, replacement.section == section.id {
                html.append(replacement.html)
            } else if let part = try await section.render(context) {
                html.append(part)
            }
        }
        return html
    }
}

/// The sections of the person's settings page: the same type as every page's sections.
public typealias SettingsPageSections = PageSections
