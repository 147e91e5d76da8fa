import Foundation
import Gateway
import ReferenceData
import Vocabulary

/// The values a lesson's fields may take, checked alike when it is written and when it changes. Whether a
/// policy domain exists and is open is the database's to say (``LearningService`` asks it); here only its
/// form is checked.
enum LessonRules {
    /// The longest title, as the database allows.
    static let titleLength = 200
    /// The longest text, as the database allows.
    static let bodyLength = 20_000
    /// The most SDG targets one lesson names.
    static let maximumTargets = 10
    /// A policy domain's code, as the database allows.
    static let domainPattern = "^[a-z][a-z0-9_]{1,39}$"
    /// A language code such as `fr` or `fon`.
    static let languagePattern = "^[a-z]{2,3}$"
    /// What a policy domain that is not open for new lessons is told.
    static let unknownDomain = "unknown policy domain; GET /api/v1/policy-domains lists them"

    /// The checks every lesson field gets; `nil` fields are not checked.
    static func lesson(
        title: String?, body: String?, side: String?, themes: [String]?, sdgTargets: [String]?,
        policyDomain: String?, language: String?
    ) -> [Problem.FieldError] {
        FieldCheck.name(title, field: "title", maximum: titleLength) + self.body(body)
            + FieldCheck.oneOf(side, LessonSide.self, field: "side") + self.themes(themes)
            + self.targets(sdgTargets) + self.domain(policyDomain) + self.language(language)
    }

    /// The text: something to say (not only white space), at most ``bodyLength`` characters, no NUL.
    static func body(_ body: String?) -> [Problem.FieldError] {
        guard let body else { return [] }
        if body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            return [.init(field: "body", message: "must be 1 to \(bodyLength) characters")]
        }
        return FieldCheck.text(body, field: "body", maximum: bodyLength)
    }

    /// The activities' rule: at most 20 lowercase tags.
    static func themes(_ themes: [String]?) -> [Problem.FieldError] {
        guard let themes, let problem = Theme.problem(with: themes) else { return [] }
        return [.init(field: "themes", message: problem)]
    }

    /// Known SDG targets such as `16.9`, at most ten, none repeated.
    static func targets(_ codes: [String]?) -> [Problem.FieldError] {
        guard let codes else { return [] }
        let unknown = codes.filter { SDGCatalogue.target($0) == nil }
        if !unknown.isEmpty {
            return [
                .init(
                    field: "sdgTargets", message: "unknown SDG target(s): \(unknown.prefix(5).joined(separator: ", "))")
            ]
        }
        if codes.count > maximumTargets {
            return [.init(field: "sdgTargets", message: "at most \(maximumTargets) targets")]
        }
        if Set(codes).count != codes.count { return [.init(field: "sdgTargets", message: "must not repeat a target")] }
        return []
    }

    /// A code of the form the instance's policy domains have; whether it is one is checked against them.
    static func domain(_ code: String?) -> [Problem.FieldError] {
        guard let code else { return [] }
        let scalars = Array(code.unicodeScalars)
        if (2...40).contains(scalars.count), ("a"..."z").contains(scalars[0]),
            scalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" })
        {
            return []
        }
        return [.init(field: "policyDomain", message: unknownDomain)]
    }

    /// A language code: two or three lowercase letters.
    static func language(_ code: String?) -> [Problem.FieldError] {
        guard let code else { return [] }
        let letters = code.unicodeScalars
        if (2...3).contains(letters.count) && letters.allSatisfy({ ("a"..."z").contains($0) }) { return [] }
        return [.init(field: "language", message: "must be a language code such as fr")]
    }

    /// `{"shared": false, "published": true}`: a published lesson is shared.
    static func visibility(shared: Bool?, published: Bool?) -> [Problem.FieldError] {
        guard shared == false, published == true else { return [] }
        return [.init(field: "published", message: "a published lesson is shared")]
    }
}
