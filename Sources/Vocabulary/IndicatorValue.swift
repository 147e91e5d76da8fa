/// A baseline, target or actual value of an indicator: an exact, non-negative decimal, carried as a string in
/// JSON (`"74"`, `"74.50"`) and never through a float, with ``Amount``'s reading and arithmetic but no money
/// meaning.
///
/// A value keeps the decimals it was written with, so `"74"` stays `"74"` and `"74.50"` stays `"74.50"` (the
/// database's unconstrained `numeric` prints them so too). Two values are `==` when they are written alike;
/// compare what they are worth with ``hasSameValue(as:)``.
public struct IndicatorValue: Sendable, Hashable, Codable, CustomStringConvertible, LosslessStringConvertible {
    /// The value as an exact decimal: its units of `10^-scale`, never negative.
    let amount: Amount

    /// The most decimal places accepted, as for amounts.
    public static let maximumScale = Amount.maximumScale

    /// The most digits before the point: values stay below 10^12, so with ``maximumScale`` decimals every
    /// value's units fit in 18 digits, well inside `Int64` (and the database's check, `< 1e12`).
    public static let maximumWholeDigits = 12

    /// Reads exactly `digits[.digits]`, with at most ``maximumScale`` decimals and ``maximumWholeDigits`` whole
    /// digits once leading zeros are dropped (`"007"` is `7`); `nil` for anything else: spaces, signs,
    /// exponents. Spaces around a value are refused, not trimmed as an amount's are: a value is read as it was
    /// written, or not at all.
    public init?(_ text: String) {
        guard
            text.utf8.allSatisfy({ $0 == UInt8(ascii: ".") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            let amount = Amount(text), amount.units < Self.limit.scaled(to: amount.scale).units
        else { return nil }
        self.amount = amount
    }

    /// 10^``maximumWholeDigits``: the first value out of reach.
    private static let limit = Amount("1" + String(repeating: "0", count: maximumWholeDigits))!

    /// The value in units of `10^-scale`: `"74.50"` is 7450.
    public var units: Int64 { amount.units }

    /// How many decimal places the value is written with.
    public var scale: Int { amount.scale }

    /// The value exactly as it was written (leading zeros aside): `"74.50"`.
    public var description: String { amount.description }

    /// Whether the value has no fraction, however it is written: `"3"` and `"3.00"` are whole, `"3.5"` is
    /// not. Nominal and ordinal indicators take whole values only.
    public var isWhole: Bool { amount.scaled(to: 0).hasSameValue(as: amount) }

    /// Whether both are worth the same however they are written: `"74"` and `"74.0"` are.
    public func hasSameValue(as other: IndicatorValue) -> Bool {
        amount.hasSameValue(as: other.amount)
    }

    /// Reads the value from a JSON string such as `"74.5"`; a JSON number is refused, as for money.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = IndicatorValue(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected a non-negative decimal value such as \"74.5\"")
        }
        self = value
    }

    /// Writes the value as a JSON string, exactly as it was read: `"74.50"`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
