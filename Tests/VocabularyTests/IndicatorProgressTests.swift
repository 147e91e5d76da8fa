import Foundation
import Testing
import Vocabulary

@Suite("Progress from baseline to target, in percent to one decimal")
struct IndicatorProgressTests {
    /// The progress of three values written as text, each required to be a value.
    private func percent(_ baseline: String, _ target: String, _ actual: String) throws -> String? {
        IndicatorProgress.percent(
            baseline: try #require(IndicatorValue(baseline)), target: try #require(IndicatorValue(target)),
            actual: try #require(IndicatorValue(actual)))
    }

    @Test("an indicator that should rise: (actual − baseline) / (target − baseline)")
    func ascending() throws {
        #expect(try percent("61", "90", "74") == "44.8")  // 13 / 29 = 0.44827…
        #expect(try percent("0", "100", "50") == "50.0")
        #expect(try percent("61", "90", "61") == "0.0")
        #expect(try percent("61", "90", "90") == "100.0")
        #expect(try percent("0", "3", "1") == "33.3")
        #expect(try percent("0", "3", "2") == "66.7")
        #expect(try percent("61", "90.00", "74.5") == "46.6")  // 13.5 / 29 = 0.46551…, scales mixed
    }

    @Test("an indicator that should fall: the same formula with the target below the baseline")
    func descending() throws {
        #expect(try percent("40", "10", "25") == "50.0")
        #expect(try percent("40", "10", "31") == "30.0")
        #expect(try percent("40", "10", "10") == "100.0")
        #expect(try percent("40", "10", "40") == "0.0")
        #expect(try percent("12.5", "2.5", "9") == "35.0")
    }

    @Test("moving away from the target is negative, whichever way the indicator goes")
    func negative() throws {
        #expect(try percent("61", "90", "55") == "-20.7")  // −6 / 29 = −0.20689…
        #expect(try percent("40", "10", "46") == "-20.0")  // 6 / −30
        #expect(try percent("61", "90", "0") == "-210.3")  // −61 / 29 = −2.10344…
    }

    @Test("going past the target is above 100")
    func pastTheTarget() throws {
        #expect(try percent("61", "90", "100") == "134.5")  // 39 / 29 = 1.34482…
        #expect(try percent("40", "10", "4") == "120.0")
        #expect(try percent("0", "0.000001", "999999999999.999999") == "99999999999999999900.0")
    }

    @Test("no progress when the target equals the baseline, however they are written")
    func targetEqualsBaseline() throws {
        #expect(try percent("50", "50", "70") == nil)
        #expect(try percent("50", "50.000", "50") == nil)
        #expect(try percent("0", "0", "0") == nil)
    }

    @Test("a half tenth rounds away from zero, on both sides of it")
    func roundsHalfAwayFromZero() throws {
        #expect(try percent("0", "200", "89.1") == "44.6")  // 44.55
        #expect(try percent("0", "200", "89.09") == "44.5")  // 44.545
        #expect(try percent("200", "0", "110.9") == "44.6")  // −89.1 / −200 = 44.55
        #expect(try percent("100", "300", "10.9") == "-44.6")  // −89.1 / 200 = −44.55
        #expect(try percent("100", "300", "10.91") == "-44.5")  // −44.545
        #expect(try percent("100", "0", "110.9") == "-10.9")  // 10.9 / −100
        #expect(try percent("1000", "2000", "999.6") == "0.0")  // −0.04: no sign on a rounded zero
        #expect(try percent("1000", "2000", "999.5") == "-0.1")  // −0.05
    }

    @Test("agrees with Foundation's decimal arithmetic on random values")
    func agreesWithDecimal() throws {
        var random = SystemRandomNumberGenerator()
        // Half the values small, so that exact halves (and equal baselines and targets) come up often.
        func text() -> String {
            let small = Bool.random(using: &random)
            let scale = Int.random(in: 0...(small ? 1 : 3), using: &random)
            let units = Int.random(in: 0...(small ? 200 : 2_000_000), using: &random)
            return Self.write(units: units, scale: scale)
        }
        for _ in 0..<2_000 {
            let (baseline, target, actual) = (text(), text(), text())
            let expected = try Self.reference(baseline, target, actual)
            let got = try percent(baseline, target, actual)
            #expect(got.flatMap { Decimal(string: $0) } == expected, "\(baseline) \(target) \(actual): \(got ?? "nil")")
            #expect(got.map { $0.wholeMatch(of: /-?[0-9]+\.[0-9]/) != nil && $0 != "-0.0" } ?? true, "\(got ?? "nil")")
        }
    }

    /// `units` at `scale` as a decimal text: 7450 at scale 2 is `"74.50"`.
    private static func write(units: Int, scale: Int) -> String {
        guard scale > 0 else { return String(units) }
        let digits = String(units)
        let padded = String(repeating: "0", count: max(0, scale + 1 - digits.count)) + digits
        return String(padded.dropLast(scale)) + "." + String(padded.suffix(scale))
    }

    /// The progress by Foundation's `Decimal` (38 digits), rounded with `.plain`, which rounds a half away from
    /// zero: far more digits than any value here has, so the division's own rounding never reaches a tenth.
    private static func reference(_ baseline: String, _ target: String, _ actual: String) throws -> Decimal? {
        let b = try #require(Decimal(string: baseline))
        let t = try #require(Decimal(string: target))
        let a = try #require(Decimal(string: actual))
        guard t != b else { return nil }
        var exact = (a - b) / (t - b) * 100
        var rounded = Decimal()
        NSDecimalRound(&rounded, &exact, 1, .plain)
        return rounded
    }
}
