import Foundation
import IATI
import Postgres
import Testing
import Vocabulary

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite("Leaving out what cannot be expressed validly")
struct SkippedActivityTests {
    typealias F = Fixtures

    /// An activity that cannot be exported, and a fragment its reason must contain.
    static let invalid: [(String, IATIActivity)] = [
        ("status \"paused\"", F.activity(status: "paused")),
        ("the title is empty", F.activity(title: " \u{0}\u{1}\t ")),
        ("partner country \"ZZ\"", F.activity(partnerCountry: "ZZ")),
        ("partner country \"AN\"", F.activity(partnerCountry: "AN")),  // withdrawn from the codelist
        ("neither a start nor an end date", F.activity(startsOn: nil, endsOn: nil)),
        (
            "ends (2024-01-01) before it starts (2024-02-01)",
            F.activity(startsOn: F.day("2024-02-01"), endsOn: F.day("2024-01-01"))
        ),
        ("SDG goal 18", F.activity(sdgGoals: [18])),
        ("SDG goal 0", F.activity(sdgGoals: [0])),
        ("SDG target \"3.z\"", F.activity(sdgTargets: ["3.z"])),
        ("planned budget \"12,50\"", F.activity(budgetPlanned: "12,50")),
        ("planned budget \"-5.00\"", F.activity(budgetPlanned: "-5.00")),
        ("planned budget \"1e5\"", F.activity(budgetPlanned: "1e5")),
        ("planned budget \"99999999999999999999\"", F.activity(budgetPlanned: "99999999999999999999")),
        ("spent amount \"12.\"", F.activity(budgetSpent: "12.")),
        ("spent amount \"1.0000001\"", F.activity(budgetSpent: "1.0000001")),
        ("currency \"XYZ\"", F.activity(currency: "XYZ")),
        ("currency \"LTL\"", F.activity(currency: "LTL")),  // withdrawn from the codelist
        ("amounts but no currency", F.activity(currency: nil)),
        ("last update lies outside", F.activity(updatedAt: Date(timeIntervalSince1970: 1e12))),
    ]

    @Test("skips an activity that cannot be expressed validly, says why, and exports the rest", arguments: invalid)
    func skips(reason: String, activity: IATIActivity) async throws {
        let valid = F.activity()
        let export = try IATIDocument.export(
            organisation: F.organisation, activities: [valid, activity], generatedAt: F.generatedAt)
        #expect(export.skipped.map(\.id) == [activity.id])
        let said = export.skipped.first?.reason ?? ""
        #expect(said.contains(reason), "reason: \(said)")
        #expect(!export.xml.contains(activity.id.uuidString.lowercased()))
        #expect(export.xml.contains(valid.id.uuidString.lowercased()))
        try await SchemaValidation.expectValid(export.xml)
    }

    @Test("names every problem of an activity in its one reason")
    func everyProblem() throws {
        let activity = F.activity(title: "", status: "done", partnerCountry: "XX", currency: "ABC")
        let export = try IATIDocument.export(
            organisation: F.organisation, activities: [F.activity(), activity], generatedAt: F.generatedAt)
        let reason = try #require(export.skipped.first?.reason)
        for fragment in ["status \"done\"", "title is empty", "country \"XX\"", "currency \"ABC\""] {
            #expect(reason.contains(fragment), "reason: \(reason)")
        }
    }

    @Test("accepts codes in any case and with surrounding spaces")
    func lenientCodes() throws {
        let activity = F.activity(partnerCountry: " sn ", sdgTargets: ["16.A"], currency: "eur ")
        let export = try IATIDocument.export(
            organisation: F.organisation, activities: [activity], generatedAt: F.generatedAt)
        #expect(export.skipped.isEmpty)
        let element = try #require(try ParsedDocument(export.xml).activities.first)
        #expect(element.child("recipient-country")?.value("code") == "SN")
        #expect(element.value("default-currency") == "EUR")
        #expect(element.elements(forName: "tag").last?.value("code") == "16.a")
    }

    @Test("keeps an activity id the first time only, since identifiers must be unique")
    func repeatedID() throws {
        let first = F.activity(title: "Eerste")
        let again = F.activity(id: first.id, title: "Tweede")
        let export = try IATIDocument.export(
            organisation: F.organisation, activities: [first, again], generatedAt: F.generatedAt)
        #expect(
            export.skipped == [IATISkipped(id: first.id, reason: "another activity in this export has the same id")])
        let titles = try ParsedDocument(export.xml).activities.map { $0.child("title")?.narrative }
        #expect(titles == ["Eerste"])
    }

    @Test("throws noActivities, with every skipped activity, when nothing can be exported")
    func nothingLeft() throws {
        let activities = [F.activity(status: "x"), F.activity(partnerCountry: "")]
        let error = #expect(throws: IATIExportError.self) {
            try IATIDocument.export(organisation: F.organisation, activities: activities, generatedAt: F.generatedAt)
        }
        #expect(error?.code == .noActivities)
        #expect(error?.skipped.map(\.id) == activities.map(\.id))

        let empty = #expect(throws: IATIExportError.self) {
            try IATIDocument.export(organisation: F.organisation, activities: [], generatedAt: F.generatedAt)
        }
        #expect(empty?.code == .noActivities)
    }

    /// An organisation the document cannot carry, and a fragment of the reason.
    static let invalidOrganisations: [(String, IATIOrganisation)] = [
        ("no IATI reference", IATIOrganisation(reference: " ", type: "11", name: "Gent", language: "nl")),
        ("contains whitespace", IATIOrganisation(reference: "BE BCE", type: "11", name: "Gent", language: "nl")),
        ("one of / & | ?", IATIOrganisation(reference: "BE/1", type: "11", name: "Gent", language: "nl")),
        ("type \"99\"", IATIOrganisation(reference: "BE-1", type: "99", name: "Gent", language: "nl")),
        ("no name", IATIOrganisation(reference: "BE-1", type: "11", name: "\u{1}", language: "nl")),
        (
            "language \"dutch language\"",
            IATIOrganisation(reference: "BE-1", type: "11", name: "Gent", language: "dutch language")
        ),
        ("language \"\"", IATIOrganisation(reference: "BE-1", type: "11", name: "Gent", language: "")),
    ]

    @Test(
        "throws invalidOrganisation for an unusable reference, type, name or language", arguments: invalidOrganisations)
    func invalidOrganisation(reason: String, organisation: IATIOrganisation) throws {
        let error = #expect(throws: IATIExportError.self) {
            try IATIDocument.export(organisation: organisation, activities: [F.activity()], generatedAt: F.generatedAt)
        }
        #expect(error?.code == .invalidOrganisation)
        #expect(error?.reason.contains(reason) == true, "reason: \(error?.reason ?? "")")
    }

    @Test("accepts a regional language tag and writes it lowercased")
    func regionalLanguage() async throws {
        let organisation = IATIOrganisation(reference: "BE-1", type: "11", name: "Gent", language: "nl-BE")
        let export = try IATIDocument.export(
            organisation: organisation, activities: [F.activity()], generatedAt: F.generatedAt)
        try await SchemaValidation.expectValid(export.xml)
        #expect(try ParsedDocument(export.xml).activities.first?.value("xml:lang") == "nl-be")
    }

    @Test("throws invalidGenerationTime for a generation time outside the years 1 to 9999")
    func generationTime() {
        let error = #expect(throws: IATIExportError.self) {
            try IATIDocument.export(
                organisation: F.organisation, activities: [F.activity()],
                generatedAt: Date(timeIntervalSince1970: -1e12))
        }
        #expect(error?.code == .invalidGenerationTime)
    }
}
