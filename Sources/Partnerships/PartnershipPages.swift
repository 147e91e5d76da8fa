import Foundation
import Gateway
import Hummingbird
import Mustache
import PartnershipsContracts
import ReferenceData
import Vocabulary

/// The partnership pages: `/partnerships` (the list, with the API's filters), `/partnerships/new`,
/// `/partnerships/{id}` (with the sections other plugins add) and `/partnerships/{id}/edit`. Each calls
/// ``PartnershipsService`` as the JSON controller does, so the scope and the rules are the API's: a partner
/// coordinator sees only their partnerships, a viewer reads only, another municipality's is 404.
struct PartnershipPages: Sendable {
    let service: PartnershipsService
    let templates: PartnershipTemplates

    func register(on pages: Pages) {
        let shell = pages.shell
        let sections = pages.partnershipSections
        pages.signedIn.get("partnerships") { request, context in try await list(request, context, shell: shell) }
        pages.signedIn.get("partnerships/new") { _, context in try await newForm(context, shell: shell) }
        pages.signedIn.post("partnerships/new") { request, context in
            try await create(request, context, shell: shell)
        }
        pages.signedIn.get("partnerships/:id") { _, context in
            try await show(context, shell: shell, sections: sections)
        }
        pages.signedIn.get("partnerships/:id/edit") { _, context in try await editForm(context, shell: shell) }
        pages.signedIn.post("partnerships/:id/edit") { request, context in
            try await save(request, context, shell: shell)
        }
    }

    // MARK: Reading

    func show(_ context: GatewayRequestContext, shell: PageShell, sections: PartnershipPageSections) async throws
        -> Response
    {
        let access = try TenantAccess(context)
        let connection = try context.requireConnection()
        let id = try PartnershipRequest.pathID(context)
        let record = try await service.partnership(id, access: access, on: connection)
        let language = shell.language(context)
        let words = PartnershipPageWords.all[language]
        let names = try await service.people.people(record.members.map(\.userId), on: connection)
        var object = templates.base(context, words: words)
        object["id"] = PartnershipTemplates.text(record.id)
        object["title"] = record.title
        object["partner"] = record.partner.name
        object["region"] = record.partner.region
        object["country"] = PartnershipTemplates.countryName(record.partner.country, language)
        object["status"] = record.status.name(in: language)
        object["startedOn"] = record.startedOn.map { PartnershipTemplates.format($0, language) }
        object["endedOn"] = record.endedOn.map { PartnershipTemplates.format($0, language) }
        object["goals"] = record.sdgFocus.map { number -> [String: Any] in
            ["number": number, "name": "\(number). \(SDGCatalogue.goal(number)?.shortName(language) ?? "")"]
        }
        object["hasGoals"] = !record.sdgFocus.isEmpty
        object["description"] = record.description.isEmpty ? nil : record.description
        object["story"] = record.story.isEmpty ? nil : record.story
        object["members"] = record.members.map { member -> [String: Any] in
            ["name": names[member.userId]?.name ?? "?", "role": words.roles(member.role)]
        }
        object["hasMembers"] = !record.members.isEmpty
        object["canWrite"] = access.canWrite
        if record.published, let slug = record.slug,
            let municipality = try await service.people.municipality(access.tenantID, on: connection)
        {
            object["publicAddress"] = "/showcase/\(municipality.slug)/\(slug)"
        }
        object["sections"] = try await sections.render(record.id, context: context)
        return shell.respond(
            title: record.title, content: templates.render(object, "partnership"), context: context)
    }

    func list(_ request: Request, _ context: GatewayRequestContext, shell: PageShell) async throws -> Response {
        let access = try TenantAccess(context)
        let language = shell.language(context)
        let words = PartnershipPageWords.all[language]
        let query = request.queryParameters
        func chosen(_ name: String) -> String? {
            query.get(name).flatMap { $0.isEmpty ? nil : $0 }
        }
        let (status, country, sdg) = (chosen("status"), chosen("country"), chosen("sdg"))
        var object = templates.base(context, words: words)
        object["canCreate"] = access.canWrite
        object["statuses"] = PartnershipTemplates.options(
            PartnershipStatus.allCases.map { ($0.rawValue, $0.name(in: language)) }, selected: status)
        object["countries"] = PartnershipTemplates.options(
            PartnershipTemplates.countries(language), selected: country)
        object["goals"] = PartnershipTemplates.options(
            SDGCatalogue.goals.map { ("\($0.number)", "\($0.number). \($0.shortName(language))") }, selected: sdg)
        let page: PartnershipPage
        do {
            let filter = try PartnershipFilter.checked(status: status, country: country, sdg: sdg)
            let (limit, after) = try Pagination.read(request)
            page = try await service.list(
                filter, limit: limit, after: after, access: access, on: try context.requireConnection())
        } catch let problem as Problem where problem.status == .unprocessableContent {
            let errors = PartnershipForm.serviceErrors(problem.errors ?? [])
            object.merge(templates.errorSummary(errors, words: words)) { _, new in new }
            return shell.respond(
                title: "\(words.errorSummary): \(words.listHeading)",
                content: templates.render(object, "partnerships"), status: .unprocessableContent, context: context)
        }
        let items = page.items.map { record -> [String: Any] in
            [
                "id": PartnershipTemplates.text(record.id), "title": record.title, "partner": record.partner.name,
                "country": PartnershipTemplates.countryName(record.partner.country, language),
                "status": record.status.name(in: language),
            ]
        }
        object["items"] = items
        object["hasItems"] = !items.isEmpty
        if let cursor = page.nextCursor {
            let limit = query.get("limit")
            let kept = [
                ("status", status), ("country", country), ("sdg", sdg), ("limit", limit), ("cursor", cursor as String?),
            ]
            .compactMap { name, value in value.map { "\(name)=\(PageForm.encode($0))" } }
            object["next"] = "/partnerships?" + kept.joined(separator: "&")
        }
        return shell.respond(
            title: words.listHeading, content: templates.render(object, "partnerships"), context: context)
    }

    // MARK: New

    func newForm(_ context: GatewayRequestContext, shell: PageShell) async throws -> Response {
        let access = try TenantAccess(context)
        try access.requireWrite("partnerships")
        return form(PartnershipForm(), record: nil, errors: [], stale: nil, status: .ok, context, shell: shell)
    }

    func create(_ request: Request, _ context: GatewayRequestContext, shell: PageShell) async throws -> Response {
        let access = try TenantAccess(context)
        try access.requireWrite("partnerships")
        let typed = PartnershipForm(posted: try await PageForm.text(of: request))
        let (body, unreadable) = typed.newPartnership()
        switch try await PageForm.submit(
            unreadable: unreadable, checks: { PartnershipForm.serviceErrors(body.validate()) },
            refusal: PartnershipForm.serviceErrors,
            save: {
                let record = try await service.create(body, access: access, on: try context.requireConnection())
                return PageRedirect.seeOther("/partnerships/\(PartnershipTemplates.text(record.id))")
            })
        {
        case .saved(let response): return response
        case .refused(let errors):
            return form(
                typed, record: nil, errors: errors, stale: nil, status: .unprocessableContent, context, shell: shell)
        }
    }

    // MARK: Edit

    func editForm(_ context: GatewayRequestContext, shell: PageShell) async throws -> Response {
        let access = try TenantAccess(context)
        let id = try PartnershipRequest.pathID(context)
        let record = try await service.partnership(id, access: access, on: try context.requireConnection())
        try access.requireWrite("partnerships")
        return form(PartnershipForm(record), record: record, errors: [], stale: nil, status: .ok, context, shell: shell)
    }

    /// Saves the form with the version it was opened at: a stale save overwrites nothing and shows what is
    /// stored now beside what the person typed, with the form now at the stored version.
    func save(_ request: Request, _ context: GatewayRequestContext, shell: PageShell) async throws -> Response {
        let access = try TenantAccess(context)
        let connection = try context.requireConnection()
        let id = try PartnershipRequest.pathID(context)
        let current = try await service.partnership(id, access: access, on: connection)
        try access.requireWrite("partnerships")
        var typed = PartnershipForm(posted: try await PageForm.text(of: request))
        let (changes, unreadable) = typed.changes()
        do {
            switch try await PageForm.submit(
                unreadable: unreadable, checks: { PartnershipForm.serviceErrors(changes.validate()) },
                refusal: PartnershipForm.serviceErrors,
                save: {
                    _ = try await service.update(id, with: (changes, typed.version), access: access, on: connection)
                    return PageRedirect.seeOther("/partnerships/\(PartnershipTemplates.text(id))")
                })
            {
            case .saved(let response): return response
            case .refused(let errors):
                return form(
                    typed, record: current, errors: errors, stale: nil, status: .unprocessableContent, context,
                    shell: shell)
            }
        } catch let problem as Problem where problem.status == .preconditionFailed {
            let stored = try await service.partnership(id, access: access, on: connection)
            typed.version = stored.version
            return form(typed, record: stored, errors: [], stale: stored, status: .conflict, context, shell: shell)
        }
    }

    /// The new or edit form with what was typed, its errors, and, after a stale save, the stored values of
    /// the fields that differ from what was typed.
    private func form(
        _ typed: PartnershipForm, record: PartnershipRecord?, errors: [PartnershipForm.FieldError],
        stale: PartnershipRecord?, status: HTTPResponse.Status, _ context: GatewayRequestContext, shell: PageShell
    ) -> Response {
        let language = shell.language(context)
        let words = PartnershipPageWords.all[language]
        var object = templates.base(context, words: words)
        object.merge(templates.errorSummary(errors, words: words, order: PartnershipForm.fieldOrder)) { _, new in new }
        let heading =
            record.map { words.editHeading.replacingOccurrences(of: "{title}", with: $0.title) }
            ?? words.newHeading
        object["heading"] = heading
        object["action"] =
            record.map { "/partnerships/\(PartnershipTemplates.text($0.id))/edit" } ?? "/partnerships/new"
        object["version"] = typed.version.map(String.init)
        object["submit"] = record == nil ? words.create : words.save
        object["back"] = record.map { "/partnerships/\(PartnershipTemplates.text($0.id))" }
        var messages: [String: String] = [:]
        for error in errors where messages[error.field] == nil { messages[error.field] = words.message(error) }
        var storedValues: [String: String] = [:]
        if let stale {
            let was = PartnershipForm(stale)
            object["stale"] = true
            func differs(_ field: String, _ mine: String, _ theirs: String, shown: String? = nil) {
                if mine != theirs { storedValues[field] = shown ?? (theirs.isEmpty ? words.noneChosen : theirs) }
            }
            differs("title", typed.title, was.title)
            differs("partner.name", typed.partnerName, was.partnerName)
            differs(
                "partner.country", typed.partnerCountry, was.partnerCountry,
                shown: PartnershipTemplates.countryName(was.partnerCountry, language))
            differs("partner.region", typed.partnerRegion, was.partnerRegion)
            differs("partner.website", typed.partnerWebsite, was.partnerWebsite)
            differs("status", typed.status, was.status, shown: stale.status.name(in: language))
            differs(
                "startedOn", typed.startedOn, was.startedOn,
                shown: stale.startedOn.map { PartnershipTemplates.format($0, language) })
            differs(
                "endedOn", typed.endedOn, was.endedOn,
                shown: stale.endedOn.map { PartnershipTemplates.format($0, language) })
            differs("description", typed.description, was.description)
            let goals = stale.sdgFocus.map(String.init).joined(separator: ", ")
            differs(
                "sdgFocus", typed.sdgFocus.sorted().map(String.init).joined(separator: ", "), goals,
                shown: goals.isEmpty ? words.noneChosen : goals)
            differs("story", typed.story, was.story)
            differs(
                "published", String(typed.published), String(was.published),
                shown: was.published ? words.publishedYes : words.publishedNo)
        }
        func field(_ name: String, _ label: String, _ value: String, hint: String? = nil) -> [String: Any] {
            var field: [String: Any] = ["name": name, "label": label, "value": value]
            PageField.describe(&field, id: name, hint: hint, error: messages[name], stored: storedValues[name])
            return field
        }
        object["titleField"] = field("title", words.title, typed.title)
        object["partnerNameField"] = field("partner.name", words.partnerName, typed.partnerName)
        var country = field("partner.country", words.partnerCountry, typed.partnerCountry)
        country["options"] = PartnershipTemplates.options(
            [("", "")] + PartnershipTemplates.countries(language), selected: typed.partnerCountry)
        object["countryField"] = country
        object["regionField"] = field("partner.region", words.partnerRegion, typed.partnerRegion)
        object["websiteField"] = field(
            "partner.website", words.partnerWebsite, typed.partnerWebsite, hint: words.websiteHint)
        var statusField = field("status", words.status, typed.status)
        statusField["options"] = PartnershipTemplates.options(
            PartnershipStatus.allCases.map { ($0.rawValue, $0.name(in: language)) }, selected: typed.status)
        object["statusField"] = statusField
        object["startedField"] = field("startedOn", words.startedOn, typed.startedOn)
        object["endedField"] = field("endedOn", words.endedOn, typed.endedOn)
        object["descriptionField"] = field("description", words.description, typed.description)
        // What the public reads is chosen on an existing partnership, once it is worth showing.
        if record != nil {
            object["storyField"] = field("story", words.story, typed.story, hint: words.storyHint)
            var publish = field("published", words.publish, "true", hint: words.publishHint)
            publish["checked"] = typed.published
            object["publishField"] = publish
        }
        var goals = field("sdgFocus", words.sdgFocus, "")
        goals["options"] = SDGCatalogue.goals.map { goal -> [String: Any] in
            [
                "code": "\(goal.number)", "name": "\(goal.number). \(goal.shortName(language))",
                "selected": typed.sdgFocus.contains(goal.number),
            ]
        }
        object["goalsField"] = goals
        let title = errors.isEmpty ? heading : "\(words.errorSummary): \(heading)"
        return shell.respond(
            title: title, content: templates.render(object, "partnership-form"), status: status, context: context)
    }

}

extension PartnershipFilter {
    /// The filter of a list, checked as `GET /api/v1/partnerships` checks its query (422 otherwise).
    static func checked(status: String?, country: String?, sdg text: String?) throws -> PartnershipFilter {
        var errors: [Problem.FieldError] = []
        errors += FieldCheck.oneOf(status, PartnershipRules.statuses, field: "status")
        if let country, !Countries.isValid(country) {
            errors.append(.init(field: "country", message: "must be an ISO 3166-1 alpha-2 code"))
        }
        var sdg: Int?
        if let text {
            sdg = Int(text)
            if sdg.map({ !(1...17).contains($0) }) ?? true {
                errors.append(.init(field: "sdg", message: "must be a goal from 1 to 17"))
            }
        }
        if !errors.isEmpty { throw Problem.validation(errors) }
        return PartnershipFilter(status: status, country: country, sdg: sdg)
    }
}
