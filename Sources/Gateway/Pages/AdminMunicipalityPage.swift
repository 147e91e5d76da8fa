import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Vocabulary

/// `/admin/municipality`: the municipality's administrators change its name, default language and IATI
/// organisation, its OpenID Connect provider, and what plugins add (``PageSections``: the Notifications plugin's
/// digest defaults). Thin: the checks and the statements are ``MunicipalitySettings``' and the provider's store's
/// (``IdentityProviders``), the same as `stedenband tenant set`'s; the permission is the API's (`TenantAccess`,
/// administrators only, others 403).
struct AdminMunicipalityPage {
    let environment: GatewayEnvironment

    var shell: PageShell { environment.pages }
    var sections: PageSections { environment.municipalitySections }

    /// The `saved` values of the page's own forms; any other names a plugin's section.
    static let savedMunicipality = "1"
    static let savedProvider = "identity-provider"
    static let removedProvider = "identity-provider-removed"

    func register(on pages: Pages) {
        pages.signedIn.get("admin/municipality") { request, context in try await page(request, context) }
        pages.signedIn.post("admin/municipality") { request, context in try await save(request, context) }
        pages.signedIn.post("admin/municipality/identity-provider") { request, context in
            try await saveProvider(request, context)
        }
        pages.signedIn.post("admin/municipality/identity-provider/remove") { _, context in
            try await removeProvider(context)
        }
        // A plugin's section whose form had errors: the whole page again, that section with its messages.
        let owner = self
        pages.municipalitySections.install { replacement, context in
            let access = try MunicipalityAdministrator.access(context)
            return try await owner.view(
                State(replacement: replacement), access: access, status: .unprocessableContent, context: context)
        }
    }

    /// What the page shows besides what is saved: typed values, messages, a notice.
    struct State {
        /// The municipality's own form as typed, and the fields in error; `nil`: as saved.
        var values: MunicipalitySettings.Values?
        var errors: [String] = []
        /// The provider's form as typed (the secret never), and each field's message; `nil`: as saved.
        var provider: ProviderForm?
        /// A plugin's section with its messages.
        var replacement: PageSections.Replacement?
        /// Which save the notice tells of.
        var saved: String?
    }

    struct ProviderForm {
        var issuer: String
        var clientID: String
        var errors: [String: String]
    }

    func page(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let access = try MunicipalityAdministrator.access(context)
        let saved = request.uri.queryParameters["saved"].map(String.init)
        return try await view(State(saved: saved), access: access, status: .ok, context: context)
    }

    func save(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let access = try MunicipalityAdministrator.access(context)
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
            return try await view(
                State(values: values, errors: error.errors.map(\.field)), access: access,
                status: .unprocessableContent, context: context)
        }
        return PageRedirect.seeOther("/admin/municipality?saved=\(Self.savedMunicipality)")
    }

    /// `POST /admin/municipality/identity-provider`: the checks of `stedenband tenant set`, then the issuer's
    /// discovery document as sign-in fetches it; a provider that cannot be used is refused beside the issuer,
    /// nothing saved. An empty secret keeps the stored one.
    func saveProvider(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let access = try MunicipalityAdministrator.access(context)
        guard let store = environment.identityProviders.current else { throw Problem.notFound() }
        let form = try await PageForm.read(request)
        func text(_ field: String) -> String { (form[field] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        let registration = IdentityProviderRegistration(issuer: text("oidcIssuer"), clientID: text("oidcClientId"))
        let typedSecret = text("oidcClientSecret")
        let connection = try context.requireConnection()
        let existing = try await store.registration(tenantID: access.tenantID, on: connection)
        // An empty secret keeps the stored one; with none stored, it is required (and the check says so).
        let secret: String? = typedSecret.isEmpty && existing != nil ? nil : typedSecret
        let words = IdentityProviderWords.of(shell.language(context))
        var errors: [String: String] = [:]
        for problem in store.problems(issuer: registration.issuer, clientID: registration.clientID, secret: secret) {
            switch problem.field {
            case "oidcIssuer": errors["oidcIssuer"] = words.issuerError
            case "oidcClientId": errors["oidcClientId"] = words.clientIdError
            default: errors["oidcClientSecret"] = typedSecret.isEmpty ? words.secretRequired : words.secretError
            }
        }
        if errors["oidcIssuer"] == nil, let problem = await store.discover(issuer: registration.issuer) {
            context.logger.notice(
                "identity provider refused: its discovery document cannot be used",
                metadata: ["oidc.issuer": "\(registration.issuer.prefix(200))", "oidc.problem": "\(problem)"])
            errors["oidcIssuer"] = words.message(problem)
        }
        if errors.isEmpty {
            do {
                try await store.save(registration, secret: secret, tenantID: access.tenantID, on: connection)
                return PageRedirect.seeOther("/admin/municipality?saved=\(Self.savedProvider)")
            } catch let problem as Problem where problem.status == .unprocessableContent {
                errors["oidcClientSecret"] = words.secretRequired
            }
        }
        let typed = ProviderForm(issuer: registration.issuer, clientID: registration.clientID, errors: errors)
        return try await view(State(provider: typed), access: access, status: .unprocessableContent, context: context)
    }

    /// `POST /admin/municipality/identity-provider/remove`: as `stedenband tenant set --remove-oidc`.
    func removeProvider(_ context: GatewayRequestContext) async throws -> Response {
        let access = try MunicipalityAdministrator.access(context)
        guard let store = environment.identityProviders.current else { throw Problem.notFound() }
        _ = try await store.remove(tenantID: access.tenantID, on: context.requireConnection())
        return PageRedirect.seeOther("/admin/municipality?saved=\(Self.removedProvider)")
    }

    func view(
        _ state: State, access: TenantAccess, status: HTTPResponse.Status, context: GatewayRequestContext
    ) async throws -> Response {
        let connection = try context.requireConnection()
        let saved = try await MunicipalitySettings.current(tenantID: access.tenantID, on: connection)
        guard let values = state.values ?? saved else { throw Problem.notFound() }
        let language = shell.language(context)
        let words = AdminWords.of(language)
        let providerWords = IdentityProviderWords.of(language)
        let messages: [String: String] = [
            "name": words.nameError, "defaultLocale": words.defaultLocaleError,
            "iatiOrganisationReference": words.iatiReferenceError, "iatiOrganisationType": words.iatiTypeError,
        ]
        var object: [String: Any] = [
            "oidc": IdentityProviderWords.objects[language],
            "name": values.name,
            "iatiOrganisationReference": values.iatiOrganisationReference ?? "",
            "iatiOrganisationType": values.iatiOrganisationType ?? "",
            "choices": Language.allCases.map { code -> [String: Any] in
                [
                    "code": code.rawValue, "name": PageWords.languageName(code),
                    "current": code.rawValue == values.defaultLocale,
                ]
            },
        ]
        if let notice = state.saved {
            object["saved"] =
                switch notice {
                case Self.savedMunicipality: words.saved
                case Self.savedProvider: providerWords.saved
                case Self.removedProvider: providerWords.removed
                default: providerWords.sectionSaved
                }
        }
        var items: [[String: String]] = []
        for field in ["name", "defaultLocale", "iatiOrganisationReference", "iatiOrganisationType"]
        where state.errors.contains(field) {
            let message = messages[field] ?? ""
            object[field + "Error"] = message
            items.append(["field": field, "message": message])
        }
        if let store = environment.identityProviders.current {
            let registration = try await store.registration(tenantID: access.tenantID, on: connection)
            let slug = try await PostgresPeople().municipality(access.tenantID, on: connection)?.slug ?? ""
            var provider: [String: Any] = [
                "configured": registration != nil, "redirectURI": store.redirectURI(slug: slug),
                "oidcIssuer": state.provider?.issuer ?? registration?.issuer ?? "",
                "oidcClientId": state.provider?.clientID ?? registration?.clientID ?? "",
            ]
            for field in ["oidcIssuer", "oidcClientId", "oidcClientSecret"] {
                guard let message = state.provider?.errors[field] else { continue }
                provider[field + "Error"] = message
                items.append(["field": field, "message": message])
            }
            object["provider"] = provider
        }
        object["sections"] = try await sections.render(context: context, replacement: state.replacement)
        for error in state.replacement?.errors ?? [] {
            items.append(["field": error.field, "message": error.message])
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

/// Who may change the municipality's settings, on `/admin/municipality` and the routes of its sections: its
/// administrators (the API's `TenantAccess`); anyone else of the municipality 403, with the page's words.
public enum MunicipalityAdministrator {
    /// The administrator's access, or 403 for anyone else of the municipality (404 for who has none).
    public static func access(_ context: GatewayRequestContext) throws -> TenantAccess {
        let access = try TenantAccess(context)
        guard access.identity.role == .admin else {
            throw Problem.forbidden(AdminWords.of(context.page?.language ?? .fallback).onlyAdministrators)
        }
        return access
    }
}

extension AdminMunicipalityPage {
    /// The page's routes in the OpenAPI document (tag `pages`).
    static func register(in documentation: APIDocumentation) {
        var show = APIOperation(
            .get, "/admin/municipality", id: "municipalitySettingsPage",
            summary:
                "The municipality's name, default language, IATI organisation, identity provider and what plugins "
                + "add, such as the digest defaults (administrators; others 403).",
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
        var provider = APIOperation(
            .post, "/admin/municipality/identity-provider", id: "saveMunicipalityIdentityProvider",
            summary:
                "Sets the municipality's OpenID Connect provider (administrators), checked as `stedenband tenant set` "
                + "checks it and by fetching the issuer's discovery document: 303 to /admin/municipality?saved="
                + "identity-provider, or 422 with the messages beside the fields. An empty secret keeps the stored one.",
            tag: "pages",
            requestBody: .object(
                [
                    "csrf": .string(maxLength: 100), "oidcIssuer": .string(format: "uri", maxLength: 2000),
                    "oidcClientId": .string(maxLength: 500), "oidcClientSecret": .string(maxLength: 4000),
                ], required: ["csrf", "oidcIssuer", "oidcClientId"]),
            success: (303, nil), problems: [403, 404, 422], authenticated: false)
        provider.successMediaType = "text/html"
        provider.requestMediaType = "application/x-www-form-urlencoded"
        var remove = APIOperation(
            .post, "/admin/municipality/identity-provider/remove", id: "removeMunicipalityIdentityProvider",
            summary:
                "Removes the municipality's OpenID Connect provider, as `stedenband tenant set --remove-oidc` "
                + "(administrators): 303 to /admin/municipality?saved=identity-provider-removed.",
            tag: "pages", requestBody: .object(["csrf": .string(maxLength: 100)], required: ["csrf"]),
            success: (303, nil), problems: [403, 404], authenticated: false)
        remove.successMediaType = "text/html"
        remove.requestMediaType = "application/x-www-form-urlencoded"
        documentation.add([show, save, provider, remove])
    }
}
