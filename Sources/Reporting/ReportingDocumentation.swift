import Gateway
import HTTPTypes
import Vocabulary

/// What `/openapi.json` says about the Reporting plugin.
enum ReportingDocumentation {
    static func register(in documentation: APIDocumentation) {
        let money = JSONSchema.object(
            ["planned": .string(pattern: "^-?[0-9]+\\.[0-9]{2}$"), "spent": .string(pattern: "^-?[0-9]+\\.[0-9]{2}$")],
            required: ["planned", "spent"])
        let budgets = JSONSchema.map(money)
        let count = JSONSchema.object(["key": .string(), "count": .integer(minimum: 0)], required: ["key", "count"])
        let slice = JSONSchema.object(
            ["key": .string(), "activities": .integer(minimum: 0), "budget": budgets],
            required: ["key", "activities", "budget"])
        let figures: [String: JSONSchema] = [
            "activities": .integer(minimum: 0), "partnerships": .integer(minimum: 0), "budget": budgets,
        ]
        var targetFields = figures
        targetFields["target"] = .string()
        var goalFields = figures
        goalFields["goal"] = .integer(minimum: 1, maximum: 17)
        goalFields["targets"] = .array(.object(targetFields, required: Array(targetFields.keys).sorted()))
        var totals = figures
        totals["activitiesWithoutGoal"] = .integer(minimum: 0)
        totals["budgetWithoutGoal"] = budgets
        let sdg = JSONSchema.object(
            [
                "goals": .array(.object(goalFields, required: Array(goalFields.keys).sorted())),
                "totals": .object(totals, required: Array(totals.keys).sorted()), "method": .string(),
            ], required: ["goals", "totals", "method"])
        let overview = JSONSchema.object(
            [
                "partnershipsByStatus": .array(count), "activities": .integer(minimum: 0),
                "activitiesByStatus": .array(count), "activitiesByKind": .array(count),
                "activitiesByDirection": .array(count), "lessonsBySide": .array(count), "reciprocityShare": .number,
                "budget": budgets, "covid19": slice, "byCountry": .array(slice), "byYear": .array(slice),
            ],
            required: [
                "partnershipsByStatus", "activities", "activitiesByStatus", "activitiesByKind", "activitiesByDirection",
                "lessonsBySide", "reciprocityShare", "budget", "covid19", "byCountry", "byYear",
            ])
        let filters: [APIOperation.Parameter] = [
            .query("year", .integer(minimum: 1900, maximum: 2200), "activities running during this year"),
            .query("partnershipId", .string(format: "uuid"), "one partnership"),
            .query("country", .string(pattern: "^[A-Z]{2}$"), "partners in this country"),
            .query(
                "status", .string(enumeration: ActivityStatus.rawValues), "activity status"),
            .query("theme", .text(maximum: 40), "activities with this theme, e.g. covid-19"),
            .query(
                "format", .string(enumeration: ["json", "csv", "html"]),
                "json by default (also Accept: text/csv); html: a printable page with charts"),
            .query(
                "lang", .string(enumeration: Language.rawValues), "the page's language; the caller's by default"),
            .query(
                "delimiter", .string(enumeration: ["comma", "semicolon"]),
                "CSV: semicolon and decimal commas for Excel in Belgium"),
        ]
        var overviewOperation = APIOperation(
            .get, "/api/v1/reports/overview", id: "reportOverview",
            summary:
                "Partnerships, activities, reciprocity and budgets (per currency) of the caller's municipality; a partner coordinator's of their partnerships only.",
            tag: "reports", parameters: filters, success: (200, overview), problems: [404, 422])
        var sdgOperation = APIOperation(
            .get, "/api/v1/reports/sdg", id: "reportSDG",
            summary:
                "Activities, partnerships and budgets per SDG goal and target; a partner coordinator's of their partnerships only.",
            tag: "reports",
            parameters: filters, success: (200, sdg), problems: [404, 422])
        overviewOperation.alternativeMediaTypes = ["text/csv": .string(), "text/html": .string()]
        sdgOperation.alternativeMediaTypes = ["text/csv": .string(), "text/html": .string()]
        let municipality = JSONSchema.object(
            ["id": .string(format: "uuid"), "slug": .string(), "name": .string()], required: ["id", "slug", "name"])
        func platform(_ report: JSONSchema) -> JSONSchema {
            .object(
                [
                    "totals": report,
                    "municipalities": .array(
                        .object(
                            ["municipality": municipality, "report": report], required: ["municipality", "report"])),
                ], required: ["totals", "municipalities"])
        }
        let value = JSONSchema.string(pattern: "^[0-9]{1,12}(\\.[0-9]{1,6})?$")
        let progress = JSONSchema.string(pattern: "^-?[0-9]+\\.[0-9]$")
        let date = JSONSchema.string(format: "date")
        let named = JSONSchema.object(["id": .string(format: "uuid"), "title": .string()], required: ["id", "title"])
        let indicatorFields: [String: JSONSchema] = [
            "id": .string(format: "uuid"), "title": .string(),
            "measure": .string(enumeration: IndicatorMeasure.rawValues),
            "ascending": .boolean, "sdgTarget": .string(), "partnership": named, "activity": named,
            "result": .object(
                [
                    "id": .string(format: "uuid"), "title": .string(),
                    "type": .string(enumeration: ResultType.rawValues),
                ], required: ["id", "title", "type"]),
            "baseline": .object(["year": .integer(minimum: 1900, maximum: 2200), "value": value], required: ["year"]),
            "periods": .array(
                .object(
                    ["start": date, "end": date, "target": value, "actual": value, "progress": progress],
                    required: ["start", "end"])),
            "latest": .object(["end": date, "actual": value], required: ["end", "actual"]),
            "finalTarget": value, "progress": progress,
            "comments": .array(.object(["end": date, "comment": .string()], required: ["end", "comment"])),
        ]
        let results = JSONSchema.object(
            [
                "indicators": .array(
                    .object(
                        indicatorFields,
                        required: ["id", "title", "measure", "ascending", "partnership", "result", "periods"])),
                "sdgTargets": .array(
                    .object(
                        [
                            "code": .string(), "goal": .integer(minimum: 1, maximum: 17),
                            "indicators": .array(.string(format: "uuid")),
                        ], required: ["code", "goal", "indicators"])),
                "totals": .object(
                    [
                        "indicators": .integer(minimum: 0), "withApprovedActual": .integer(minimum: 0),
                        "byType": .map(.integer(minimum: 0)),
                    ], required: ["indicators", "withApprovedActual", "byType"]),
                "method": .string(),
            ], required: ["indicators", "sdgTargets", "totals", "method"])
        var resultsOperation = APIOperation(
            .get, "/api/v1/reports/results", id: "reportResults",
            summary:
                "Every indicator with its baseline, targets, approved actual values and progress, and the indicators per SDG target; a partner coordinator's of their partnerships only. year keeps the periods overlapping it; status and theme leave a partnership's long-term results out.",
            tag: "reports", parameters: filters, success: (200, results), problems: [404, 422])
        resultsOperation.alternativeMediaTypes = ["text/csv": .string(), "text/html": .string()]
        var platformOverview = APIOperation(
            .get, "/api/v1/platform/reports/overview", id: "platformReportOverview",
            summary:
                "The overview over all municipalities and per municipality (platform administrators): figures only.",
            tag: "reports", parameters: filters, success: (200, platform(overview)), problems: [404, 422])
        var platformSDG = APIOperation(
            .get, "/api/v1/platform/reports/sdg", id: "platformReportSDG",
            summary: "The SDG report over all municipalities and per municipality (platform administrators).",
            tag: "reports", parameters: filters, success: (200, platform(sdg)), problems: [404, 422])
        platformOverview.alternativeMediaTypes = ["text/csv": .string(), "text/html": .string()]
        platformSDG.alternativeMediaTypes = ["text/csv": .string(), "text/html": .string()]
        let indicatorCount = JSONSchema.object(
            ["indicators": .integer(minimum: 0), "withApprovedActual": .integer(minimum: 0)],
            required: ["indicators", "withApprovedActual"])
        let counts = JSONSchema.object(
            [
                "total": indicatorCount, "byType": .map(indicatorCount), "byMeasure": .map(indicatorCount),
                "bySDGTarget": .map(indicatorCount),
            ],
            required: ["total", "byType", "byMeasure", "bySDGTarget"])
        var platformResults = APIOperation(
            .get, "/api/v1/platform/reports/results", id: "platformReportResults",
            summary:
                "How the municipalities use the results framework (platform administrators): indicators and those with an approved value, per result type, measure and SDG target; counts and codes only. JSON or CSV.",
            tag: "reports",
            parameters: filters.filter { $0.name != "format" && $0.name != "lang" }
                + [
                    APIOperation.Parameter.query(
                        "format", .string(enumeration: ["json", "csv"]), "json by default (also Accept: text/csv)")
                ],
            success: (200, platform(counts)), problems: [404, 422])
        platformResults.alternativeMediaTypes = ["text/csv": .string()]
        let lesson = JSONSchema.object(
            [
                "title": .string(), "side": .string(enumeration: LessonSide.allCases.map(\.rawValue)),
                "language": .string(), "policyDomain": .string(), "body": .string(), "activity": .string(),
            ], required: ["title", "side", "language", "policyDomain", "body", "activity"])
        let example = JSONSchema.object(
            [
                "title": .string(), "kind": .string(), "startsOn": date, "endsOn": date,
                "sdgGoals": .array(.integer(minimum: 1, maximum: 17)), "direction": .string(),
                "participants": .integer(minimum: 0),
            ], required: ["title", "kind", "sdgGoals", "direction"])
        let examplePartnership = JSONSchema.object(
            [
                "title": .string(),
                "partner": .object(["name": .string(), "country": .string()], required: ["name", "country"]),
                "showcase": .string(), "story": .string(), "activities": .array(example), "lessons": .array(lesson),
            ], required: ["title", "partner", "showcase", "story", "activities", "lessons"])
        let examples = JSONSchema.object(
            [
                "theme": .string(), "year": .integer(minimum: 1900, maximum: 2200),
                "municipalities": .array(
                    .object(
                        ["municipality": municipality, "partnerships": .array(examplePartnership)],
                        required: ["municipality", "partnerships"])),
            ], required: ["municipalities"])
        var platformExamples = APIOperation(
            .get, "/api/v1/platform/reports/examples", id: "platformReportExamples",
            summary:
                "The annex of examples (platform administrators): per municipality, its published partnerships with their partner, story and showcase address, the activities of the theme and year (both optional; not cancelled), and their published lessons. Published work only; with a filter, a partnership without a matching activity is left out. JSON, CSV (one row per lesson, or per activity without lessons) or a printable page.",
            tag: "reports",
            parameters: filters.filter { ["year", "theme", "format", "lang", "delimiter"].contains($0.name) },
            success: (200, examples), problems: [404, 422])
        platformExamples.alternativeMediaTypes = ["text/csv": .string(), "text/html": .string()]
        var iati = APIOperation(
            .get, "/api/v1/exports/iati", id: "exportIATI",
            summary:
                "The municipality's activities as an IATI 2.03 document the official schema accepts, with their results (approved actual values only); activities that cannot be expressed validly are listed in X-Stedenband-Skipped, and parts of exported activities left out (a result, an indicator, a baseline, a period) in X-Stedenband-Trimmed. Not for partner coordinators (403).",
            tag: "reports",
            parameters: [.query("year", .integer(minimum: 1900, maximum: 2200), "activities running during this year")],
            success: (200, .string()), problems: [403, 404, 409, 422])
        iati.successMediaType = "application/xml"
        documentation.add([
            overviewOperation, sdgOperation, resultsOperation, platformOverview, platformSDG, platformResults,
            platformExamples, iati,
        ])
    }
}
