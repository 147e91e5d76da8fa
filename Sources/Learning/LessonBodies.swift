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

/// A change to a lesson, as `PATCH /api/v1/lessons/{id}` takes it: every field optional, and the two choices
/// only coordinators make, `shared` (the other municipalities find it in the library) and `published` (it is
/// on the public showcase, with its partnership).
struct LessonChanges: RequestBody {
    static let fields = NewLesson.fields.union(["shared", "published"])
    var title: String?
    var body: String?
    var side: String?
    var themes: [String]?
    var sdgTargets: [String]?
    var policyDomain: String?
    var language: String?
    var shared: Bool?
    var published: Bool?

    func validate() -> [Problem.FieldError] {
        LessonRules.lesson(
            title: title, body: body, side: side, themes: themes, sdgTargets: sdgTargets, policyDomain: policyDomain,
            language: language) + LessonRules.visibility(shared: shared, published: published)
    }

    /// The flags the lesson ends up with: publishing an unshared lesson shares it too, unsharing a published one
    /// unpublishes it too (a published lesson is shared; the database checks it as well).
    func visibility(from current: (shared: Bool, published: Bool)) -> (shared: Bool, published: Bool) {
        var shared = self.shared ?? current.shared
        var published = self.published ?? current.published
        if self.published == true { shared = true }
        if self.shared == false { published = false }
        return (shared, published)
    }
}
