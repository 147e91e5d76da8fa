import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import Mustache
import Postgres
import ResultsContracts
import Vocabulary

/// The results on the pages other plugins own: an activity's results on `/activities/{id}` (between its budget
/// and its updates) and a partnership's long-term results on `/partnerships/{id}`, each result with its
/// indicators, each indicator with its chart and a table of its periods: the target, the value reported and
/// where it stands (a value waiting for review is shown as such here, though only approved ones count in
/// reports and in the chart).
struct ResultPages: Sendable {
    let service: ResultsService
    let library: MustacheLibrary

    static let sectionLimit = 50

    init(service: ResultsService) throws {
        var library = MustacheLibrary()
        for name in [
            "results-section", "report-value", "review", "report-list", "dashboard-results", "result-form",
            "result-delete", "form-field",
        ] {
            guard let text = EmbeddedFiles.text("Templates/\(name).mustache") else { throw TemplateMissing(name: name) }
            try library.register(text, named: name)
        }
        self.service = service
        self.library = library
    }

    struct TemplateMissing: Error, CustomStringConvertible {
        var name: String
        var description: String { "Templates/\(name).mustache is not embedded in the Results module" }
    }

    func register(on pages: Pages) {
        let shell = pages.shell
        pages.signedIn.get("periods/:id/report") { _, context in try await reportForm(context, shell) }
        pages.signedIn.post("periods/:id/report") { request, context in try await report(request, context, shell) }
        pages.signedIn.get("results/review") { _, context in try await reviewPage(context, shell) }
        pages.signedIn.get("results/report") { _, context in try await reportList(context, shell) }
        pages.dashboardSections.add(order: 20) { viewer, context in try await dashboard(viewer, context) }
        pages.signedIn.post("periods/:id/approve") { request, context in try await approve(request, context, shell) }
        pages.signedIn.post("periods/:id/return") { request, context in try await returnValue(request, context, shell) }
        pages.activitySections.add(order: 10) { activity, context in
            try await section(of: .activity(activity), context)
        }
        pages.partnershipSections.add(order: 30) { partnership, context in
            try await section(of: .partnership(partnership), context)
        }
        registerForms(on: pages)
    }

    /// The section, or `nil` when the activity or partnership has no results.
    func section(of parent: ResultParent, _ context: GatewayRequestContext) async throws -> String? {
        let access = try TenantAccess(context)
        let page = try await service.results(
            of: parent, limit: Self.sectionLimit, after: nil, access: access, on: try context.requireConnection())
        // Writers see the section without results too, so they can add the first.
        guard !page.items.isEmpty || access.canWrite else { return nil }
        let language = context.page?.language ?? .fallback
        let words = ResultsPageWords.all[language]
        func number(_ value: IndicatorValue, measure: IndicatorMeasure) -> String {
            Self.number(value, percentage: measure == .percentage, language: language)
        }
        let canReport = access.canPostUpdates
        let canReview = access.canWrite
        let results = page.items.map { result -> [String: Any] in
            let id = Self.text(result.id)
            var object: [String: Any] = [
                "title": result.title, "type": result.type.name(in: language), "anchor": "result-\(id)",
                "indicators": result.indicators.map { indicator in
                    self.indicator(
                        indicator, words: words, language: language, canReport: canReport, canReview: canReview
                    ) {
                        number($0, measure: indicator.measure)
                    }
                },
            ]
            if !result.description.isEmpty { object["description"] = result.description }
            if canReview {
                object["editHref"] = "/results/\(id)/edit"
                object["deleteHref"] = "/results/\(id)/delete"
                object["addIndicatorHref"] = "/results/\(id)/indicators/new"
            }
            return object
        }
        var object: [String: Any] = [
            "words": ResultsPageWords.templates[language], "forms": ResultFormWords.templates[language],
            "results": results,
        ]
        if canReview {
            object["addResultHref"] =
                switch parent {
                case .activity(let id): "/activities/\(Self.text(id))/results/new"
                case .partnership(let id): "/partnerships/\(Self.text(id))/results/new"
                }
        }
        return library.render(object, withTemplate: "results-section")
    }

    private func indicator(
        _ indicator: IndicatorRecord, words: ResultsPageWords, language: Language, canReport: Bool,
        canReview: Bool, number: (IndicatorValue) -> String
    ) -> [String: Any] {
        let periods = indicator.periods
        var object: [String: Any] = [
            "title": indicator.title, "measure": indicator.measure.name(in: language),
            "anchor": "indicator-\(indicator.id.uuidString.lowercased())",
            "hasPeriods": !periods.isEmpty,
            "periods": periods.map { period -> [String: Any] in
                var row: [String: Any] = [
                    "period": CalendarDate.period(period.start, period.end),
                    "target": period.target?.value.map(number) ?? "",
                    "actual": period.actual?.value.map(number) ?? "",
                    "status": period.status.name(in: language),
                ]
                if let comment = period.actual?.comment, !comment.isEmpty { row["comment"] = comment }
                if canReport, period.status != .approved {
                    row["reportHref"] = "/periods/\(period.id.uuidString.lowercased())/report"
                }
                if canReview, period.status == .submitted {
                    row["reviewHref"] = "/results/review#period-\(period.id.uuidString.lowercased())"
                }
                if canReview {
                    row["editHref"] = "/periods/\(Self.text(period.id))/edit"
                    row["deleteHref"] = "/periods/\(Self.text(period.id))/delete"
                }
                return row
            },
        ]
        if canReview {
            let id = Self.text(indicator.id)
            object["editHref"] = "/indicators/\(id)/edit"
            object["deleteHref"] = "/indicators/\(id)/delete"
            object["addPeriodHref"] = "/indicators/\(id)/periods/new"
        }
        if let target = indicator.sdgTarget { object["sdgTarget"] = target.rawValue }
        if let baseline = indicator.baseline {
            var entry: [String: Any] = ["year": "\(baseline.year)"]
            if let value = baseline.value { entry["value"] = number(value) }
            object["baseline"] = entry
        }
        if indicator.measure != .qualitative {
            let chart = IndicatorChart(
                id: indicator.id, title: indicator.title, baseline: indicator.baseline?.value,
                points: periods.map { period in
                    IndicatorChart.Point(
                        end: period.end, target: period.target?.value,
                        actual: period.status == .approved ? period.actual?.value : nil)
                })
            if let svg = chart.svg(words: words, number: number) { object["chart"] = svg }
        }
        return object
    }

    // MARK: /periods/{id}/report: the phone form

    /// One thing per page, for a partner coordinator on a phone: the indicator, the period, its target and
    /// baseline, and the value with a comment; "Send for approval". An approved value is not reported again
    /// (a coordinator returns it first): the page says so instead of showing the form.
    func reportForm(_ context: GatewayRequestContext, _ shell: PageShell) async throws -> Response {
        try await reportPage(context, shell, typed: nil, errors: [], status: .ok)
    }

    func report(_ request: Request, _ context: GatewayRequestContext, _ shell: PageShell) async throws -> Response {
        let access = try TenantAccess(context)
        let id = try Self.pathID(context)
        let form = try await PageForm.read(request)
        let connection = try context.requireConnection()
        let typed = (value: form["value"] ?? "", comment: form["comment"] ?? "")
        let value = Self.decimal(typed.value)
        let outcome = try await PageForm.submit(
            unreadable: [], checks: { [] },
            save: {
                let period = try await service.report(
                    (
                        ActualInput(value: value.isEmpty ? nil : value, comment: typed.comment),
                        Int(form["version"] ?? "")
                    ), for: id, access: access, on: connection)
                return PageRedirect.seeOther(
                    Self.back(period.activityId, period.partnershipId, indicator: period.indicatorId))
            })
        switch outcome {
        case .saved(let response): return response
        case .refused(let errors):
            return try await reportPage(context, shell, typed: typed, errors: errors, status: .unprocessableContent)
        }
    }

    private func reportPage(
        _ context: GatewayRequestContext, _ shell: PageShell, typed: (value: String, comment: String)?,
        errors: [Problem.FieldError], status: HTTPResponse.Status
    ) async throws -> Response {
        let access = try TenantAccess(context)
        let id = try Self.pathID(context)
        let connection = try context.requireConnection()
        let period = try await service.period(id, access: access, on: connection)
        let indicator = try await service.indicator(period.indicatorId, access: access, on: connection)
        guard access.canPostUpdates else { throw Problem.forbidden("viewers do not report values") }
        let language = context.page?.language ?? .fallback
        let words = ResultsPageWords.all[language]
        func number(_ value: IndicatorValue) -> String {
            Self.number(value, percentage: indicator.measure == .percentage, language: language)
        }
        var object: [String: Any] = [
            "words": ResultsPageWords.templates[language], "csrf": context.page?.csrfToken ?? "",
            "id": id.uuidString.lowercased(), "version": "\(period.version)", "indicator": indicator.title,
            "period": CalendarDate.period(period.start, period.end),
            "status": period.status.name(in: language), "approved": period.status == .approved,
            "quantitative": indicator.measure != .qualitative,
            "value": typed?.value ?? period.actual?.value.map(number).map {
                $0.replacingOccurrences(of: "%", with: "").trimmingCharacters(in: .whitespaces)
            } ?? "",
            "comment": typed?.comment ?? period.actual?.comment ?? "",
            "back": Self.back(period.activityId, period.partnershipId, indicator: period.indicatorId),
        ]
        if indicator.measure == .percentage { object["unit"] = "%" }
        if let target = period.target?.value { object["target"] = number(target) }
        if let baseline = indicator.baseline {
            object["baseline"] = "\(baseline.year)" + (baseline.value.map { ": " + number($0) } ?? "")
        }
        if !errors.isEmpty {
            let messages = errors.map { error -> [String: String] in
                let field = error.field == "comment" ? "comment" : "value"
                return ["field": field, "message": field == "comment" ? words.commentMessage : words.valueMessage]
            }
            object["errorSummary"] = ["items": messages]
            if messages.contains(where: { $0["field"] == "value" }) { object["valueError"] = words.valueMessage }
            if messages.contains(where: { $0["field"] == "comment" }) { object["commentError"] = words.commentMessage }
        }
        return shell.respond(
            title: words.reportHeading, content: library.render(object, withTemplate: "report-value") ?? "",
            status: status, context: context)
    }

    // MARK: /results/report and the dashboard

    /// The values the person may report, returned ones first with the coordinator's comment, then by the soonest
    /// end, each linking to its form.
    func reportList(_ context: GatewayRequestContext, _ shell: PageShell) async throws -> Response {
        let access = try TenantAccess(context)
        guard access.canPostUpdates else { throw Problem.forbidden("viewers do not report values") }
        let language = context.page?.language ?? .fallback
        let words = ResultsPageWords.all[language]
        let periods = try await service.repository.toReport(
            scope: access.scope, limit: 200, on: try context.requireConnection())
        let items = periods.map { entry -> [String: Any] in
            var item: [String: Any] = [
                "id": entry.period.id.uuidString.lowercased(), "indicator": entry.indicator,
                "partnership": entry.partnership, "period": CalendarDate.period(entry.period.start, entry.period.end),
                "status": entry.period.status.name(in: language),
            ]
            if let activity = entry.activity { item["activity"] = activity }
            if entry.period.status == .returned, !entry.period.reviewComment.isEmpty {
                item["reviewComment"] = entry.period.reviewComment
            }
            return item
        }
        let object: [String: Any] = ["words": ResultsPageWords.templates[language], "items": items]
        return shell.respond(
            title: words.toReportHeading, content: library.render(object, withTemplate: "report-list") ?? "",
            context: context)
    }

    /// On the dashboard, for those who report or review: how many values wait for them, linking to the lists;
    /// nothing when none does.
    func dashboard(_ viewer: DashboardSections.Viewer, _ context: GatewayRequestContext) async throws -> String? {
        let access = try TenantAccess(context)
        guard access.canPostUpdates else { return nil }
        let counts = try await service.repository.counts(scope: access.scope, on: try context.requireConnection())
        let words = ResultsPageWords.all[viewer.language]
        var object: [String: Any] = ["words": ResultsPageWords.templates[viewer.language]]
        if counts.toReport > 0 {
            object["toReport"] = ["text": words.toReportCount(counts.toReport, counts.soonest?.description)]
        }
        if access.canWrite, counts.toReview > 0 {
            object["toReview"] = ["text": words.toReviewCount(counts.toReview)]
        }
        guard object.count > 1 else { return nil }
        return library.render(object, withTemplate: "dashboard-results")
    }

    // MARK: /results/review

    /// The submitted values of the caller's scope, oldest first, each with Approve and "Return" (a comment
    /// required beside the field): administrators and coordinators.
    func reviewPage(
        _ context: GatewayRequestContext, _ shell: PageShell, refused: (id: UUID, comment: String)? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let access = try TenantAccess(context)
        try access.requireWrite("results")
        let connection = try context.requireConnection()
        let language = context.page?.language ?? .fallback
        let words = ResultsPageWords.all[language]
        let waiting = try await service.repository.submitted(scope: access.scope, limit: 200, on: connection)
        let items = waiting.map { entry -> [String: Any] in
            let period = entry.period
            let percentage = entry.measure == IndicatorMeasure.percentage.rawValue
            func number(_ value: IndicatorValue) -> String {
                Self.number(value, percentage: percentage, language: language)
            }
            var item: [String: Any] = [
                "id": period.id.uuidString.lowercased(), "version": "\(period.version)", "indicator": entry.indicator,
                "partnership": entry.partnership, "period": CalendarDate.period(period.start, period.end),
                "value": period.actual?.value.map(number) ?? "", "csrf": context.page?.csrfToken ?? "",
                "href": Self.back(period.activityId, period.partnershipId, indicator: period.indicatorId),
            ]
            if let activity = entry.activity { item["activity"] = activity }
            if let target = period.target?.value { item["target"] = number(target) }
            if let comment = period.actual?.comment, !comment.isEmpty { item["comment"] = comment }
            if let refused, refused.id == period.id {
                item["returnError"] = words.returnMessage
                item["returnComment"] = refused.comment
            }
            return item
        }
        var object: [String: Any] = ["words": ResultsPageWords.templates[language], "items": items]
        if let refused {
            object["errorSummary"] = [
                "items": [["field": "return-\(refused.id.uuidString.lowercased())", "message": words.returnMessage]]
            ]
        }
        return shell.respond(
            title: words.reviewHeading, content: library.render(object, withTemplate: "review") ?? "",
            status: status, context: context)
    }

    func approve(_ request: Request, _ context: GatewayRequestContext, _ shell: PageShell) async throws -> Response {
        let access = try TenantAccess(context)
        let id = try Self.pathID(context)
        let form = try await PageForm.read(request)
        _ = try await service.approve(
            id, with: (ApprovalInput(), Int(form["version"] ?? "")), access: access,
            on: try context.requireConnection())
        return PageRedirect.seeOther("/results/review")
    }

    func returnValue(_ request: Request, _ context: GatewayRequestContext, _ shell: PageShell) async throws
        -> Response
    {
        let access = try TenantAccess(context)
        let id = try Self.pathID(context)
        let form = try await PageForm.read(request)
        let comment = form["comment"] ?? ""
        let outcome = try await PageForm.submit(
            unreadable: [], checks: { [] },
            save: {
                _ = try await service.returnValue(
                    id, with: (ReturnInput(comment: comment), Int(form["version"] ?? "")), access: access,
                    on: try context.requireConnection())
                return PageRedirect.seeOther("/results/review")
            })
        switch outcome {
        case .saved(let response): return response
        case .refused:
            return try await reviewPage(context, shell, refused: (id, comment), status: .unprocessableContent)
        }
    }

    /// Where the form goes back to: the activity's page, or the partnership's for a long-term result, at the
    /// indicator.
    static func back(_ activity: UUID?, _ partnership: UUID, indicator: UUID) -> String {
        let page =
            activity.map { "/activities/\($0.uuidString.lowercased())" }
            ?? "/partnerships/\(partnership.uuidString.lowercased())"
        return page + "#indicator-\(indicator.uuidString.lowercased())"
    }

    /// A number as people type it on a phone in Flanders, France or Spain: spaces between thousands, a decimal
    /// comma (`1 200,5`), or a point (`74.5`). A comma makes any point a thousands separator. Anything else is
    /// left for the service to refuse by name.
    static func decimal(_ typed: String) -> String {
        let compact = typed.filter { !$0.isWhitespace && $0 != "\u{00A0}" && $0 != "\u{202F}" && $0 != "%" }
        guard compact.contains(",") else { return compact }
        return compact.replacingOccurrences(of: ".", with: "").replacingOccurrences(of: ",", with: ".")
    }

    /// The id in the path; a 404 naming `thing` when it is none.
    static func pathID(_ context: GatewayRequestContext, _ thing: String = "period") throws -> UUID {
        guard let text = context.parameters.get("id"), let id = UUID(uuidString: text) else {
            throw Problem.notFound("no such \(thing)")
        }
        return id
    }

    /// A value as a page in `language` writes it: its decimal mark and grouping (`74,5`, `1.200`), a percentage
    /// with its sign as the language sets it (`74%` in English and Dutch, `74 %` in French and Spanish).
    static func number(_ value: IndicatorValue, percentage: Bool, language: Language) -> String {
        let text =
            Decimal(string: value.description, locale: Locale(identifier: "en_US_POSIX")).map {
                $0.formatted(.number.locale(Locale(identifier: localeIdentifier(language))))
            } ?? value.description
        guard percentage else { return text }
        return language == .fr || language == .es ? text + "\u{00A0}%" : text + "%"
    }

    /// The locale whose decimal mark a page in `language` writes.
    static func localeIdentifier(_ language: Language) -> String {
        switch language {
        case .nl: "nl_BE"
        case .en: "en_GB"
        case .fr: "fr_BE"
        case .es: "es_ES"
        }
    }
}
