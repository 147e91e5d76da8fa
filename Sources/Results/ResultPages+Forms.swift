import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import Mustache
import Postgres
import ReferenceData
import ResultsContracts
import Vocabulary

/// The forms that define, change and delete results, indicators and periods, for those who may write
/// (administrators and coordinators): each a page of its own, linked from the results on the activity's or
/// partnership's page, going back there at the thing it changed. They call the service the JSON API calls, so
/// the same rules hold; a refusal is the form again with the message beside the field, in the person's
/// language, and what they typed kept.
extension ResultPages {
    /// What a form defines or changes.
    enum FormSubject {
        case newResult(ResultParent)
        case result(ResultRecord)
        case newIndicator(ResultRecord)
        case indicator(IndicatorRecord)
        case newPeriod(IndicatorRecord)
        case period(PeriodRecord, IndicatorRecord)
    }

    /// What a delete page deletes.
    enum Deletable {
        case result(ResultRecord)
        case indicator(IndicatorRecord)
        case period(PeriodRecord, IndicatorRecord)
    }

    func registerForms(on pages: Pages) {
        let shell = pages.shell
        let forms: [(String, @Sendable (GatewayRequestContext) async throws -> FormSubject)] = [
            ("activities/:id/results/new", { .newResult(.activity(try Self.pathID($0, "activity"))) }),
            ("partnerships/:id/results/new", { .newResult(.partnership(try Self.pathID($0, "partnership"))) }),
            ("results/:id/edit", { .result(try await resultOfPath($0)) }),
            ("results/:id/indicators/new", { .newIndicator(try await resultOfPath($0)) }),
            ("indicators/:id/edit", { .indicator(try await indicatorOfPath($0)) }),
            ("indicators/:id/periods/new", { .newPeriod(try await indicatorOfPath($0)) }),
            (
                "periods/:id/edit",
                { context in
                    let period = try await periodOfPath(context)
                    return .period(period, try await indicator(of: period, context))
                }
            ),
        ]
        for (path, subject) in forms {
            pages.signedIn.get(RouterPath(path)) { _, context in
                try await form(try await subject(context), context, shell)
            }
            pages.signedIn.post(RouterPath(path)) { request, context in
                try await save(request, context, shell) { try await subject(context) }
            }
        }
        let deletions: [(String, @Sendable (GatewayRequestContext) async throws -> Deletable)] = [
            ("results/:id/delete", { .result(try await resultOfPath($0)) }),
            ("indicators/:id/delete", { .indicator(try await indicatorOfPath($0)) }),
            (
                "periods/:id/delete",
                { context in
                    let period = try await periodOfPath(context)
                    return .period(period, try await indicator(of: period, context))
                }
            ),
        ]
        for (path, subject) in deletions {
            pages.signedIn.get(RouterPath(path)) { _, context in
                try await deletePage(try await subject(context), context, shell)
            }
            pages.signedIn.post(RouterPath(path)) { _, context in
                try await delete(try await subject(context), context, shell)
            }
        }
    }

    // MARK: Reading what a path names

    func resultOfPath(_ context: GatewayRequestContext) async throws -> ResultRecord {
        try await service.result(
            try Self.pathID(context, "result"), access: try TenantAccess(context), on: try context.requireConnection())
    }

    func indicatorOfPath(_ context: GatewayRequestContext) async throws -> IndicatorRecord {
        try await service.indicator(
            try Self.pathID(context, "indicator"), access: try TenantAccess(context),
            on: try context.requireConnection())
    }

    func periodOfPath(_ context: GatewayRequestContext) async throws -> PeriodRecord {
        try await service.period(
            try Self.pathID(context, "period"), access: try TenantAccess(context), on: try context.requireConnection())
    }

    func indicator(of period: PeriodRecord, _ context: GatewayRequestContext) async throws -> IndicatorRecord {
        try await service.indicator(
            period.indicatorId, access: try TenantAccess(context), on: try context.requireConnection())
    }

    // MARK: The forms

    /// The form with what is stored (or, for something new, the usual choices); writers only.
    func form(_ subject: FormSubject, _ context: GatewayRequestContext, _ shell: PageShell) async throws -> Response {
        try await requireParent(subject, context)
        try TenantAccess(context).requireWrite("results")
        return formPage(subject, values: Self.stored(subject), context, shell)
    }

    /// Saves the form: 303 back to the page at what was saved; a refusal is the form again (422, or 409 when
    /// what is stored does not allow the change), a stale version the form with what was typed and the
    /// current version (409), so saving again is a decision made knowingly.
    func save(
        _ request: Request, _ context: GatewayRequestContext, _ shell: PageShell,
        subject: @Sendable () async throws -> FormSubject
    ) async throws -> Response {
        let access = try TenantAccess(context)
        let opened = try await subject()
        try await requireParent(opened, context)
        try access.requireWrite("results")
        let values = try await PageForm.read(request).fields
        let connection = try context.requireConnection()
        let read = Self.read(values, for: opened)
        do {
            switch try await PageForm.submit(
                unreadable: read.unreadable, checks: read.checks,
                save: { PageRedirect.seeOther(try await persist(opened, read, values, access, connection)) })
            {
            case .saved(let response): return response
            case .refused(let errors):
                return formPage(
                    opened, values: values, errors: errors, unreadable: Set(read.unreadable.map(\.field)), context,
                    shell, status: .unprocessableContent)
            }
        } catch let problem as Problem where problem.status == .preconditionFailed {
            var typed = values
            typed["version"] = Self.version(of: try await subject()).map(String.init)
            return formPage(opened, values: typed, stale: true, context, shell, status: .conflict)
        } catch let problem as Problem where problem.status == .conflict {
            return formPage(
                opened, values: values, errors: problem.errors ?? [], conflict: true, context, shell,
                status: .conflict)
        }
    }

    /// A 404 for a result, indicator or parent the person cannot see, before any 403.
    private func requireParent(_ subject: FormSubject, _ context: GatewayRequestContext) async throws {
        guard case .newResult(let parent) = subject else { return }
        let access = try TenantAccess(context)
        guard
            try await service.repository.parentExists(parent, scope: access.scope, on: try context.requireConnection())
        else { throw Problem.notFound("no such \(parent.name)") }
    }

    /// What the form read from the typed text: the service's body, the fields that could not be read, and the
    /// body's own checks.
    struct ReadForm {
        var result: NewResult?
        var indicator: NewIndicator?
        var period: NewPeriod?
        var unreadable: [Problem.FieldError] = []
        var checks: () -> [Problem.FieldError] = { [] }
    }

    static func read(_ values: [String: String], for subject: FormSubject) -> ReadForm {
        func text(_ name: String) -> String { values[name] ?? "" }
        func optional(_ name: String) -> String? {
            let typed = text(name).trimmingCharacters(in: .whitespacesAndNewlines)
            return typed.isEmpty ? nil : typed
        }
        func number(_ name: String) -> String? { optional(name).map(decimal) }
        var read = ReadForm()
        switch subject {
        case .newResult, .result:
            let result = NewResult(
                title: text("title"), type: ResultType(rawValue: text("type")) ?? .outcome,
                description: text("description"), aggregates: values["aggregates"] != nil)
            var body = result
            body.type = text("type")
            read.result = body
            read.checks = body.validate
        case .newIndicator, .indicator:
            var baseline: BaselineInput?
            if let year = optional("baseline.year") {
                if let year = Int(year) {
                    baseline = BaselineInput(
                        year: year, value: number("baseline.value"), comment: text("baseline.comment"))
                } else {
                    read.unreadable.append(.init(field: "baseline.year", message: "must be a year"))
                }
            } else if optional("baseline.value") != nil {
                read.unreadable.append(.init(field: "baseline.year", message: "is required with a baseline value"))
            }
            var indicator = NewIndicator(
                title: text("title"), measure: .unit, description: text("description"),
                ascending: values["ascending"] != nil, sdgTarget: optional("sdgTarget"), baseline: baseline)
            indicator.measure = text("measure")
            read.indicator = indicator
            read.checks = indicator.validate
        case .newPeriod, .period:
            let start = CalendarDate(text("start").trimmingCharacters(in: .whitespaces))
            let end = CalendarDate(text("end").trimmingCharacters(in: .whitespaces))
            if start == nil { read.unreadable.append(.init(field: "start", message: "must be a date")) }
            if end == nil { read.unreadable.append(.init(field: "end", message: "must be a date")) }
            let target = TargetInput(value: number("target.value"), comment: text("target.comment"))
            if let start, let end {
                read.period = NewPeriod(start: start, end: end, target: target)
            }
            read.checks = { ResultRules.target(target, measure: nil) }
        }
        return read
    }

    /// Calls the service for `subject`; answers where to go back to.
    private func persist(
        _ subject: FormSubject, _ read: ReadForm, _ values: [String: String], _ access: TenantAccess,
        _ connection: PostgresConnection
    ) async throws -> String {
        let version = Int(values["version"] ?? "") ?? -1
        switch subject {
        case .newResult(let parent):
            guard let body = read.result else { return "/" }
            let record = try await service.define(body, in: parent, access: access, on: connection)
            return Self.back(record)
        case .result(let current):
            guard let body = read.result else { return "/" }
            let changes = ResultChanges(
                title: body.title, type: body.type, description: body.description, aggregates: body.aggregates)
            let record = try await service.change(current.id, with: (changes, version), access: access, on: connection)
            return Self.back(record)
        case .newIndicator(let result):
            guard let body = read.indicator else { return "/" }
            let record = try await service.define(body, of: result.id, access: access, on: connection)
            return Self.back(record.activityId, record.partnershipId, indicator: record.id)
        case .indicator(let current):
            guard let body = read.indicator else { return "/" }
            let changes = IndicatorChanges(
                title: body.title, description: body.description, measure: body.measure, ascending: body.ascending,
                sdgTarget: body.sdgTarget.map { .set($0) } ?? .cleared,
                baseline: body.baseline.map { .set($0) } ?? .cleared)
            let record = try await service.change(current.id, with: (changes, version), access: access, on: connection)
            return Self.back(record.activityId, record.partnershipId, indicator: record.id)
        case .newPeriod(let indicator):
            guard let body = read.period else { return "/" }
            let record = try await service.define(body, ofIndicator: indicator.id, access: access, on: connection)
            return Self.back(record.activityId, record.partnershipId, indicator: record.indicatorId)
        case .period(let current, _):
            guard let body = read.period else { return "/" }
            let target = body.target.flatMap { $0.value == nil && ($0.comment ?? "").isEmpty ? nil : $0 }
            let changes = PeriodChanges(
                start: body.start, end: body.end, target: target.map { .set($0) } ?? .cleared)
            let record = try await service.change(current.id, with: (changes, version), access: access, on: connection)
            return Self.back(record.activityId, record.partnershipId, indicator: record.indicatorId)
        }
    }

    /// The form's fields as stored, or the usual choices for something new: an outcome that adds up, an
    /// indicator counted in units where higher is better.
    static func stored(_ subject: FormSubject) -> [String: String] {
        switch subject {
        case .newResult: return ["type": ResultType.outcome.rawValue, "aggregates": "yes"]
        case .result(let result):
            var values = [
                "title": result.title, "type": result.type.rawValue, "description": result.description,
                "version": "\(result.version)",
            ]
            if result.aggregates { values["aggregates"] = "yes" }
            return values
        case .newIndicator: return ["measure": IndicatorMeasure.unit.rawValue, "ascending": "yes"]
        case .indicator(let indicator):
            var values = [
                "title": indicator.title, "description": indicator.description,
                "measure": indicator.measure.rawValue, "sdgTarget": indicator.sdgTarget?.rawValue ?? "",
                "version": "\(indicator.version)",
            ]
            if indicator.ascending { values["ascending"] = "yes" }
            if let baseline = indicator.baseline {
                values["baseline.year"] = "\(baseline.year)"
                values["baseline.value"] = baseline.value?.description ?? ""
                values["baseline.comment"] = baseline.comment
            }
            return values
        case .newPeriod: return [:]
        case .period(let period, _):
            return [
                "start": period.start.description, "end": period.end.description,
                "target.value": period.target?.value?.description ?? "",
                "target.comment": period.target?.comment ?? "", "version": "\(period.version)",
            ]
        }
    }

    static func version(of subject: FormSubject) -> Int? {
        switch subject {
        case .result(let result): result.version
        case .indicator(let indicator): indicator.version
        case .period(let period, _): period.version
        case .newResult, .newIndicator, .newPeriod: nil
        }
    }

    /// The form page: `values` in its fields, `errors` beside them in the person's language.
    func formPage(
        _ subject: FormSubject, values: [String: String], errors: [Problem.FieldError] = [],
        unreadable: Set<String> = [], stale: Bool = false, conflict: Bool = false, _ context: GatewayRequestContext,
        _ shell: PageShell, status: HTTPResponse.Status = .ok
    ) -> Response {
        let language = context.page?.language ?? .fallback
        let words = ResultFormWords.all[language]
        let measure: IndicatorMeasure? =
            switch subject {
            case .newIndicator, .indicator: IndicatorMeasure(rawValue: values["measure"] ?? "")
            case .newPeriod(let indicator), .period(_, let indicator): indicator.measure
            case .newResult, .result: nil
            }
        func message(_ error: Problem.FieldError) -> String {
            Self.message(
                error, words: words, valueMessage: ResultsPageWords.all[language].valueMessage, measure: measure,
                unreadable: unreadable, conflict: conflict)
        }
        func field(
            _ id: String, _ label: String, hint: String? = nil, kind: String = "input", type: String = "text",
            attributes: String = "", options: [(String, String)] = []
        ) -> [String: Any] {
            let value = values[id] ?? ""
            var field: [String: Any] = ["id": id, "label": label, "value": value, kind: true]
            PageField.describe(&field, id: id, hint: hint, error: errors.first { $0.field == id }.map(message))
            field["type"] = type
            field["attributes"] = attributes
            if kind == "checkbox" { field["checked"] = values[id] != nil }
            if kind == "select" {
                field["options"] = options.map { ["value": $0.0, "name": $0.1, "selected": $0.0 == value] }
            }
            return field
        }
        let decimal = #" inputmode="decimal" autocomplete="off""#
        var object: [String: Any] = [
            "forms": ResultFormWords.templates[language], "words": ResultsPageWords.templates[language],
            "csrf": context.page?.csrfToken ?? "", "stale": stale,
        ]
        if let version = values["version"] { object["version"] = version }
        let heading: String
        switch subject {
        case .newResult, .result:
            heading = { if case .result = subject { words.editResult } else { words.newResult } }()
            object["fields"] = [
                field("title", words.title, attributes: #" maxlength="200" autocomplete="off""#),
                field(
                    "type", words.type, kind: "select",
                    options: ResultType.allCases.map { ($0.rawValue, $0.name(in: language)) }),
                field("description", words.description, kind: "textarea"),
                field("aggregates", words.aggregates, hint: words.aggregatesHint, kind: "checkbox"),
            ]
        case .newIndicator, .indicator:
            heading = { if case .indicator = subject { words.editIndicator } else { words.newIndicator } }()
            var sdg = field("sdgTarget", words.sdgTarget, kind: "select", options: [("", words.noSDGTarget)])
            let chosen = values["sdgTarget"] ?? ""
            sdg["groups"] = SDGCatalogue.goals.map { goal -> [String: Any] in
                [
                    "label": "\(goal.number). \(goal.shortName(language))",
                    "options": SDGCatalogue.targets.filter { $0.goal == goal.number }.map { target in
                        let text = target.text(language)
                        let short = text.count > 90 ? String(text.prefix(90)) + "…" : text
                        return [
                            "value": target.code, "name": "\(target.code) \(short)", "selected": target.code == chosen,
                        ]
                    },
                ]
            }
            object["fields"] = [
                field("title", words.title, attributes: #" maxlength="200" autocomplete="off""#),
                field("description", words.description, kind: "textarea"),
                field(
                    "measure", words.measure, kind: "select",
                    options: IndicatorMeasure.allCases.map { ($0.rawValue, $0.name(in: language)) }),
                field("ascending", words.ascending, hint: words.ascendingHint, kind: "checkbox"),
                sdg,
            ]
            object["fieldset"] = [
                "id": "baseline", "legend": words.baseline, "hint": words.baselineHint,
                "fields": [
                    field(
                        "baseline.year", words.baselineYear,
                        attributes: #" inputmode="numeric" maxlength="4" autocomplete="off""#),
                    field("baseline.value", words.baselineValue, attributes: decimal),
                    field("baseline.comment", words.baselineComment),
                ],
            ]
        case .newPeriod(let indicator), .period(_, let indicator):
            heading = { if case .period = subject { words.editPeriod } else { words.newPeriod } }()
            var fields = [
                field("start", words.start, hint: words.dateHint, type: "date"),
                field("end", words.end, hint: words.dateHint, type: "date"),
            ]
            if indicator.measure != .qualitative {
                let unit = indicator.measure == .percentage ? " (%)" : ""
                fields.append(field("target.value", words.targetValue + unit, attributes: decimal))
            }
            fields.append(field("target.comment", words.targetComment, kind: "textarea"))
            object["fields"] = fields
            object["context"] = indicator.title
        }
        object["heading"] = heading
        object["action"] = Self.action(subject)
        object["back"] = Self.back(subject)
        if !errors.isEmpty {
            object["errorSummary"] = [
                "items": errors.map { ["field": $0.field, "message": message($0)] }
            ]
        }
        return shell.respond(
            title: heading, content: library.render(object, withTemplate: "result-form") ?? "", status: status,
            context: context)
    }

    /// A field's message in the person's language; what the service says stands in for a field the page does
    /// not know.
    static func message(
        _ error: Problem.FieldError, words: ResultFormWords, valueMessage: String, measure: IndicatorMeasure?,
        unreadable: Set<String>, conflict: Bool
    ) -> String {
        let value = {
            switch measure {
            case .qualitative?: words.qualitativeMessage
            case .nominal?, .ordinal?: words.wholeMessage
            default: valueMessage
            }
        }
        switch error.field {
        case "title": return words.titleMessage
        case "type": return words.chooseMessage
        case "measure": return conflict ? words.measureHeldMessage : words.chooseMessage
        case "description", "baseline.comment", "target.comment": return words.textMessage
        case "sdgTarget": return words.sdgMessage
        case "baseline.year": return words.yearMessage
        case "baseline.value", "target.value": return value()
        case "start" where unreadable.contains("start"), "end" where unreadable.contains("end"):
            return words.dateMessage
        case "start": return conflict ? words.approvedDatesMessage : words.overlapMessage
        case "end": return conflict ? words.approvedDatesMessage : words.endMessage
        default: return error.message
        }
    }

    static func action(_ subject: FormSubject) -> String {
        switch subject {
        case .newResult(.activity(let id)): "/activities/\(text(id))/results/new"
        case .newResult(.partnership(let id)): "/partnerships/\(text(id))/results/new"
        case .result(let result): "/results/\(text(result.id))/edit"
        case .newIndicator(let result): "/results/\(text(result.id))/indicators/new"
        case .indicator(let indicator): "/indicators/\(text(indicator.id))/edit"
        case .newPeriod(let indicator): "/indicators/\(text(indicator.id))/periods/new"
        case .period(let period, _): "/periods/\(text(period.id))/edit"
        }
    }

    /// Where "Cancel" and a save go: the page the results stand on, at the thing concerned.
    static func back(_ subject: FormSubject) -> String {
        switch subject {
        case .newResult(.activity(let id)): "/activities/\(text(id))#results-heading"
        case .newResult(.partnership(let id)): "/partnerships/\(text(id))#results-heading"
        case .result(let result), .newIndicator(let result): back(result)
        case .indicator(let indicator), .newPeriod(let indicator):
            back(indicator.activityId, indicator.partnershipId, indicator: indicator.id)
        case .period(let period, _): back(period.activityId, period.partnershipId, indicator: period.indicatorId)
        }
    }

    static func back(_ result: ResultRecord) -> String {
        let page =
            result.activityId.map { "/activities/\(text($0))" } ?? "/partnerships/\(text(result.partnershipId))"
        return page + "#result-\(text(result.id))"
    }

    static func text(_ id: UUID) -> String { id.uuidString.lowercased() }

    // MARK: Deleting

    /// "Delete …?" with what goes with it, and one button; writers only.
    func deletePage(
        _ subject: Deletable, _ context: GatewayRequestContext, _ shell: PageShell, held: Bool = false,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        try TenantAccess(context).requireWrite("results")
        let language = context.page?.language ?? .fallback
        let words = ResultFormWords.all[language]
        let (name, body, action, back): (String, String, String, String) =
            switch subject {
            case .result(let result):
                (result.title, words.deleteResultBody, "/results/\(Self.text(result.id))/delete", Self.back(result))
            case .indicator(let indicator):
                (
                    indicator.title, words.deleteIndicatorBody, "/indicators/\(Self.text(indicator.id))/delete",
                    Self.back(.indicator(indicator))
                )
            case .period(let period, let indicator):
                (
                    "\(indicator.title), \(CalendarDate.period(period.start, period.end))", words.deletePeriodBody,
                    "/periods/\(Self.text(period.id))/delete", Self.back(.period(period, indicator))
                )
            }
        var object: [String: Any] = [
            "forms": ResultFormWords.templates[language], "csrf": context.page?.csrfToken ?? "",
            "question": words.deleteQuestion(name), "body": body, "action": action, "back": back,
        ]
        if held { object["held"] = words.approvedHeld }
        return shell.respond(
            title: words.deleteQuestion(name), content: library.render(object, withTemplate: "result-delete") ?? "",
            status: status, context: context)
    }

    /// Deletes, then back to the page; something holding an approved value is kept, and the page says why (409).
    func delete(_ subject: Deletable, _ context: GatewayRequestContext, _ shell: PageShell) async throws -> Response {
        let access = try TenantAccess(context)
        let connection = try context.requireConnection()
        do {
            switch subject {
            case .result(let result):
                try await service.deleteResult(result.id, access: access, on: connection)
                let page =
                    result.activityId.map { "/activities/\(Self.text($0))" }
                    ?? "/partnerships/\(Self.text(result.partnershipId))"
                return PageRedirect.seeOther(page + "#results-heading")
            case .indicator(let indicator):
                try await service.deleteIndicator(indicator.id, access: access, on: connection)
                let result = try await service.result(indicator.resultId, access: access, on: connection)
                return PageRedirect.seeOther(Self.back(result))
            case .period(let period, _):
                try await service.deletePeriod(period.id, access: access, on: connection)
                return PageRedirect.seeOther(
                    Self.back(period.activityId, period.partnershipId, indicator: period.indicatorId))
            }
        } catch let problem as Problem where problem.status == .conflict {
            return try await deletePage(subject, context, shell, held: true, status: .conflict)
        }
    }
}
