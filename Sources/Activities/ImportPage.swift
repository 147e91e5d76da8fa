import Foundation
import Gateway
import HTTPTypes
import Hummingbird
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
        guard let text = EmbeddedFiles.text("Templates/import.mustache") else {
            throw ActivityPages.TemplateMissing(name: "import")
        }
        self.service = service
        self.template = try MustacheTemplate(string: text)
    }

    func register(on pages: Pages) {
        let shell = pages.shell
        let sections = pages.importSections
        pages.signedIn.get("import") { request, context in
            let access = try TenantAccess(context)
            try access.requireWrite("activities")
            let imported = request.uri.queryParameters.get("imported").flatMap { Int($0) }
            return try await page(context, shell, sections, imported: imported, problems: [], status: .ok)
        }
        pages.signedIn.post("import") { request, context in try await upload(request, context, shell, sections) }
        // A section's upload (the results'): the whole page again, that section with its confirmation, or with
        // its table of refused rows (422).
        let importPage = self
        sections.install { replacement, context in
            try await importPage.page(
                context, shell, sections, imported: nil, problems: [], replacement: replacement,
                status: replacement.errors.isEmpty ? .ok : .unprocessableContent)
        }
    }

    func upload(_ request: Request, _ context: GatewayRequestContext, _ shell: PageShell, _ sections: PageSections)
        async throws -> Response
    {
        let access = try TenantAccess(context)
        try access.requireWrite("activities")
        let body = try await ActivityPages.body(request)
        let words = ActivityPageWords.all[shell.language(context)]
        guard let file = Self.file(in: body, contentType: request.headers[.contentType] ?? ""), !file.isEmpty else {
            return try await page(
                context, shell, sections, imported: nil,
                problems: [(row: "", column: "file", reason: words.importChooseFile)], status: .unprocessableContent)
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
            return try await page(
                context, shell, sections, imported: nil, problems: problems, status: .unprocessableContent)
        }
    }

    /// The bytes of the form's `file` part, as sent.
    static func file(in body: ByteBuffer, contentType: String) -> Data? {
        UploadedFile.part(named: "file", in: body, contentType: contentType)
    }

    /// The page: the activities' upload with its refusal when there is one, then the sections of other plugins
    /// (the one `replacement` names shown as it says, with its messages in the error summary).
    func page(
        _ context: GatewayRequestContext, _ shell: PageShell, _ sections: PageSections, imported: Int?,
        problems: [(row: String, column: String, reason: String)], replacement: PageSections.Replacement? = nil,
        status: HTTPResponse.Status
    ) async throws -> Response {
        let words = ActivityPageWords.all[shell.language(context)]
        let strings = ActivityPageWords.templates[shell.language(context)]
        var object: [String: Any] = ["words": strings, "csrf": context.page?.csrfToken ?? ""]
        if let imported {
            object["imported"] = words.importDone.replacingOccurrences(of: "{count}", with: "\(imported)")
        }
        var summary: [[String: String]] = []
        if !problems.isEmpty {
            object["problems"] = problems.map { ["row": $0.row, "column": $0.column, "reason": $0.reason] }
            object["hasProblems"] = true
            object["fileError"] = words.importRefused
            summary.append(["field": "file", "message": words.importRefused])
        }
        for error in replacement?.errors ?? [] { summary.append(["field": error.field, "message": error.message]) }
        if !summary.isEmpty {
            object["errorSummary"] = summary
            object["hasSummary"] = true
        }
        object["sections"] = try await sections.render(context: context, replacement: replacement)
        return shell.respond(
            title: words.importHeading, content: template.render(object), status: status, context: context)
    }
}
