import Delivery
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import Messaging
import Mustache
import NIOCore
import Postgres
import Vocabulary

/// The digest settings on `/settings` (a section of the gateway's settings page, ``PageSections``) and
/// `POST /settings/notifications`, which saves them: thin, as every handler; the rules are
/// ``NotificationsService``'s, the same as `PUT /api/v1/me/notifications`.
///
/// The form's fields carry the API's names (`frequency`, `hour`, `weekday`, `email`, `mutedPartnerships`,
/// `webhook.url`). The hour is shown and saved in the person's own time zone (their settings' `timeZone`
/// follows it), and the digest's language follows theirs.
struct NotificationsSettingsPage: Sendable {
    let service: NotificationsService
    let templates: MustacheLibrary

    static let sectionID = "notifications"

    init(service: NotificationsService) throws {
        self.service = service
        var library = MustacheLibrary()
        // The digest defaults' section on /admin/municipality shares these (and the schedule's fields).
        for name in ["settings-section", "webhook-secret", "digest-schedule-fields", "defaults-section"] {
            guard let text = EmbeddedFiles.text("Templates/\(name).mustache") else {
                throw DigestRenderer.TemplateMissing(name: name)
            }
            library.register(try MustacheTemplate(string: text), named: name)
        }
        self.templates = library
    }

    func register(pages: Pages) {
        pages.settingsSections.add(id: Self.sectionID, order: 10) { context in try await section(context) }
        let shell = pages.shell
        pages.signedIn.post("settings/notifications") { request, context in
            try await save(request, context, shell: shell, sections: pages.settingsSections)
        }
    }

    /// What the form shows: the values, typed or saved, and the messages beside their fields.
    struct Form {
        var frequency: String
        var hour: String
        var weekday: String
        var email: Bool
        var muted: Set<String>
        var webhookURL: String
        var webhookDisabled: Bool
        var quietReminders = true
        var periodReminders = true
        var errors: [String: String] = [:]
    }

    /// The section as saved.
    func section(_ context: GatewayRequestContext) async throws -> String? {
        guard let access = try? TenantAccess(context) else { return nil }
        let connection = try context.requireConnection()
        let settings = try await service.settings(access: access, on: connection)
        let zone = Self.zone(of: try await service.people.person(access.userID, on: connection))
        let form = Form(
            frequency: settings.frequency.rawValue,
            hour: String(Self.hour(settings, in: zone, now: service.clock.now())),
            weekday: String(settings.weekday), email: settings.email,
            muted: Set(settings.mutedPartnerships.map { $0.uuidString.lowercased() }),
            webhookURL: settings.webhook?.url ?? "", webhookDisabled: settings.webhook?.disabledAt != nil,
            quietReminders: settings.quietReminders, periodReminders: settings.periodReminders)
        return try await render(form, zone: zone, access: access, context: context)
    }

    private func render(
        _ form: Form, zone: TimeZone, access: TenantAccess, context: GatewayRequestContext
    ) async throws -> String {
        let words = Self.words(context)
        let partnerships = try await service.mutablePartnerships(access: access, on: try context.requireConnection())
        var object = DigestScheduleForm.values(
            frequency: form.frequency, hour: form.hour, weekday: form.weekday,
            hourHint: "\(words.hourHint) \(zone.identifier)", words: words)
        object.merge([
            "words": Self.strings(context), "csrf": context.page?.csrfToken ?? "", "timeZone": zone.identifier,
            "errors": form.errors, "email": form.email, "webhookURL": form.webhookURL,
            "webhookDisabled": form.webhookDisabled, "quietReminders": form.quietReminders,
            "periodReminders": form.periodReminders,
            "partnerships": partnerships.enumerated().map { index, partnership -> [String: Any] in
                let id = partnership.id.uuidString.lowercased()
                return [
                    "id": id, "title": partnership.title, "muted": form.muted.contains(id),
                    // The first box carries the field's name, for the error summary's link.
                    "fieldID": index == 0 ? "mutedPartnerships" : "mutedPartnerships-\(index + 1)",
                ]
            },
        ]) { _, new in new }
        return templates.render(object, withTemplate: "settings-section") ?? ""
    }

    /// `POST /settings/notifications`: saves, then 303 to `/settings#notifications`; with errors, the settings
    /// page again (422) with the typed values kept; a new webhook's secret on a page of its own, once.
    func save(
        _ request: Request, _ context: GatewayRequestContext, shell: PageShell, sections: PageSections
    ) async throws -> Response {
        let access = try TenantAccess(context)
        let connection = try context.requireConnection()
        let (fields, text) = try await PageForm.readWithText(request)
        let words = Self.words(context)
        let person = try await service.people.person(access.userID, on: connection)
        let zone = Self.zone(of: person)
        let current = try await service.settings(access: access, on: connection)
        let posted = PageForm.values("mutedPartnerships", in: text)
        var form = Form(
            frequency: fields["frequency"] ?? "", hour: fields["hour"] ?? "", weekday: fields["weekday"] ?? "",
            email: fields["email"] == "true", muted: Set(posted.map { $0.lowercased() }),
            webhookURL: (fields["webhook.url"] ?? "").trimmingCharacters(in: .whitespaces),
            webhookDisabled: current.webhook?.disabledAt != nil, quietReminders: fields["quietReminders"] == "true",
            periodReminders: fields["periodReminders"] == "true")
        let schedule = DigestScheduleForm.read(fields, words: words)
        let (frequency, hour, weekday) = (schedule.frequency, schedule.hour, schedule.weekday)
        form.errors.merge(schedule.errors) { _, new in new }
        let muted = posted.compactMap { UUID(uuidString: $0) }
        if muted.count != posted.count || muted.count > 1000 { form.errors["mutedPartnerships"] = words.mutedInvalid }
        if !form.webhookURL.isEmpty, WebhookURLCheck.host(form.webhookURL) == nil {
            form.errors["webhook"] = words.webhookForm
        }
        var changes = NotificationSettingsChanges(
            frequency: frequency?.rawValue, hour: hour, weekday: weekday, timeZone: zone.identifier,
            locale: Language.resolving(person?.locale).rawValue, email: form.email, mutedPartnerships: muted,
            webhook: .absent, quietReminders: form.quietReminders, periodReminders: form.periodReminders)
        if form.webhookURL.isEmpty {
            if current.webhook != nil { changes.webhook = .cleared }
        } else if form.webhookURL != current.webhook?.url || current.webhook?.disabledAt != nil {
            // A new address, or the same one sent again to resume deliveries: a new secret.
            changes.webhook = .set(.init(url: form.webhookURL))
        }
        if form.errors.isEmpty {
            do {
                let saved = try await service.updateSettingsFromPage(changes, access: access, on: connection)
                if let secret = saved.webhook?.secret, let url = saved.webhook?.url {
                    return secretPage(secret: secret, url: url, shell: shell, context: context)
                }
                return PageRedirect.seeOther("/settings#notifications")
            } catch let problem as Problem where problem.status == .unprocessableContent {
                for error in problem.errors ?? [] {
                    switch error.field {
                    case "webhook.url": form.errors["webhook"] = words.webhookAddress
                    case "mutedPartnerships": form.errors["mutedPartnerships"] = words.mutedInvalid
                    default: form.errors[error.field] = error.message
                    }
                }
            }
        }
        let html = try await render(form, zone: zone, access: access, context: context)
        let order = ["frequency", "hour", "weekday", "mutedPartnerships", "webhook"]
        let errors = order.compactMap { field in
            form.errors[field].map {
                PageSections.FieldError(field: field == "webhook" ? "webhook-url" : field, message: $0)
            }
        }
        return try await sections.refuse(section: Self.sectionID, html: html, errors: errors, context: context)
    }

    /// The signing secret of a webhook just set: shown on this answer only, never kept in a URL or a cache.
    private func secretPage(secret: String, url: String, shell: PageShell, context: GatewayRequestContext) -> Response {
        let words = Self.words(context)
        let html =
            templates.render(
                ["words": Self.strings(context), "secret": secret, "url": url] as [String: Any],
                withTemplate: "webhook-secret") ?? ""
        return shell.respond(title: words.secretTitle, content: html, context: context)
    }

    // MARK: Helpers

    /// The person's own time zone, which their digests follow.
    static func zone(of person: Person?) -> TimeZone {
        person.flatMap { TimeZone(identifier: $0.timeZone) } ?? TimeZone(identifier: "Europe/Brussels") ?? .gmt
    }

    /// The settings' hour on the person's clock: the same as saved when the settings follow their time zone;
    /// otherwise the hour the next digest's send time has there.
    static func hour(_ settings: NotificationSettings, in zone: TimeZone, now: Date) -> Int {
        guard settings.timeZone != zone.identifier else { return settings.hour }
        var daily = settings.schedule
        daily.frequency = .daily
        guard let next = daily.nextSend(after: now) else { return settings.hour }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.component(.hour, from: next)
    }

    static func words(_ context: GatewayRequestContext) -> NotificationsPageWords {
        NotificationsPageWords.all[context.page?.language ?? .fallback]
    }

    /// The page's words as its templates read them (`{{words.frequency}}`), made once per language.
    static func strings(_ context: GatewayRequestContext) -> [String: String] {
        templates[context.page?.language ?? .fallback]
    }

    static let templates = PageShell.templateObjects(NotificationsPageWords.all)
}
