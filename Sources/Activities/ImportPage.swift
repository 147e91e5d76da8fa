import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import MultipartKit
import Mustache
import NIOCore
import Vocabulary

/// `/import`: a spreadsheet's CSV uploaded as a file (`multipart/form-data`, field `file`) and imported through
/// ``ActivitiesService/importCSV(_:access:on:progress:)``, as `POST /api/v1/imports/activities` does: all or
/// nothing. A bad file is shown as a table of each bad row, column and reason (in the person's language,
/// ``ImportWords``), and nothing is imported.
struct ImportPage: Sendable {
    let service: ActivitiesService
    let template: MustacheTemplate

    init(service: ActivitiesService) throws {
        guard
            let url = Bundle.module.url(forResource: "import", withExtension: "mustache", subdirectory: "Templates")
        else { throw ActivityPages.TemplateMissing(name: "import") }
        self.service = service
        self.template = try MustacheTemplate(string: String(contentsOf: url, encoding: .utf8))
    }

    func register(on pages: Pages) {
        let shell = pages.shell
        pages.signedIn.get("import") { request, context in
            let access = try TenantAccess(context)
            try access.requireWrite("activities")
            let imported = request.uri.queryParameters.get("imported").flatMap { Int($0) }
            return page(context, shell, imported: imported, problems: [], status: .ok)
        }
        pages.signedIn.post("import") { request, context in try await upload(request, context, shell) }
    }

    func upload(_ request: Request, _ context: GatewayRequestContext, _ shell: PageShell) async throws -> Response {
        let access = try TenantAccess(context)
        try access.requireWrite("activities")
        let body = try await ActivityPages.body(request)
        let words = ActivityPageWords.all[shell.language(context)]
        guard let file = Self.file(in: body, contentType: request.headers[.contentType] ?? ""), !file.isEmpty else {
            return page(
                context, shell, imported: nil, problems: [(row: "", column: "file", reason: words.importChooseFile)],
                status: .unprocessableContent)
        }
        do {
            let ids = try await service.importCheckedCSV(file, access: access, on: try context.requireConnection())
            return PageRedirect.seeOther("/import?imported=\(ids.count)")
        } catch let refused as ImportRefused {
            let language = shell.language(context)
            let problems = refused.problems.map { problem in
                (
                    row: problem.row.map(String.init) ?? "", column: problem.column,
                    reason: ImportWords.reason(problem.reason, in: language)
                )
            }
            return page(context, shell, imported: nil, problems: problems, status: .unprocessableContent)
        }
    }

    /// The bytes of the form's `file` part, as sent.
    static func file(in body: ByteBuffer, contentType: String) -> Data? {
        guard let start = contentType.range(of: "boundary=", options: .caseInsensitive) else { return nil }
        let boundary =
            contentType[start.upperBound...].split(separator: ";").first?
            .trimmingCharacters(in: CharacterSet(charactersIn: "\" ")) ?? ""
        guard !boundary.isEmpty else { return nil }
        let parser = MultipartParser(boundary: boundary)
        var disposition = ""
        var part = ByteBuffer()
        var found: Data?
        parser.onHeader = { field, value in
            if field.lowercased() == "content-disposition" { disposition = value }
        }
        parser.onBody = { chunk in part.writeBuffer(&chunk) }
        parser.onPartComplete = {
            if found == nil, disposition.contains("name=\"file\"") { found = Data(part.readableBytesView) }
            disposition = ""
            part = ByteBuffer()
        }
        do {
            try parser.execute(body)
        } catch {
            return nil
        }
        return found
    }

    func page(
        _ context: GatewayRequestContext, _ shell: PageShell, imported: Int?,
        problems: [(row: String, column: String, reason: String)], status: HTTPResponse.Status
    ) -> Response {
        let words = ActivityPageWords.all[shell.language(context)]
        let strings = ActivityPageWords.templates[shell.language(context)]
        var object: [String: Any] = ["words": strings, "csrf": context.page?.csrfToken ?? ""]
        if let imported {
            object["imported"] = words.importDone.replacingOccurrences(of: "{count}", with: "\(imported)")
        }
        if !problems.isEmpty {
            object["problems"] = problems.map { ["row": $0.row, "column": $0.column, "reason": $0.reason] }
            object["hasProblems"] = true
            object["fileError"] = words.importRefused
        }
        return shell.respond(
            title: words.importHeading, content: template.render(object), status: status, context: context)
    }
}
