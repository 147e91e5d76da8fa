import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import Postgres
import Vocabulary

/// `PUT /api/v1/platform/policy-domains/{code}`: platform administrators add a policy domain to the instance's
/// list, rename it, change its search words or place, or retire it (never delete it: old lessons keep theirs).
/// Everyone else gets 404, as every platform route answers them.
struct PlatformPolicyDomains: Sendable {
    /// The body: names in the four languages; search words per language; a place in lists; retired or not.
    struct Definition: Gateway.RequestBody {
        var names: [String: String]
        var searchWords: [String: [String]]?
        var position: Int?
        var retired: Bool?

        static let fields: Set<String> = ["names", "searchWords", "position", "retired"]
        static let positions = 1...999
        static let maximumWords = 40

        func validate() -> [Problem.FieldError] {
            var errors: [Problem.FieldError] = []
            for language in Language.allCases {
                let field = "names.\(language.rawValue)"
                guard let name = names[language.rawValue] else {
                    errors.append(.init(field: field, message: "a name in every language: \(Language.choices)"))
                    continue
                }
                errors += FieldCheck.name(name, field: field, maximum: 100)
            }
            for key in names.keys.sorted() where Language(rawValue: key) == nil {
                errors.append(.init(field: "names.\(key)", message: "is not one of \(Language.choices)"))
            }
            for (key, words) in (searchWords ?? [:]).sorted(by: { $0.key < $1.key }) {
                let field = "searchWords.\(key)"
                if Language(rawValue: key) == nil {
                    errors.append(.init(field: field, message: "is not one of \(Language.choices)"))
                } else if words.count > Self.maximumWords {
                    errors.append(.init(field: field, message: "at most \(Self.maximumWords) words"))
                } else if let bad = words.first(where: { !FieldCheck.name($0, field: field, maximum: 60).isEmpty }) {
                    errors += FieldCheck.name(bad, field: field, maximum: 60)
                }
            }
            if let position, !Self.positions.contains(position) {
                errors.append(.init(field: "position", message: "a whole number from 1 to 999"))
            }
            return errors
        }
    }

    /// A policy domain as the platform's administrators define it.
    struct Domain: ResponseEncodable, Sendable {
        var code: String
        var names: [String: String]
        var searchWords: [String: [String]]
        var position: Int
        var retired: Bool
    }

    var routes: RouteCollection<GatewayRequestContext> {
        let routes = RouteCollection(context: GatewayRequestContext.self)
        routes.put("platform/policy-domains/:code") { request, context in try await define(request, context) }
        return routes
    }

    func define(_ request: Request, _ context: GatewayRequestContext) async throws -> Domain {
        guard try context.requireIdentity().role == .platformAdmin else { throw Problem.notFound() }
        let code = context.parameters.get("code") ?? ""
        guard code.wholeMatch(of: /[a-z][a-z0-9_]{1,39}/) != nil else {
            throw Problem.validation([
                .init(field: "code", message: "a code of lowercase letters, digits and _, such as civil_registry")
            ])
        }
        let definition = try await request.decodeBody(Definition.self, context: context)
        let connection = try context.requireConnection()
        let encoder = LowercaseUUIDJSONEncoder()
        let names = String(decoding: try encoder.encode(definition.names), as: UTF8.self)
        let words = try definition.searchWords.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        try await connection.query(
            """
            SELECT learning.define_policy_domain(\(code), \(names)::jsonb, \(words)::jsonb,
                \(definition.position)::smallint, \(definition.retired ?? false))
            """)
        let row = try await connection.query(
            """
            SELECT names::text, search_words::text, position, retired_at IS NOT NULL
            FROM learning.policy_domains WHERE code = \(code)
            """)[0]
        let decoder = JSONDecoder()
        return Domain(
            code: code,
            names: try decoder.decode([String: String].self, from: Data(try row.decode(String.self, column: 0).utf8)),
            searchWords: try decoder.decode(
                [String: [String]].self, from: Data(try row.decode(String.self, column: 1).utf8)),
            position: try row.decode(Int.self, column: 2), retired: try row.decode(Bool.self, column: 3))
    }

    static func register(in documentation: APIDocumentation) {
        let names = JSONSchema.object(
            Dictionary(uniqueKeysWithValues: Language.allCases.map { ($0.rawValue, JSONSchema.name(maximum: 100)) }),
            required: Language.allCases.map(\.rawValue))
        let words = JSONSchema.object(
            Dictionary(
                uniqueKeysWithValues: Language.allCases.map {
                    ($0.rawValue, JSONSchema.array(.name(maximum: 60), maxItems: Definition.maximumWords))
                }))
        documentation.add([
            APIOperation(
                .put, "/api/v1/platform/policy-domains/{code}", id: "definePolicyDomain",
                summary:
                    "Add, rename, reword or retire one of the instance's policy domains (platform administrators); "
                    + "a domain is never deleted. Its names and search words in four languages are how a search in "
                    + "one language finds lessons written in another.",
                tag: "learning",
                parameters: [
                    .path("code", .string(pattern: "^[a-z][a-z0-9_]{1,39}$"), "the domain's code, such as water")
                ],
                requestBody: .object(
                    [
                        "names": names, "searchWords": words, "position": .integer(minimum: 1, maximum: 999),
                        "retired": .boolean,
                    ], required: ["names"]),
                success: (
                    200,
                    .object(
                        [
                            "code": .string(), "names": names, "searchWords": words, "position": .integer(),
                            "retired": .boolean,
                        ], required: ["code", "names", "searchWords", "position", "retired"])
                ),
                problems: [404, 422])
        ])
    }
}
