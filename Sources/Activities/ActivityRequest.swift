import Foundation
import Gateway
import Hummingbird
import ReferenceData
import Vocabulary

/// What the JSON routes and the pages read alike from a request: an id in the path, the list's filter.
enum ActivityRequest {
    /// The id in the path; 404 naming `what` when it is not one.
    static func pathID(_ context: GatewayRequestContext, _ what: String) throws -> UUID {
        guard let text = context.parameters.get("id"), let id = UUID(uuidString: text) else {
            throw Problem.notFound("no such \(what)")
        }
        return id
    }

    /// The list's filter from its query parameters (`value(name)`), as the JSON route and the search page read
    /// them.
    ///
    /// - Throws: 422 naming each parameter that is not valid.
    static func filter(_ value: (String) -> String?) throws -> ActivityFilter {
        var errors: [Problem.FieldError] = []
        var partnershipID: UUID?
        if let text = value("partnershipId") {
            partnershipID = UUID(uuidString: text)
            if partnershipID == nil { errors.append(.init(field: "partnershipId", message: "must be a UUID")) }
        }
        let status = value("status")
        errors += FieldCheck.oneOf(status, ActivityRules.statuses, field: "status")
        let kind = value("kind")
        errors += FieldCheck.oneOf(kind, ActivityRules.kinds, field: "kind")
        let direction = value("direction")
        errors += FieldCheck.oneOf(direction, ActivityRules.directions, field: "direction")
        var goal: Int?
        if let text = value("sdg") {
            goal = Int(text)
            if goal.map({ !(1...17).contains($0) }) ?? true {
                errors.append(.init(field: "sdg", message: "must be a goal from 1 to 17"))
            }
        }
        let target = value("target")
        if let target, SDGCatalogue.target(target) == nil {
            errors.append(.init(field: "target", message: "must be an SDG target such as 3.d"))
        }
        let theme = value("theme")
        var year: Int?
        if let text = value("year") {
            year = Int(text)
            if year.map({ !(1900...2200).contains($0) }) ?? true {
                errors.append(.init(field: "year", message: "must be a year such as 2020"))
            }
        }
        let search = value("q").flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        if let search, search.count > 200 {
            errors.append(.init(field: "q", message: "must be at most 200 characters"))
        }
        if !errors.isEmpty { throw Problem.validation(errors) }
        return ActivityFilter(
            partnershipID: partnershipID, status: status, kind: kind, direction: direction, goal: goal,
            target: target, theme: theme, year: year, search: search)
    }
}
