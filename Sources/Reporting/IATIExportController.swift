import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import IATI
import NIOCore
import Postgres
import Vocabulary

/// `GET /api/v1/exports/iati?year=`: the municipality's activities as an IATI 2.03 `iati-activities`
/// document that the official schema accepts, for callers whose scope is the whole municipality (403 to
/// partner coordinators). Activities that cannot be expressed validly are left out and
/// listed in `X-Stedenband-Skipped`, never exported invalid.
struct IATIExportController: Sendable {
    static let skippedHeader = HTTPField.Name("X-Stedenband-Skipped")!

    var routes: RouteCollection<GatewayRequestContext> {
        let routes = RouteCollection(context: GatewayRequestContext.self)
        routes.get("exports/iati") { request, context in try await export(request, context) }
        return routes
    }

    func export(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let (tenant, scope) = try ReportsController.caller(context)
        // The export is what the municipality publishes as a whole: a caller who may read only some of its
        // partnerships may not have it, rather than a part of it under the municipality's name.
        guard scope.isMunicipality else {
            throw Problem.forbidden(
                "the IATI export is the municipality's publication; partner coordinators use /api/v1/reports")
        }
        var filter = ReportFilter()
        if let text = request.queryParameters.get("year") {
            guard let year = Int(text), (1900...2200).contains(year) else {
                throw Problem.validation([.init(field: "year", message: "must be a year such as 2020")])
            }
            filter.year = year
        }
        let connection = try context.requireConnection()
        let rows = try await connection.query(
            "SELECT name, default_locale, iati_organisation_ref, iati_organisation_type FROM platform.tenants WHERE id = \(tenant)"
        )
        guard let row = rows.first else { throw Problem.notFound() }
        let (name, language, reference, type) = try row.decode((String, String, String?, String?).self)
        guard let reference, let type else {
            throw Problem(
                type: "/problems/iati-organisation-missing", title: "No IATI organisation identifier",
                status: .conflict,
                detail:
                    "the municipality has no IATI organisation identifier and type yet: "
                    + "stedenband tenant set SLUG --iati-ref … --iati-type 11")
        }
        let activities = try await connection.query(
            """
            SELECT a.id, a.title, a.status, a.starts_on, a.ends_on, p.partner_name, p.partner_country, a.sdg_goals,
                a.sdg_targets, a.budget_planned::text, a.budget_spent::text, a.budget_currency, a.updated_at
            FROM reporting.activities a
            JOIN reporting.partnerships p ON p.tenant_id = a.tenant_id AND p.id = a.partnership_id
            WHERE \(fragment: filter.condition)
            ORDER BY a.id
            """
        ).map { row in
            let title = try row.decode(String.self, column: 1)
            return IATIActivity(
                id: try row.decode(UUID.self, column: 0), title: title,
                // The events carry no description (only Activities holds it): the title stands in, as IATI
                // requires one.
                description: title, status: try row.decode(String.self, column: 2),
                startsOn: try row.decode(CalendarDate?.self, column: 3),
                endsOn: try row.decode(CalendarDate?.self, column: 4),
                partnerName: try row.decode(String.self, column: 5),
                partnerCountry: try row.decode(String.self, column: 6), sdgGoals: try row.decode([Int].self, column: 7),
                sdgTargets: try row.decode([String].self, column: 8),
                budgetPlanned: try row.decode(String?.self, column: 9),
                budgetSpent: try row.decode(String?.self, column: 10),
                currency: try row.decode(String?.self, column: 11), updatedAt: try row.decode(Date.self, column: 12))
        }
        let export: IATIExport
        do {
            export = try IATIDocument.export(
                organisation: IATIOrganisation(reference: reference, type: type, name: name, language: language),
                activities: activities, generatedAt: Date())
        } catch {
            throw Problem(
                type: "/problems/iati-nothing-to-export", title: "Nothing to export",
                status: .unprocessableContent, detail: error.reason,
                errors: error.skipped.map {
                    .init(field: "activity \($0.id.uuidString.lowercased())", message: $0.reason)
                })
        }
        var headers: HTTPFields = [
            .contentType: "application/xml; charset=utf-8",
            .contentDisposition:
                "attachment; filename=\"iati-activities-\(filter.year.map(String.init) ?? "all").xml\"",
        ]
        headers[Self.skippedHeader] = Self.summary(export.skipped)
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: export.xml)))
    }

    /// `0`, or the count and the first activities with their reasons, on one header line.
    static func summary(_ skipped: [IATISkipped]) -> String {
        guard !skipped.isEmpty else { return "0" }
        let listed = skipped.prefix(10).map { "\($0.id.uuidString.lowercased()): \($0.reason)" }
        let text = "\(skipped.count); " + listed.joined(separator: "; ") + (skipped.count > 10 ? "; …" : "")
        return String(text.unicodeScalars.filter { $0.isASCII && $0.value >= 0x20 }.map(Character.init))
    }
}
