import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import Mustache
import Vocabulary

/// The results' upload on `/import`, below the activities' (``Pages/importSections``: the page is the Activities
/// plugin's): a CSV file sent as `multipart/form-data` (field `file`) to `POST /import/results` and imported
/// through ``ResultsService/importCSV(_:access:on:)``, all or nothing. The answer is the whole page again: with
/// this section's confirmation, or with its table of each bad row, column and reason in the person's language
/// (422, nothing imported).
struct ResultImportSection: Sendable {
    let service: ResultsService
    let template: MustacheTemplate

    /// The section's `id` among the page's sections.
    static let sectionID = "results"

    init(service: ResultsService) throws {
        guard let text = EmbeddedFiles.text("Templates/import-results.mustache") else {
            throw ResultPages.TemplateMissing(name: "import-results")
        }
        self.service = service
        self.template = try MustacheTemplate(string: text)
    }

    func register(on pages: Pages) {
        let sections = pages.importSections
        sections.add(id: Self.sectionID, order: 10) { context in
            guard (try? TenantAccess(context))?.canWrite == true else { return nil }
            return render(context)
        }
        pages.signedIn.post("import/results") { request, context in try await upload(request, context, sections) }
    }

    func upload(_ request: Request, _ context: GatewayRequestContext, _ sections: PageSections) async throws
        -> Response
    {
        let access = try TenantAccess(context)
        try access.requireWrite("results")
        var request = request
        let body = try await request.collectBody(upTo: maximumImportRequestBodySize)
        let language = context.page?.language ?? .fallback
        let words = ResultImportWords.all[language]
        guard let file = UploadedFile.part(named: "file", in: body, contentType: request.headers[.contentType] ?? ""),
            !file.isEmpty
        else {
            return try await refuse([], message: words.chooseFile, context, sections)
        }
        do {
            let imported = try await service.importCheckedCSV(
                file, access: access, on: try context.requireConnection())
            return try await sections.show(
                section: Self.sectionID, html: render(context, imported: words.done(imported)), context: context)
        } catch let refused as ResultImportRefused {
            let problems = refused.problems.map { problem in
                (
                    row: problem.row.map(String.init) ?? "", column: problem.column,
                    reason: ResultImportWords.reason(problem.reason, in: language)
                )
            }
            return try await refuse(problems, message: words.refused, context, sections)
        }
    }

    /// The page again with this section's table of problems, 422: the request's transaction rolls back, so
    /// nothing of the file stays.
    func refuse(
        _ problems: [(row: String, column: String, reason: String)], message: String,
        _ context: GatewayRequestContext, _ sections: PageSections
    ) async throws -> Response {
        try await sections.refuse(
            section: Self.sectionID, html: render(context, problems: problems, fileError: message),
            errors: [.init(field: "results-file", message: message)], context: context)
    }

    /// The section: the upload form, and the confirmation or the table of problems when there is one.
    func render(
        _ context: GatewayRequestContext, imported: String? = nil,
        problems: [(row: String, column: String, reason: String)] = [], fileError: String? = nil
    ) -> String {
        let language = context.page?.language ?? .fallback
        var object: [String: Any] = [
            "words": ResultImportWords.templates[language], "csrf": context.page?.csrfToken ?? "",
        ]
        if let imported { object["imported"] = imported }
        if let fileError { object["fileError"] = fileError }
        if !problems.isEmpty {
            object["problems"] = problems.map { ["row": $0.row, "column": $0.column, "reason": $0.reason] }
            object["hasProblems"] = true
        }
        return template.render(object)
    }
}
