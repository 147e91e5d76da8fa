import Foundation
import HTTPTypes
import Hummingbird
import Postgres
import Vocabulary

/// `/settings`: the person's language and time zone, what plugins add (``SettingsPageSections``: the digest
/// settings) and their live sessions; for a platform administrator, at the same address, their language and
/// sessions only. Thin, as every handler: the sessions' SQL is ``SessionStore``'s and
/// ``PlatformAdminSettings``'.
struct SettingsPage {
    let environment: GatewayEnvironment

    var shell: PageShell { environment.pages }
    var settings: SessionSettings { environment.settings.sessions }

    func register(pages: Pages) {
        pages.signedIn.get("settings") { _, context in try await settingsPage(context) }
        pages.signedIn.post("settings") { request, context in try await saveSettings(request, context) }
        // A plugin's section whose form had errors: the whole page again, that section with its messages.
        let page = self
        pages.settingsSections.install { replacement, context in
            try await page.settingsPage(context, replacement: replacement)
        }
    }

    var sections: SettingsPageSections { environment.settingsSections }

    private func now() -> Date { environment.now() }

    /// Whose settings the page shows: a municipality's person (language, time zone, what plugins add,
    /// sessions) or a platform administrator (language and sessions: they have no municipality, so no time
    /// zone of one and no digests).
    enum Owner {
        case person(TenantAccess)
        case platformAdministrator(UUID)

        init(_ context: GatewayRequestContext) throws {
            let identity = try context.requireIdentity()
            if identity.role == .platformAdmin, let admin = identity.platformAdminID {
                self = .platformAdministrator(admin)
            } else {
                self = .person(try TenantAccess(context))
            }
        }
    }

    func settingsPage(
        _ context: GatewayRequestContext, replacement: SettingsPageSections.Replacement? = nil
    ) async throws -> Response {
        let owner = try Owner(context)
        let connection = try context.requireConnection()
        switch owner {
        case .platformAdministrator(let admin):
            let own = try await PlatformAdminSettings.language(of: admin, on: connection)
            return try await settingsView(
                owner: owner, locale: own.flatMap(Language.init(rawValue:)) ?? shell.language(context),
                timeZone: "", error: nil, status: .ok, context: context)
        case .person(let access):
            let rows = try await connection.query(
                "SELECT locale, time_zone FROM platform.users WHERE id = \(access.userID)")
            guard let row = rows.first else { throw Problem.notFound() }
            let (locale, zone) = try row.decode((String, String).self)
            return try await settingsView(
                owner: owner, locale: Language.resolving(locale), timeZone: zone, error: nil,
                status: replacement == nil ? .ok : .unprocessableContent, replacement: replacement, context: context)
        }
    }

    private func settingsView(
        owner: Owner, locale: Language, timeZone: String, error: String?, status: HTTPResponse.Status,
        replacement: SettingsPageSections.Replacement? = nil, context: GatewayRequestContext
    ) async throws -> Response {
        let language = shell.language(context)
        let words = PageWords.of(language)
        let connection = try context.requireConnection()
        let sessions: [SessionStore.Summary]
        switch owner {
        case .person(let access):
            sessions = try await SessionStore.live(
                userID: access.userID, at: now(), settings: settings, on: connection)
        case .platformAdministrator(let admin):
            sessions = try await PlatformAdminSettings.liveSessions(
                of: admin, at: now(), settings: settings, on: connection)
        }
        let style = Date.FormatStyle(
            date: .abbreviated, time: .shortened, locale: Locale(identifier: language.rawValue),
            timeZone: TimeZone(identifier: timeZone) ?? .gmt)
        var values: [String: Any] = [
            "timeZone": timeZone,
            "choices": Language.allCases.map { code -> [String: Any] in
                ["code": code.rawValue, "name": PageWords.languageName(code), "current": code == locale]
            },
            "sessions": sessions.map { session -> [String: Any] in
                [
                    "started": session.createdAt.formatted(style), "lastSeen": session.lastSeenAt.formatted(style),
                    "agent": Self.browserName(session.userAgent),
                    "current": session.id == context.page?.person?.sessionID,
                ]
            },
        ]
        if case .person = owner {
            // A municipality's person's own parts: the time zone and what plugins add (the digest settings).
            values["municipalityPerson"] = true
            values["sections"] = try await sections.render(context: context, replacement: replacement)
        }
        if let error {
            values["timeZoneError"] = error
            values["errorSummary"] =
                ["title": words.errorSummary, "items": [["field": "timeZone", "message": error]]] as [String: Any]
        }
        if let replacement, !replacement.errors.isEmpty {
            values["errorSummary"] =
                [
                    "title": words.errorSummary,
                    "items": replacement.errors.map { ["field": $0.field, "message": $0.message] },
                ] as [String: Any]
        }
        let title = replacement == nil ? words.settingsTitle : "\(words.errorSummary): \(words.settingsTitle)"
        return shell.view("settings", title: title, values: values, status: status, context: context)
    }

    func saveSettings(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let owner = try Owner(context)
        let form = try await PageForm.read(request)
        let locale = form["locale"].flatMap(Language.init(rawValue:)) ?? shell.language(context)
        let access: TenantAccess
        switch owner {
        case .platformAdministrator(let admin):
            try await PlatformAdminSettings.saveLanguage(
                locale.rawValue, of: admin, on: try context.requireConnection())
            return PageRedirect.seeOther("/settings")
        case .person(let person):
            access = person
        }
        let zone = (form["timeZone"] ?? "").trimmingCharacters(in: .whitespaces)
        guard !zone.isEmpty, zone.utf8.count <= 64, TimeZone(identifier: zone) != nil else {
            let words = PageWords.of(shell.language(context))
            return try await settingsView(
                owner: owner, locale: locale, timeZone: zone, error: words.timeZoneInvalid,
                status: .unprocessableContent, context: context)
        }
        try await context.requireConnection().query(
            """
            UPDATE platform.users SET locale = \(locale.rawValue), time_zone = \(zone), version = version + 1
            WHERE id = \(access.userID) AND (locale <> \(locale.rawValue) OR time_zone <> \(zone))
            """)
        return PageRedirect.seeOther("/settings")
    }

    /// A short name for a `User-Agent`, enough to tell one's browsers apart.
    static func browserName(_ agent: String) -> String {
        guard !agent.isEmpty else { return "?" }
        let known = [
            ("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"), ("curl/", "curl"),
        ]
        let browser = known.first { agent.contains($0.0) }?.1 ?? String(agent.prefix(40))
        let system = [
            ("Android", "Android"), ("iPhone", "iPhone"), ("Windows", "Windows"), ("Mac OS", "macOS"),
            ("Linux", "Linux"),
        ].first { agent.contains($0.0) }?.1
        return system.map { "\(browser) · \($0)" } ?? browser
    }
}
