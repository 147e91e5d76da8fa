import ActivitiesContracts
import Foundation
import Gateway
import NIOCore
import ReferenceData
import Vocabulary

/// An activity's form as a person filled it in, every field as typed, under the JSON API's field names
/// (`title`, `startsOn`, `sdgTargets`, `budget.planned`, …): what a page shows again after a refusal, and
/// what becomes the service's ``NewActivity`` or ``ActivityChanges``.
struct ActivityForm: Sendable, Equatable {
    var title = ""
    var description = ""
    var kind = ActivityKind.knowledgeExchange.rawValue
    var status = ActivityStatus.planned.rawValue
    var direction = LearningDirection.mutual.rawValue
    var startsOn = ""
    var endsOn = ""
    var sdgTargets: [String] = []
    var themes = ""
    var planned = ""
    var spent = ""
    var currency = "EUR"
    /// The version the form was opened at (edit forms only).
    var version = ""

    /// An empty form.
    init() {}

    /// The form of a stored activity.
    init(_ record: ActivityRecord) {
        title = record.title
        description = record.description
        kind = record.kind.rawValue
        status = record.status.rawValue
        direction = record.direction.rawValue
        startsOn = record.startsOn?.description ?? ""
        endsOn = record.endsOn?.description ?? ""
        sdgTargets = record.sdgTargets
        themes = record.themes.joined(separator: ", ")
        planned = record.budget?.planned.description ?? ""
        spent = record.budget?.spent.description ?? ""
        currency = record.budget?.currency.rawValue ?? "EUR"
        version = "\(record.version)"
    }

    /// The form as posted: each field's last value; every checked `sdgTargets` box.
    init(_ fields: [(name: String, value: String)]) {
        func value(_ name: String) -> String? { fields.last { $0.name == name }?.value }
        title = value("title") ?? ""
        description = value("description") ?? ""
        kind = value("kind") ?? ""
        status = value("status") ?? ""
        direction = value("direction") ?? ""
        startsOn = value("startsOn") ?? ""
        endsOn = value("endsOn") ?? ""
        sdgTargets = fields.filter { $0.name == "sdgTargets" }.map(\.value)
        themes = value("themes") ?? ""
        planned = value("budget.planned") ?? ""
        spent = value("budget.spent") ?? ""
        currency = value("budget.currency") ?? ""
        version = value("version") ?? ""
    }

    /// Reads a posted form body (`application/x-www-form-urlencoded`), keeping repeated fields.
    static func fields(_ body: ByteBuffer) -> [(name: String, value: String)] {
        String(buffer: body).split(separator: "&", omittingEmptySubsequences: true).compactMap { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decoded(_ part: Substring) -> String? {
                part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
            }
            guard let name = parts.first.flatMap(decoded) else { return nil }
            return (name, parts.count > 1 ? decoded(parts[1]) ?? "" : "")
        }
    }

    // MARK: To the service

    private static func trimmed(_ text: String) -> String { text.trimmingCharacters(in: .whitespacesAndNewlines) }

    /// A typed date, `nil` when left empty; an error when it is not a date.
    private static func date(_ text: String, field: String, _ errors: inout [Problem.FieldError]) -> CalendarDate? {
        let text = trimmed(text)
        if text.isEmpty { return nil }
        guard let date = CalendarDate(text) else {
            errors.append(.init(field: field, message: "must be a date such as 2020-04-01"))
            return nil
        }
        return date
    }

    /// The checked targets in the catalogue's order (goal by goal), unknown codes last, for the service to refuse.
    var orderedTargets: [String] {
        let chosen = Set(sdgTargets)
        let known = SDGCatalogue.targets.map(\.code).filter(chosen.contains)
        return known + sdgTargets.filter { SDGCatalogue.target($0) == nil }
    }

    /// The themes: comma-separated tags, blanks left out.
    var themeList: [String] {
        themes.split(separator: ",").map { Self.trimmed(String($0)) }.filter { !$0.isEmpty }
    }

    /// The budget, or `nil` when neither amount was filled in.
    var budget: BudgetInput? {
        let planned = Self.trimmed(planned)
        let spent = Self.trimmed(spent)
        if planned.isEmpty && spent.isEmpty { return nil }
        return BudgetInput(
            planned: planned, spent: spent.isEmpty ? nil : spent, currency: Self.trimmed(currency).uppercased())
    }

    /// The activity to record, and what cannot even be read (a date that is not one).
    func newActivity() -> (NewActivity, [Problem.FieldError]) {
        var errors: [Problem.FieldError] = []
        let starts = Self.date(startsOn, field: "startsOn", &errors)
        let ends = Self.date(endsOn, field: "endsOn", &errors)
        let activity = NewActivity(
            title: Self.trimmed(title), description: description.isEmpty ? nil : description, kind: kind,
            status: status.isEmpty ? nil : status, startsOn: starts, endsOn: ends, direction: direction,
            sdgTargets: orderedTargets, themes: themeList, budget: budget, fundingSource: nil, participants: nil,
            results: nil)
        return (activity, errors)
    }

    /// The change to every field the form shows (an emptied date or budget is cleared), and what cannot be read.
    func changes() -> (ActivityChanges, [Problem.FieldError]) {
        var errors: [Problem.FieldError] = []
        let starts = Self.date(startsOn, field: "startsOn", &errors)
        let ends = Self.date(endsOn, field: "endsOn", &errors)
        let changes = ActivityChanges(
            title: Self.trimmed(title), description: description, kind: kind, status: status,
            startsOn: starts.map { .set($0) } ?? .cleared, endsOn: ends.map { .set($0) } ?? .cleared,
            direction: direction, sdgTargets: orderedTargets, themes: themeList,
            budget: budget.map { .set($0) } ?? .cleared, fundingSource: .absent, participants: .absent,
            results: nil)
        return (changes, errors)
    }
}
