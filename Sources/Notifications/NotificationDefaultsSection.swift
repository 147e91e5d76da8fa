import Foundation
import Gateway
import Hummingbird
import Mustache
import Vocabulary

/// The municipality's digest defaults on `/admin/municipality` (a section of the gateway's page,
/// ``PageSections``) and `POST /admin/municipality/notifications`, which saves them: thin, as every handler; the
/// operation is ``NotificationsService/updateDefaults(_:access:on:)``, the same as
/// `PUT /api/v1/notifications/defaults`, with its permission (administrators). The fields are the API's
/// (`frequency`, `hour`, `weekday`) and the form's pieces are the digest settings' (``DigestScheduleForm``).
struct NotificationDefaultsSection: Sendable {
    let service: NotificationsService
    let templates: MustacheLibrary

    static let sectionID = "notification-defaults"

    func register(pages: Pages) {
        pages.municipalitySections.add(id: Self.sectionID, order: 10) { context in try await section(context) }
        pages.signedIn.post("admin/municipality/notifications") { request, context in
            try await save(request, context, sections: pages.municipalitySections)
        }
    }

    /// The section as saved; nothing for anyone but the municipality's administrators (the page refuses them).
    func section(_ context: GatewayRequestContext) async throws -> String? {
        guard let access = try? TenantAccess(context), access.identity.role == .admin else { return nil }
        let defaults = try await service.defaults(access: access, on: try context.requireConnection())
        return render(
            frequency: defaults.frequency.rawValue, hour: String(defaults.hour), weekday: String(defaults.weekday),
            quietAfterDays: defaults.quietAfterDays.map(String.init) ?? "", errors: [:], context: context)
    }

    private func render(
        frequency: String, hour: String, weekday: String, quietAfterDays: String, errors: [String: String],
        context: GatewayRequestContext
    ) -> String {
        let language = context.page?.language ?? .fallback
        let words = NotificationsPageWords.all[language]
        let defaults = NotificationDefaultsWords.all[language]
        var object = DigestScheduleForm.values(
            frequency: frequency, hour: hour, weekday: weekday, hourHint: defaults.hourHint, words: words)
        object["words"] = NotificationsSettingsPage.templates[language]
        object["defaults"] = NotificationDefaultsWords.templates[language]
        object["csrf"] = context.page?.csrfToken ?? ""
        object["errors"] = errors
        object["quietAfterDays"] = quietAfterDays
        return templates.render(object, withTemplate: "defaults-section") ?? ""
    }

    /// `POST /admin/municipality/notifications`: saves, then 303 to `/admin/municipality?saved=notification-defaults`;
    /// with errors, the page again (422) with the typed values kept and each message beside its field.
    func save(_ request: Request, _ context: GatewayRequestContext, sections: PageSections) async throws -> Response {
        let access = try MunicipalityAdministrator.access(context)
        let form = try await PageForm.read(request)
        let words = NotificationsPageWords.all[context.page?.language ?? .fallback]
        var read = DigestScheduleForm.read(form, words: words)
        let defaultsWords = NotificationDefaultsWords.all[context.page?.language ?? .fallback]
        // Left out: unchanged; empty: never; else a whole number of days, whose range the service checks.
        let typedDays = (form["quietAfterDays"] ?? "").trimmingCharacters(in: .whitespaces)
        var quietAfterDays = form["quietAfterDays"] == nil ? PatchField<Int>.absent : .cleared
        if !typedDays.isEmpty {
            if let days = Int(typedDays) {
                quietAfterDays = .set(days)
            } else {
                read.errors["quietAfterDays"] = defaultsWords.quietAfterDaysInvalid
            }
        }
        if read.errors.isEmpty {
            let changes = TenantDefaultsChanges(
                frequency: read.frequency?.rawValue, hour: read.hour, weekday: read.weekday,
                quietAfterDays: quietAfterDays)
            do {
                _ = try await service.updateDefaults(changes, access: access, on: try context.requireConnection())
                return PageRedirect.seeOther("/admin/municipality?saved=\(Self.sectionID)#\(Self.sectionID)")
            } catch let problem as Problem where problem.status == .unprocessableContent {
                let messages = [
                    "frequency": words.frequencyInvalid, "hour": words.hourInvalid, "weekday": words.weekdayInvalid,
                    "quietAfterDays": defaultsWords.quietAfterDaysInvalid,
                ]
                for error in problem.errors ?? [] { read.errors[error.field] = messages[error.field] ?? error.message }
            }
        }
        let html = render(
            frequency: form["frequency"] ?? "", hour: form["hour"] ?? "", weekday: form["weekday"] ?? "",
            quietAfterDays: typedDays, errors: read.errors, context: context)
        let errors = ["frequency", "hour", "weekday", "quietAfterDays"].compactMap { field in
            read.errors[field].map { PageSections.FieldError(field: field, message: $0) }
        }
        return try await sections.refuse(section: Self.sectionID, html: html, errors: errors, context: context)
    }
}
