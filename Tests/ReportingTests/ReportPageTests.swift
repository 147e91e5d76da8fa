import Foundation
import ReferenceData
import TestSupport
import Testing
import Vocabulary

@testable import Reporting

/// The report page for fixed figures, in each language, against the files in `Golden/`. After an intended
/// change, rerun with `STEDENBAND_UPDATE_GOLDEN=1` and review the diff.
@Suite("The printable report page in four languages")
struct ReportPageTests {
    static func activities() -> [ReportedActivity] {
        let dogbo = UUID(uuidString: "6F1B2A3C-0000-4000-8000-000000000001")!
        let tambacounda = UUID(uuidString: "6F1B2A3C-0000-4000-8000-000000000002")!
        return [
            ReportedActivity(
                partnershipID: dogbo, status: "completed", kind: "emergency_support", direction: "north_to_south",
                themes: ["covid-19"], goals: [3, 6], targets: ["3.d", "6.2"], planned: 1_250_000, spent: 1_180_050,
                currency: "EUR", startYear: 2020, country: "BJ"),
            ReportedActivity(
                partnershipID: dogbo, status: "ongoing", kind: "knowledge_exchange", direction: "south_to_north",
                themes: ["covid-19"], goals: [16], targets: ["16.6"], planned: 250_000, spent: 0, currency: "EUR",
                startYear: 2021, country: "BJ"),
            ReportedActivity(
                partnershipID: tambacounda, status: "planned", kind: "capacity_building", direction: "mutual",
                themes: [], goals: [16, 17], targets: ["16.9"], planned: 500_000_00, spent: 0, currency: "XOF",
                startYear: nil, country: "SN"),
        ]
    }

    @Test("each language's page matches its golden file", arguments: [Language.nl, .en, .fr, .es])
    func golden(language: Language) throws {
        let activities = Self.activities()
        let html = ReportPage(
            language: language, municipality: "Roeselare", filterSummary: "", sdg: SDGReport(activities),
            overview: OverviewReport(activities: activities, partnershipStatuses: ["active": 2]),
            generatedAt: try Date("2026-11-29T09:00:00Z", strategy: .iso8601),
            timeZone: TimeZone(identifier: "Europe/Brussels")!
        ).render(with: try ReportTemplates())
        let path = TestPaths.root + "/Tests/ReportingTests/Golden/page-\(language.rawValue).html"
        if ProcessInfo.processInfo.environment["STEDENBAND_UPDATE_GOLDEN"] == "1" {
            try html.write(toFile: path, atomically: true, encoding: .utf8)
        }
        #expect(html == (try String(contentsOfFile: path, encoding: .utf8)), "page-\(language.rawValue).html differs")
    }
}
