import Gateway
import HTTPTypes
import Hummingbird
import Kernel
import ReferenceData
import Vocabulary

/// The reference catalogues every municipality shares: `GET /api/v1/sdgs?lang=nl|en|fr|es`.
public struct CataloguePlugin: Plugin {
    public let id = "catalogue"

    /// Makes the plugin.
    public init() {}

    struct Goal: Encodable {
        var number: Int
        var colour: String
        var shortName: String
        var title: String
        var targets: [Target]
    }

    struct Target: Encodable {
        var code: String
        var text: String
    }

    struct Catalogue: ResponseEncodable {
        var language: String
        var goals: [Goal]
    }

    public func register(into context: inout PluginContext) throws {
        context.routes.get("sdgs") { request, context in
            _ = try context.requireIdentity()
            let language: Language
            if let text = request.queryParameters.get("lang") {
                guard let chosen = Language(rawValue: text) else {
                    throw Problem.validation([.init(field: "lang", message: "must be one of nl, en, fr, es")])
                }
                language = chosen
            } else {
                language = .en
            }
            return Catalogue(language: language.rawValue, goals: Self.goals(in: language))
        }
        context.documentation.add([
            APIOperation(
                .get,
                "/api/v1/sdgs",
                id: "listSDGs",
                summary: "The 17 goals and 169 targets, in one language (Dutch target texts fall back to English).",
                tag: "catalogue",
                parameters: [.query("lang", .string(enumeration: Language.allCases.map(\.rawValue)), "en by default")],
                success: (
                    200,
                    .object(
                        [
                            "language": .string(),
                            "goals": .array(
                                .object(
                                    [
                                        "number": .integer(minimum: 1, maximum: 17),
                                        "colour": .string(pattern: "^#[0-9A-F]{6}$"),
                                        "shortName": .string(), "title": .string(),
                                        "targets": .array(
                                            .object(
                                                ["code": .string(), "text": .string()], required: ["code", "text"])
                                        ),
                                    ],
                                    required: ["number", "colour", "shortName", "title", "targets"]
                                )
                            ),
                        ],
                        required: ["language", "goals"]
                    )
                ),
                problems: [422]
            )
        ])
    }

    static func goals(in language: Language) -> [Goal] {
        SDGCatalogue.goals.map { goal in
            Goal(
                number: goal.number,
                colour: goal.colour,
                shortName: goal.shortName(language),
                title: goal.title(language),
                targets: SDGCatalogue.targets(ofGoal: goal.number).map {
                    Target(code: $0.code, text: $0.text(language))
                }
            )
        }
    }
}
