import Foundation
import IATI
import Postgres
import Testing
import Vocabulary

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite("Exporting activities as an IATI 2.03 document")
struct IATIDocumentTests {
    typealias F = Fixtures

    @Test("writes the worked example's activity with every element in the schema's order, and xmllint accepts it")
    func workedExample() async throws {
        // The shipped worked example's activity (Haiti, in pounds, April 2010 to March 2011), as stedenband
        // would hold it.
        let id = UUID(uuidString: "9C1D7E0A-4E43-4E7A-9D0B-12345678ABCD")!
        let activity = F.activity(
            id: id, title: "Worked example of an activity report",
            description: "This is a worked example that will eventually test as many IATI schema features as possible.",
            status: "completed", startsOn: F.day("2010-04-01"), endsOn: F.day("2011-03-31"),
            partnerName: "Commune de Jacmel", partnerCountry: "HT", sdgGoals: [4], sdgTargets: ["4.1"],
            budgetPlanned: "1000000", budgetSpent: "500000", currency: "GBP",
            updatedAt: Date(timeIntervalSince1970: 1_278_460_800))  // 2010-07-07
        let organisation = IATIOrganisation(
            reference: "GB-GOV-1", type: "10", name: "Example Agency", language: "en")
        let export = try IATIDocument.export(
            organisation: organisation, activities: [activity], generatedAt: F.generatedAt)
        try await SchemaValidation.expectValid(export.xml)
        #expect(export.skipped.isEmpty)
        #expect(export.xml.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<iati-activities "))

        let parsed = try ParsedDocument(export.xml)
        let root = try parsed.root
        #expect(root.name == "iati-activities")
        #expect(root.value("version") == "2.03")
        #expect(root.value("generated-datetime") == "2024-11-29T08:01:00Z")
        let element = try #require(try parsed.activities.first)
        #expect(element.value("default-currency") == "GBP")
        #expect(element.value("last-updated-datetime") == "2010-07-07T00:00:00Z")
        #expect(element.value("xml:lang") == "en")
        #expect(
            element.childNames == [
                "iati-identifier", "reporting-org", "title", "description",
                "participating-org", "participating-org", "participating-org",
                "activity-status", "activity-date", "activity-date", "recipient-country", "sector", "sector", "tag",
                "tag",
                "budget", "budget", "transaction",
            ])
        #expect(element.child("iati-identifier")?.stringValue == "GB-GOV-1-9c1d7e0a-4e43-4e7a-9d0b-12345678abcd")
        #expect(element.child("title")?.child("narrative")?.value("xml:lang") == "en")
        #expect(element.child("title")?.narrative == "Worked example of an activity report")
        #expect(element.child("recipient-country")?.value("code") == "HT")
        #expect(element.child("recipient-country")?.value("percentage") == nil)

        // 275 days in 2010, 90 in 2011: 1 000 000 · 275/365 = 753 424.66, rounded down to whole pounds
        // because the amount was written without decimals.
        let budgets = element.elements(forName: "budget")
        #expect(budgets.map { $0.child("period-start")?.value("iso-date") } == ["2010-04-01", "2011-01-01"])
        #expect(budgets.map { $0.child("period-end")?.value("iso-date") } == ["2010-12-31", "2011-03-31"])
        #expect(budgets.map { $0.child("value")?.stringValue } == ["753424", "246576"])
        #expect(budgets.map { $0.child("value")?.value("value-date") } == ["2010-04-01", "2011-01-01"])
        #expect(budgets.allSatisfy { $0.value("type") == "1" && $0.value("status") == "1" })
        #expect(budgets.allSatisfy { $0.child("value")?.value("currency") == "GBP" })

        let transaction = try #require(element.child("transaction"))
        #expect(transaction.childNames == ["transaction-type", "transaction-date", "value"])
        #expect(transaction.child("transaction-type")?.value("code") == "4")
        #expect(transaction.child("transaction-date")?.value("iso-date") == "2010-07-07")
        #expect(transaction.child("value")?.stringValue == "500000")
        #expect(transaction.child("value")?.value("value-date") == "2010-07-07")
        #expect(transaction.child("value")?.value("currency") == "GBP")
    }

    @Test("xmllint rejects the shipped 1.0-era worked example and a document missing a required element")
    func validationCanFail() async throws {
        // The checks above mean something only if the judge can say no.
        let shipped = try await SchemaValidation.verdict(file: SchemaValidation.folder + "/worked-example.xml")
        #expect(!shipped.valid)
        #expect(shipped.output.contains("other-identifier"))

        let export = try IATIDocument.export(
            organisation: F.organisation, activities: [F.activity()], generatedAt: F.generatedAt)
        let broken = export.xml.replacingOccurrences(of: "<activity-status code=\"2\"/>", with: "")
        #expect(broken != export.xml)
        let verdict = try await SchemaValidation.verdict(broken)
        #expect(!verdict.valid)
        #expect(verdict.output.contains("activity-date"))
        try? FileManager.default.removeItem(atPath: verdict.file)
    }

    @Test("identifies each activity as the organisation reference, a hyphen and the lowercase activity id")
    func identifiers() throws {
        let ids = [UUID(), UUID(), UUID()]
        let export = try IATIDocument.export(
            organisation: F.organisation, activities: ids.map { F.activity(id: $0) }, generatedAt: F.generatedAt)
        let identifiers = try ParsedDocument(export.xml).activities.map { $0.child("iati-identifier")?.stringValue }
        #expect(identifiers == ids.map { "BE-BCE_KBO-0207437468-" + $0.uuidString.lowercased() })
    }

    @Test("names the municipality as reporting, funding and implementing, and the partner as implementing by name")
    func organisations() throws {
        let export = try IATIDocument.export(
            organisation: F.organisation, activities: [F.activity()], generatedAt: F.generatedAt)
        let activity = try #require(try ParsedDocument(export.xml).activities.first)
        let reporting = try #require(activity.child("reporting-org"))
        #expect(reporting.value("ref") == "BE-BCE_KBO-0207437468")
        #expect(reporting.value("type") == "11")
        #expect(reporting.narrative == "Stad Sint-Niklaas")

        let participants = activity.elements(forName: "participating-org").map {
            [$0.value("role"), $0.value("ref"), $0.value("type"), $0.narrative]
        }
        #expect(
            participants == [
                ["1", "BE-BCE_KBO-0207437468", "11", "Stad Sint-Niklaas"],
                ["4", "BE-BCE_KBO-0207437468", "11", "Stad Sint-Niklaas"],
                ["4", nil, "11", "Commune de Tambacounda"],
            ])

        let unnamed = try IATIDocument.export(
            organisation: F.organisation, activities: [F.activity(partnerName: "  ")], generatedAt: F.generatedAt)
        let roles = try ParsedDocument(unnamed.xml).activities.first?.elements(forName: "participating-org")
        #expect(roles?.map { $0.value("role") } == ["1", "4"])
    }

    @Test(
        "maps planned, ongoing, completed and cancelled to activity-status 1, 2, 4 and 5",
        arguments: [("planned", "1"), ("ongoing", "2"), ("completed", "4"), ("cancelled", "5"), (" Ongoing ", "2")])
    func statuses(status: String, code: String) throws {
        let export = try IATIDocument.export(
            organisation: F.organisation, activities: [F.activity(status: status)], generatedAt: F.generatedAt)
        let activity = try #require(try ParsedDocument(export.xml).activities.first)
        #expect(activity.child("activity-status")?.value("code") == code)
    }

    /// A status, its dates, and the activity-date (type, date) pairs expected on 2024-11-29.
    static let dateCases: [(String, String?, String?, [String])] = [
        ("planned", "2023-01-01", "2023-06-30", ["1 2023-01-01", "3 2023-06-30"]),
        ("ongoing", "2024-01-01", "2025-06-30", ["2 2024-01-01", "3 2025-06-30"]),
        ("ongoing", "2024-11-29", nil, ["2 2024-11-29"]),
        ("ongoing", "2024-11-30", "2025-06-30", ["1 2024-11-30", "3 2025-06-30"]),
        ("completed", "2023-01-01", "2024-11-29", ["2 2023-01-01", "4 2024-11-29"]),
        ("completed", "2023-01-01", "2024-12-01", ["2 2023-01-01", "3 2024-12-01"]),
        ("completed", "2025-01-01", "2025-02-01", ["1 2025-01-01", "3 2025-02-01"]),
        ("completed", nil, "2024-01-31", ["4 2024-01-31"]),
        ("cancelled", "2023-01-01", "2023-06-30", ["1 2023-01-01", "3 2023-06-30"]),
        ("planned", nil, "2026-01-01", ["3 2026-01-01"]),
    ]

    @Test(
        "reports a date as actual only when the status says it happened and it is not after the document's day",
        arguments: dateCases)
    func dates(status: String, start: String?, end: String?, expected: [String]) throws {
        let activity = F.activity(status: status, startsOn: start.map(F.day), endsOn: end.map(F.day))
        let export = try IATIDocument.export(
            organisation: F.organisation, activities: [activity], generatedAt: F.generatedAt)
        let element = try #require(try ParsedDocument(export.xml).activities.first)
        let dates = element.elements(forName: "activity-date").map {
            "\($0.value("type") ?? "?") \($0.value("iso-date") ?? "?")"
        }
        #expect(dates == expected)
    }

    @Test("tags each distinct SDG goal with vocabulary 2 and each distinct target with vocabulary 3")
    func tags() throws {
        let activity = F.activity(sdgGoals: [3, 16, 3], sdgTargets: ["3.d", "16.9", " 3.D "])
        let export = try IATIDocument.export(
            organisation: F.organisation, activities: [activity], generatedAt: F.generatedAt)
        let element = try #require(try ParsedDocument(export.xml).activities.first)
        let tags = element.elements(forName: "tag").map {
            "\($0.value("vocabulary") ?? "?"):\($0.value("code") ?? "?")"
        }
        #expect(tags == ["2:3", "2:16", "3:3.d", "3:16.9"])
    }

    @Test(
        "writes DAC sectors (vocabulary 1), SDG goals (7) and targets (8) as sectors whose percentages add up to 100 per vocabulary"
    )
    func sectorsAddUpTo100PerVocabulary() async throws {
        let activity = F.activity(
            sdgGoals: [3, 16, 3], sdgTargets: ["3.d", "16.9", " 3.D ", "6.2"],
            dacSectors: ["15112", " 13020", "15112"])
        let export = try IATIDocument.export(
            organisation: F.organisation, activities: [activity], generatedAt: F.generatedAt)
        try await SchemaValidation.expectValid(export.xml)
        let element = try #require(try ParsedDocument(export.xml).activities.first)
        let sectors = element.elements(forName: "sector").map {
            "\($0.value("vocabulary") ?? "?"):\($0.value("code") ?? "?"):\($0.value("percentage") ?? "?")"
        }
        #expect(
            sectors == [
                "1:15112:50.00", "1:13020:50.00", "7:3:50.00", "7:16:50.00", "8:3.d:33.34", "8:16.9:33.33",
                "8:6.2:33.33",
            ])
        // Sectors stand between the recipient country and the tags, as the schema's order wants.
        let names = element.childNames
        #expect(names.firstIndex(of: "sector")! > names.firstIndex(of: "recipient-country")!)
        #expect(names.lastIndex(of: "sector")! < names.firstIndex(of: "tag")!)

        // One code takes 100 %; no code, no sector of that vocabulary.
        let single = try IATIDocument.export(
            organisation: F.organisation,
            activities: [F.activity(sdgGoals: [], sdgTargets: ["16.9"], dacSectors: ["99810"])],
            generatedAt: F.generatedAt)
        let written = try #require(try ParsedDocument(single.xml).activities.first).elements(forName: "sector")
        #expect(written.map { "\($0.value("vocabulary")!):\($0.value("percentage")!)" } == ["1:100.00", "8:100.00"])

        // A code that is not an active DAC 5-digit code (withdrawn 15120, a 3-digit category) skips the activity,
        // as an unknown SDG code does, with the reason.
        let unknown = F.activity(dacSectors: ["15120", "151"])
        let skipped = try IATIDocument.export(
            organisation: F.organisation, activities: [unknown, F.activity()], generatedAt: F.generatedAt)
        #expect(skipped.skipped.map(\.id) == [unknown.id])
        #expect(skipped.skipped.first?.reason.contains("DAC sector \"15120\" is not an active code") == true)
        #expect(skipped.skipped.first?.reason.contains("DAC sector \"151\"") == true)
    }

    @Test("escapes markup, removes characters XML 1.0 forbids, and keeps all other text exactly")
    func text() async throws {
        let title = "  Water & <sanitatie> \"Tamba\" 'n ]]> ok\u{0}\u{1B}\u{FFFE} – été 水 👩🏽‍🌾  "
        let description = "Regel één\r\nRegel\ttwee & \u{7}drie"
        let activity = F.activity(title: title, description: description, partnerName: "Dogbo <&> \"Bénin\"")
        let export = try IATIDocument.export(
            organisation: F.organisation, activities: [activity], generatedAt: F.generatedAt)
        try await SchemaValidation.expectValid(export.xml)
        #expect(export.xml.contains("Water &amp; &lt;sanitatie&gt;"))
        #expect(!export.xml.contains("\u{0}"))

        let element = try #require(try ParsedDocument(export.xml).activities.first)
        #expect(element.child("title")?.narrative == "Water & <sanitatie> \"Tamba\" 'n ]]> ok – été 水 👩🏽‍🌾")
        #expect(element.child("description")?.narrative == "Regel één\r\nRegel\ttwee & drie")
        #expect(element.elements(forName: "participating-org").last?.narrative == "Dogbo <&> \"Bénin\"")

        // Foundation's reader drops a leading U+FEFF (as a byte order mark), so this one is checked in the text.
        let marked = try IATIDocument.export(
            organisation: F.organisation, activities: [F.activity(title: "\u{FEFF}Titel")], generatedAt: F.generatedAt)
        #expect(marked.xml.contains("<narrative xml:lang=\"nl\">\u{FEFF}Titel</narrative>"))
    }

    @Test("repeats the title as the description when the description is empty")
    func emptyDescription() throws {
        let export = try IATIDocument.export(
            organisation: F.organisation, activities: [F.activity(description: " \n ")], generatedAt: F.generatedAt)
        let element = try #require(try ParsedDocument(export.xml).activities.first)
        #expect(element.child("description")?.narrative == "Burgerlijke stand digitaliseren")
        #expect(element.child("description")?.value("type") == "1")
    }

    @Test("splits the planned budget per calendar year in proportion to days, the parts adding up to the cent")
    func budgetSplit() throws {
        // 2024-03-01…2024-12-31 is 306 days, 2025 is 365: 12 500.00 · 306/671 = 5 700.44 (rounded down).
        let export = try IATIDocument.export(
            organisation: F.organisation, activities: [F.activity()], generatedAt: F.generatedAt)
        let element = try #require(try ParsedDocument(export.xml).activities.first)
        let budgets = element.elements(forName: "budget").map {
            [
                $0.child("period-start")?.value("iso-date"), $0.child("period-end")?.value("iso-date"),
                $0.child("value")?.stringValue, $0.child("value")?.value("currency"),
            ]
        }
        #expect(
            budgets == [
                ["2024-03-01", "2024-12-31", "5700.44", "EUR"],
                ["2025-01-01", "2025-12-31", "6799.56", "EUR"],
            ])
    }

    @Test("reports no budget unless both dates are known, and the spent amount either way")
    func budgetNeedsBothDates() async throws {
        let activities = [
            F.activity(startsOn: F.day("2024-03-01"), endsOn: nil),
            F.activity(startsOn: nil, endsOn: F.day("2025-03-01")),
        ]
        let export = try IATIDocument.export(
            organisation: F.organisation, activities: activities, generatedAt: F.generatedAt)
        try await SchemaValidation.expectValid(export.xml)
        for element in try ParsedDocument(export.xml).activities {
            #expect(element.elements(forName: "budget").isEmpty)
            #expect(element.child("transaction")?.child("value")?.stringValue == "4000.00")
        }
    }

    @Test("dates the spent amount on the activity's last update, but never after the document's day")
    func expenditureDate() throws {
        let later = F.generatedAt.addingTimeInterval(3 * 86_400)
        let activities = [F.activity(), F.activity(updatedAt: later)]
        let export = try IATIDocument.export(
            organisation: F.organisation, activities: activities, generatedAt: F.generatedAt)
        let dates = try ParsedDocument(export.xml).activities.map {
            $0.child("transaction")?.child("transaction-date")?.value("iso-date")
        }
        #expect(dates == ["2024-10-27", "2024-11-29"])
    }

    @Test("leaves out default-currency, budgets and transactions for an activity without amounts")
    func noAmounts() async throws {
        let activity = F.activity(budgetPlanned: nil, budgetSpent: " ", currency: nil)
        let export = try IATIDocument.export(
            organisation: F.organisation, activities: [activity], generatedAt: F.generatedAt)
        try await SchemaValidation.expectValid(export.xml)
        let element = try #require(try ParsedDocument(export.xml).activities.first)
        #expect(element.value("default-currency") == nil)
        #expect(element.elements(forName: "budget").isEmpty)
        #expect(element.elements(forName: "transaction").isEmpty)
    }
}
