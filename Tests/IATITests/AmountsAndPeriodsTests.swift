import Foundation
import Postgres
import Testing
import Vocabulary

@testable import IATI

@Suite("Exact amounts, budget periods and UTC times")
struct AmountsAndPeriodsTests {
    typealias F = Fixtures

    @Test("reads plain decimals exactly and writes them back with the same number of decimals")
    func readsAmounts() throws {
        let cases: [(String, Int64, Int, String)] = [
            ("12500.00", 1_250_000, 2, "12500.00"),
            ("0.05", 5, 2, "0.05"),
            (" 7 ", 7, 0, "7"),
            ("000.100", 100, 3, "0.100"),
            ("9223372036854775807", Int64.max, 0, "9223372036854775807"),
        ]
        for (text, units, scale, written) in cases {
            let amount = try #require(Amount(text), "\(text)")
            #expect(amount.units == units && amount.scale == scale, "\(text)")
            #expect(amount.description == written)
        }
    }

    @Test("refuses signs, exponents, commas, empty parts, non-ASCII digits, too many decimals and overflow")
    func refusesAmounts() {
        for text in [
            "", " ", "-1", "+1", "1e3", "1,5", "1.", ".5", "1.2.3", "١٢", "1.1234567", "9223372036854775808",
            "0x10", "1 000", "NaN",
        ] {
            #expect(Amount(text) == nil, "\(text)")
        }
    }

    @Test("splits an amount so every part is within one unit of its exact share and the parts sum to the amount")
    func splits() {
        let seed = ProcessInfo.processInfo.environment["IATI_SEED"].flatMap(UInt64.init) ?? .random(in: 0...UInt64.max)
        print("AmountsAndPeriodsTests.splits seed \(seed) (replay with IATI_SEED=\(seed))")
        var random = SeededGenerator(seed: seed)
        for _ in 0..<2000 {
            let units = Int64.random(in: 0...Int64.max / (Bool.random(using: &random) ? 1 : 1_000_000), using: &random)
            let weights = (0..<Int.random(in: 1...8, using: &random)).map { _ in Int.random(in: 1...366, using: &random)
            }
            let parts = Amount(units: units, scale: 2).split(weights: weights)
            #expect(parts.count == weights.count)
            #expect(parts.allSatisfy { $0.scale == 2 && $0.units >= 0 })
            #expect(parts.reduce(Int64(0)) { $0 + $1.units } == units, "seed \(seed)")
            // |part·W − units·w| < W, i.e. the part is less than one unit from units·w/W.
            let total = Decimal(weights.reduce(0, +))
            for (part, weight) in zip(parts, weights) {
                let gap = Decimal(part.units) * total - Decimal(units) * Decimal(weight)
                #expect(abs(gap) < total, "seed \(seed): \(part.units) of \(units) for \(weight)/\(total)")
            }
        }
        #expect(Amount(units: 100, scale: 0).split(weights: [1, 1, 1]).map(\.units) == [33, 33, 34])
        #expect(Amount(units: 2, scale: 2).split(weights: [1, 1, 1]).map(\.units) == [0, 1, 1])
    }

    @Test("cuts budget periods at calendar-year ends, contiguous, each within one year")
    func periods() {
        let periods = BudgetPeriod.periods(
            planned: Amount(units: 300_000, scale: 2), start: F.day("2023-12-31"), end: F.day("2026-01-01"))
        #expect(
            periods.map { "\($0.start)…\($0.end) \($0.amount.description)" } == [
                // 1 + 366 + 365 + 1 = 733 days.
                "2023-12-31…2023-12-31 4.09", "2024-01-01…2024-12-31 1497.95", "2025-01-01…2025-12-31 1493.86",
                "2026-01-01…2026-01-01 4.10",
            ])
        let oneDay = BudgetPeriod.periods(
            planned: Amount(units: 5, scale: 0), start: F.day("2024-02-29"), end: F.day("2024-02-29"))
        #expect(
            oneDay == [
                BudgetPeriod(start: F.day("2024-02-29"), end: F.day("2024-02-29"), amount: .init(units: 5, scale: 0))
            ])
    }

    @Test("formats instants as UTC xsd:dateTime and finds their UTC day, matching Foundation's calendar")
    func utcTime() throws {
        #expect(UTCTime.dateTime(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
        #expect(UTCTime.dateTime(Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59Z")
        #expect(UTCTime.dateTime(Date(timeIntervalSince1970: 951_825_600)) == "2000-02-29T12:00:00Z")
        #expect(UTCTime.dateTime(Date(timeIntervalSince1970: -62_135_596_800)) == "0001-01-01T00:00:00Z")
        #expect(UTCTime.dateTime(Date(timeIntervalSince1970: 253_402_300_799)) == "9999-12-31T23:59:59Z")
        #expect(UTCTime.dateTime(Date(timeIntervalSince1970: -62_135_596_801)) == nil)
        #expect(UTCTime.dateTime(Date(timeIntervalSince1970: 253_402_300_800)) == nil)
        #expect(UTCTime.dateTime(Date(timeIntervalSince1970: .nan)) == nil)

        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        var random = SeededGenerator(seed: 2024)
        for _ in 0..<1000 {
            let instant = Date(
                timeIntervalSince1970: Double(Int64.random(in: -5_000_000_000...8_000_000_000, using: &random)))
            let parts = calendar.dateComponents([.year, .month, .day], from: instant)
            let day = try #require(UTCTime.day(instant))
            #expect([day.year, day.month, day.day] == [parts.year, parts.month, parts.day], "\(instant)")
            #expect(day.daysSinceEpoch == Int((instant.timeIntervalSince1970 / 86_400).rounded(.down)))
        }
    }
}
