import ActivitiesContracts
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import Mustache
import NIOCore
import Postgres
import ReferenceData
import Vocabulary

/// The activities' pages for people: `/activities/{id}` with its updates, `/partnerships/{id}/activities/new`,
/// `/activities/{id}/edit`, `/activities` (search), and the activities section of a partnership's page.
///
/// Every handler calls ``ActivitiesService`` as ``ActivitiesController`` does (`TenantAccess(context)`, the
/// request's connection), so the permissions are the API's: another municipality's activity is a 404, a viewer
/// gets no form (and 403 if they post one), a partner coordinator sees their partnerships only.
struct ActivityPages: Sendable {
    let service: ActivitiesService
    let people: any People
    let library: MustacheLibrary

    /// The most activities the partnership page's section lists.
    static let sectionLimit = 100
    /// The longest target text a checkbox's label shows (the page stays small with all 169 targets).
    static let targetTextLimit = 60

    init(service: ActivitiesService, people: any People) throws {
        var library = MustacheLibrary()
        for name in [
            "errors", "field", "activity", "activity-form", "activities", "partnership-activities", "sectors",
        ] {
            guard let text = EmbeddedFiles.text("Templates/\(name).mustache") else { throw TemplateMissing(name: name) }
            try library.register(text, named: name)
        }
        self.service = service
        self.people = people
        self.library = library
    }

    struct TemplateMissing: Error, CustomStringConvertible {
        var name: String
        var description: String { "Templates/\(name).mustache is not embedded in the Activities module" }
    }

    func register(on pages: Pages, documentation: APIDocumentation) {
        let shell = pages.shell
        pages.signedIn.get("activities") { request, context in try await search(request, context, shell) }
        let sections = pages.activitySections
        pages.signedIn.get("activities/:id") { request, context in
            try await show(request, context, shell, sections: sections)
        }
        pages.signedIn.post("activities/:id/updates") { request, context in
            try await postUpdate(request, context, shell, sections: sections)
        }
        pages.signedIn.get("activities/:id/sectors") { _, context in try await sectorsForm(context, shell) }
        pages.signedIn.post("activities/:id/sectors") { request, context in
            try await chooseSectors(request, context, shell)
        }
        pages.signedIn.get("activities/:id/edit") { _, context in try await editForm(context, shell) }
        pages.signedIn.post("activities/:id/edit") { request, context in try await edit(request, context, shell) }
        pages.signedIn.get("partnerships/:id/activities/new") { _, context in try await newForm(context, shell) }
        pages.signedIn.post("partnerships/:id/activities/new") { request, context in
            try await create(request, context, shell)
        }
        pages.partnershipSections.add(order: 10) { partnership, context in
            try await section(of: partnership, context, shell)
        }
        documentation.add(ActivityPageDocumentation.operations)
    }

    // MARK: /activities/{id}

    func show(
        _ request: Request, _ context: GatewayRequestContext, _ shell: PageShell, sections: RecordPageSections,
        typed: String = "", errors: [Problem.FieldError] = [], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let access = try TenantAccess(context)
        let id = try ActivityRequest.pathID(context, "activity")
        let connection = try context.requireConnection()
        let record = try await service.activity(id, access: access, on: connection)
        let (limit, before) = try Pagination.read(request)
        let updates = try await service.updates(
            of: id, limit: limit, before: before, access: access, on: connection)
        let authors = try await people.people(Array(Set(updates.items.map(\.authorId))), on: connection)
        let partnershipTitle = try await service.partnershipTitle(
            record.partnershipId, access: access, on: connection)
        let style = try await format(context, access: access, on: connection)
        let words = style.words
        var object = base(context, words: words, errors: errors)
        object.merge(details(record, style)) { _, new in new }
        object["partnershipTitle"] = partnershipTitle
        object["sectorWords"] = ActivitySectorWords.templates[style.language]
        object["canWrite"] = access.canWrite
        object["canPost"] = access.canPostUpdates
        if !access.canWrite { object["viewerNote"] = words.viewerNote }
        object["body"] = typed
        if let error = errors.first(where: { $0.field == "body" }) {
            object["bodyError"] = words.message("body", fallback: error.message)
        }
        object["hasUpdates"] = !updates.items.isEmpty
        object["updates"] = updates.items.map { update -> [String: Any] in
            [
                "author": authors[update.authorId]?.name ?? words.unknownAuthor, "body": update.body,
                "when": style.instant(update.postedAt),
                "iso": HTML.datetime(update.postedAt),
            ]
        }
        if let next = updates.nextCursor {
            let size = request.uri.queryParameters.get("limit").map { "limit=\(PageForm.encode($0))&" } ?? ""
            object["older"] = "/activities/\(Self.text(id))?\(size)cursor=\(PageForm.encode(next))#updates"
        }
        object["paged"] = before != nil
        object["sections"] = try await sections.render(id, context: context)
        return shell.respond(
            title: record.title, content: render("activity", object), status: status, context: context)
    }

    func postUpdate(
        _ request: Request, _ context: GatewayRequestContext, _ shell: PageShell, sections: RecordPageSections
    ) async throws -> Response {
        let access = try TenantAccess(context)
        let id = try ActivityRequest.pathID(context, "activity")
        let form = PageForm(try await Self.body(request))
        let text = form["body"] ?? ""
        do {
            _ = try await service.postUpdate(
                NewProgressUpdate(body: text), on: id, access: access, on: try context.requireConnection())
        } catch let problem as Problem where problem.status.code == 422 {
            return try await show(
                request, context, shell, sections: sections, typed: text, errors: problem.errors ?? [],
                status: .unprocessableContent)
        }
        return PageRedirect.seeOther("/activities/\(Self.text(id))#updates")
    }

    // MARK: /partnerships/{id}/activities/new

    func newForm(_ context: GatewayRequestContext, _ shell: PageShell) async throws -> Response {
        let access = try TenantAccess(context)
        let partnership = try ActivityRequest.pathID(context, "partnership")
        let connection = try context.requireConnection()
        let title = try await service.partnershipTitle(partnership, access: access, on: connection)
        try access.requireWrite("activities")
        return try await formPage(
            ActivityForm(), new: (partnership, title), current: nil, context, shell, access: access)
    }

    func create(_ request: Request, _ context: GatewayRequestContext, _ shell: PageShell) async throws -> Response {
        let access = try TenantAccess(context)
        let partnership = try ActivityRequest.pathID(context, "partnership")
        let connection = try context.requireConnection()
        let title = try await service.partnershipTitle(partnership, access: access, on: connection)
        try access.requireWrite("activities")
        let form = ActivityForm(ActivityForm.fields(try await Self.body(request)))
        let (activity, unreadable) = form.newActivity()
        switch try await PageForm.submit(
            unreadable: unreadable, checks: activity.validate,
            save: {
                let record = try await service.create(activity, in: partnership, access: access, on: connection)
                return PageRedirect.seeOther("/activities/\(Self.text(record.id))")
            })
        {
        case .saved(let response): return response
        case .refused(let errors):
            return try await formPage(
                form, new: (partnership, title), current: nil, errors: errors, status: .unprocessableContent,
                context, shell, access: access)
        }
    }

    // MARK: /activities/{id}/edit

    func editForm(_ context: GatewayRequestContext, _ shell: PageShell) async throws -> Response {
        let access = try TenantAccess(context)
        let id = try ActivityRequest.pathID(context, "activity")
        let record = try await service.activity(id, access: access, on: try context.requireConnection())
        try access.requireWrite("activities")
        return try await formPage(ActivityForm(record), new: nil, current: record, context, shell, access: access)
    }

    func edit(_ request: Request, _ context: GatewayRequestContext, _ shell: PageShell) async throws -> Response {
        let access = try TenantAccess(context)
        let id = try ActivityRequest.pathID(context, "activity")
        let connection = try context.requireConnection()
        let opened = try await service.activity(id, access: access, on: connection)
        try access.requireWrite("activities")
        var form = ActivityForm(ActivityForm.fields(try await Self.body(request)))
        let (changes, unreadable) = form.changes()
        do {
            switch try await PageForm.submit(
                unreadable: unreadable, checks: changes.validate,
                save: {
                    // The version the form was opened at, as `If-Match` carries it: one that is not a number is stale.
                    let record = try await service.update(
                        id, with: (changes, Int(form.version) ?? -1), access: access, on: connection)
                    return PageRedirect.seeOther("/activities/\(Self.text(record.id))")
                })
            {
            case .saved(let response): return response
            case .refused(let errors):
                return try await formPage(
                    form, new: nil, current: opened, errors: errors, status: .unprocessableContent, context, shell,
                    access: access)
            }
        } catch let problem as Problem where problem.status == .preconditionFailed {
            // Changed since the form was opened: nothing is written; show what is stored now beside what was
            // typed, and take the current version, so saving again is a decision made knowingly.
            let current = try await service.activity(id, access: access, on: connection)
            form.version = "\(current.version)"
            return try await formPage(
                form, new: nil, current: current, stale: true, status: .conflict, context, shell, access: access)
        }
    }

    /// The new or edit form with `form`'s values, `errors` beside their fields, and, when `stale`, the stored
    /// value beside each field where it differs from what was typed.
    func formPage(
        _ form: ActivityForm, new: (id: UUID, title: String)?, current: ActivityRecord?,
        errors: [Problem.FieldError] = [], stale: Bool = false, status: HTTPResponse.Status = .ok,
        _ context: GatewayRequestContext, _ shell: PageShell, access: TenantAccess
    ) async throws -> Response {
        let style = try await format(context, access: access, on: try context.requireConnection())
        let words = style.words
        let language = style.language
        var object = base(context, words: words, errors: errors)
        let stored = stale ? current.map { ActivityForm($0) } : nil
        func message(_ field: String) -> String? {
            errors.first { $0.field == field }.map { words.message(field, fallback: $0.message) }
        }
        func storedText(_ field: String, _ typed: String, _ now: String?, shown: String? = nil) -> String? {
            guard let now, now != typed else { return nil }
            return now.isEmpty ? words.none : (shown ?? now)
        }
        func field(
            _ id: String, _ label: String, hint: String? = nil, value: String, stored now: String?,
            shown: String? = nil, kind: String = "input", type: String = "text", options: [(String, String)] = [],
            attributes: String = ""
        ) -> [String: Any] {
            var field: [String: Any] = ["id": id, "label": label, "value": value]
            PageField.describe(
                &field, id: id, hint: hint, error: message(id), stored: storedText(id, value, now, shown: shown))
            switch kind {
            case "textarea": field["textarea"] = true
            case "select":
                field["select"] = true
                field["options"] = options.map { ["value": $0.0, "name": $0.1, "selected": $0.0 == value] }
            default:
                field["input"] = true
                field["type"] = type
                field["attributes"] = attributes
            }
            return field
        }
        let kinds = ActivityKind.allCases.map { ($0.rawValue, $0.name(in: language)) }
        let statuses = ActivityStatus.allCases.map { ($0.rawValue, $0.name(in: language)) }
        let directions = LearningDirection.allCases.map { ($0.rawValue, $0.name(in: language)) }
        func name(_ options: [(String, String)], _ value: String?) -> String? {
            value.map { value in options.first { $0.0 == value }?.1 ?? value }
        }
        object["mainFields"] = [
            field(
                "title", words.title, value: form.title, stored: stored?.title,
                attributes: #" maxlength="200" autocomplete="off""#),
            field(
                "description", words.description, value: form.description, stored: stored?.description, kind: "textarea"
            ),
            field(
                "kind", words.kind, value: form.kind, stored: stored?.kind, shown: name(kinds, stored?.kind),
                kind: "select", options: kinds),
            field(
                "status", words.status, value: form.status, stored: stored?.status,
                shown: name(statuses, stored?.status), kind: "select", options: statuses),
            field(
                "direction", words.direction, value: form.direction, stored: stored?.direction,
                shown: name(directions, stored?.direction), kind: "select", options: directions),
            field(
                "startsOn", words.startsOn, hint: words.dateHint, value: form.startsOn, stored: stored?.startsOn,
                type: "date"),
            field(
                "endsOn", words.endsOn, hint: words.dateHint, value: form.endsOn, stored: stored?.endsOn, type: "date"),
        ]
        object["themeFields"] = [
            field("themes", words.themes, hint: words.themesHint, value: form.themes, stored: stored?.themes)
        ]
        object["budgetFields"] = [
            field(
                "budget.planned", words.planned, value: form.planned, stored: stored?.planned,
                attributes: #" inputmode="decimal" autocomplete="off""#),
            field(
                "budget.spent", words.spent, value: form.spent, stored: stored?.spent,
                attributes: #" inputmode="decimal" autocomplete="off""#),
            field(
                "budget.currency", words.currency, hint: words.currencyHint, value: form.currency,
                stored: stored.map { $0.planned.isEmpty ? "" : $0.currency },
                attributes: #" maxlength="3" autocomplete="off" spellcheck="false""#),
        ]
        // The targets, goal by goal; a goal with a chosen target is open.
        let chosen = Set(form.sdgTargets)
        object["goals"] = SDGCatalogue.goals.map { goal -> [String: Any] in
            let targets = SDGCatalogue.targets.filter { $0.goal == goal.number }
            let count = targets.filter { chosen.contains($0.code) }.count
            var entry: [String: Any] = [
                "number": goal.number, "name": goal.shortName(language), "open": count > 0,
                "targets": targets.map { target -> [String: Any] in
                    let text = target.text(language)
                    let short =
                        text.count > Self.targetTextLimit ? String(text.prefix(Self.targetTextLimit)) + "…" : text
                    return ["code": target.code, "text": short, "checked": chosen.contains(target.code)]
                },
            ]
            if count > 0 { entry["count"] = "\(count)" }
            return entry
        }
        if let error = message("sdgTargets") { object["sdgError"] = error }
        if let stored, Set(stored.sdgTargets) != chosen {
            object["sdgStored"] = stored.sdgTargets.isEmpty ? words.none : stored.sdgTargets.joined(separator: ", ")
        }
        object["stale"] = stale
        if let new {
            object["heading"] = words.newHeading
            object["action"] = "/partnerships/\(Self.text(new.id))/activities/new"
            object["back"] = ["href": "/partnerships/\(Self.text(new.id))", "text": new.title]
            object["submit"] = words.create
        } else if let current {
            object["heading"] = words.editHeading
            object["action"] = "/activities/\(Self.text(current.id))/edit"
            object["back"] = ["href": "/activities/\(Self.text(current.id))", "text": current.title]
            object["submit"] = words.save
            object["version"] = form.version
        }
        let title = object["heading"] as? String ?? words.newHeading
        return shell.respond(
            title: title, content: render("activity-form", object), status: status, context: context)
    }

    // MARK: /activities

    func search(_ request: Request, _ context: GatewayRequestContext, _ shell: PageShell) async throws -> Response {
        let access = try TenantAccess(context)
        let connection = try context.requireConnection()
        let query = request.uri.queryParameters
        // A GET form sends every field, empty or not: an empty one filters nothing.
        let names = ["q", "partnershipId", "status", "kind", "direction", "sdg", "target", "theme", "year"]
        var typed: [String: String] = [:]
        for name in names + ["limit"] {
            if let value = query.get(name)?.trimmingCharacters(in: .whitespaces), !value.isEmpty {
                typed[name] = value
            }
        }
        let partnerships = try await service.partnerships(access: access, on: connection)
        let style = try await format(context, access: access, on: connection)
        let words = style.words
        let language = style.language
        var errors: [Problem.FieldError] = []
        var found: ActivityPage?
        var paged = false
        do {
            let filter = try ActivityRequest.filter { typed[$0] }
            let (limit, after) = try Pagination.read(request)
            paged = after != nil
            found = try await service.list(filter, limit: limit, after: after, access: access, on: connection)
        } catch let problem as Problem where problem.status.code == 422 {
            errors = problem.errors ?? []
        }
        var object = base(context, words: words, errors: errors)
        object["canImport"] = access.canWrite
        func message(_ field: String) -> String? {
            errors.first { $0.field == field }.map { words.message(field, fallback: $0.message) }
        }
        func field(_ id: String, _ label: String, hint: String? = nil, options: [(String, String)]? = nil)
            -> [String: Any]
        {
            let value = typed[id] ?? ""
            var field: [String: Any] = ["id": id, "label": label, "value": value]
            PageField.describe(&field, id: id, hint: hint, error: message(id))
            if let options {
                field["select"] = true
                field["options"] = ([("", words.any)] + options).map {
                    ["value": $0.0, "name": $0.1, "selected": $0.0 == value]
                }
            } else {
                field["input"] = true
                field["type"] = "text"
                field["attributes"] = ""
            }
            return field
        }
        object["fields"] = [
            field("q", words.text),
            field("partnershipId", words.partnership, options: partnerships.map { (Self.text($0.id), $0.title) }),
            field(
                "status", words.status, options: ActivityStatus.allCases.map { ($0.rawValue, $0.name(in: language)) }),
            field(
                "kind", words.kind,
                options: ActivityKind.allCases.map { ($0.rawValue, $0.name(in: language)) }),
            field(
                "direction", words.direction,
                options: LearningDirection.allCases.map { ($0.rawValue, $0.name(in: language)) }),
            field(
                "sdg", words.goal,
                options: SDGCatalogue.goals.map { ("\($0.number)", "\($0.number). \($0.shortName(language))") }),
            field("target", words.target, hint: words.targetHint),
            field("theme", words.theme),
            field("year", words.year),
        ]
        let titles = Dictionary(partnerships.map { ($0.id, $0.title) }) { first, _ in first }
        if let found {
            object["searched"] = true
            object["hasResults"] = !found.items.isEmpty
            object["results"] = found.items.map { row(of: $0, partnership: titles[$0.partnershipId], style) }
            if let next = found.nextCursor {
                let filters = (names + ["limit"]).compactMap { name in
                    typed[name].map { "\(name)=\(PageForm.encode($0))" }
                }
                object["next"] = "/activities?" + (filters + ["cursor=\(PageForm.encode(next))"]).joined(separator: "&")
            }
            if paged {
                let filters = names.compactMap { name in typed[name].map { "\(name)=\(PageForm.encode($0))" } }
                object["first"] = "/activities" + (filters.isEmpty ? "" : "?" + filters.joined(separator: "&"))
            }
        }
        return shell.respond(
            title: words.searchHeading, content: render("activities", object),
            status: errors.isEmpty ? .ok : .unprocessableContent, context: context)
    }

    // MARK: The partnership page's section

    /// The partnership's activities, and a link to record one for those who may.
    func section(of partnership: UUID, _ context: GatewayRequestContext, _ shell: PageShell) async throws -> String? {
        let access = try TenantAccess(context)
        let connection = try context.requireConnection()
        let page = try await service.list(
            ActivityFilter(partnershipID: partnership), limit: Self.sectionLimit, after: nil, access: access,
            on: connection)
        let style = try await format(context, access: access, on: connection)
        var object = base(context, words: style.words, errors: [])
        object["hasActivities"] = !page.items.isEmpty
        object["activities"] = page.items.map { row(of: $0, partnership: nil, style) }
        if access.canWrite { object["newHref"] = "/partnerships/\(Self.text(partnership))/activities/new" }
        if page.nextCursor != nil { object["more"] = "/activities?partnershipId=\(Self.text(partnership))" }
        return render("partnership-activities", object)
    }

    // MARK: Rendering

    /// How this page writes dates, times and money: the page's language, the person's time zone.
    struct Style {
        var language: Language
        var words: ActivityPageWords
        var locale: Locale
        var timeZone: TimeZone

        static let utc = TimeZone(identifier: "UTC")!

        func date(_ date: CalendarDate) -> String {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = Self.utc
            guard let day = calendar.date(from: DateComponents(year: date.year, month: date.month, day: date.day))
            else { return date.description }
            return day.formatted(Date.FormatStyle(date: .long, time: .omitted, locale: locale, timeZone: Self.utc))
        }

        func instant(_ instant: Date) -> String {
            instant.formatted(Date.FormatStyle(date: .long, time: .shortened, locale: locale, timeZone: timeZone))
        }

        func money(_ amount: Amount, _ currency: Currency) -> String {
            (Decimal(amount.units) / pow(10, amount.scale)).formatted(
                .currency(code: currency.rawValue).locale(locale))
        }

        func dates(_ start: CalendarDate?, _ end: CalendarDate?) -> String? {
            switch (start, end) {
            case (nil, nil): nil
            case (let start?, nil): date(start) + " –"
            case (nil, let end?): "– " + date(end)
            case (let start?, let end?): date(start) + " – " + date(end)
            }
        }
    }

    func format(_ context: GatewayRequestContext, access: TenantAccess, on connection: PostgresConnection)
        async throws -> Style
    {
        let language = context.page?.language ?? .fallback
        let words = ActivityPageWords.all[language]
        let zone = try await people.person(access.userID, on: connection).flatMap { TimeZone(identifier: $0.timeZone) }
        return Style(
            language: language, words: words, locale: Locale(identifier: words.localeIdentifier),
            timeZone: zone ?? TimeZone(identifier: "Europe/Brussels") ?? Style.utc)
    }

    /// What every template uses: the words, the CSRF token, the error summary.
    func base(_ context: GatewayRequestContext, words: ActivityPageWords, errors: [Problem.FieldError])
        -> [String: Any]
    {
        // The words are the page's language's (``format(_:access:on:)``), as templates read them, made once.
        let strings = ActivityPageWords.templates[context.page?.language ?? .fallback]
        var object: [String: Any] = ["words": strings, "csrf": context.page?.csrfToken ?? ""]
        if !errors.isEmpty {
            object["errorSummary"] = [
                "items": errors.map { ["field": $0.field, "message": words.message($0.field, fallback: $0.message)] }
            ]
        }
        return object
    }

    /// An activity's details as the page shows them.
    func details(_ record: ActivityRecord, _ style: Style) -> [String: Any] {
        let language = style.language
        var object: [String: Any] = [
            "id": Self.text(record.id), "partnershipId": Self.text(record.partnershipId), "title": record.title,
            "kind": record.kind.name(in: language), "status": record.status.name(in: language),
            "direction": record.direction.name(in: language),
            "dates": style.dates(record.startsOn, record.endsOn) ?? style.words.none,
            "themes": record.themes.isEmpty ? style.words.none : record.themes.joined(separator: ", "),
            "hasTargets": !record.sdgTargets.isEmpty,
            "hasSectors": !record.dacSectors.isEmpty,
            "sectors": record.dacSectors.map { code -> [String: Any] in
                ["code": code, "name": DACSectors.sector(code)?.name(language) ?? ""]
            },
            "targets": record.sdgTargets.map { code -> [String: Any] in
                let target = SDGCatalogue.target(code)
                return [
                    "code": code, "text": target?.text(language) ?? "",
                    "goal": target.flatMap { SDGCatalogue.goal($0.goal)?.shortName(language) } ?? "",
                ]
            },
        ]
        if !record.description.isEmpty { object["description"] = record.description }
        if let budget = record.budget {
            object["budget"] = [
                "planned": style.money(budget.planned, budget.currency),
                "spent": style.money(budget.spent, budget.currency),
            ]
        }
        return object
    }

    /// An activity as a row of a list.
    func row(of record: ActivityRecord, partnership: String?, _ style: Style) -> [String: Any] {
        var row: [String: Any] = [
            "id": Self.text(record.id), "title": record.title,
            "kind": record.kind.name(in: style.language),
            "status": record.status.name(in: style.language),
            "dates": style.dates(record.startsOn, record.endsOn) ?? "",
        ]
        if let partnership {
            row["partnership"] = partnership
            row["partnershipId"] = Self.text(record.partnershipId)
        }
        return row
    }

    func render(_ template: String, _ object: [String: Any]) -> String {
        library.render(object, withTemplate: template) ?? ""
    }

    static func text(_ id: UUID) -> String { id.uuidString.lowercased() }

    /// The posted body (the session middleware collected it already for the CSRF check).
    static func body(_ request: Request) async throws -> ByteBuffer {
        var request = request
        return try await request.collectBody(upTo: 1 << 20)
    }
}
