import Foundation
import Synchronization

/// Parts that other plugins add to a page of one record that another plugin owns: a partnership's page
/// (`/partnerships/{id}`, the Partnerships plugin's), where the Activities plugin adds the partnership's activities
/// and the timeline of their updates, and an activity's (`/activities/{id}`, the Activities plugin's), where the
/// Results plugin adds its results and indicators. Plugins talk only through events and the gateway, so the page
/// cannot ask another plugin itself; it asks the sections registered here, in `order`, and shows their HTML
/// below its own.
///
/// A section renders with the request's ``Identity`` and transaction (the same scope as the page), escapes
/// what it renders itself, and answers `nil` to show nothing.
public final class RecordPageSections: Sendable {
    /// Renders a section of the page of the record `id`.
    public typealias Render = @Sendable (_ id: UUID, _ context: GatewayRequestContext) async throws -> String?

    private let sections = Mutex<[(order: Int, render: Render)]>([])

    /// No sections.
    public init() {}

    /// Adds a section; lower `order` comes first.
    public func add(order: Int, _ render: @escaping Render) {
        sections.withLock { sections in
            sections.append((order, render))
            sections.sort { $0.order < $1.order }
        }
    }

    /// Every section's HTML for the page of the record `id`, in order, leaving out those that show nothing.
    public func render(_ id: UUID, context: GatewayRequestContext) async throws -> [String] {
        var html: [String] = []
        for section in sections.withLock({ $0 }) {
            if let part = try await section.render(id, context) { html.append(part) }
        }
        return html
    }
}

/// The sections of a partnership's page.
public typealias PartnershipPageSections = RecordPageSections
