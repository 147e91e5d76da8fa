/// How far an indicator has come from its baseline towards its target, worked out one way for every page,
/// report and file that shows it, so they agree to the last digit.
public enum IndicatorProgress {
    /// The progress in percent, `(actual − baseline) / (target − baseline) × 100`, written with one decimal
    /// and rounded half away from zero: baseline 61, target 90, actual 74 is `"44.8"`. `nil` when the target
    /// equals the baseline (there is no way to go).
    ///
    /// The same formula serves an indicator that should go down (target below baseline): falling from 40 to
    /// 25 with a target of 10 is `"50.0"`. The result is negative when the actual moved away from the target,
    /// and above 100 when it went past it.
    ///
    /// Exact: the three values are brought to their largest scale and divided as whole numbers, in 128 bits
    /// because a difference (below 10^18 units) times 1 000 does not fit in 64.
    public static func percent(baseline: IndicatorValue, target: IndicatorValue, actual: IndicatorValue) -> String? {
        let scale = max(baseline.scale, target.scale, actual.scale)
        func units(_ value: IndicatorValue) -> Int128 { Int128(value.amount.scaled(to: scale).units) }
        let way = units(target) - units(baseline)
        guard way != 0 else { return nil }
        let come = units(actual) - units(baseline)
        // Tenths of a percent: the ratio times 1 000, truncated towards zero, then rounded half away from it.
        let (tenths, remainder) = (come * 1_000).quotientAndRemainder(dividingBy: way)
        let away: Int128 = remainder.magnitude * 2 >= way.magnitude ? ((come < 0) != (way < 0) ? -1 : 1) : 0
        let rounded = tenths + away
        let sign = rounded < 0 ? "-" : ""
        return "\(sign)\(rounded.magnitude / 10).\(rounded.magnitude % 10)"
    }
}
