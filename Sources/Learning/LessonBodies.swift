import Foundation
import Gateway
import Vocabulary

/// A new lesson, as `POST /api/v1/activities/{id}/lessons` takes it and ``LearningService`` writes it.
public struct NewLesson: RequestBody {
    public static let fields: Set<String> = [
        "title", "body", "side", "themes", "sdgTargets", "policyDomain", "language",
    ]
    var title: String
    var body: String
    var side: String
    var themes: [String]?
    var sdgTargets: [String]?
    var policyDomain: String
    var language: String

    /// A lesson for callers in Swift (the demo, tests).
    public init(
        title: String, body: String, side: LessonSide, themes: [String]? = nil, sdgTargets: [String]? = nil,
        policyDomain: String, language: String
    ) {
        self.title = title
        self.body = body
        self.side = side.rawValue
        self.themes = themes
        self.sdgTargets = sdgTargets
        self.policyDomain = policyDomain
        self.language = language
    }

    public func validate() -> [Problem.FieldError] {
        LessonRules.lesson(
            title: title, body: body, side: side, themes: themes, sdgTargets: sdgTargets, policyDomain: policyDomain,
            language: language)
    }

    /// The side, once checked.
    var checkedSide: LessonSide { LessonSide(rawValue: side) ?? .flemishMunicipality }
}

/// A change to a lesson, as `PATCH /api/v1/lessons/{id}` takes it: every field optional.
struct LessonChanges: RequestBody {
    static let fields = NewLesson.fields
    var title: String?
    var body: String?
    var side: String?
    var themes: [String]?
    var sdgTargets: [String]?
    var policyDomain: String?
    var language: String?

    func validate() -> [Problem.FieldError] {
        LessonRules.lesson(
            title: title, body: body, side: side, themes: themes, sdgTargets: sdgTargets, policyDomain: policyDomain,
            language: language)
    }
}
