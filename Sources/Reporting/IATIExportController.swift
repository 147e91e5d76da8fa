import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import IATI
import NIOCore

/// `GET /api/v1/exports/iati?year=`: the municipality's activities as an IATI 2.03 `iati-activities`
/// document that the official schema accepts, for callers whose scope is the whole municipality (403 to
/// partner coordinators). Activities that cannot be expressed validly are left out and
/// listed in `X-Stedenband-Skipped`, never exported invalid. Reads the query, calls ``ReportsService``,
/// encodes its answer.
struct IATIExportController: Sendable {
    static let skippedHeader = HTTPField.Name("X-Stedenband-Skipped")!

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
        var year: Int?
        if let text = request.queryParameters.get("year") {
            guard let value = Int(text), (1900...2200).contains(value) else {
                throw Problem.validation([.init(field: "year", message: "must be a year such as 2020")])
            }
            year = value
        }
        let export = try await service.iatiExport(year: year, access: access, on: try context.requireConnection())
        var headers: HTTPFields = [
            .contentType: "application/xml; charset=utf-8",
            .contentDisposition: "attachment; filename=\"iati-activities-\(year.map(String.init) ?? "all").xml\"",
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
