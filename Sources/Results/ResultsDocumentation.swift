import Gateway
import HTTPTypes
import ReferenceData
import Vocabulary

/// What `/openapi.json` says about the Results plugin.
enum ResultsDocumentation {
    /// A value as ``ResultRules/value(_:measure:field:)`` reads its form: digits, at most six decimals.
    static let value = JSONSchema.string(pattern: "^[0-9]{1,12}(\\.[0-9]{1,6})?$")
    static let comment = JSONSchema.text(maximum: ResultRules.commentLength)
    static let baseline = JSONSchema.object(
        [
            "year": .integer(minimum: ResultRules.years.lowerBound, maximum: ResultRules.years.upperBound),
            "value": value, "comment": comment,
        ],
        required: ["year"])
    static let target = JSONSchema.string(enumeration: SDGCatalogue.targetCodes)
    static let resultFields: [String: JSONSchema] = [
        "title": .name(), "type": .string(enumeration: ResultType.allCases.map(\.rawValue)),
        "description": .text(), "aggregates": .boolean,
    ]
    static let indicatorFields: [String: JSONSchema] = [
        "title": .name(), "description": .text(),
        "measure": .string(enumeration: IndicatorMeasure.allCases.map(\.rawValue)), "ascending": .boolean,
        "sdgTarget": .nullable(target), "baseline": .nullable(baseline),
    ]
    static let date = JSONSchema.string(format: "date")
    /// A period's target as a request sends it.
    static let targetInput = JSONSchema.object(["value": value, "comment": comment])
    static let periodFields: [String: JSONSchema] = ["start": date, "end": date, "target": targetInput]
    static let page: [APIOperation.Parameter] = [
        .query("limit", .integer(minimum: 1, maximum: 200), "page size, 50 by default"),
        .query("cursor", .string(), "the nextCursor of the previous page"),
    ]
    static let ifMatch = APIOperation.Parameter.header("If-Match", .eTag, "the ETag last seen; 412 when stale")

    static func register(in documentation: APIDocumentation) {
        definePeriod(in: documentation)
        var indicator = indicatorFields
        indicator["id"] = .string(format: "uuid")
        indicator["resultId"] = .string(format: "uuid")
        indicator["partnershipId"] = .string(format: "uuid")
        indicator["activityId"] = .string(format: "uuid")
        indicator["sdgTarget"] = target
        indicator["baseline"] = baseline
        indicator["version"] = .integer(minimum: 1)
        indicator["createdAt"] = .string(format: "date-time")
        indicator["updatedAt"] = .string(format: "date-time")
        indicator["periods"] = .array(.reference("Period"))
        documentation.define(
            "Indicator",
            .object(
                indicator,
                required: [
                    "id", "resultId", "partnershipId", "title", "description", "measure", "ascending", "version",
                    "createdAt", "updatedAt", "periods",
                ]))
        var result = resultFields
        result["id"] = .string(format: "uuid")
        result["partnershipId"] = .string(format: "uuid")
        result["activityId"] = .string(format: "uuid")
        result["version"] = .integer(minimum: 1)
        result["createdAt"] = .string(format: "date-time")
        result["updatedAt"] = .string(format: "date-time")
        result["indicators"] = .array(.reference("Indicator"))
        documentation.define(
            "Result",
            .object(
                result,
                required: [
                    "id", "partnershipId", "title", "type", "description", "aggregates", "version", "createdAt",
                    "updatedAt", "indicators",
                ]))
        let results = JSONSchema.object(
            ["items": .array(.reference("Result")), "nextCursor": .nullable(.string())], required: ["items"])
        documentation.add(
            [("activities", "activity", "Activity"), ("partnerships", "partnership", "Partnership")].flatMap {
                collection, name, operationName in
                let id = APIOperation.Parameter.path("id", .string(format: "uuid"), "the \(name)'s id")
                return [
                    APIOperation(
                        .get, "/api/v1/\(collection)/{id}/results", id: "list\(operationName)Results",
                        summary: name == "activity"
                            ? "An activity's results, oldest first, each with its indicators."
                            : "A partnership's own long-term results (not its activities'), oldest first.",
                        tag: "results", parameters: [id] + page, success: (200, results), problems: [400, 404, 422]),
                    APIOperation(
                        .post, "/api/v1/\(collection)/{id}/results", id: "define\(operationName)Result",
                        summary: "Define a result of a\(name == "activity" ? "n" : "") \(name) (admin, coordinator).",
                        tag: "results", parameters: [id],
                        requestBody: .object(resultFields, required: ["title", "type"]),
                        success: (201, .reference("Result")), problems: [403, 404, 422]),
                ]
            })
        let resultID = APIOperation.Parameter.path("id", .string(format: "uuid"), "the result's id")
        let indicatorID = APIOperation.Parameter.path("id", .string(format: "uuid"), "the indicator's id")
        documentation.add([
            APIOperation(
                .get, "/api/v1/results/{id}", id: "getResult", summary: "One result, with its indicators.",
                tag: "results", parameters: [resultID], success: (200, .reference("Result")), problems: [404]),
            APIOperation(
                .patch, "/api/v1/results/{id}", id: "changeResult",
                summary: "Change a result (admin, coordinator); If-Match guards against lost updates.",
                tag: "results", parameters: [resultID, ifMatch], requestBody: .object(resultFields),
                success: (200, .reference("Result")), problems: [403, 404, 412, 422]),
            APIOperation(
                .delete, "/api/v1/results/{id}", id: "deleteResult",
                summary:
                    "Delete a result with its indicators (admin, coordinator); 409 while one holds an approved value.",
                tag: "results", parameters: [resultID], success: (204, nil), problems: [403, 404, 409]),
            APIOperation(
                .post, "/api/v1/results/{id}/indicators", id: "defineIndicator",
                summary: "Define an indicator of a result (admin, coordinator).", tag: "results",
                parameters: [resultID], requestBody: .object(indicatorFields, required: ["title", "measure"]),
                success: (201, .reference("Indicator")), problems: [403, 404, 422]),
            APIOperation(
                .get, "/api/v1/indicators/{id}", id: "getIndicator", summary: "One indicator, with its periods.",
                tag: "results",
                parameters: [indicatorID], success: (200, .reference("Indicator")), problems: [404]),
            APIOperation(
                .patch, "/api/v1/indicators/{id}", id: "changeIndicator",
                summary:
                    "Change an indicator (admin, coordinator); If-Match guards against lost updates; its measure "
                    + "stays while periods hold values (409).",
                tag: "results", parameters: [indicatorID, ifMatch], requestBody: .object(indicatorFields),
                success: (200, .reference("Indicator")), problems: [403, 404, 409, 412, 422]),
            APIOperation(
                .delete, "/api/v1/indicators/{id}", id: "deleteIndicator",
                summary: "Delete an indicator (admin, coordinator); 409 while a period holds an approved value.",
                tag: "results", parameters: [indicatorID], success: (204, nil), problems: [403, 404, 409]),
        ])
        documentation.add(periodOperations(indicatorID: indicatorID))
        documentation.add([importOperation])
    }

    /// `POST /api/v1/imports/results`: a header row naming the columns, then a row per period, indicator or
    /// result (docs/results-import.md); its rows name activities and partnerships, which only the database can
    /// check.
    static var importOperation: APIOperation {
        let count = JSONSchema.integer(minimum: 0)
        var operation = APIOperation(
            .post, "/api/v1/imports/results", id: "importResults",
            summary:
                "Import results, indicators, periods and approved values from a CSV file (text/csv), all or "
                + "nothing (admin, coordinator); see docs/results-import.md.",
            tag: "results", requestBody: .string(minLength: 1),
            success: (
                201,
                .object(
                    [
                        "imported": .object(
                            ["results": count, "indicators": count, "periods": count],
                            required: ["results", "indicators", "periods"])
                    ],
                    required: ["imported"])
            ),
            problems: [403, 413, 422]
        )
        operation.requestMediaType = "text/csv"
        return operation
    }

    /// The `Period` schema, as ``PeriodRecord`` writes it.
    static func definePeriod(in documentation: APIDocumentation) {
        let uuid = JSONSchema.string(format: "uuid")
        let instant = JSONSchema.string(format: "date-time")
        documentation.define(
            "Period",
            .object(
                [
                    "id": uuid, "indicatorId": uuid, "resultId": uuid, "partnershipId": uuid, "activityId": uuid,
                    "start": date, "end": date,
                    "target": .nullable(
                        .object(["value": .nullable(value), "comment": comment], required: ["value", "comment"])),
                    "actual": .nullable(
                        .object(
                            [
                                "value": .nullable(value), "comment": comment, "reportedBy": uuid,
                                "reportedAt": instant,
                            ],
                            required: ["value", "comment", "reportedBy", "reportedAt"])),
                    "status": .string(enumeration: PeriodStatus.allCases.map(\.rawValue)),
                    "review": .nullable(
                        .object(
                            ["comment": comment, "reviewedBy": uuid, "reviewedAt": instant],
                            required: ["comment", "reviewedBy", "reviewedAt"])),
                    "version": .integer(minimum: 1), "createdAt": instant, "updatedAt": instant,
                ],
                required: [
                    "id", "indicatorId", "resultId", "partnershipId", "start", "end", "target", "actual", "status",
                    "review", "version", "createdAt", "updatedAt",
                ]))
    }

    /// The period routes: defining, reading, changing and deleting periods, and the two-sided reporting.
    static func periodOperations(indicatorID: APIOperation.Parameter) -> [APIOperation] {
        let periodID = APIOperation.Parameter.path("id", .string(format: "uuid"), "the period's id")
        let period = JSONSchema.reference("Period")
        var approve = APIOperation(
            .post, "/api/v1/periods/{id}/approve", id: "approvePeriodValue",
            summary: "Approve a submitted value (admin, coordinator), with a comment or no body at all.",
            tag: "results", parameters: [periodID, ifMatch], requestBody: .object(["comment": comment]),
            success: (200, period), problems: [403, 404, 409, 412])
        approve.requestBodyRequired = false
        return [
            APIOperation(
                .post, "/api/v1/indicators/{id}/periods", id: "definePeriod",
                summary: "Define a reporting period of an indicator, with its target (admin, coordinator).",
                tag: "results", parameters: [indicatorID],
                requestBody: .object(periodFields, required: ["start", "end"]), success: (201, period),
                problems: [403, 404, 422]),
            APIOperation(
                .get, "/api/v1/periods/{id}", id: "getPeriod", summary: "One period, with its value and review.",
                tag: "results", parameters: [periodID], success: (200, period), problems: [404]),
            APIOperation(
                .patch, "/api/v1/periods/{id}", id: "changePeriod",
                summary:
                    "Change a period's dates or target (admin, coordinator); an approved period keeps its dates "
                    + "(409).",
                tag: "results", parameters: [periodID, ifMatch],
                requestBody: .object(["start": date, "end": date, "target": .nullable(targetInput)]),
                success: (200, period), problems: [403, 404, 409, 412, 422]),
            APIOperation(
                .delete, "/api/v1/periods/{id}", id: "deletePeriod",
                summary: "Delete a period (admin, coordinator); 409 while it holds an approved value.",
                tag: "results", parameters: [periodID], success: (204, nil), problems: [403, 404, 409]),
            APIOperation(
                .put, "/api/v1/periods/{id}/actual", id: "reportPeriodValue",
                summary:
                    "Report the period's value (admin, coordinator, the partnership's partner coordinator): a "
                    + "number, or only a comment for a qualitative indicator; it then waits for approval.",
                tag: "results", parameters: [periodID, ifMatch],
                requestBody: .object(["value": .nullable(value), "comment": comment]), success: (200, period),
                problems: [403, 404, 409, 412, 422]),
            approve,
            APIOperation(
                .post, "/api/v1/periods/{id}/return", id: "returnPeriodValue",
                summary:
                    "Return a submitted value to be reported again, or reopen an approved one (admin, "
                    + "coordinator); the comment says why.",
                tag: "results", parameters: [periodID, ifMatch],
                requestBody: .object(["comment": .note(maximum: ResultRules.commentLength)], required: ["comment"]),
                success: (200, period), problems: [403, 404, 409, 412, 422]),
        ]
    }
}
