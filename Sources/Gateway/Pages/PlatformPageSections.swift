import Foundation
import Synchronization

/// Parts that plugins add to `/platform`, the platform administrators' page, which the gateway owns: the
/// Reporting plugin adds the platform report. As ``PartnershipPageSections``: the page cannot ask a plugin
/// itself, so it asks the sections registered here, in `order`, and shows their HTML below its own.
///
/// A section renders with the request's ``Identity`` (a platform administrator's) and transaction, escapes what
/// it renders itself, and answers `nil` to show nothing.
public final class PlatformPageSections: Sendable {
    /// Renders a section of the platform page.
    public typealias Render = @Sendable (_ context: GatewayRequestContext) async throws -> String?

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

    /// Every section's HTML, in order, leaving out those that show nothing.
    public func render(context: GatewayRequestContext) async throws -> [String] {
        var html: [String] = []
        for section in sections.withLock({ $0 }) {
            if let part = try await section.render(context) { html.append(part) }
        }
        return html
    }
}
