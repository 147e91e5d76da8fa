import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import ReferenceData
import Vocabulary

/// `/activities/{id}/sectors`: the activity's DAC 5-digit sectors chosen from the codelist, category by category
/// (a category with a chosen sector is open), for those who may write. A page of its own: the codelist's 295
/// sectors with their names would make the activity's form too heavy for a phone.
extension ActivityPages {
    func sectorsForm(_ context: GatewayRequestContext, _ shell: PageShell) async throws -> Response {
        let access = try TenantAccess(context)
        let id = try ActivityRequest.pathID(context, "activity")
        let record = try await service.activity(id, access: access, on: try context.requireConnection())
        try access.requireWrite("activities")
        return try await sectorsPage(
            record, chosen: record.dacSectors, version: record.version, context, shell, access: access)
    }

    /// Saves the ticked sectors as the activity's (with the version the page was opened at, as `If-Match`),
    /// then back to the activity; a refusal is the page again with the message beside the list, and a change
    /// made meanwhile the page with what was ticked and the current version (409).
    func chooseSectors(_ request: Request, _ context: GatewayRequestContext, _ shell: PageShell) async throws
        -> Response
    {
        let access = try TenantAccess(context)
        let id = try ActivityRequest.pathID(context, "activity")
        let connection = try context.requireConnection()
        let opened = try await service.activity(id, access: access, on: connection)
        try access.requireWrite("activities")
        let (form, text) = try await PageForm.readWithText(request)
        let chosen = PageForm.values("dacSectors", in: text)
        do {
            let record = try await service.update(
                id, with: (ActivityChanges(dacSectors: chosen), Int(form["version"] ?? "") ?? -1), access: access,
                on: connection)
            return PageRedirect.seeOther("/activities/\(Self.text(record.id))#dac-sectors")
        } catch let problem as Problem where problem.status == .unprocessableContent {
            return try await sectorsPage(
                opened, chosen: chosen, version: opened.version, refused: true, status: .unprocessableContent,
                context, shell, access: access)
        } catch let problem as Problem where problem.status == .preconditionFailed {
            let current = try await service.activity(id, access: access, on: connection)
            return try await sectorsPage(
                current, chosen: chosen, version: current.version, stale: true, status: .conflict, context, shell,
                access: access)
        }
    }

    func sectorsPage(
        _ record: ActivityRecord, chosen: [String], version: Int, refused: Bool = false, stale: Bool = false,
        status: HTTPResponse.Status = .ok, _ context: GatewayRequestContext, _ shell: PageShell, access: TenantAccess
    ) async throws -> Response {
        let style = try await format(context, access: access, on: try context.requireConnection())
        let language = style.language
        let sectorWords = ActivitySectorWords.all[language]
        var object = base(context, words: style.words, errors: [])
        let ticked = Set(chosen)
        let byCategory = Dictionary(grouping: DACSectors.all, by: \.category)
        object["categories"] = DACSectors.categories.compactMap { category -> [String: Any]? in
            guard let sectors = byCategory[category.code] else { return nil }
            let count = sectors.filter { ticked.contains($0.code) }.count
            var entry: [String: Any] = [
                "code": category.code, "name": category.name(language), "open": count > 0,
                "sectors": sectors.map { sector -> [String: Any] in
                    ["code": sector.code, "name": sector.name(language), "checked": ticked.contains(sector.code)]
                },
            ]
            if count > 0 { entry["count"] = "\(count)" }
            return entry
        }
        object["id"] = Self.text(record.id)
        object["title"] = record.title
        object["version"] = "\(version)"
        object["stale"] = stale
        object["sectorWords"] = ActivitySectorWords.templates[language]
        if refused {
            object["sectorError"] = sectorWords.tooMany
            object["errorSummary"] = ["items": [["field": "dacSectors", "message": sectorWords.tooMany]]]
        }
        return shell.respond(
            title: sectorWords.pageHeading, content: render("sectors", object), status: status, context: context)
    }
}
