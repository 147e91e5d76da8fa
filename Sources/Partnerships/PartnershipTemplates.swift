import Foundation
import Gateway
import Mustache
import ReferenceData
import Vocabulary

/// The Partnerships plugin's page templates (`Templates/*.mustache`, loaded once), and how its pages name
/// countries, dates and choices in the page's language.
struct PartnershipTemplates: Sendable {
    let library: MustacheLibrary

    static let names = ["partnership", "partnerships", "partnership-form", "members", "form-errors", "field-head"]

    init() throws {
        var library = MustacheLibrary()
        for name in Self.names {
            guard let text = EmbeddedFiles.text("Templates/\(name).mustache") else { throw TemplateMissing(name: name) }
            try library.register(text, named: name)
        }
        self.library = library
    }

    struct TemplateMissing: Error, CustomStringConvertible {
        var name: String
        var description: String { "Templates/\(name).mustache is not embedded in the Partnerships module" }
    }

    /// `template` rendered with `object`.
    func render(_ object: [String: Any], _ template: String) -> String {
        library.render(object, withTemplate: template) ?? ""
    }

    /// What every template of the plugin reads: its words (`{{words.title}}`) and the form's CSRF token.
    func base(_ context: GatewayRequestContext, words: PartnershipPageWords) -> [String: Any] {
        // `words` are the page's language's (every caller reads them so), as templates read them, made once.
        [
            "words": PartnershipPageWords.templates[context.page?.language ?? .fallback],
            "csrf": context.page?.csrfToken ?? "",
        ]
    }

    /// The error summary's values (`form-errors`): each refused field once, in the order of the form's fields
    /// (`order`; others after them), so the summary reads as the form does.
    func errorSummary(_ errors: [PartnershipForm.FieldError], words: PartnershipPageWords, order: [String] = [])
        -> [String: Any]
    {
        guard !errors.isEmpty else { return [:] }
        var seen: Set<String> = []
        let rank = { (field: String) in order.firstIndex(of: field) ?? order.count }
        let sorted = errors.enumerated().sorted {
            (rank($0.element.field), $0.offset) < (rank($1.element.field), $1.offset)
        }
        let items = sorted.map(\.element).filter { seen.insert($0.field).inserted }.map { error -> [String: Any] in
            ["field": error.field, "message": words.message(error)]
        }
        return ["errorSummary": ["title": words.errorSummary, "items": items] as [String: Any]]
    }

    /// A select's options, `selected` marked.
    static func options(_ choices: [(value: String, name: String)], selected: String?) -> [[String: Any]] {
        choices.map { ["code": $0.value, "name": $0.name, "selected": $0.value == selected] }
    }

    /// Every country, by its name in `language`, sorted by that name.
    static func countries(_ language: Language) -> [(value: String, name: String)] {
        let locale = Locale(identifier: language.rawValue)
        return Countries.codes.map { ($0, countryName($0, language)) }
            .sorted { $0.name.compare($1.name, locale: locale) == .orderedAscending }
    }

    /// A country's name in `language`, else in English, else its code.
    static func countryName(_ code: String, _ language: Language) -> String {
        Locale(identifier: language.rawValue).localizedString(forRegionCode: code) ?? Countries.name(code) ?? code
    }

    /// A day as people of `language` write it ("4 december 2026", "December 4, 2026").
    static func format(_ date: CalendarDate, _ language: Language) -> String {
        let day = Date(timeIntervalSince1970: TimeInterval(date.daysSinceEpoch) * 86_400)
        return day.formatted(
            Date.FormatStyle(date: .long, time: .omitted, locale: Locale(identifier: language.rawValue), timeZone: .gmt)
        )
    }

    /// An id as the pages' addresses write it.
    static func text(_ id: UUID) -> String { id.uuidString.lowercased() }
}
