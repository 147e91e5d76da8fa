import Foundation

/// An amount of money held exactly, as a whole number of units of its last written decimal place:
/// `"12500.00"` is 1 250 000 at scale 2. Money never passes through a float.
///
/// An amount keeps the number of decimals it was written with, so reading and writing it gives back the same
/// text (`"12500.00"` stays `"12500.00"`, `"7"` stays `"7"`); ``scaled(to:)`` gives it the decimals a column
/// such as PostgreSQL's `numeric(14, 2)` prints. Two amounts are `==` when they are written alike; compare
/// their values with ``hasSameValue(as:)``.
public struct Amount: Sendable, Hashable, Codable, CustomStringConvertible, LosslessStringConvertible {
    /// The amount in units of `10^-scale`; negative only for differences and totals made by arithmetic.
    public var units: Int64
    /// How many decimal places the amount is written with.
    public var scale: Int

    /// The most decimal places accepted: beyond any currency's minor unit, and keeps `units` well inside `Int64`.
    public static let maximumScale = 6

    /// The decimals of the API's amounts and of the database's `numeric(14, 2)`.
    public static let storedScale = 2

    /// Nothing, written with ``storedScale`` decimals: `"0.00"`.
    public static let zero = Amount(units: 0, scale: storedScale)

    public init(units: Int64, scale: Int) {
        precondition((0...Self.maximumScale).contains(scale), "scale must be 0…\(Self.maximumScale)")
        self.units = units
        self.scale = scale
    }

    /// An amount in hundredths of a unit (cents), written with two decimals.
    public init(cents: Int64) {
        self.init(units: cents, scale: 2)
    }

    /// Reads a plain non-negative decimal, `digits[.digits]`, with surrounding spaces ignored; `nil` for
    /// anything else (signs, exponents, commas, more than ``maximumScale`` decimals, values too large for
    /// `Int64`).
    public init?(_ text: String) {
        // Byte by byte: amounts are read for every budget of every activity a page or an answer shows. Only
        // a text with a byte beyond ASCII goes through Foundation, to trim the Unicode spaces it may carry.
        guard
            let amount = text.utf8.contains(where: { $0 >= 0x80 })
                ? Self.parse(text.trimmingCharacters(in: .whitespaces).utf8) : Self.parse(text.utf8)
        else { return nil }
        self = amount
    }

    /// `digits[.digits]` between ASCII spaces and tabs, at most ``maximumScale`` decimals, inside `Int64`.
    private static func parse<Bytes: BidirectionalCollection<UInt8>>(_ bytes: Bytes) -> Amount? {
        func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, isBlank(bytes[start]) { bytes.formIndex(after: &start) }
        while start < end, isBlank(bytes[bytes.index(before: end)]) { bytes.formIndex(before: &end) }
        var units: Int64 = 0
        var wholeDigits = 0
        var scale = 0
        var seenPoint = false
        for byte in bytes[start..<end] {
            if byte == UInt8(ascii: ".") {
                guard !seenPoint else { return nil }
                seenPoint = true
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            if seenPoint {
                scale += 1
                guard scale <= maximumScale else { return nil }
            } else {
                wholeDigits += 1
            }
            let (shifted, overflowShift) = units.multipliedReportingOverflow(by: 10)
            let (added, overflowAdd) = shifted.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
            guard !overflowShift, !overflowAdd else { return nil }
            units = added
        }
        guard wholeDigits > 0, !seenPoint || scale > 0 else { return nil }
        return Amount(units: units, scale: scale)
    }

    /// The amount with exactly `scale` decimals, as `xsd:decimal` and PostgreSQL's `numeric` write it:
    /// `1250000` at scale 2 is `"12500.00"`.
    public var description: String {
        let digits = String(units.magnitude)
        let sign = units < 0 ? "-" : ""
        guard scale > 0 else { return sign + digits }
        let padded = String(repeating: "0", count: max(0, scale + 1 - digits.count)) + digits
        return sign + String(padded.dropLast(scale)) + "." + String(padded.suffix(scale))
    }

    /// The amount written with `scale` decimals, as PostgreSQL's `numeric(p, scale)` stores it: padded with
    /// zeros, or rounded half away from zero when it had more decimals (`"12500.5"` → `"12500.50"`, `"007"` →
    /// `"7.00"` at scale 2).
    public func scaled(to scale: Int) -> Amount {
        if scale >= self.scale {
            var factor: Int64 = 1
            for _ in 0..<(scale - self.scale) { factor *= 10 }
            return Amount(units: units * factor, scale: scale)
        }
        var divisor: Int64 = 1
        for _ in 0..<(self.scale - scale) { divisor *= 10 }
        let (quotient, remainder) = units.quotientAndRemainder(dividingBy: divisor)
        let away: Int64 = remainder.magnitude * 2 >= divisor.magnitude ? (units < 0 ? -1 : 1) : 0
        return Amount(units: quotient + away, scale: scale)
    }

    /// The amount as the API and the database's `numeric(14, 2)` write it: two decimals.
    public var stored: Amount { scaled(to: Self.storedScale) }

    /// Whether both are the same money however they are written: `"400"` and `"400.00"` are.
    public func hasSameValue(as other: Amount) -> Bool {
        let scale = max(self.scale, other.scale)
        return scaled(to: scale).units == other.scaled(to: scale).units
    }

    /// The sum, written with the larger of the two scales.
    public static func + (lhs: Amount, rhs: Amount) -> Amount {
        let scale = max(lhs.scale, rhs.scale)
        return Amount(units: lhs.scaled(to: scale).units + rhs.scaled(to: scale).units, scale: scale)
    }

    public static func += (lhs: inout Amount, rhs: Amount) {
        lhs = lhs + rhs
    }

    /// The amount with the opposite sign.
    public static prefix func - (amount: Amount) -> Amount {
        Amount(units: -amount.units, scale: amount.scale)
    }

    /// Splits the amount over parts weighted by `weights` (all positive), in the amount's own scale, so
    /// the parts add up to the amount exactly.
    ///
    /// Part `k` is `⌊amount·Wₖ/W⌋ − ⌊amount·Wₖ₋₁/W⌋`, with `Wₖ` the running sum of the weights and `W` their
    /// total: each part is within one unit of its exact proportional share, the rounding is spread rather
    /// than piled onto one part, and the sum telescopes to the amount. The products are taken at double
    /// width, so no amount that parses can overflow.
    public func split(weights: [Int]) -> [Amount] {
        precondition(!weights.isEmpty && weights.allSatisfy { $0 > 0 }, "weights must be positive")
        let total = Int64(weights.reduce(0, +))
        var parts: [Amount] = []
        parts.reserveCapacity(weights.count)
        var running: Int64 = 0
        var previous: Int64 = 0
        for weight in weights {
            running += Int64(weight)
            let product = units.multipliedFullWidth(by: running)
            let cumulative = total.dividingFullWidth(product).quotient
            parts.append(Amount(units: cumulative - previous, scale: scale))
            previous = cumulative
        }
        return parts
    }

    /// `count` equal parts that add up to the amount exactly, in its own scale: the first parts get the
    /// units left over (`1.00` in three is `0.34`, `0.33`, `0.33`).
    public func splitEvenly(into count: Int) -> [Amount] {
        guard count > 0 else { return [] }
        let share = units / Int64(count)
        let rest = Int(units - share * Int64(count))
        return (0..<count).map { Amount(units: share + ($0 < rest ? 1 : 0), scale: scale) }
    }

    /// Reads the amount from a JSON string such as `"12500.00"`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let amount = Amount(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected a non-negative decimal amount such as \"12500.00\"")
        }
        self = amount
    }

    /// Writes the amount as a JSON string, exactly as it was read: `"12500.00"`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
