import Foundation
import HTTPTypes
import Synchronization

/// One operation of the API: what `/openapi.json` says about a route.
public struct APIOperation: Sendable {
    /// A path parameter, query parameter or header.
    public struct Parameter: Sendable {
        public var name: String
        public var location: String
        public var required: Bool
        public var schema: JSONSchema
        public var description: String

        /// A `{name}` in the path.
        public static func path(_ name: String, _ schema: JSONSchema = .string(format: "uuid"), _ description: String)
            -> Parameter
        {
            Parameter(name: name, location: "path", required: true, schema: schema, description: description)
        }

        /// A `?name=` in the query.
        public static func query(_ name: String, _ schema: JSONSchema, _ description: String) -> Parameter {
            Parameter(name: name, location: "query", required: false, schema: schema, description: description)
        }

        /// A request header.
        public static func header(_ name: String, _ schema: JSONSchema, _ description: String) -> Parameter {
            Parameter(name: name, location: "header", required: false, schema: schema, description: description)
        }
    }

    public var method: HTTPRequest.Method
    /// The path in OpenAPI's form, `/api/v1/users/{id}`.
    public var path: String
    public var operationID: String
    public var summary: String
    public var tag: String
    public var parameters: [Parameter]
    public var requestBody: JSONSchema?
    /// Success status and the schema of its body (`nil` for none).
    public var success: (status: Int, schema: JSONSchema?)
    /// The problem statuses the operation may answer with.
    public var problems: [Int]
    /// Whether a bearer token is needed.
    public var authenticated: Bool
    /// The media type of the request body: JSON unless a form or a file is sent.
    public var requestMediaType = "application/json"
    /// Whether the request body must be sent; an operation whose fields are all optional may take none at all
    /// (an approval without a comment).
    public var requestBodyRequired = true
    /// The media type of the success body: JSON unless the operation answers a page or text.
    public var successMediaType = "application/json"
    /// Other media types the success body may come in (a report as `text/csv`), with their schemas.
    public var alternativeMediaTypes: [String: JSONSchema] = [:]
    /// A security scheme other than the API token that the operation asks for (`metricsBearer`).
    public var securityScheme: String?

    /// Describes an operation.
    public init(
        _ method: HTTPRequest.Method,
        _ path: String,
        id operationID: String,
        summary: String,
        tag: String,
        parameters: [Parameter] = [],
        requestBody: JSONSchema? = nil,
        success: (status: Int, schema: JSONSchema?),
        problems: [Int] = [],
        authenticated: Bool = true
    ) {
        self.method = method
        self.path = path
        self.operationID = operationID
        self.summary = summary
        self.tag = tag
        self.parameters = parameters
        self.requestBody = requestBody
        self.success = success
        var problems = problems
        // 503: the database cannot be reached, or the request met concurrent changes (`Retry-After`).
        if authenticated { problems += [401, 429, 503] }
        if authenticated && method == .post {
            self.parameters.append(
                .header(
                    "Idempotency-Key", .string(pattern: "^[!-~]{1,255}$"),
                    "makes a retry safe: the same key again answers the first answer (per user, for 24 hours)"))
            problems += [409, 422]
        }
        // 408: the body did not arrive in time (HTTP_BODY_TIMEOUT, HTTP_BODY_BYTE_TIMEOUT).
        if requestBody != nil { problems += [400, 408, 413, 422] }
        // Public routes other than /healthz take from the client address's bucket.
        if !authenticated && path != "/healthz" { problems += [429] }
        self.problems = Array(Set(problems)).sorted()
        self.authenticated = authenticated
    }
}

/// The OpenAPI 3.1 document, gathered from the gateway's controllers and the plugins as they register.
public final class APIDocumentation: Sendable {
    private let state = Mutex<(operations: [APIOperation], schemas: [String: JSONSchema])>(([], [:]))

    /// Makes an empty document.
    public init() {}

    /// Adds operations.
    public func add(_ operations: [APIOperation]) {
        state.withLock { $0.operations += operations }
    }

    /// Adds a named schema for `.reference(name)`.
    public func define(_ name: String, _ schema: JSONSchema) {
        state.withLock { $0.schemas[name] = schema }
    }

    /// Every operation.
    public var operations: [APIOperation] { state.withLock { $0.operations } }

    /// The document as JSON.
    public func json() throws -> Data {
        let (operations, schemas) = state.withLock { ($0.operations, $0.schemas) }
        var paths: [String: [String: Any]] = [:]
        for operation in operations {
            var entry: [String: Any] = [
                "operationId": operation.operationID,
                "summary": operation.summary,
                "tags": [operation.tag],
            ]
            if !operation.parameters.isEmpty {
                entry["parameters"] = operation.parameters.map { parameter in
                    var entry: [String: Any] = [
                        "name": parameter.name, "in": parameter.location, "required": parameter.required,
                        "schema": parameter.schema.json, "description": parameter.description,
                    ]
                    // An empty query parameter (`?cursor=`) is an absent one (Request.queryParameters).
                    if parameter.location == "query" {
                        entry["allowEmptyValue"] = true
                        entry["schema"] = ["anyOf": [parameter.schema.json, ["type": "string", "maxLength": 0]]]
                    }
                    return entry
                }
            }
            if let body = operation.requestBody {
                let schema = operation.requestMediaType == "application/json" ? body.optionalFieldsNullable : body
                entry["requestBody"] =
                    [
                        "required": operation.requestBodyRequired,
                        "content": [operation.requestMediaType: ["schema": schema.json]],
                    ] as [String: Any]
            }
            var responses: [String: Any] = [:]
            var success: [String: Any] = ["description": "Success"]
            if let schema = operation.success.schema {
                var content: [String: Any] = [operation.successMediaType: ["schema": schema.json]]
                for (mediaType, alternative) in operation.alternativeMediaTypes {
                    content[mediaType] = ["schema": alternative.json]
                }
                success["content"] = content
            }
            responses[String(operation.success.status)] = success
            for status in operation.problems {
                responses[String(status)] =
                    [
                        "description": HTTPResponse.Status(code: status).reasonPhrase,
                        "content": ["application/problem+json": ["schema": ["$ref": "#/components/schemas/Problem"]]],
                    ] as [String: Any]
            }
            entry["responses"] = responses
            if operation.authenticated { entry["security"] = [["bearer": [String]()]] }
            if let scheme = operation.securityScheme { entry["security"] = [[scheme: [String]()]] }
            paths[operation.path, default: [:]][operation.method.rawValue.lowercased()] = entry
        }
        var components = schemas.mapValues(\.json)
        components["Problem"] = [
            "type": "object",
            "required": ["type", "title", "status"],
            "properties": [
                "type": ["type": "string"], "title": ["type": "string"], "status": ["type": "integer"],
                "detail": ["type": "string"],
                "errors": [
                    "type": "array",
                    "items": [
                        "type": "object", "required": ["field", "message"],
                        "properties": ["field": ["type": "string"], "message": ["type": "string"]],
                    ] as [String: Any],
                ] as [String: Any],
            ] as [String: Any],
        ]
        let document: [String: Any] = [
            "openapi": "3.1.0",
            "info": [
                "title": "stedenband",
                "version": "1",
                "description": "Municipal international cooperation: partnerships, activities, SDG reporting.",
            ],
            "paths": paths,
            "components": [
                "schemas": components,
                "securitySchemes": [
                    "bearer": ["type": "http", "scheme": "bearer"],
                    "metricsBearer": [
                        "type": "http", "scheme": "bearer",
                        "description": "METRICS_TOKEN, the operator's bearer for /metrics on the main port",
                    ],
                ],
            ] as [String: Any],
        ]
        return try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])
    }
}
