import Foundation
import IATI
import Postgres
import Testing
import Vocabulary

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite("Results, indicators and periods in the IATI document")
struct IATIResultsTests {
    typealias F = Fixtures

    /// Dogbo's registration outcome: a percentage indicator from 61 in 2019, 2020's target 70 and approved 74.
    static func registrations(
        result: UUID = UUID(), indicator: UUID = UUID(), period: UUID = UUID()
    ) -> IATIResult {
        IATIResult(
            id: result, type: "outcome", title: "Every birth registered in time",
            description: "Children are registered within 90 days of birth.", aggregates: true,
            indicators: [
                IATIIndicator(
                    id: indicator, title: "Birth registrations within 90 days (%)", measure: "percentage",
                    ascending: true, baseline: IATIBaseline(year: 2019, value: "61", comment: "Civil registry"),
                    periods: [
                        IATIPeriod(
                            id: period, start: F.day("2020-01-01"), end: F.day("2020-12-31"),
                            target: IATIValue(value: "70"),
                            actual: IATIValue(value: "74", comment: "Mobile registration teams"))
                    ])
            ])
    }

    @Test(
        "a result with its indicator, baseline, target and approved actual is written in the schema's order and validates"
    )
    func resultsValidate() async throws {
        let activity = F.activity(results: [Self.registrations()])
        let export = try IATIDocument.export(
            organisation: F.organisation, activities: [activity], generatedAt: F.generatedAt)
        try await SchemaValidation.expectValid(export.xml)
        #expect(export.skipped.isEmpty && export.trimmed.isEmpty)

        let element = try #require(try ParsedDocument(export.xml).activities.first)
        // Results come last, after the transactions.
        #expect(element.childNames.suffix(2) == ["transaction", "result"])
        let result = try #require(element.child("result"))
        #expect(result.value("type") == "2" && result.value("aggregation-status") == "1")
        #expect(result.childNames == ["title", "description", "indicator"])
        #expect(result.child("title")?.narrative == "Every birth registered in time")
        #expect(result.child("title")?.child("narrative")?.value("xml:lang") == "nl")
        #expect(result.child("description")?.narrative == "Children are registered within 90 days of birth.")
        let indicator = try #require(result.child("indicator"))
        #expect(indicator.value("measure") == "2" && indicator.value("ascending") == "1")
        #expect(indicator.childNames == ["title", "baseline", "period"])
        #expect(indicator.child("title")?.narrative == "Birth registrations within 90 days (%)")
        let baseline = try #require(indicator.child("baseline"))
        #expect(baseline.value("year") == "2019" && baseline.value("value") == "61")
        #expect(baseline.child("comment")?.narrative == "Civil registry")
        let period = try #require(indicator.child("period"))
        #expect(period.childNames == ["period-start", "period-end", "target", "actual"])
        #expect(period.child("period-start")?.value("iso-date") == "2020-01-01")
        #expect(period.child("period-end")?.value("iso-date") == "2020-12-31")
        #expect(period.child("target")?.value("value") == "70" && period.child("target")?.child("comment") == nil)
        #expect(period.child("actual")?.value("value") == "74")
        #expect(period.child("actual")?.child("comment")?.narrative == "Mobile registration teams")
        #expect(export.xml.contains("<actual value=\"74\">"))

        // Every result type and measure maps onto its IATI code.
        let types = ["output": "1", "outcome": "2", "impact": "3", "other": "9"]
        let measures = ["unit": "1", "percentage": "2", "nominal": "3", "ordinal": "4", "qualitative": "5"]
        let many = types.keys.sorted().map { type in
            IATIResult(
                id: UUID(), type: type, title: type, aggregates: false,
                indicators: measures.keys.sorted().map {
                    IATIIndicator(id: UUID(), title: $0, measure: $0, ascending: false)
                })
        }
        let all = try IATIDocument.export(
            organisation: F.organisation, activities: [F.activity(results: many)], generatedAt: F.generatedAt)
        try await SchemaValidation.expectValid(all.xml)
        let written = try #require(try ParsedDocument(all.xml).activities.first).elements(forName: "result")
        #expect(written.map { $0.value("type") } == types.keys.sorted().map { types[$0] })
        #expect(written.allSatisfy { $0.value("aggregation-status") == "0" && $0.child("description") == nil })
        let indicators = try #require(written.first).elements(forName: "indicator")
        #expect(indicators.map { $0.value("measure") } == measures.keys.sorted().map { measures[$0] })
        // A qualitative indicator has no direction; the others say they descend.
        #expect(indicators.map { $0.value("ascending") } == ["0", "0", "0", nil, "0"])
    }

    @Test("only what is given is written: no empty target, actual, comment, description or baseline value")
    func onlyWhatIsGivenIsWritten() async throws {
        let result = IATIResult(
            id: UUID(), type: "output", title: "Registers delivered", description: " \n ",
            indicators: [
                IATIIndicator(
                    id: UUID(), title: "Registers", description: "", measure: "unit",
                    baseline: IATIBaseline(year: 2019, value: nil),
                    periods: [
                        // Nothing but its dates: a period to come.
                        IATIPeriod(id: UUID(), start: F.day("2021-01-01"), end: F.day("2021-12-31")),
                        // A target, and an actual that is only an empty comment (a returned value is never given).
                        IATIPeriod(
                            id: UUID(), start: F.day("2022-01-01"), end: F.day("2022-12-31"),
                            target: IATIValue(value: "12.50", comment: "  "), actual: IATIValue(value: nil, comment: "")
                        ),
                        // An actual without a target, written with its decimals as given.
                        IATIPeriod(
                            id: UUID(), start: F.day("2023-01-01"), end: F.day("2023-06-30"),
                            actual: IATIValue(value: "0.000001")),
                    ])
            ])
        let export = try IATIDocument.export(
            organisation: F.organisation, activities: [F.activity(results: [result])], generatedAt: F.generatedAt)
        try await SchemaValidation.expectValid(export.xml)
        #expect(export.trimmed.isEmpty)
        let written = try #require(try ParsedDocument(export.xml).activities.first?.child("result"))
        #expect(written.childNames == ["title", "indicator"])
        let indicator = try #require(written.child("indicator"))
        #expect(indicator.childNames == ["title", "baseline", "period", "period", "period"])
        let baseline = try #require(indicator.child("baseline"))
        #expect(baseline.value("year") == "2019" && baseline.value("value") == nil && baseline.childNames.isEmpty)
        let periods = indicator.elements(forName: "period")
        #expect(
            periods.map(\.childNames) == [
                ["period-start", "period-end"], ["period-start", "period-end", "target"],
                ["period-start", "period-end", "actual"],
            ])
        #expect(periods[1].child("target")?.value("value") == "12.50")
        #expect(periods[1].child("target")?.childNames == [])
        #expect(periods[2].child("actual")?.value("value") == "0.000001")

        // No results, no result element.
        let plain = try IATIDocument.export(
            organisation: F.organisation, activities: [F.activity()], generatedAt: F.generatedAt)
        #expect(!plain.xml.contains("<result"))
    }

    @Test("a qualitative indicator carries its baseline, target and actual as comments, never values")
    func qualitativeCarriesComments() async throws {
        let result = IATIResult(
            id: UUID(), type: "outcome", title: "Families trust the registry",
            indicators: [
                IATIIndicator(
                    id: UUID(), title: "How families speak of the registry", measure: "qualitative", ascending: true,
                    baseline: IATIBaseline(year: 2019, value: "3", comment: "Long queues, <no> trust & fear"),
                    periods: [
                        IATIPeriod(
                            id: UUID(), start: F.day("2020-01-01"), end: F.day("2020-12-31"),
                            target: IATIValue(value: nil, comment: "Queues under an hour"),
                            actual: IATIValue(value: "7", comment: "Queues are shorter\u{0}")),
                        // A value without a comment says nothing in words: nothing is written for it.
                        IATIPeriod(
                            id: UUID(), start: F.day("2021-01-01"), end: F.day("2021-12-31"),
                            target: IATIValue(value: "9", comment: "")),
                    ])
            ])
        let export = try IATIDocument.export(
            organisation: F.organisation, activities: [F.activity(results: [result])], generatedAt: F.generatedAt)
        try await SchemaValidation.expectValid(export.xml)
        #expect(export.trimmed.isEmpty)
        let indicator = try #require(
            try ParsedDocument(export.xml).activities.first?.child("result")?.child("indicator"))
        #expect(indicator.value("measure") == "5" && indicator.value("ascending") == nil)
        let baseline = try #require(indicator.child("baseline"))
        #expect(baseline.value("value") == nil)
        #expect(baseline.child("comment")?.narrative == "Long queues, <no> trust & fear")
        let periods = indicator.elements(forName: "period")
        #expect(periods[0].child("target")?.value("value") == nil)
        #expect(periods[0].child("target")?.child("comment")?.narrative == "Queues under an hour")
        #expect(periods[0].child("actual")?.value("value") == nil)
        #expect(periods[0].child("actual")?.child("comment")?.narrative == "Queues are shorter")
        #expect(periods[1].childNames == ["period-start", "period-end"])
    }

    @Test(
        "what cannot be expressed is trimmed and named, never the activity: an empty result, a bad measure, value, date or year"
    )
    func emptyResultIsTrimmed() async throws {
        let empty = UUID()
        let badType = UUID()
        let onlyBad = UUID()
        let badMeasure = UUID()
        let untitled = UUID()
        let badBaseline = UUID()
        let backwards = UUID()
        let badValue = UUID()
        let kept = UUID()
        let results = [
            IATIResult(id: empty, type: "output", title: "Nothing measured yet", indicators: []),
            IATIResult(
                id: badType, type: "goal", title: "A goal",
                indicators: [IATIIndicator(id: UUID(), title: "Counted", measure: "unit")]),
            IATIResult(
                id: onlyBad, type: "impact", title: "Only broken indicators",
                indicators: [
                    IATIIndicator(id: badMeasure, title: "Scored", measure: "score"),
                    IATIIndicator(id: untitled, title: "\u{1}  ", measure: "unit"),
                ]),
            IATIResult(
                id: UUID(), type: "output", title: "Kept",
                indicators: [
                    IATIIndicator(
                        id: badBaseline, title: "Kept without its baseline", measure: "unit",
                        baseline: IATIBaseline(year: 0, value: "1")),
                    IATIIndicator(
                        id: kept, title: "Kept without two periods", measure: "unit",
                        baseline: IATIBaseline(year: 2019, value: "-1"),
                        periods: [
                            IATIPeriod(id: backwards, start: F.day("2021-01-01"), end: F.day("2020-12-31")),
                            IATIPeriod(
                                id: badValue, start: F.day("2021-01-01"), end: F.day("2021-12-31"),
                                actual: IATIValue(value: "7,5")),
                            IATIPeriod(
                                id: UUID(), start: F.day("2022-01-01"), end: F.day("2022-12-31"),
                                actual: IATIValue(value: "8")),
                        ]),
                ]),
        ]
        let activity = F.activity(results: results)
        let export = try IATIDocument.export(
            organisation: F.organisation, activities: [activity], generatedAt: F.generatedAt)
        try await SchemaValidation.expectValid(export.xml)
        #expect(export.skipped.isEmpty)
        let reasons = Dictionary(export.trimmed.map { ($0.id, $0.reason) }, uniquingKeysWith: { $0 + " | " + $1 })
        #expect(reasons[empty] == "result left out: it has no indicator that can be written, and IATI requires one")
        #expect(reasons[badType]?.contains("result type \"goal\" is not one of output, outcome, impact, other") == true)
        #expect(reasons[badMeasure]?.contains("measure \"score\"") == true)
        #expect(reasons[untitled]?.contains("the indicator's title is empty") == true)
        #expect(reasons[onlyBad]?.contains("no indicator that can be written") == true)
        #expect(
            reasons[badBaseline]?.contains("baseline left out: its year 0 lies outside the years 1 to 9999") == true)
        #expect(reasons[kept]?.contains("baseline left out: value \"-1\"") == true)
        #expect(reasons[backwards]?.contains("ends (2020-12-31) before it starts (2021-01-01)") == true)
        #expect(reasons[badValue]?.contains("actual value \"7,5\"") == true)
        #expect(export.trimmed.count == 9)

        let element = try #require(try ParsedDocument(export.xml).activities.first)
        let written = element.elements(forName: "result")
        #expect(written.map { $0.child("title")?.narrative } == ["Kept"])
        let indicators = try #require(written.first).elements(forName: "indicator")
        #expect(
            indicators.map { $0.child("title")?.narrative } == [
                "Kept without its baseline", "Kept without two periods",
            ])
        #expect(indicators.allSatisfy { $0.child("baseline") == nil })
        #expect(indicators[1].elements(forName: "period").map { $0.child("actual")?.value("value") } == ["8"])

        // An activity skipped for its own reasons takes its results along, and nothing of it is "trimmed".
        let skipped = F.activity(partnerCountry: "ZZ", results: [Self.registrations()])
        let other = try IATIDocument.export(
            organisation: F.organisation, activities: [skipped, F.activity()], generatedAt: F.generatedAt)
        #expect(other.skipped.map(\.id) == [skipped.id] && other.trimmed.isEmpty)
    }
}
