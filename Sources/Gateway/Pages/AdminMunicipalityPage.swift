import Foundation
import HTTPTypes
import Hummingbird
import Vocabulary

/// `/admin/municipality`: the municipality's administrators change its name, default language and IATI
/// organisation. Thin: the checks and the statement are ``MunicipalitySettings``', the same as
/// `stedenband tenant set`'s; the permission is the API's (`TenantAccess`, administrators only, others 403).
struct AdminMunicipalityPage {
    let shell: PageShell

    func register(on pages: Pages) {
        pages.signedIn.get("admin/municipality") { request, context in try await page(request, context) }
        pages.signedIn.post("admin/municipality") { request, context in try await save(request, context) }
    }

    /// The administrator's access, or 403 for anyone else of the municipality (404 for who has none).
    private func administrator(_ context: GatewayRequestContext) throws -> TenantAccess {
        let access = try TenantAccess(context)
        guard access.identity.role == .admin else {
            throw Problem.forbidden(AdminWords.of(shell.language(context)).onlyAdministrators)
        }
        return access
    }

    func page(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let access = try administrator(context)
        guard
            let values = try await MunicipalitySettings.current(
                tenantID: access.tenantID, on: context.requireConnection())
        else { throw Problem.notFound() }
        let saved = request.uri.queryParameters["saved"] != nil
        return view(values, errors: [], saved: saved, status: .ok, context: context)
    }

    func save(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let access = try administrator(context)
        let form = try await PageForm.read(request)
        func optional(_ field: String) -> String? {
            let text = (form[field] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            return text.isEmpty ? nil : text
        }
        let values = MunicipalitySettings.Values(
            name: (form["name"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines),
            defaultLocale: form["defaultLocale"] ?? "",
            iatiOrganisationReference: optional("iatiOrganisationReference"),
            iatiOrganisationType: optional("iatiOrganisationType"))
        do {
            try await MunicipalitySettings.save(values, tenantID: access.tenantID, on: context.requireConnection())
        } catch let error as TenancyValidationError {
            return view(
                values, errors: error.errors.map(\.field), saved: false, status: .unprocessableContent,
                context: context)
        }
        return PageRedirect.seeOther("/admin/municipality?saved=1")
    }

    private func view(
        _ values: MunicipalitySettings.Values, errors fields: [String], saved: Bool, status: HTTPResponse.Status,
        context: GatewayRequestContext
    ) -> Response {
        let language = shell.language(context)
        let words = AdminWords.of(language)
        let messages: [String: String] = [
            "name": words.nameError, "defaultLocale": words.defaultLocaleError,
            "iatiOrganisationReference": words.iatiReferenceError, "iatiOrganisationType": words.iatiTypeError,
        ]
        var object: [String: Any] = [
            "name": values.name,
            "iatiOrganisationReference": values.iatiOrganisationReference ?? "",
            "iatiOrganisationType": values.iatiOrganisationType ?? "",
            "saved": saved,
            "choices": Language.allCases.map { code -> [String: Any] in
                [
                    "code": code.rawValue, "name": PageWords.languageName(code),
                    "current": code.rawValue == values.defaultLocale,
                ]
            },
        ]
        var items: [[String: String]] = []
        for field in ["name", "defaultLocale", "iatiOrganisationReference", "iatiOrganisationType"]
        where fields.contains(field) {
            let message = messages[field] ?? ""
            object[field + "Error"] = message
            items.append(["field": field, "message": message])
        }
        var title = words.municipalityTitle
        if !items.isEmpty {
            let summary = PageWords.of(language).errorSummary
            object["errorSummary"] = ["title": summary, "items": items] as [String: Any]
            title = "\(summary): \(title)"
        }
        return shell.view("admin-municipality", title: title, values: object, status: status, context: context)
    }
}

extension AdminMunicipalityPage {
    /// The page's routes in the OpenAPI document (tag `pages`).
    static func register(in documentation: APIDocumentation) {
        var show = APIOperation(
            .get, "/admin/municipality", id: "municipalitySettingsPage",
            summary: "The municipality's name, default language and IATI organisation (administrators; others 403).",
            tag: "pages", success: (200, .string()), problems: [403], authenticated: false)
        show.successMediaType = "text/html"
        var save = APIOperation(
            .post, "/admin/municipality", id: "saveMunicipalitySettings",
            summary: "Saves the municipality's settings (administrators); 422 with the form when a field is wrong.",
            tag: "pages",
            requestBody: .object(
                [
                    "csrf": .string(maxLength: 100), "name": .string(maxLength: 200),
                    "defaultLocale": .string(enumeration: ["nl", "en", "fr", "es"]),
                    "iatiOrganisationReference": .string(maxLength: 200), "iatiOrganisationType": .string(maxLength: 3),
                ], required: ["csrf", "name", "defaultLocale"]),
            success: (303, nil), problems: [403, 422], authenticated: false)
        save.successMediaType = "text/html"
        save.requestMediaType = "application/x-www-form-urlencoded"
        documentation.add([show, save])
    }
}
