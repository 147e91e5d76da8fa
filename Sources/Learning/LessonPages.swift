import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import Mustache
import Postgres
import ReferenceData
import Vocabulary

/// The lessons on the pages: "What we learnt" on an activity's page (after its results), with what the
/// Flemish municipality and what its partner learnt in two lists, and the forms that write, change and delete a
/// lesson (`/activities/{id}/lessons/new`, `/lessons/{id}/edit`, `/lessons/{id}/delete`).
///
/// Every form calls the ``LearningService`` operation the JSON API calls, so the same rules and the same order of
/// answers hold (404 outside the person's scope, then 403, then the form's fields); a refusal is the form again
/// with the message beside the field, in the person's language, and what they typed kept.
struct LessonPages: Sendable {
    let service: LearningService
    let library: MustacheLibrary
    let domains = LibraryRepository()

    /// The most lessons the activity's section shows (oldest first).
    static let sectionLimit = 100
    /// The languages the form offers by name; any other code is typed ("another language").
    static let languages = ["nl", "en", "fr", "es", "pt"]
    /// The languages' own names, as a person who reads them looks for them.
    static let languageNames = [
        "nl": "Nederlands", "en": "English", "fr": "Français", "es": "Español", "pt": "Português",
    ]
    /// The form's fields in order: the error summary lists them so.
    static let order = [
        "title", "body", "side", "language", "languageCode", "policyDomain", "themes", "sdgTargets", "shared",
        "published",
    ]

    init(service: LearningService) throws {
        var library = MustacheLibrary()
        for name in ["lessons-section", "lesson-form", "lesson-field", "lesson-delete"] {
            guard let text = EmbeddedFiles.text("Templates/\(name).mustache") else {
                throw LibraryPages.TemplateMissing(name: name)
            }
            try library.register(text, named: name)
        }
        self.service = service
        self.library = library
    }

    func register(on pages: Pages, documentation: APIDocumentation) {
        let shell = pages.shell
        // After Results' section (order 10), before the updates.
        pages.activitySections.add(order: 20) { activity, context in try await section(of: activity, context) }
        pages.signedIn.get("activities/:id/lessons/new") { _, context in try await newForm(context, shell) }
        pages.signedIn.post("activities/:id/lessons/new") { request, context in
            try await create(request, context, shell)
        }
        pages.signedIn.get("lessons/:id/edit") { _, context in try await editForm(context, shell) }
        pages.signedIn.post("lessons/:id/edit") { request, context in try await edit(request, context, shell) }
        pages.signedIn.get("lessons/:id/delete") { _, context in try await deletePage(context, shell) }
        pages.signedIn.post("lessons/:id/delete") { _, context in try await delete(context) }
        documentation.add(LessonPageDocumentation.operations)
    }

    // MARK: The section of /activities/{id}

    /// "What we learnt": the municipality's lessons, then the partner's, each with its tags and the links the
    /// person may follow; `nil` for a viewer when there is nothing to read, or when Learning's copy does not know
    /// the activity in the person's scope.
    func section(of activity: UUID, _ context: GatewayRequestContext) async throws -> String? {
        let access = try TenantAccess(context)
        let connection = try context.requireConnection()
        let names: LearningRepository.Names
        let page: LessonPage
        do {
            names = try await service.activity(activity, access: access, on: connection)
            page = try await service.lessons(
                of: activity, limit: Self.sectionLimit, after: nil, access: access, on: connection)
        } catch let problem as Problem where problem.status == .notFound {
            return nil
        }
        guard !page.items.isEmpty || access.canPostUpdates else { return nil }
        let language = context.page?.language ?? .fallback
        let words = LessonPageWords.all[language]
        let domainNames = Dictionary(
            try await domains.domains(in: language, on: connection).map { ($0.code, $0.name) }
        ) { first, _ in first }
        let municipality = context.page?.person?.municipality ?? ""
        func item(_ lesson: LessonRecord) -> [String: Any] {
            let id = Self.text(lesson.id)
            var tags: [String] = []
            if lesson.shared { tags.append(words.shared) }
            if lesson.published { tags.append(words.published) }
            var object: [String: Any] = [
                "id": id, "title": lesson.title, "body": lesson.body, "language": lesson.language,
                "domain": domainNames[lesson.policyDomain] ?? lesson.policyDomain, "tags": tags,
            ]
            if !lesson.themes.isEmpty { object["themes"] = lesson.themes.joined(separator: ", ") }
            if !lesson.sdgTargets.isEmpty { object["targets"] = lesson.sdgTargets.joined(separator: ", ") }
            if (try? LearningService.requireHand(on: lesson, access: access, doing: "change")) != nil {
                object["editHref"] = "/lessons/\(id)/edit"
                object["deleteHref"] = "/lessons/\(id)/delete"
            }
            return object
        }
        let sides = LessonSide.allCases.map { side -> [String: Any] in
            let items = page.items.filter { $0.side == side }.map(item)
            return [
                "side": side.rawValue,
                "heading": words.learnt.replacingOccurrences(
                    of: "{name}", with: side == .flemishMunicipality ? municipality : names.partner),
                "items": items, "hasItems": !items.isEmpty,
            ]
        }
        var object: [String: Any] = ["words": LessonPageWords.templates[language], "sides": sides]
        if access.canPostUpdates { object["writeHref"] = "/activities/\(Self.text(activity))/lessons/new" }
        return library.render(object, withTemplate: "lessons-section")
    }

    // MARK: Writing

    /// The form for a new lesson: in the person's scope (else 404), for those who write (else 403).
    func newForm(_ context: GatewayRequestContext, _ shell: PageShell) async throws -> Response {
        let access = try TenantAccess(context)
        let activity = try LearningController.pathID(context, "activity")
        let names = try await service.activity(activity, access: access, on: try context.requireConnection())
        guard access.canPostUpdates else { throw Problem.forbidden("viewers do not write lessons") }
        var form = LessonForm()
        form.language = (context.page?.language ?? .fallback).rawValue
        if access.identity.role == .partnerCoordinator { form.side = LessonSide.partnerMunicipality.rawValue }
        return try await formPage(.new(activity, names), form: form, access: access, context, shell)
    }

    /// Writes the lesson through ``LearningService/write(_:on:access:on:)``, then back to the activity at it.
    func create(_ request: Request, _ context: GatewayRequestContext, _ shell: PageShell) async throws -> Response {
        let access = try TenantAccess(context)
        let activity = try LearningController.pathID(context, "activity")
        let connection = try context.requireConnection()
        let (read, text) = try await PageForm.readWithText(request)
        let form = LessonForm(read, text: text)
        do {
            switch try await PageForm.submit(
                unreadable: [], checks: { [] },
                save: {
                    let record = try await service.write(
                        form.newLesson(), on: activity, access: access, on: connection)
                    return PageRedirect.seeOther(Self.back(record))
                })
            {
            case .saved(let response): return response
            case .refused(let errors):
                let names = try await service.activity(activity, access: access, on: connection)
                return try await formPage(
                    .new(activity, names), form: form, errors: errors, access: access, context, shell,
                    status: .unprocessableContent)
            }
        } catch let problem as Problem where problem.status == .forbidden && !(problem.errors ?? []).isEmpty {
            // A partner coordinator who names the Flemish side: the form again, said beside the field.
            let names = try await service.activity(activity, access: access, on: connection)
            return try await formPage(
                .new(activity, names), form: form, errors: problem.errors ?? [], forbidden: true, access: access,
                context, shell, status: .forbidden)
        }
    }

    // MARK: Changing

    /// The form with the lesson as stored: in the person's scope (else 404), theirs to change (else 403).
    func editForm(_ context: GatewayRequestContext, _ shell: PageShell) async throws -> Response {
        let access = try TenantAccess(context)
        let connection = try context.requireConnection()
        let lesson = try await service.lesson(
            try LearningController.pathID(context, "lesson"), access: access, on: connection)
        try LearningService.requireHand(on: lesson, access: access, doing: "change")
        let names = try await service.activity(lesson.activityId, access: access, on: connection)
        return try await formPage(
            .edit(lesson, names), form: LessonForm(lesson), access: access, context, shell)
    }

    /// Saves the change through ``LearningService/change(_:with:access:on:)`` with the version the form was
    /// opened at (as `If-Match`), then back to the activity at the lesson. A stale version is the form again with
    /// what was typed, the lesson as it is now and its version (409), so saving again is a decision made
    /// knowingly.
    func edit(_ request: Request, _ context: GatewayRequestContext, _ shell: PageShell) async throws -> Response {
        let access = try TenantAccess(context)
        let id = try LearningController.pathID(context, "lesson")
        let connection = try context.requireConnection()
        let opened = try await service.lesson(id, access: access, on: connection)
        try LearningService.requireHand(on: opened, access: access, doing: "change")
        let (read, text) = try await PageForm.readWithText(request)
        var form = LessonForm(read, text: text)
        let words = Self.ownsWords(opened, access: access)
        let changes = form.changes(words: words, flags: access.canWrite)
        let version = Int(form.version) ?? -1
        let names = try await service.activity(opened.activityId, access: access, on: connection)
        do {
            switch try await PageForm.submit(
                unreadable: [], checks: { [] },
                save: {
                    let record = try await service.change(
                        id, with: (changes, version), access: access, on: connection)
                    return PageRedirect.seeOther(Self.back(record))
                })
            {
            case .saved(let response): return response
            case .refused(let errors):
                return try await formPage(
                    .edit(opened, names), form: form, errors: errors, access: access, context, shell,
                    status: .unprocessableContent)
            }
        } catch let problem as Problem where problem.status == .preconditionFailed {
            let current = try await service.lesson(id, access: access, on: connection)
            form.version = "\(current.version)"
            return try await formPage(
                .edit(current, names), form: form, stale: true, access: access, context, shell, status: .conflict)
        } catch let problem as Problem where problem.status == .forbidden && !(problem.errors ?? []).isEmpty {
            return try await formPage(
                .edit(opened, names), form: form, errors: problem.errors ?? [], forbidden: true, access: access,
                context, shell, status: .forbidden)
        }
    }

    // MARK: Deleting

    /// "Delete “…”?" and one button: in the person's scope (else 404), theirs to delete (else 403).
    func deletePage(_ context: GatewayRequestContext, _ shell: PageShell) async throws -> Response {
        let access = try TenantAccess(context)
        let lesson = try await service.lesson(
            try LearningController.pathID(context, "lesson"), access: access, on: try context.requireConnection())
        try LearningService.requireHand(on: lesson, access: access, doing: "delete")
        let language = context.page?.language ?? .fallback
        let words = LessonPageWords.all[language]
        let question = words.deleteQuestion.replacingOccurrences(of: "{title}", with: lesson.title)
        let object: [String: Any] = [
            "words": LessonPageWords.templates[language], "csrf": context.page?.csrfToken ?? "",
            "question": question, "action": "/lessons/\(Self.text(lesson.id))/delete", "back": Self.back(lesson),
        ]
        return shell.respond(
            title: question, content: library.render(object, withTemplate: "lesson-delete") ?? "", context: context)
    }

    /// Deletes through ``LearningService/delete(_:access:on:)``, then back to the activity's lessons.
    func delete(_ context: GatewayRequestContext) async throws -> Response {
        let access = try TenantAccess(context)
        let connection = try context.requireConnection()
        let lesson = try await service.lesson(
            try LearningController.pathID(context, "lesson"), access: access, on: connection)
        try await service.delete(lesson.id, access: access, on: connection)
        return PageRedirect.seeOther("/activities/\(Self.text(lesson.activityId))#lessons-heading")
    }

    // MARK: The form page

    /// What a form writes: a new lesson on an activity, or a change to a lesson; each with the names of the
    /// activity and its partner.
    enum Subject {
        case new(UUID, LearningRepository.Names)
        case edit(LessonRecord, LearningRepository.Names)

        var names: LearningRepository.Names {
            switch self {
            case .new(_, let names), .edit(_, let names): names
            }
        }
    }

    /// Whether the person may change the lesson's words (title, text, language, side): not a coordinator's own
    /// when a partner coordinator wrote them on the partner's side (``LearningService/requireWords``).
    static func ownsWords(_ lesson: LessonRecord, access: TenantAccess) -> Bool {
        access.identity.role == .partnerCoordinator || !lesson.isPartnerWords || lesson.writtenBy == access.userID
    }

    /// The form page: `form` in its fields, `errors` beside them in the person's language (`forbidden`: what
    /// the role may not do, such as a partner coordinator naming the Flemish side).
    func formPage(
        _ subject: Subject, form: LessonForm, errors: [Problem.FieldError] = [], forbidden: Bool = false,
        stale: Bool = false, access: TenantAccess, _ context: GatewayRequestContext, _ shell: PageShell,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let language = context.page?.language ?? .fallback
        let words = LessonPageWords.all[language]
        let names = subject.names
        let municipality = context.page?.person?.municipality ?? ""
        // The messages by the field they stand beside: a wrong code of another language beside its own field.
        var messages: [String: String] = [:]
        for error in errors {
            let field = error.field == "language" && form.language == "other" ? "languageCode" : error.field
            if messages[field] == nil {
                messages[field] = words.message(field, partner: names.partner, forbidden: forbidden)
            }
        }
        func field(_ id: String, _ label: String, hint: String? = nil, kind: String) -> [String: Any] {
            var field: [String: Any] = ["id": id, "label": label, kind: true]
            PageField.describe(&field, id: id, hint: hint, error: messages[id])
            return field
        }
        func input(_ id: String, _ label: String, hint: String? = nil, value: String, attributes: String = "")
            -> [String: Any]
        {
            var input = field(id, label, hint: hint, kind: "input")
            input["value"] = value
            input["attributes"] = attributes
            return input
        }
        func sideName(_ side: LessonSide) -> String {
            words.sideChoice.replacingOccurrences(
                of: "{name}", with: side == .flemishMunicipality ? municipality : names.partner
            ).replacingOccurrences(of: "{side}", with: side.name(in: language))
        }
        let lesson: LessonRecord? =
            switch subject {
            case .edit(let lesson, _): lesson
            case .new: nil
            }
        let ownsWords = lesson.map { Self.ownsWords($0, access: access) } ?? true
        var fields: [[String: Any]] = []
        if ownsWords {
            fields.append(
                input("title", words.title, value: form.title, attributes: #" maxlength="200" autocomplete="off""#))
            var body = field("body", words.body, hint: words.bodyHint, kind: "textarea")
            body["value"] = form.body
            fields.append(body)
            if access.identity.role == .partnerCoordinator {
                // Fixed: a partner coordinator writes what the partner municipality learnt.
                var side = field("side", words.side, kind: "fixed")
                side["text"] = sideName(.partnerMunicipality)
                side["value"] = form.side.isEmpty ? LessonSide.partnerMunicipality.rawValue : form.side
                fields.append(side)
            } else {
                var side = field("side", words.side, kind: "radios")
                side["options"] = LessonSide.allCases.map { choice -> [String: Any] in
                    ["value": choice.rawValue, "text": sideName(choice), "selected": choice.rawValue == form.side]
                }
                fields.append(side)
            }
            var chosen = form.language
            if chosen.isEmpty { chosen = language.rawValue }
            var languageField = field("language", words.language, kind: "select")
            let other: [String: Any] = [
                "value": "other", "name": words.otherLanguage, "lang": language.rawValue, "selected": chosen == "other",
            ]
            languageField["options"] =
                Self.languages.map { code -> [String: Any] in
                    ["value": code, "name": Self.languageNames[code] ?? code, "lang": code, "selected": code == chosen]
                } + [other]
            fields.append(languageField)
            fields.append(
                input(
                    "languageCode", words.languageCode, hint: words.languageCodeHint, value: form.languageCode,
                    attributes: #" maxlength="3" autocomplete="off" spellcheck="false""#))
        }
        let domainList = try await domains.domains(in: language, on: try context.requireConnection())
        var domain = field("policyDomain", words.policyDomain, kind: "select")
        // Retired domains are not offered, but a lesson filed under one keeps it until someone chooses another.
        let none: [String: Any] = [
            "value": "", "name": words.chooseDomain, "lang": language.rawValue, "selected": form.policyDomain.isEmpty,
        ]
        domain["options"] =
            [none]
            + domainList.filter { !$0.retired || $0.code == lesson?.policyDomain }.map { entry -> [String: Any] in
                [
                    "value": entry.code, "name": entry.name, "lang": language.rawValue,
                    "selected": entry.code == form.policyDomain,
                ]
            }
        fields.append(domain)
        fields.append(input("themes", words.themes, hint: words.themesHint, value: form.themes))
        var targets = field("sdgTargets", words.sdgTargets, hint: words.sdgTargetsHint, kind: "select")
        targets["multiple"] = true
        let picked = Set(form.sdgTargets)
        targets["groups"] = SDGCatalogue.goals.map { goal -> [String: Any] in
            [
                "label": "\(goal.number). \(goal.shortName(language))",
                "options": SDGCatalogue.targets.filter { $0.goal == goal.number }.map { target -> [String: Any] in
                    let text = target.text(language)
                    let short = text.count > 90 ? String(text.prefix(90)) + "…" : text
                    return [
                        "value": target.code, "name": "\(target.code) \(short)", "lang": language.rawValue,
                        "selected": picked.contains(target.code),
                    ]
                },
            ]
        }
        fields.append(targets)
        var object: [String: Any] = [
            "words": LessonPageWords.templates[language], "csrf": context.page?.csrfToken ?? "", "stale": stale,
            "fields": fields, "activity": names.activity,
        ]
        if lesson != nil, access.canWrite {
            var shared = field("shared", words.share, hint: words.shareHint, kind: "checkbox")
            shared["checked"] = form.shared
            var published = field("published", words.publish, hint: words.publishHint, kind: "checkbox")
            published["checked"] = form.published
            object["visibility"] = ["fields": [shared, published]]
        }
        if let lesson, !ownsWords {
            object["lockedWords"] = [
                "title": lesson.title, "body": lesson.body, "language": lesson.language,
                "languageName": Self.languageNames[lesson.language] ?? lesson.language,
                "side": sideName(lesson.side),
            ]
        }
        let heading: String
        switch subject {
        case .new(let activity, _):
            heading = words.newHeading
            object["action"] = "/activities/\(Self.text(activity))/lessons/new"
            object["back"] = "/activities/\(Self.text(activity))#lessons-heading"
        case .edit(let lesson, _):
            heading = words.editHeading
            object["action"] = "/lessons/\(Self.text(lesson.id))/edit"
            object["back"] = Self.back(lesson)
            object["version"] = form.version.isEmpty ? "\(lesson.version)" : form.version
        }
        object["heading"] = heading
        if !messages.isEmpty {
            object["errorSummary"] = [
                "items": messages.sorted {
                    (Self.order.firstIndex(of: $0.key) ?? Self.order.count)
                        < (Self.order.firstIndex(of: $1.key) ?? Self.order.count)
                }.map { ["field": $0.key, "message": $0.value] }
            ]
        }
        return shell.respond(
            title: heading, content: library.render(object, withTemplate: "lesson-form") ?? "", status: status,
            context: context)
    }

    /// The activity's page at the lesson.
    static func back(_ lesson: LessonRecord) -> String {
        "/activities/\(text(lesson.activityId))#lesson-\(text(lesson.id))"
    }

    static func text(_ id: UUID) -> String { id.uuidString.lowercased() }
}

/// What a lesson form holds as typed: the service's bodies are made from it, and the form shows it again when
/// it is refused.
struct LessonForm: Sendable {
    var title = ""
    var body = ""
    var side = ""
    /// A code of ``LessonPages/languages``, `other` (then ``languageCode`` holds it), or empty.
    var language = ""
    var languageCode = ""
    var policyDomain = ""
    /// Comma-separated, as the activity form takes them.
    var themes = ""
    var sdgTargets: [String] = []
    var shared = false
    var published = false
    var version = ""

    init() {}

    /// The lesson as stored.
    init(_ lesson: LessonRecord) {
        title = lesson.title
        body = lesson.body
        side = lesson.side.rawValue
        if LessonPages.languages.contains(lesson.language) {
            language = lesson.language
        } else {
            language = "other"
            languageCode = lesson.language
        }
        policyDomain = lesson.policyDomain
        themes = lesson.themes.joined(separator: ", ")
        sdgTargets = lesson.sdgTargets
        shared = lesson.shared
        published = lesson.published
        version = "\(lesson.version)"
    }

    /// The posted form; `text` is its body, for the SDG targets' several values.
    init(_ form: PageForm, text: String) {
        title = form["title"] ?? ""
        body = form["body"] ?? ""
        side = form["side"] ?? ""
        language = form["language"] ?? ""
        languageCode = (form["languageCode"] ?? "").trimmingCharacters(in: .whitespaces)
        policyDomain = form["policyDomain"] ?? ""
        themes = form["themes"] ?? ""
        sdgTargets = PageForm.values("sdgTargets", in: text).filter { !$0.isEmpty }
        shared = form["shared"] != nil
        published = form["published"] != nil
        version = form["version"] ?? ""
    }

    /// The language code the lesson is written in: the one chosen, or the one typed for another language.
    var languageValue: String { language == "other" ? languageCode : language }

    /// The themes: comma-separated tags, blanks left out (as the activity form reads them).
    var themeList: [String] {
        themes.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The new lesson as ``LearningService`` takes it (and checks it).
    func newLesson() -> NewLesson {
        var lesson = NewLesson(
            title: title, body: body, side: .partnerMunicipality, themes: themeList, sdgTargets: sdgTargets,
            policyDomain: policyDomain, language: languageValue)
        lesson.side = side
        return lesson
    }

    /// The change as ``LearningService`` takes it: the words only when the person may change them (`words`), the
    /// flags only for coordinators (`flags`).
    func changes(words: Bool, flags: Bool) -> LessonChanges {
        LessonChanges(
            title: words ? title : nil, body: words ? body : nil, side: words ? side : nil, themes: themeList,
            sdgTargets: sdgTargets, policyDomain: policyDomain, language: words ? languageValue : nil,
            shared: flags ? shared : nil, published: flags ? published : nil)
    }
}
