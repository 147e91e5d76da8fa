import ActivitiesContracts
import Foundation
import Vocabulary

/// A digest ready to render: the changes of one window in a user's partnerships, grouped by partnership,
/// then by activity, newest first, in the user's language and time zone.
struct Digest: Codable, Sendable, Equatable {
    struct Line: Codable, Sendable, Equatable {
        var text: String
        /// When it happened, on the recipient's clock.
        var time: String
    }

    /// The changes of one activity, or of the partnership itself (no activity title).
    struct Group: Codable, Sendable, Equatable {
        var activity: String?
        var lines: [Line]
        /// The activity's page (`{PUBLIC_URL}/activities/{id}`); `nil` for the partnership's own changes.
        var link: String? = nil
    }

    struct Section: Codable, Sendable, Equatable {
        var partnershipId: UUID
        var title: String
        /// The number of changes of each kind: "2 activities recorded, 1 progress update".
        var summary: String
        var groups: [Group]
        /// "and 5 more" when more than ``Digest/maximumLinesPerPartnership`` changes happened.
        var more: String?
        /// The partnership's page: `{PUBLIC_URL}/partnerships/{id}`.
        var link: String
    }

    /// A partnership shows at most this many changes; the rest are counted and linked.
    static let maximumLinesPerPartnership = 10

    var locale: String
    var subject: String
    var greeting: String
    var intro: String
    var sections: [Section]
    /// All changes, shown or counted.
    var itemCount: Int
    var footer: String
    var settingsLabel: String
    var settingsLink: String
    var unsubscribeLabel: String
    var unsubscribeLink: String?
}

/// One inbox row as the builder reads it.
struct DigestEntry: Sendable {
    var partnershipID: UUID
    var activityID: UUID?
    var occurredAt: Date
    var item: InboxItem
}

/// Turns inbox entries into a ``Digest``.
struct DigestBuilder: Sendable {
    var locale: String
    var timeZone: TimeZone
    var recipientName: String
    var tenantName: String
    /// The server's public address, for links: `https://stedenband.example.org`.
    var publicURL: String
    /// Names of the members that joined or left, by id.
    var memberNames: [UUID: String] = [:]

    func build(_ entries: [DigestEntry], window: Range<Date>, unsubscribeLink: String?) -> Digest {
        let strings = DigestStrings.of(locale)
        let newestFirst = entries.sorted { $0.occurredAt > $1.occurredAt }
        // Partnerships in the order of their latest change.
        var order: [UUID] = []
        var byPartnership: [UUID: [DigestEntry]] = [:]
        for entry in newestFirst {
            if byPartnership[entry.partnershipID] == nil { order.append(entry.partnershipID) }
            byPartnership[entry.partnershipID, default: []].append(entry)
        }
        let sections = order.map { partnership in
            section(partnership, byPartnership[partnership] ?? [], strings: strings)
        }
        let titles = sections.map(\.title).formatted(.list(type: .and).locale(strings.formattingLocale))
        return Digest(
            locale: locale,
            subject: strings.subject(entries.count, titles),
            greeting: strings.greeting(recipientName),
            intro: strings.intro(format(window.lowerBound, strings), format(window.upperBound, strings)),
            sections: sections,
            itemCount: entries.count,
            footer: strings.footer(tenantName),
            settingsLabel: strings.settings,
            settingsLink: "\(publicURL)/settings#notifications",
            unsubscribeLabel: strings.unsubscribe,
            unsubscribeLink: unsubscribeLink
        )
    }

    private func section(_ partnership: UUID, _ entries: [DigestEntry], strings: DigestStrings) -> Digest.Section {
        var counts: [String: Int] = [:]
        var kinds: [String] = []
        for entry in entries {
            if counts[entry.item.kind] == nil { kinds.append(entry.item.kind) }
            counts[entry.item.kind, default: 0] += 1
        }
        let shown = entries.prefix(Digest.maximumLinesPerPartnership)
        // Groups in the order of their latest change.
        var groups: [Digest.Group] = []
        var groupIndex: [UUID?: Int] = [:]
        for entry in shown {
            let line = Digest.Line(
                text: strings.line(entry.item, { money($0, strings) }, { memberNames[$0 ?? UUID()] ?? "—" }),
                time: format(entry.occurredAt, strings))
            if let index = groupIndex[entry.activityID] {
                groups[index].lines.append(line)
            } else {
                groupIndex[entry.activityID] = groups.count
                groups.append(
                    Digest.Group(
                        activity: entry.activityID == nil ? nil : entry.item.activityTitle, lines: [line],
                        link: entry.activityID.map { "\(publicURL)/activities/\($0.uuidString.lowercased())" }))
            }
        }
        // The partnership's own changes first, under its title; then each activity's under the activity's.
        groups.sort { $0.activity == nil && $1.activity != nil }
        let hidden = entries.count - shown.count
        return Digest.Section(
            partnershipId: partnership,
            title: entries.first?.item.partnershipTitle ?? "",
            summary: kinds.map { strings.count($0, counts[$0] ?? 0) }.joined(separator: ", "),
            groups: groups,
            more: hidden > 0 ? strings.more(hidden) : nil,
            link: "\(publicURL)/partnerships/\(partnership.uuidString.lowercased())"
        )
    }

    private func format(_ date: Date, _ strings: DigestStrings) -> String {
        date.formatted(
            Date.FormatStyle(date: .long, time: .shortened, locale: strings.formattingLocale, timeZone: timeZone))
    }

    /// Money in the recipient's conventions, never through a float: `€ 12.500,00` in Dutch.
    private func money(_ budget: Budget, _ strings: DigestStrings) -> String {
        guard let amount = Decimal(string: budget.planned.description, locale: Locale(identifier: "en_US_POSIX")) else {
            return "\(budget.planned) \(budget.currency)"
        }
        return amount.formatted(.currency(code: budget.currency.rawValue).locale(strings.formattingLocale))
    }
}
