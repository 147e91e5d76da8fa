import ActivitiesContracts
import Foundation
import PartnershipsContracts
import Testing
import Vocabulary

@Suite("The shared words")
struct WordsTests {
    @Test("the raw values are the API's words, in the order the API lists them")
    func rawValues() {
        #expect(ActivityStatus.rawValues == ["planned", "ongoing", "completed", "cancelled"])
        #expect(
            ActivityKind.rawValues == [
                "knowledge_exchange", "capacity_building", "emergency_support", "awareness_campaign", "study_visit",
                "infrastructure", "other",
            ])
        #expect(LearningDirection.rawValues == ["north_to_south", "south_to_north", "mutual"])
        #expect(PartnershipStatus.rawValues == ["exploring", "active", "suspended", "ended"])
        #expect(PartnershipRole.rawValues == ["coordinator", "partner_coordinator"])
        #expect(ResultType.rawValues == ["output", "outcome", "impact", "other"])
        #expect(IndicatorMeasure.rawValues == ["unit", "percentage", "nominal", "ordinal", "qualitative"])
        #expect(PeriodStatus.rawValues == ["draft", "submitted", "approved", "returned"])
        #expect(Language.rawValues == ["nl", "en", "fr", "es"])
        #expect(Language.choices == "nl, en, fr or es")
        #expect(LessonSide.rawValues == ["flemish_municipality", "partner_municipality"])
    }

    @Test("a localisation table falls back to English for an unknown or missing locale")
    func localised() {
        let table = Localised(nl: "hallo", en: "hello", fr: "bonjour", es: "hola")
        #expect(table[.fr] == "bonjour")
        #expect(table[code: "es"] == "hola")
        #expect(table[code: "de"] == "hello")
        #expect(table[code: nil] == "hello")
        #expect(table.map(\.count)[.nl] == 5)
    }

    @Test("every status and direction has a word in every language")
    func names() {
        for language in Language.allCases {
            for status in ActivityStatus.allCases { #expect(!status.name(in: language).isEmpty) }
            for status in PartnershipStatus.allCases { #expect(!status.name(in: language).isEmpty) }
            for direction in LearningDirection.allCases { #expect(!direction.name(in: language).isEmpty) }
        }
        #expect(ActivityStatus.planned.name(in: .nl) == "gepland")
        #expect(LearningDirection.mutual.name(in: .fr) == "Mutuel")
    }

    @Test("both sides of a lesson have their own word in every language, the glossary's for the partner")
    func lessonSideNames() {
        for language in Language.allCases {
            let words = LessonSide.allCases.map { $0.name(in: language) }
            #expect(!words.contains(""), "\(language): \(words)")
            #expect(Set(words).count == words.count, "both sides share a word in \(language): \(words)")
        }
        #expect(LessonSide.partnerMunicipality.name(in: .fr) == "commune partenaire")
        #expect(LessonSide.partnerMunicipality.name(in: .es) == "municipio socio")
        #expect(LessonSide.partnerMunicipality.name(in: .nl) == "partnergemeente")
    }

    @Test("a theme is a lowercase tag; a list of them is at most 20")
    func themes() {
        for theme in ["covid-19", "water", "2020", "a"] { #expect(Theme.isValid(theme), "\(theme)") }
        for theme in ["", "Covid", "-covid", "covid 19", "état", String(repeating: "a", count: 41)] {
            #expect(!Theme.isValid(theme), "\(theme)")
        }
        #expect(Theme.problem(with: ["covid-19"]) == nil)
        #expect(Theme.problem(with: ["Covid"]) == "themes are lowercase tags such as covid-19")
        #expect(Theme.problem(with: (0...20).map { "t\($0)" }) == "at most 20 themes")
    }

    @Test("every result type, measure and period status has its own word in every language")
    func resultNames() {
        for language in Language.allCases {
            let types = ResultType.allCases.map { $0.name(in: language) }
            let measures = IndicatorMeasure.allCases.map { $0.name(in: language) }
            let statuses = PeriodStatus.allCases.map { $0.name(in: language) }
            for words in [types, measures, statuses] {
                #expect(!words.contains(""), "\(language): \(words)")
                #expect(Set(words).count == words.count, "two cases share a word in \(language): \(words)")
            }
        }
        // The words coordinators and partners use for results and reported values; the French of IATI's codelist.
        #expect(ResultType.allCases.map { $0.name(in: .fr) } == ["extrant", "effet", "impact", "autre"])
        #expect(ResultType.allCases.map { $0.name(in: .es) } == ["producto", "efecto", "impacto", "otro"])
        #expect(
            PeriodStatus.allCases.map { $0.name(in: .nl) } == ["concept", "ingediend", "goedgekeurd", "teruggestuurd"])
        #expect(PeriodStatus.allCases.map { $0.name(in: .fr) } == ["brouillon", "soumise", "approuvée", "renvoyée"])
        #expect(IndicatorMeasure.qualitative.name(in: .es) == "cualitativo")
    }

    @Test("result types and measures carry IATI's codes, and only the qualitative measure is qualitative")
    func iatiCodes() {
        #expect(ResultType.allCases.map(\.iatiCode) == ["1", "2", "3", "9"])
        #expect(IndicatorMeasure.allCases.map(\.iatiCode) == ["1", "2", "3", "4", "5"])
        #expect(IndicatorMeasure.allCases.filter(\.isQualitative) == [.qualitative])
    }

    @Test("SDG ids check their form and know their goal")
    func sdgIDs() throws {
        #expect(SDGGoalID(rawValue: 0) == nil && SDGGoalID(rawValue: 18) == nil)
        #expect(SDGGoalID.all.count == 17)
        #expect(try #require(SDGTargetID(rawValue: "3.d")).goal == SDGGoalID(rawValue: 3))
        #expect(try #require(SDGTargetID(rawValue: "17.19")).goal.rawValue == 17)
        for code in ["3", "3.", ".d", "03.d", "18.1", "3.D", "3.123", "3.d.1"] {
            #expect(SDGTargetID(rawValue: code) == nil, "\(code)")
        }
        let ordered = ["3.10", "3.a", "3.2", "1.b"].compactMap(SDGTargetID.init(rawValue:)).sorted(
            by: SDGTargetID.inOrder)
        #expect(ordered.map(\.rawValue) == ["1.b", "3.2", "3.10", "3.a"])
    }

    @Test("event states with typed words encode exactly as the strings did")
    func eventJSON() throws {
        let json = """
            {"budget":{"currency":"EUR","planned":"12500.00","spent":"0"},"direction":"north_to_south",\
            "endsOn":"2020-07-31","id":"00000000-0000-4000-8000-0000000000A1","kind":"awareness_campaign",\
            "partnershipId":"00000000-0000-4000-8000-0000000000B1","sdgGoals":[3,6],"sdgTargets":["3.d","6.2"],\
            "startsOn":"2020-04-06","status":"completed","themes":["covid-19"],"title":"Hygiene","version":3}
            """
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let state = try JSONDecoder().decode(ActivityState.self, from: Data(json.utf8))
        #expect(state.status == .completed && state.kind == .awarenessCampaign && state.direction == .northToSouth)
        #expect(state.budget?.planned == Amount(units: 1_250_000, scale: 2))
        #expect(String(decoding: try encoder.encode(state), as: UTF8.self) == json)

        let partnership = """
            {"id":"00000000-0000-4000-8000-0000000000B1","members":[{"role":"partner_coordinator",\
            "userId":"00000000-0000-4000-8000-0000000000C1"}],"partner":{"country":"BJ","name":"Dogbo"},\
            "sdgFocus":[3],"status":"exploring","title":"Roeselare–Dogbo","version":1}
            """
        let decoded = try JSONDecoder().decode(PartnershipState.self, from: Data(partnership.utf8))
        #expect(decoded.status == .exploring && decoded.members.first?.role == .partnerCoordinator)
        #expect(String(decoding: try encoder.encode(decoded), as: UTF8.self) == partnership)
    }
}
