import Vocabulary

/// A field of a PATCH body that may be cleared: left out (keep the current value), `null` (clear it), or
/// a new value.
///
/// Declare it without `?`: `var endsOn: PatchField<CalendarDate>`. A plain optional cannot tell a field
/// left out from one sent as `null`; the decoding overload below asks the container which it was.
public enum PatchField<Value: Decodable & Sendable>: Decodable, Sendable {
    case absent
    case cleared
    case set(Value)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        self = container.decodeNil() ? .cleared : .set(try container.decode(Value.self))
    }

    /// The value after the change: the current one when left out, `nil` when cleared.
    public func applied(to current: Value?) -> Value? {
        switch self {
        case .absent: current
        case .cleared: nil
        case .set(let value): value
        }
    }

    /// The new value, when one was sent.
    public var newValue: Value? {
        if case .set(let value) = self { value } else { nil }
    }
}

extension PatchField: Equatable where Value: Equatable {}

extension KeyedDecodingContainer {
    /// Used by synthesized decoding for `PatchField` properties: a missing key is `.absent`, not an error.
    public func decode<Value>(_ type: PatchField<Value>.Type, forKey key: Key) throws -> PatchField<Value> {
        guard contains(key) else { return .absent }
        return try decodeNil(forKey: key) ? .cleared : .set(decode(Value.self, forKey: key))
    }
}
