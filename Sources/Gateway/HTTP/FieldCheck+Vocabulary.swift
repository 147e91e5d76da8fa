import Vocabulary

/// Checks against the shared words, so the allowed values are the types' cases and never a list kept by hand.
extension FieldCheck {
    /// `value`, when given, must be the raw value of one of `Word`'s cases.
    public static func oneOf<Word: CaseIterable & RawRepresentable>(
        _ value: String?, _ word: Word.Type, field: String
    ) -> [Problem.FieldError] where Word.RawValue == String {
        oneOf(value, Word.allCases.map(\.rawValue), field: field)
    }

    /// The word a checked `value` names; the same validation problem as ``oneOf(_:_:field:)-(String?,_,_)``
    /// when it names none.
    public static func word<Word: CaseIterable & RawRepresentable>(
        _ value: String, field: String
    ) throws -> Word where Word.RawValue == String {
        guard let word = Word(rawValue: value) else {
            throw Problem.validation(oneOf(value, Word.self, field: field))
        }
        return word
    }

    /// The amount a checked `text` holds; a validation problem when it holds none.
    public static func amount(_ text: String, field: String) throws -> Amount {
        guard let amount = Amount(text) else {
            throw Problem.validation([
                .init(field: field, message: "must be an amount such as \"12500.00\", not negative")
            ])
        }
        return amount
    }
}
