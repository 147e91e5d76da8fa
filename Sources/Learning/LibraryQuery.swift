import Foundation
import Gateway
import Hummingbird
import ReferenceData
import Vocabulary

/// What a library search asks: words and filters, read from `GET /api/v1/library/lessons`' query or the
/// library page's form; each bad filter is named (422), while words are only cleaned.
struct LibraryQuery: Sendable, Equatable {
    /// The most words a search uses, and the longest word; the rest is dropped, not refused.
    static let maximumWords = 8
    static let maximumWordLength = 40

    var words: [String] = []
    var theme: String?
    var sdgTarget: String?
    var policyDomain: String?
    var country: String?
    var side: LessonSide?

    /// The words of `text`: runs of letters and digits, in any script, at most ``maximumWords`` of at most
    /// ``maximumWordLength`` characters; punctuation separates words and never reaches the query.
    static func words(_ text: String) -> [String] {
        let words = text.split(whereSeparator: { !($0.isLetter || $0.isNumber) })
            .filter { $0.count <= maximumWordLength }
            .map(String.init)
        return Array(words.prefix(maximumWords))
    }

    /// The search in `parameter` (`q`, `theme`, `sdgTarget`, `policyDomain`, `country`, `side`, each by name);
    /// an empty value is no filter. `domains` are the codes a lesson may be filed under, retired ones included.
    init(_ parameter: (String) -> String?, domains: Set<String>) throws {
        let (query, errors) = Self.read(parameter, domains: domains)
        if !errors.isEmpty { throw Problem.validation(errors) }
        self = query
    }

    /// The search in `parameter`, and what is wrong with its filters (the API's words, by field): the library
    /// page shows what was typed again with its own words beside each field.
    static func read(_ parameter: (String) -> String?, domains: Set<String>) -> (LibraryQuery, [Problem.FieldError]) {
        var query = LibraryQuery()
        let errors = query.read(parameter, domains: domains)
        return (query, errors)
    }

    private mutating func read(_ parameter: (String) -> String?, domains: Set<String>) -> [Problem.FieldError] {
        var errors: [Problem.FieldError] = []
        func value(_ name: String) -> String? {
            parameter(name).map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        words = Self.words(parameter("q") ?? "")
        if let theme = value("theme") {
            if Theme.isValid(theme) {
                self.theme = theme
            } else {
                errors.append(.init(field: "theme", message: "a theme is a lowercase tag such as covid-19"))
            }
        }
        if let target = value("sdgTarget") {
            if SDGCatalogue.target(target) != nil {
                sdgTarget = target
            } else {
                errors.append(.init(field: "sdgTarget", message: "an SDG target such as 16.9"))
            }
        }
        if let domain = value("policyDomain") {
            if domains.contains(domain) {
                policyDomain = domain
            } else {
                errors.append(
                    .init(
                        field: "policyDomain",
                        message: "unknown policy domain; GET /api/v1/policy-domains lists them"))
            }
        }
        if let country = value("country") {
            if Countries.isValid(country) {
                self.country = country
            } else {
                errors.append(.init(field: "country", message: "an ISO 3166-1 alpha-2 code such as BJ"))
            }
        }
        if let side = value("side") {
            if let word = LessonSide(rawValue: side) {
                self.side = word
            } else {
                errors.append(.init(field: "side", message: "one of \(LessonSide.rawValues.joined(separator: ", "))"))
            }
        }
        return errors
    }

    init() {}

    /// Whether anything narrows the search.
    var isEmpty: Bool { self == LibraryQuery() }
}
