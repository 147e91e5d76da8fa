import Foundation
import NIOCore
import Testing
import Vocabulary

@testable import Reporting

/// The platform report's JSON is built from the municipalities' reports encoded in slices, in parallel; it
/// must be exactly what encoding the whole report at once gives.
@Suite("The platform report's JSON, encoded in slices")
struct PlatformJSONTests {
    @Test(
        "equals the whole report encoded at once, for any number of municipalities", arguments: [0, 1, 19, 20, 41, 301])
    func slicesEqualWhole(count: Int) async throws {
        let activities = ReportPageTests.activities()
        let municipalities = (0..<count).map { index in
            Municipality(
                id: UUID(uuidString: String(format: "6F1B2A3C-0000-4000-8000-%012d", index))!, slug: "m\(index)",
                name: "Municipality \(index)")
        }
        // Each municipality a different share of the activities, so no two reports are alike.
        let report: @Sendable (Municipality) -> SDGReport = { municipality in
            let index = Int(municipality.slug.dropFirst())!
            return SDGReport(figures: Figures(Array(activities.prefix(index % (activities.count + 1)))))
        }
        let (reports, json) = try await PlatformReport<SDGReport>.perMunicipality(
            municipalities, encode: true, report)
        #expect(reports.map(\.municipality.slug) == municipalities.map(\.slug))
        let totals = SDGReport(figures: Figures(activities))
        let body = Data(
            try PlatformReport<SDGReport>.jsonBody(totals: totals, municipalities: json).readableBytesView)

        let encoder = LowercaseUUIDJSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let whole = try encoder.encode(
            PlatformReport(
                totals: totals,
                municipalities: municipalities.map {
                    PerMunicipality(municipality: $0, report: report($0))
                }))
        #expect(String(decoding: body, as: UTF8.self) == String(decoding: whole, as: UTF8.self))
    }
}
