import Foundation
import Postgres
import Testing
import Vocabulary

@testable import IATI

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite("Random activities always make a valid, faithful document")
struct IATIPropertyTests {
    typealias F = Fixtures

    /// Documents per run, and activities per document: a few hundred activities in all.
    static let documents = 6
    static let activitiesPerDocument = 50

    @Test("every document from random activities passes xmllint, with exact budgets and faithful mappings")
    func randomDocuments() async throws {
        let seed = ProcessInfo.processInfo.environment["IATI_SEED"].flatMap(UInt64.init) ?? .random(in: 0...UInt64.max)
        print("IATIPropertyTests seed \(seed) (replay with IATI_SEED=\(seed))")
        var random = SeededGenerator(seed: seed)
        var all: [GeneratedActivity] = []
        for document in 0..<Self.documents {
            let context = " (seed \(seed), document \(document))"
            let generatedAt = F.generatedAt.addingTimeInterval(
                Double(Int.random(in: -800...800, using: &random)) * 86_400
            )
            .addingTimeInterval(Double(Int.random(in: 0..<86_400, using: &random)))
            var generator = ActivityGenerator(today: try Self.utcDay(generatedAt))
            let cases = (0..<Self.activitiesPerDocument).map { _ in generator.make(using: &random) }
            all += cases
            let export = try IATIDocument.export(
                organisation: F.organisation, activities: cases.map(\.activity), generatedAt: generatedAt)
            try await SchemaValidation.expectValid(export.xml, context: context)

            let expectedSkips = cases.filter { $0.skipReason != nil }
            // Parts of exported activities that cannot be expressed are trimmed and named; nothing of a skipped one.
            let expectedTrims = cases.filter { $0.skipReason == nil }.flatMap(\.results.trimmed)
            #expect(
                export.trimmed.map(\.id.uuidString).sorted() == expectedTrims.map(\.uuidString).sorted(), "\(context)")
            #expect(export.skipped.map(\.id) == expectedSkips.map(\.activity.id), "\(context)")
            for (skipped, expected) in zip(export.skipped, expectedSkips) {
                #expect(skipped.reason.contains(expected.skipReason!), "\(skipped.reason)\(context)")
                #expect(!export.xml.contains(skipped.id.uuidString.lowercased()), "\(context)")
            }

            let exported = cases.filter { $0.skipReason == nil }
            let elements = try ParsedDocument(export.xml).activities
            #expect(elements.count == exported.count, "\(context)")
            for (element, generated) in zip(elements, exported) {
                try Self.check(element, against: generated, today: generator.today, context: context)
            }
        }
        // The run covered the shapes that matter, so passing means something.
        let exported = all.filter { $0.skipReason == nil }.map(\.activity)
        let budgeted = exported.filter { $0.budgetPlanned != nil && $0.startsOn != nil && $0.endsOn != nil }
        #expect(budgeted.contains { $0.startsOn!.year < $0.endsOn!.year }, "a budget over several years")
        #expect(exported.contains { $0.budgetSpent != nil && $0.budgetPlanned != nil }, "a spent amount")
        #expect(Set(exported.map(\.status)).count == 4, "every status")
        #expect(
            exported.contains { $0.dacSectors.count > 1 && $0.sdgTargets.count == 3 }, "sectors in two vocabularies")
        #expect(all.count { $0.skipReason != nil } > 0, "a skipped activity")
        let results = all.filter { $0.skipReason == nil }.map(\.results)
        #expect(results.contains { !$0.trimmed.isEmpty }, "a trimmed part")
        #expect(results.contains { $0.expected.count > 1 }, "several results in an activity")
        #expect(
            Set(results.flatMap(\.results).flatMap(\.indicators).map(\.measure))
                .isSuperset(of: ResultGenerator.measures.keys), "every measure")
    }

    /// Checks one exported activity against the input it came from, with rules restated independently
    /// of the implementation.
    static func check(_ element: XMLElement, against generated: GeneratedActivity, today: CalendarDate, context: String)
        throws
    {
        let activity = generated.activity
        let context = " [\(activity.id)]\(context)"
        #expect(
            element.child("iati-identifier")?.stringValue
                == "BE-BCE_KBO-0207437468-\(activity.id.uuidString.lowercased())", "\(context)")
        let title = Self.cleaned(activity.title)
        #expect(element.child("title")?.narrative == Self.asRead(title), "\(context)")
        let description = Self.cleaned(activity.description)
        #expect(
            element.child("description")?.narrative == Self.asRead(description.isEmpty ? title : description),
            "\(context)")

        let status = ["planned": "1", "ongoing": "2", "completed": "4", "cancelled": "5"][activity.status]
        #expect(element.child("activity-status")?.value("code") == status, "\(context)")
        var dates: [String] = []
        let started = activity.status == "ongoing" || activity.status == "completed"
        if let start = activity.startsOn {
            dates.append("\(started && start <= today ? 2 : 1) \(start)")
        }
        if let end = activity.endsOn {
            dates.append("\(activity.status == "completed" && end <= today ? 4 : 3) \(end)")
        }
        let written = element.elements(forName: "activity-date").map {
            "\($0.value("type") ?? "?") \($0.value("iso-date") ?? "?")"
        }
        #expect(written == dates, "\(context)")
        #expect(element.child("recipient-country")?.value("code") == activity.partnerCountry.uppercased(), "\(context)")
        let tags = element.elements(forName: "tag").map {
            "\($0.value("vocabulary") ?? "?"):\($0.value("code") ?? "?")"
        }
        #expect(tags == activity.sdgGoals.map { "2:\($0)" } + activity.sdgTargets.map { "3:\($0)" }, "\(context)")
        // Sectors per vocabulary, in order, each vocabulary's percentages adding up to 100.00 exactly.
        let sectors = element.elements(forName: "sector")
        let expectedSectors =
            activity.dacSectors.map { "1:\($0)" } + activity.sdgGoals.map { "7:\($0)" }
            + activity.sdgTargets.map { "8:\($0)" }
        #expect(
            sectors.map { "\($0.value("vocabulary") ?? "?"):\($0.value("code") ?? "?")" } == expectedSectors,
            "\(context)")
        for vocabulary in ["1", "7", "8"] {
            let shares = sectors.filter { $0.value("vocabulary") == vocabulary }.compactMap {
                $0.value("percentage").flatMap(Amount.init)
            }
            #expect(shares.isEmpty || shares.map(\.units).reduce(0, +) == 10_000, "\(context)")
        }

        let budgets = element.elements(forName: "budget")
        if let planned = activity.budgetPlanned, let start = activity.startsOn, let end = activity.endsOn {
            let amount = try #require(Amount(planned))
            var next = start
            var sum: Int64 = 0
            for budget in budgets {
                let from = try #require(budget.child("period-start")?.value("iso-date").flatMap(CalendarDate.init))
                let to = try #require(budget.child("period-end")?.value("iso-date").flatMap(CalendarDate.init))
                #expect(from == next, "periods are contiguous\(context)")
                #expect(from <= to && from.year == to.year, "a period lies within one year\(context)")
                #expect(to.daysSinceEpoch - from.daysSinceEpoch < 366, "\(context)")
                let value = try #require(budget.child("value"))
                let part = try #require(Amount(value.stringValue ?? ""), "\(context)")
                #expect(part.scale == amount.scale, "\(context)")
                #expect(value.value("currency") == activity.currency, "\(context)")
                #expect(value.value("value-date") == from.description, "\(context)")
                sum += part.units
                next = try #require(CalendarDate(daysSinceEpoch: to.daysSinceEpoch + 1))
            }
            #expect(!budgets.isEmpty, "\(context)")
            #expect(
                next == CalendarDate(daysSinceEpoch: end.daysSinceEpoch + 1),
                "periods end with the activity\(context)")
            #expect(sum == amount.units, "the periods add up to the planned amount exactly\(context)")
        } else {
            #expect(budgets.isEmpty, "\(context)")
        }

        let transactions = element.elements(forName: "transaction")
        if let spent = activity.budgetSpent, generated.ledgerApplies {
            // One transaction per year that changed the amount, never ahead of the document, adding up to it.
            let amount = try #require(Amount(spent))
            var sum: Int64 = 0
            for transaction in transactions {
                let text = transaction.child("value")?.stringValue ?? ""
                let magnitude = try #require(
                    Amount(text.hasPrefix("-") ? String(text.dropFirst()) : text), "\(context)")
                #expect(magnitude.units != 0 && magnitude.scale == amount.scale, "\(context)")
                sum += text.hasPrefix("-") ? -magnitude.units : magnitude.units
                let day = try #require(
                    transaction.child("transaction-date")?.value("iso-date").flatMap(CalendarDate.init))
                #expect(day <= today, "\(context)")
            }
            #expect(sum == amount.units, "the transactions add up to the amount spent\(context)")
        } else if let spent = activity.budgetSpent {
            #expect(transactions.count == 1, "\(context)")
            let value = transactions.first?.child("value")
            #expect(value?.stringValue == spent, "\(context)")
            #expect(value?.value("currency") == activity.currency, "\(context)")
            let day = min(try Self.utcDay(activity.updatedAt), today)
            #expect(transactions.first?.child("transaction-date")?.value("iso-date") == day.description, "\(context)")
        } else {
            #expect(transactions.isEmpty, "\(context)")
        }

        let results = element.elements(forName: "result").map(ResultGenerator.signature)
        #expect(results == generated.results.expected, "\(context)")
    }

    /// What a narrative should read: the text without the characters XML 1.0 forbids, trimmed.
    static func cleaned(_ text: String) -> String {
        let kept = text.unicodeScalars.filter { scalar in
            let value = scalar.value
            return value == 0x9 || value == 0xA || value == 0xD
                || (0x20...0xFFFD).contains(value)
                    && value != 0xFFFE && value != 0xFFFF
                || value >= 0x10000
        }
        return String(String.UnicodeScalarView(kept)).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `text` as Foundation's XML reader returns it: CoreFoundation takes a leading U+FEFF for a byte order
    /// mark and drops it. The document does hold it (see IATIDocumentTests' text test).
    static func asRead(_ text: String) -> String {
        var scalars = text.unicodeScalars
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        return String(scalars)
    }

    /// The UTC day of `instant`, by Foundation's calendar.
    static func utcDay(_ instant: Date) throws -> CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        return try #require(CalendarDate(year: parts.year ?? 0, month: parts.month ?? 0, day: parts.day ?? 0))
    }
}

/// An input activity, and the fragment of the reason it must be skipped with, `nil` when it must be exported.
struct GeneratedActivity {
    var activity: IATIActivity
    var skipReason: String?
    var results = GeneratedResults()
    /// Whether the spending ledger states the spent amount now, so the transactions come from it.
    var ledgerApplies = false
}

/// Random results of an activity, what the document must show of them (``ResultGenerator/signature(_:)``, in
/// order) and the ids of what must be trimmed.
struct GeneratedResults {
    var results: [IATIResult] = []
    var expected: [String] = []
    var trimmed: [UUID] = []
}

/// Makes 0–3 results of 0–3 indicators of 0–4 periods: every type and measure, values with 0–6 decimals,
/// markup and forbidden characters in the texts, and about one part in ten broken in a known way.
enum ResultGenerator {
    static let types = ["output": "1", "outcome": "2", "impact": "3", "other": "9"]
    static let measures = ["unit": "1", "percentage": "2", "nominal": "3", "ordinal": "4", "qualitative": "5"]

    static func make(using random: inout SeededGenerator) -> GeneratedResults {
        var generated = GeneratedResults()
        for _ in 0..<Int.random(in: 0...3, using: &random) {
            let id = UUID(uuid: ActivityGenerator.uuidBytes(using: &random))
            let type = types.keys.sorted().randomElement(using: &random)!
            let title = ActivityGenerator.text(using: &random, visible: true)
            let brokenResult = Int.random(in: 0..<10, using: &random) == 0
            var indicators: [IATIIndicator] = []
            var shown: [String] = []
            var trimmed: [UUID] = []
            for _ in 0..<(brokenResult ? 0 : Int.random(in: 0...3, using: &random)) {
                let (indicator, signature, trims) = Self.indicator(using: &random)
                indicators.append(indicator)
                trimmed += trims
                if let signature { shown.append(signature) }
            }
            var result = IATIResult(
                id: id, type: type, title: title,
                description: ActivityGenerator.text(using: &random, visible: false),
                aggregates: Bool.random(using: &random), indicators: indicators)
            if !brokenResult && Int.random(in: 0..<30, using: &random) == 0 {
                result.type = "goal"
                generated.trimmed.append(id)
            } else {
                generated.trimmed += trimmed
                if shown.isEmpty {
                    generated.trimmed.append(id)
                } else {
                    generated.expected.append(
                        types[type]! + " " + IATIPropertyTests.asRead(IATIPropertyTests.cleaned(title)) + " "
                            + shown.joined(separator: ";"))
                }
            }
            generated.results.append(result)
        }
        return generated
    }

    /// An indicator, its signature when it is written, and what of it is trimmed.
    static func indicator(using random: inout SeededGenerator) -> (IATIIndicator, String?, [UUID]) {
        let id = UUID(uuid: ActivityGenerator.uuidBytes(using: &random))
        let measure = measures.keys.sorted().randomElement(using: &random)!
        let qualitative = measure == "qualitative"
        var indicator = IATIIndicator(
            id: id, title: ActivityGenerator.text(using: &random, visible: true),
            description: ActivityGenerator.text(using: &random, visible: false), measure: measure,
            ascending: Bool.random(using: &random))
        var trimmed: [UUID] = []
        if Int.random(in: 0..<10, using: &random) == 0 {
            indicator.measure = "score"
            return (indicator, nil, [id])
        }
        if Bool.random(using: &random) {
            let broken = Int.random(in: 0..<10, using: &random) == 0
            indicator.baseline = IATIBaseline(
                year: broken ? 10_000 : Int.random(in: 1990...2030, using: &random),
                value: qualitative || Bool.random(using: &random) ? nil : value(using: &random),
                comment: ActivityGenerator.text(using: &random, visible: false))
            if broken { trimmed.append(id) }
        }
        var actuals: [String] = []
        var day = Int.random(in: 17_000...20_000, using: &random)
        for _ in 0..<Int.random(in: 0...4, using: &random) {
            let periodID = UUID(uuid: ActivityGenerator.uuidBytes(using: &random))
            let length = Int.random(in: 0...400, using: &random)
            var period = IATIPeriod(
                id: periodID, start: CalendarDate(daysSinceEpoch: day)!,
                end: CalendarDate(daysSinceEpoch: day + length)!)
            day += length + 1
            if Bool.random(using: &random) {
                period.target = IATIValue(
                    value: qualitative ? nil : value(using: &random),
                    comment: ActivityGenerator.text(using: &random, visible: qualitative))
            }
            var actual: String?
            if Bool.random(using: &random) {
                let value = qualitative ? nil : value(using: &random)
                period.actual = IATIValue(
                    value: value, comment: ActivityGenerator.text(using: &random, visible: qualitative))
                actual = value ?? "words"
            }
            if Int.random(in: 0..<10, using: &random) == 0 {
                if !qualitative && Bool.random(using: &random) {
                    period.actual = IATIValue(value: ["1e5", "-3", "7,5", " 1 2"].randomElement(using: &random)!)
                } else {
                    (period.start, period.end) = (period.end, CalendarDate(daysSinceEpoch: day - length - 2)!)
                }
                trimmed.append(periodID)
            } else {
                actuals.append(actual ?? "-")
            }
            indicator.periods.append(period)
        }
        return (indicator, measures[measure]! + "(" + actuals.joined(separator: ",") + ")", trimmed)
    }

    /// A value with 0–6 decimals, below 10^12.
    static func value(using random: inout SeededGenerator) -> String {
        let scale = Int.random(in: 0...6, using: &random)
        var limit: Int64 = 1
        for _ in 0..<(scale + Int.random(in: 1...12, using: &random)) { limit *= 10 }
        return Amount(units: Int64.random(in: 0..<limit, using: &random), scale: scale).description
    }

    /// What a written result shows, in the generator's terms: its type code, title, and per indicator its
    /// measure code with each period's actual value (`words` for a comment only, `-` for none).
    static func signature(_ result: XMLElement) -> String {
        let indicators = result.elements(forName: "indicator").map { indicator in
            let periods = indicator.elements(forName: "period").map { period -> String in
                guard let actual = period.child("actual") else { return "-" }
                return actual.value("value") ?? "words"
            }
            return (indicator.value("measure") ?? "?") + "(" + periods.joined(separator: ",") + ")"
        }
        return (result.value("type") ?? "?") + " " + (result.child("title")?.narrative ?? "")
            + " " + indicators.joined(separator: ";")
    }
}

/// Makes random activities: mostly valid ones spanning the shapes stedenband holds, and about one in ten
/// broken in one known way.
struct ActivityGenerator {
    let today: CalendarDate

    static let statuses = ["planned", "ongoing", "completed", "cancelled"]
    static let countries = ["SN", "bj", "SR", "GT", "ma", "PE", "GM", "HT", "CD", "XK"]
    static let targets = ["1.1", "3.d", "4.7", "5.a", "6.b", "8.10", "11.3", "13.1", "16.10", "17.19"]
    /// DAC 5-digit codes a stedenband activity is likely to carry.
    static let sectors = ["15112", "13020", "14030", "11220", "15150", "16010", "41010", "43030", "99810"]
    /// Currencies with the number of decimals their amounts are written with (yen without, dinar with three).
    static let currencies: [(String, Int)] = [
        ("EUR", 2), ("USD", 2), ("XOF", 0), ("GBP", 2), ("JPY", 0), ("BHD", 3), ("CHF", 2),
    ]
    /// Pieces of text: plain, markup, Unicode beyond Latin-1, whitespace, and characters XML 1.0 forbids.
    static let pieces = [
        "Water", "sanitatie", "école", "Tambacounda", "Nimlaha'kok", "&", "<", ">", "\"", "'", "]]>", "&amp;",
        "<b>", "水", "👩🏽‍🌾", "مدرسة", "e\u{301}", " ", "  ", "\t", "\n", "\r\n", "\u{0}", "\u{1F}", "\u{B}",
        "\u{FFFE}", "\u{FFFF}", "\u{7F}", "\u{85}", "\u{2028}", "\u{FEFF}", "\u{10FFFF}",
    ]

    mutating func make(using random: inout SeededGenerator) -> GeneratedActivity {
        let id = UUID(uuid: Self.uuidBytes(using: &random))
        let status = Self.statuses.randomElement(using: &random)!
        var start: CalendarDate?
        var end: CalendarDate?
        let first = CalendarDate(
            daysSinceEpoch: today.daysSinceEpoch + Int.random(in: -1460...730, using: &random))!
        let last = CalendarDate(daysSinceEpoch: first.daysSinceEpoch + Int.random(in: 0...1826, using: &random))!
        switch Int.random(in: 0..<20, using: &random) {
        case 0..<15: (start, end) = (first, last)
        case 15..<17: start = first
        case 17..<19: end = last
        default: break
        }
        let (currency, scale) = Self.currencies.randomElement(using: &random)!
        let planned =
            Bool.random(using: &random) || Bool.random(using: &random)
            ? Int64.random(in: 0...5_000_000_000, using: &random) : nil
        let spent =
            Bool.random(using: &random)
            ? Int64.random(in: 0...(planned.map { $0 * 3 / 2 } ?? 1_000_000), using: &random) : nil
        let hasAmounts = planned != nil || spent != nil
        let updatedAt = Date(
            timeIntervalSince1970: Double(today.daysSinceEpoch) * 86_400
                + Double(Int.random(in: -1_000 * 86_400...3 * 86_400, using: &random)))
        var activity = IATIActivity(
            id: id,
            title: Self.text(using: &random, visible: true),
            description: Int.random(in: 0..<10, using: &random) == 0 ? "" : Self.text(using: &random, visible: false),
            status: status, startsOn: start, endsOn: end,
            partnerName: Int.random(in: 0..<20, using: &random) == 0 ? "" : Self.text(using: &random, visible: true),
            partnerCountry: Self.countries.randomElement(using: &random)!,
            sdgGoals: Array((1...17).shuffled(using: &random).prefix(Int.random(in: 0...3, using: &random))),
            sdgTargets: Array(Self.targets.shuffled(using: &random).prefix(Int.random(in: 0...3, using: &random))),
            budgetPlanned: planned.map { Amount(units: $0, scale: scale).description },
            budgetSpent: spent.map { Amount(units: $0, scale: scale).description },
            currency: hasAmounts || Bool.random(using: &random) ? currency : nil,
            updatedAt: updatedAt,
            dacSectors: Array(Self.sectors.shuffled(using: &random).prefix(Int.random(in: 0...3, using: &random))))

        var reason: String?
        if start == nil && end == nil {
            reason = "neither a start nor an end date"
        } else if Int.random(in: 0..<10, using: &random) == 0 {
            switch Int.random(in: 0..<7, using: &random) {
            case 0:
                activity.status = "paused"
                reason = "status \"paused\""
            case 1:
                activity.partnerCountry = "ZZ"
                reason = "partner country \"ZZ\""
            case 2:
                activity.budgetPlanned = "12,50"
                reason = "planned budget \"12,50\""
            case 3:
                activity.title = "\u{0}\u{1} \t"
                reason = "the title is empty"
            case 4:
                activity.sdgGoals.append(18)
                reason = "SDG goal 18"
            case 5:
                activity.dacSectors.append("15120")
                reason = "DAC sector \"15120\""
            default:
                activity.startsOn = CalendarDate(daysSinceEpoch: last.daysSinceEpoch + 1)
                activity.endsOn = first
                reason = "before it starts"
            }
        }
        let results = ResultGenerator.make(using: &random)
        activity.results = results.results
        // A spending ledger for half the activities that spent something: cumulative amounts over 1–5 years that
        // may go down (a correction), sometimes starting in another currency, and one in ten that does not state
        // today's amount (so it is not used).
        var ledgerApplies = false
        if let spent, Bool.random(using: &random) {
            var year = Int.random(in: 2015...2023, using: &random)
            var rows: [IATISpending] = []
            for _ in 0..<Int.random(in: 0...4, using: &random) {
                let other = rows.isEmpty && Int.random(in: 0..<4, using: &random) == 0
                rows.append(
                    IATISpending(
                        year: year,
                        spent: Amount(units: Int64.random(in: 0...2_000_000, using: &random), scale: scale).description,
                        currency: other ? "GMD" : currency,
                        recordedOn: CalendarDate(year: year, month: Int.random(in: 1...12, using: &random), day: 28)!))
                year += Int.random(in: 1...2, using: &random)
            }
            let stale = Int.random(in: 0..<10, using: &random) == 0
            rows.append(
                IATISpending(
                    year: year, spent: Amount(units: spent + (stale ? 1 : 0), scale: scale).description,
                    currency: currency.lowercased(),
                    recordedOn: CalendarDate(year: year, month: Int.random(in: 1...12, using: &random), day: 1)!))
            activity.spending = rows.shuffled(using: &random)
            ledgerApplies = !stale && activity.currency != nil
        }
        return GeneratedActivity(
            activity: activity, skipReason: reason, results: results, ledgerApplies: ledgerApplies)
    }

    /// Up to a dozen random pieces; with `visible`, ending in a letter so the text is never empty once cleaned.
    static func text(using random: inout SeededGenerator, visible: Bool) -> String {
        let count = Int.random(in: 0...12, using: &random)
        let text = (0..<count).map { _ in pieces.randomElement(using: &random)! }.joined()
        return visible ? text + ["a", "Ω", "中"].randomElement(using: &random)! : text
    }

    static func uuidBytes(using random: inout SeededGenerator) -> uuid_t {
        let high = random.next()
        let low = random.next()
        func byte(_ word: UInt64, _ index: Int) -> UInt8 { UInt8(truncatingIfNeeded: word >> (8 * index)) }
        return (
            byte(high, 0), byte(high, 1), byte(high, 2), byte(high, 3), byte(high, 4), byte(high, 5), byte(high, 6),
            byte(high, 7), byte(low, 0), byte(low, 1), byte(low, 2), byte(low, 3), byte(low, 4), byte(low, 5),
            byte(low, 6), byte(low, 7)
        )
    }
}
