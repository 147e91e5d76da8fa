import Foundation

/// A non-negative money amount held exactly, as a whole number of units of its last written decimal place:
/// `"12500.00"` is 1 250 000 at scale 2. Money never passes through a float.
struct ExactAmount: Equatable {
    /// The amount in units of `10^-scale`.
    var units: Int64
    /// How many decimal places the amount was written with; the output keeps them.
    var scale: Int

    /// The most decimal places accepted: beyond any currency's minor unit, and keeps `units` well inside `Int64`.
    static let maximumScale = 6

    /// Reads a plain decimal, `digits[.digits]`, with surrounding whitespace ignored; `nil` for anything
    /// else (signs, exponents, commas, more than ``maximumScale`` decimals, values too large for `Int64`).
    init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty else { return nil }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard parts.count == 1 || !fraction.isEmpty, fraction.count <= Self.maximumScale else { return nil }
        var units: Int64 = 0
        for character in whole + fraction {
            guard let digit = character.wholeNumberValue, character.isASCII else { return nil }
            let (shifted, overflowShift) = units.multipliedReportingOverflow(by: 10)
            let (added, overflowAdd) = shifted.addingReportingOverflow(Int64(digit))
            guard !overflowShift, !overflowAdd else { return nil }
            units = added
        }
        self.units = units
        self.scale = fraction.count
    }

    init(units: Int64, scale: Int) {
        self.units = units
        self.scale = scale
    }

    /// The amount as `xsd:decimal`, with exactly `scale` decimals: `1250000` at scale 2 is `"12500.00"`.
    var description: String {
        let digits = String(units)
        guard scale > 0 else { return digits }
        let padded = String(repeating: "0", count: max(0, scale + 1 - digits.count)) + digits
        return String(padded.dropLast(scale)) + "." + String(padded.suffix(scale))
    }

    /// Splits the amount over parts weighted by `weights` (all positive), in the amount's own scale, so
    /// the parts add up to the amount exactly.
    ///
    /// Part `k` is `⌊amount·Wₖ/W⌋ − ⌊amount·Wₖ₋₁/W⌋`, with `Wₖ` the running sum of the weights and `W` their
    /// total: each part is within one unit of its exact proportional share, the rounding is spread rather
    /// than piled onto one part, and the sum telescopes to the amount. The products are taken at double
    /// width, so no amount that parses can overflow.
    func split(weights: [Int]) -> [ExactAmount] {
        precondition(!weights.isEmpty && weights.allSatisfy { $0 > 0 }, "weights must be positive")
        let total = Int64(weights.reduce(0, +))
        var parts: [ExactAmount] = []
        parts.reserveCapacity(weights.count)
        var running: Int64 = 0
        var previous: Int64 = 0
        for weight in weights {
            running += Int64(weight)
            let product = units.multipliedFullWidth(by: running)
            let cumulative = total.dividingFullWidth(product).quotient
            parts.append(ExactAmount(units: cumulative - previous, scale: scale))
            previous = cumulative
        }
        return parts
    }
}
