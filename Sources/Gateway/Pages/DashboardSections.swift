import Foundation
import Postgres
import Synchronization
import Vocabulary

/// What other plugins add to the dashboard (`/`), which the Partnerships plugin owns. Plugins never import each
/// other, so the dashboard asks the parts registered here, as the partnership page asks
/// ``PartnershipPageSections``:
///
/// - `latest`: a line or two per partnership under its name (the Activities plugin: its latest activity and
///   update), for the partnerships the dashboard lists;
/// - `changes`: what happened in the person's partnerships since their previous visit (the Activities plugin:
///   activities recorded or changed, updates posted), merged with the dashboard's own (partnerships and members),
///   newest first;
/// - `sections`: whole sections below the list (the Reporting plugin: the municipality's SDG chart).
///
/// Every part renders with the request's ``Identity`` and transaction (the same scope as the page), escapes what
/// it renders itself, and reads with one statement, so the dashboard stays fast however many plugins add to it.
public final class DashboardSections: Sendable {
    /// A change to show under "since your last visit".
    public struct Change: Sendable {
        /// When it happened.
        public var at: Date
        /// The partnership it belongs to (the dashboard names it).
        public var partnership: UUID
        /// What happened, as HTML (escaped by whoever made it).
        public var html: String

        /// A change of `partnership` at `at`, told by `html`.
        public init(at: Date, partnership: UUID, html: String) {
            self.at = at
            self.partnership = partnership
            self.html = html
        }
    }

    /// Who reads the dashboard, as the parts write for them: their page's language and their time zone.
    public struct Viewer: Sendable {
        /// The page's language.
        public let language: Language
        /// The person's time zone.
        public let timeZone: TimeZone

        /// How ``instant(_:)`` writes, made once per reader rather than once per moment.
        private let style: Date.FormatStyle

        /// A reader of `language` in `timeZone`.
        public init(language: Language, timeZone: TimeZone) {
            self.language = language
            self.timeZone = timeZone
            self.style = Date.FormatStyle(
                date: .long, time: .shortened, locale: Locale(identifier: language.rawValue), timeZone: timeZone)
        }

        /// A moment as this reader writes it ("4 december 2026 om 14:05").
        public func instant(_ date: Date) -> String {
            style.format(date)
        }
    }

    /// Lines of HTML per partnership, for the partnerships `ids` (those the dashboard lists).
    public typealias Latest =
        @Sendable (_ ids: [UUID], _ viewer: Viewer, _ context: GatewayRequestContext) async throws -> [UUID: [String]]
    /// The newest `limit` changes after `since` (all, newest first, when there was no earlier visit).
    public typealias Changes =
        @Sendable (_ since: Date?, _ limit: Int, _ viewer: Viewer, _ context: GatewayRequestContext) async throws ->
        [Change]
    /// A section of the page; `nil` shows nothing.
    public typealias Render = @Sendable (_ viewer: Viewer, _ context: GatewayRequestContext) async throws -> String?

    private struct Parts {
        var latest: [(order: Int, render: Latest)] = []
        var changes: [Changes] = []
        var sections: [(order: Int, render: Render)] = []
    }

    private let parts = Mutex(Parts())

    /// Nothing registered.
    public init() {}

    /// Adds lines under each partnership; lower `order` comes first.
    public func addLatest(order: Int, _ render: @escaping Latest) {
        parts.withLock { parts in
            parts.latest.append((order, render))
            parts.latest.sort { $0.order < $1.order }
        }
    }

    /// Adds a source of changes.
    public func addChanges(_ changes: @escaping Changes) {
        parts.withLock { $0.changes.append(changes) }
    }

    /// Adds a section below the partnerships; lower `order` comes first.
    public func add(order: Int, _ render: @escaping Render) {
        parts.withLock { parts in
            parts.sections.append((order, render))
            parts.sections.sort { $0.order < $1.order }
        }
    }

    /// Every part's lines for the partnerships `ids`, in order.
    public func latest(for ids: [UUID], viewer: Viewer, context: GatewayRequestContext) async throws -> [UUID: [String]]
    {
        var lines: [UUID: [String]] = [:]
        for part in parts.withLock({ $0.latest }) where !ids.isEmpty {
            for (id, more) in try await part.render(ids, viewer, context) { lines[id, default: []] += more }
        }
        return lines
    }

    /// The newest `limit` changes after `since` of every source, and `own` (the dashboard's), newest first.
    public func changes(
        since: Date?, limit: Int, own: [Change], viewer: Viewer, context: GatewayRequestContext
    ) async throws
        -> [Change]
    {
        var all = own
        for source in parts.withLock({ $0.changes }) { all += try await source(since, limit, viewer, context) }
        return Array(all.sorted { $0.at > $1.at }.prefix(limit))
    }

    /// Every section's HTML, in order, leaving out those that show nothing.
    public func render(viewer: Viewer, context: GatewayRequestContext) async throws -> [String] {
        var html: [String] = []
        for section in parts.withLock({ $0.sections }) {
            if let part = try await section.render(viewer, context) { html.append(part) }
        }
        return html
    }

    /// When the signed-in person last used stedenband before this session: the last use of their most recent
    /// other session (ended or not), or `nil` when this is their first. "What changed since your last visit"
    /// starts there, so it needs no write on a `GET` and stays put while the person reads (it moves on at their
    /// next sign-in). Read in the request's transaction: row-level security keeps it to their municipality.
    public static func previousVisit(_ context: GatewayRequestContext) async throws -> Date? {
        guard let session = context.page?.person?.sessionID, let user = context.identity?.userID else { return nil }
        let rows = try await context.requireConnection().query(
            """
            SELECT max(s.last_seen_at) FROM platform.sessions s
            WHERE s.user_id = \(user) AND s.id <> \(session)
            """
        )
        return try rows.first?.decode(Date?.self, column: 0)
    }
}
