import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import IATI
import NIOCore

/// `GET /api/v1/exports/iati?year=`: the municipality's activities as an IATI 2.03 `iati-activities`
/// document that the official schema accepts, for callers whose scope is the whole municipality (403 to
/// partner coordinators). Activities that cannot be expressed validly are left out and
/// listed in `X-Stedenband-Skipped`, never exported invalid; parts of exported activities that cannot (a result,
/// an indicator, a baseline, a period) are left out of them and listed in `X-Stedenband-Trimmed`. Reads the
/// query, calls ``ReportsService``, encodes its answer.
struct IATIExportController: Sendable {
    static let skippedHeader = HTTPField.Name("X-Stedenband-Skipped")!
    static let trimmedHeader = HTTPField.Name("X-Stedenband-Trimmed")!

    let service: ReportsService

    var routes: RouteCollection<GatewayRequestContext> {
        let routes = RouteCollection(context: GatewayRequestContext.self)
        routes.get("exports/iati") { request, context in try await export(request, context) }
        return routes
    }

    func export(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let access = try ReportQuery.access(context)
        // Who may have the export is answered before what they asked for is read.
        try ReportsService.requireExport(access)
        let year = try Self.year(request.queryParameters.get("year"))
        let export = try await service.iatiExport(year: year, access: access, on: try context.requireConnection())
        return Self.answer(export, year: year)
    }

    /// The `year` of the query: none, or a year such as 2020 (422 otherwise).
    static func year(_ text: String?) throws -> Int? {
        guard let text else { return nil }
        guard let value = Int(text), (1900...2200).contains(value) else {
            throw Problem.validation([.init(field: "year", message: "must be a year such as 2020")])
        }
        return value
    }

    /// The export as a file to save (`iati-activities-2020.xml`), the skipped activities and the trimmed parts in
    /// headers: the API's route and the `/reports/iati.xml` page route answer alike.
    static func answer(_ export: IATIExport, year: Int?) -> Response {
        var headers: HTTPFields = [
            .contentType: "application/xml; charset=utf-8",
            .contentDisposition: "attachment; filename=\"iati-activities-\(year.map(String.init) ?? "all").xml\"",
        ]
        headers[skippedHeader] = summary(export.skipped)
        headers[trimmedHeader] = summary(export.trimmed)
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: export.xml)))
    }

    /// `0`, or the count and the first ten (activities, or parts of them) with their reasons, on one header line.
    static func summary(_ skipped: [IATISkipped]) -> String {
        guard !skipped.isEmpty else { return "0" }
        let listed = skipped.prefix(10).map { "\($0.id.uuidString.lowercased()): \($0.reason)" }
        let text = "\(skipped.count); " + listed.joined(separator: "; ") + (skipped.count > 10 ? "; …" : "")
        return String(text.unicodeScalars.filter { $0.isASCII && $0.value >= 0x20 }.map(Character.init))
    }
}
