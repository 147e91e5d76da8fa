import Foundation
import Gateway
import HTTPTypes
import IATI
import Messaging
import Postgres
import ReferenceData
import Vocabulary

/// Every report once, for each front door: the municipality's overview and SDG report (data and the printable
/// page), the platform reports, the IATI export, and the read model's rebuild. Each operation takes the
/// caller's access and typed input, checks what the caller may read, and reads through ``ReportsRepository``.
public struct ReportsService: Sendable {
    let repository = ReportsRepository()
    /// Who the reader is and what the municipalities are called, read through the gateway's contract.
    let people: any People
    let templates: ReportTemplates

    /// The service, with the page's template shipped in the plugin, reading people through `people`.
    public init(people: any People = PostgresPeople()) throws {
        self.people = people
        templates = try ReportTemplates()
    }

    // MARK: A municipality's reports

    /// `GET /api/v1/reports/overview`: the figures of the activities and partnerships in the caller's scope
    /// that pass `filter`.
    ///
    /// The municipality's own unfiltered overview reads its kept figures (``ReportsRepository/keptFigures(_:tenant:on:)``);
    /// any other sums the activities that pass, as ``summedOverview(_:access:on:)``.
    func overview(_ filter: ReportFilter, access: TenantAccess, on connection: PostgresConnection) async throws
        -> OverviewReport
    {
        guard let tenant = Self.keptFiguresTenant(filter, access: access) else {
            return try await summedOverview(filter, access: access, on: connection)
        }
        let figures = try await repository.keptFigures(Figures.overviewDimensions, tenant: tenant, on: connection)
        let statuses = try await repository.partnershipStatuses(filter, scope: access.scope, on: connection)
        var report = OverviewReport(figures: figures, partnershipStatuses: statuses)
        report.countLessons(try await lessonCounts(filter, access: access, on: connection).bySide)
        return report
    }

    /// The overview summed here from every activity in the caller's scope that passes `filter`: what
    /// ``overview(_:access:on:)`` answers when the kept figures cannot.
    func summedOverview(_ filter: ReportFilter, access: TenantAccess, on connection: PostgresConnection)
        async throws -> OverviewReport
    {
        let activities = try await repository.activities(
            filter, scope: access.scope, tenant: access.tenantID, on: connection)
        let statuses = try await repository.partnershipStatuses(filter, scope: access.scope, on: connection)
        var report = OverviewReport(activities: activities, partnershipStatuses: statuses)
        report.countLessons(try await lessonCounts(filter, access: access, on: connection).bySide)
        return report
    }

    /// The lessons per side of the activities in the caller's scope that pass `filter`, and the partners
    /// their partnerships have.
    func lessonCounts(_ filter: ReportFilter, access: TenantAccess, on connection: PostgresConnection)
        async throws -> LessonCounts
    {
        try await repository.lessonCounts(filter, scope: access.scope, tenant: access.tenantID, on: connection)
    }

    /// `GET /api/v1/reports/sdg`: per goal and target, of the activities in the caller's scope that pass
    /// `filter`.
    ///
    /// The municipality's own unfiltered report reads its kept figures; any other filter or scope has
    /// PostgreSQL sum the activities that pass per goal and target (``ReportsRepository/sdgFigures(_:scope:tenant:on:)``),
    /// so a few hundred rows cross instead of every activity. Both answer what ``summedSDG(_:access:on:)``
    /// answers from the same rows, to the byte (`ReportPathsTests`).
    func sdg(_ filter: ReportFilter, access: TenantAccess, on connection: PostgresConnection) async throws
        -> SDGReport
    {
        if let tenant = Self.keptFiguresTenant(filter, access: access) {
            return SDGReport(
                figures: try await repository.keptFigures(Figures.sdgDimensions, tenant: tenant, on: connection))
        }
        return SDGReport(
            figures: try await repository.sdgFigures(
                filter, scope: access.scope, tenant: access.tenantID, on: connection))
    }

    /// `GET /api/v1/reports/results`: the indicators in the caller's scope that pass `filter`, with their
    /// approved values and progress (``ResultsReport``).
    func results(_ filter: ReportFilter, access: TenantAccess, on connection: PostgresConnection) async throws
        -> ResultsReport
    {
        ResultsReport(
            try await repository.resultRows(filter, scope: access.scope, tenant: access.tenantID, on: connection))
    }

    /// `GET /api/v1/reports/results?format=html`: the results report's printable page, in `language` or else
    /// the caller's own, dated in the caller's time zone.
    func resultsPage(
        _ filter: ReportFilter, language: Language?, access: TenantAccess, on connection: PostgresConnection
    ) async throws -> String {
        let report = try await results(filter, access: access, on: connection)
        let reader = try await people.person(access.userID, on: connection)
        return ResultsReportPage(
            report: report, language: language ?? Language.resolving(reader?.locale),
            municipality: reader?.municipality.name ?? "", filterSummary: filter.summary, generatedAt: Date(),
            timeZone: reader.flatMap { TimeZone(identifier: $0.timeZone) } ?? .gmt
        ).render(with: templates)
    }

    /// The SDG report summed here from every activity in the caller's scope that passes `filter`, as it was
    /// before the figures were read and as ``report(_:language:access:on:)`` still sums the rows it reads for
    /// the page anyway: the reference `ReportPathsTests` holds ``sdg(_:access:on:)`` to.
    func summedSDG(_ filter: ReportFilter, access: TenantAccess, on connection: PostgresConnection) async throws
        -> SDGReport
    {
        SDGReport(
            try await repository.activities(filter, scope: access.scope, tenant: access.tenantID, on: connection))
    }

    /// The municipality whose kept figures answer a report: the caller's own, when they may read all of it
    /// and ask for no filter (the figures are kept per municipality, not per filter or partnership).
    static func keptFiguresTenant(_ filter: ReportFilter, access: TenantAccess) -> UUID? {
        filter == ReportFilter() && access.scope.isMunicipality ? access.tenantID : nil
    }

    /// `?format=html`: both reports on one printable page, in `language` or else the caller's own, dated in
    /// the caller's time zone.
    func page(
        _ filter: ReportFilter, language: Language?, access: TenantAccess, on connection: PostgresConnection
    ) async throws -> String {
        try await report(filter, language: language, access: access, on: connection).render(with: templates)
    }

    /// Both reports of the activities in the caller's scope that pass `filter`, ready to render: the printable
    /// page and `/reports` draw the same charts from it.
    func report(
        _ filter: ReportFilter, language: Language?, access: TenantAccess, on connection: PostgresConnection
    ) async throws -> ReportPage {
        let activities = try await repository.activities(
            filter, scope: access.scope, tenant: access.tenantID, on: connection)
        let statuses = try await repository.partnershipStatuses(filter, scope: access.scope, on: connection)
        let lessons = try await lessonCounts(filter, access: access, on: connection)
        var overview = OverviewReport(activities: activities, partnershipStatuses: statuses)
        overview.countLessons(lessons.bySide)
        // A reader who is gone by now still gets the page: in English, dated in UTC, under no name.
        let reader = try await people.person(access.userID, on: connection)
        var page = ReportPage(
            language: language ?? Language.resolving(reader?.locale), municipality: reader?.municipality.name ?? "",
            filterSummary: filter.summary, sdg: SDGReport(activities), overview: overview, generatedAt: Date(),
            timeZone: reader.flatMap { TimeZone(identifier: $0.timeZone) } ?? .gmt)
        page.tellsLessons = true
        page.lessonPartner = lessons.partners.count == 1 ? lessons.partners.first : nil
        return page
    }

    /// The partnerships in the caller's scope, by title, for the reports' partnership filter.
    func partnerships(access: TenantAccess, on connection: PostgresConnection) async throws -> [(
        id: UUID, title: String
    )] {
        try await repository.partnerships(scope: access.scope, on: connection)
    }

    /// Whether the caller's municipality can publish an IATI file now (it has an IATI organisation identifier
    /// and type); the export answers 409 otherwise.
    func canExportIATI(access: TenantAccess, on connection: PostgresConnection) async throws -> Bool {
        guard access.scope.isMunicipality,
            let municipality = try await people.municipality(access.tenantID, on: connection)
        else { return false }
        return municipality.iatiOrganisationReference != nil && municipality.iatiOrganisationType != nil
    }

    /// The policy every report page is served with.
    var pagePolicy: PageSecurityPolicy { templates.policy }

    // MARK: The platform's reports

    /// Platform reports are for platform administrators; anyone else is told there is nothing here (404).
    static func requirePlatformAdministrator(_ caller: Identity) throws {
        guard caller.role == .platformAdmin else { throw Problem.notFound() }
    }

    /// `GET /api/v1/platform/reports/sdg`: the SDG report of every municipality and their totals; with
    /// `encodeJSON`, the municipalities' JSON encoded in parallel slices.
    func platformSDG(
        _ filter: ReportFilter, caller: Identity, encodeJSON: Bool, on connection: PostgresConnection
    ) async throws -> EncodedPlatformReport<SDGReport> {
        try Self.requirePlatformAdministrator(caller)
        let (municipalities, byTenant) = try await platformFigures(
            filter, dimensions: Figures.sdgDimensions, on: connection)
        let (reports, json) = try await PlatformReport.perMunicipality(municipalities, encode: encodeJSON) {
            SDGReport(figures: byTenant[$0.id] ?? Figures())
        }
        return EncodedPlatformReport(
            report: PlatformReport(
                totals: SDGReport(figures: byTenant.values.reduce(Figures(), +)), municipalities: reports),
            json: json)
    }

    /// `GET /api/v1/platform/reports/results`: how every municipality uses the results framework, and the totals;
    /// counts and codes only.
    func platformResults(
        _ filter: ReportFilter, caller: Identity, encodeJSON: Bool, on connection: PostgresConnection
    ) async throws -> EncodedPlatformReport<ResultCounts> {
        try Self.requirePlatformAdministrator(caller)
        let byTenant = try await repository.platformResultCounts(filter, on: connection)
        let municipalities = try await people.municipalities(slug: nil, on: connection).map(Municipality.init)
        let (reports, json) = try await PlatformReport.perMunicipality(municipalities, encode: encodeJSON) {
            byTenant[$0.id] ?? ResultCounts()
        }
        return EncodedPlatformReport(
            report: PlatformReport(totals: byTenant.values.reduce(ResultCounts(), +), municipalities: reports),
            json: json)
    }

    /// `GET /api/v1/platform/reports/overview`: the overview of every municipality and their totals, with the
    /// SDG report of all of them for the page.
    func platformOverview(
        _ filter: ReportFilter, caller: Identity, encodeJSON: Bool, on connection: PostgresConnection
    ) async throws -> (overview: EncodedPlatformReport<OverviewReport>, sdg: SDGReport) {
        try Self.requirePlatformAdministrator(caller)
        let (municipalities, byTenant) = try await platformFigures(
            filter, dimensions: Figures.overviewDimensions + Figures.sdgDimensions, on: connection)
        let statuses = try await repository.partnershipStatuses(filter, on: connection)
        var allStatuses: [String: Int] = [:]
        for perTenant in statuses.values { allStatuses.merge(perTenant, uniquingKeysWith: +) }
        let all = byTenant.values.reduce(Figures(), +)
        // Lessons are counted per municipality and side, whatever the filter: the owner may read the counts,
        // never the lessons themselves (migration 0052).
        let lessons = try await repository.platformLessonCounts(on: connection)
        var allLessons: [String: Int] = [:]
        for perTenant in lessons.values { allLessons.merge(perTenant, uniquingKeysWith: +) }
        let (reports, json) = try await PlatformReport.perMunicipality(municipalities, encode: encodeJSON) {
            var report = OverviewReport(
                figures: byTenant[$0.id] ?? Figures(), partnershipStatuses: statuses[$0.id] ?? [:])
            report.countLessons(lessons[$0.id] ?? [:])
            return report
        }
        var totals = OverviewReport(figures: all, partnershipStatuses: allStatuses)
        totals.countLessons(allLessons)
        let report = PlatformReport(totals: totals, municipalities: reports)
        return (EncodedPlatformReport(report: report, json: json), SDGReport(figures: all))
    }

    /// The platform's printable page: the totals, in `language` (English by default), dated in UTC.
    func platformPage(sdg: SDGReport, overview: OverviewReport?, language: Language?) -> String {
        ReportPage(
            language: language ?? .en, municipality: "stedenband", filterSummary: "", sdg: sdg,
            overview: overview ?? OverviewReport(activities: [], partnershipStatuses: [:]), generatedAt: Date(),
            timeZone: .gmt
        ).render(with: templates)
    }

    /// The municipalities' figures: unfiltered from the pre-summed figures (a few rows per municipality);
    /// filtered from their activities, summed here.
    private func platformFigures(_ filter: ReportFilter, dimensions: [String], on connection: PostgresConnection)
        async throws -> ([Municipality], [UUID: Figures])
    {
        let byTenant =
            filter == ReportFilter()
            ? try await repository.figures(dimensions, on: connection)
            : try await repository.figures(filter, on: connection)
        return (try await people.municipalities(slug: nil, on: connection).map(Municipality.init), byTenant)
    }

    // MARK: The IATI export

    /// The export is what the municipality publishes as a whole: a caller who may read only some of its
    /// partnerships may not have it, rather than a part of it under the municipality's name.
    static func requireExport(_ access: TenantAccess) throws {
        guard access.scope.isMunicipality else {
            throw Problem.forbidden(
                "the IATI export is the municipality's publication; partner coordinators use /api/v1/reports")
        }
    }

    /// `GET /api/v1/exports/iati`: the municipality's activities running in `year` (all when `nil`) as an IATI
    /// 2.03 document; activities that cannot be expressed validly are left out and listed in the answer.
    func iatiExport(year: Int?, access: TenantAccess, on connection: PostgresConnection) async throws -> IATIExport {
        try Self.requireExport(access)
        guard let publisher = try await people.municipality(access.tenantID, on: connection) else {
            throw Problem.notFound()
        }
        guard let reference = publisher.iatiOrganisationReference, let type = publisher.iatiOrganisationType else {
            throw Problem(
                type: "/problems/iati-organisation-missing", title: "No IATI organisation identifier",
                status: .conflict,
                detail:
                    "the municipality has no IATI organisation identifier and type yet: "
                    + "stedenband tenant set SLUG --iati-ref … --iati-type 11")
        }
        var filter = ReportFilter()
        filter.year = year
        let activities = try await repository.iatiActivities(filter, on: connection)
        do {
            return try IATIDocument.export(
                organisation: IATIOrganisation(
                    reference: reference, type: type, name: publisher.name, language: publisher.defaultLocale),
                activities: activities, generatedAt: Date())
        } catch {
            throw Problem(
                type: "/problems/iati-nothing-to-export", title: "Nothing to export",
                status: .unprocessableContent, detail: error.reason,
                errors: error.skipped.map {
                    .init(field: "activity \($0.id.uuidString.lowercased())", message: $0.reason)
                })
        }
    }

    // MARK: The read model

    /// The municipalities whose read model `rebuild(_:pool:)` may rebuild: all, or the one with `slug` (none
    /// when there is no such municipality). For `stedenband reporting rebuild`, on the migration login's
    /// connection, which sees every municipality.
    public func municipalities(slug: String?, on connection: PostgresConnection) async throws -> [Municipality] {
        try await people.municipalities(slug: slug, on: connection).map(Municipality.init)
    }

    /// Rebuilds the read model of `tenants` from the kept events, each municipality in one transaction;
    /// answers the events replayed per municipality.
    public func rebuild(_ tenants: [UUID], pool: PostgresConnectionPool) async throws -> [UUID: Int] {
        var scratch = EventSubscriptions()
        let appliers = ReadModel.register(into: &scratch)
        var replayed: [UUID: Int] = [:]
        for tenant in tenants {
            replayed[tenant] = try await pool.withTransaction(tenantID: tenant) { connection in
                try await ReadModel.rebuild(tenant: tenant, appliers: appliers, on: connection)
            }
        }
        return replayed
    }
}
