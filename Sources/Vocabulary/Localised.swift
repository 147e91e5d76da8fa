/// One value per supported ``Language``: a localisation table. Every language must be given, so adding a
/// language makes the compiler point at every table that lacks it.
public struct Localised<Value> {
    public var nl: Value
    public var en: Value
    public var fr: Value
    public var es: Value

    public init(nl: Value, en: Value, fr: Value, es: Value) {
        self.nl = nl
        self.en = en
        self.fr = fr
        self.es = es
    }

    /// The value for `language`.
    public subscript(_ language: Language) -> Value {
        switch language {
        case .nl: nl
        case .en: en
        case .fr: fr
        case .es: es
        }
    }

    /// The value for a locale code, falling back to ``Language/fallback`` for an unknown or missing one.
    public subscript(code code: String?) -> Value { self[Language.resolving(code)] }

    /// The table with `transform` applied to every language's value.
    public func map<Other>(_ transform: (Value) throws -> Other) rethrows -> Localised<Other> {
        Localised<Other>(nl: try transform(nl), en: try transform(en), fr: try transform(fr), es: try transform(es))
    }
}

extension Localised: Sendable where Value: Sendable {}
extension Localised: Equatable where Value: Equatable {}
extension Localised: Hashable where Value: Hashable {}

/// A word for each value of a closed set of words, in one language: `(ActivityStatus) -> String` with an
/// exhaustive `switch`, so adding a case makes the compiler point at every language that lacks it.
public typealias Labels<Word> = @Sendable (Word) -> String
