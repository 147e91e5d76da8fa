import Foundation

/// The schemas of the fields ``FieldCheck`` checks, so the document refuses what the server refuses.
///
/// Patterns are written for both ECMA-262 (what OpenAPI names) and Python's `re` (what schemathesis
/// generates from): code point ranges and `\s` only. The tests run ``FieldCheck`` on what they match.
extension JSONSchema {
    /// The control characters (Unicode category Cc: C0, DEL, C1) that ``FieldCheck`` refuses in a name.
    static let controlCharacters = "\\x00-\\x1f\\x7f-\\x9f"

    /// What ``FieldCheck/name(_:field:maximum:)`` accepts: 1 to `maximum` code points, not only white space,
    /// no control characters.
    public static func name(maximum: Int = 200) -> JSONSchema {
        .string(minLength: 1, maxLength: maximum, pattern: namePattern)
    }

    /// A name's pattern: a character other than white space, and no control character anywhere.
    public static let namePattern =
        "^[^\(controlCharacters)]*[^\\s\(controlCharacters)][^\(controlCharacters)]*$"

    /// What ``FieldCheck/text(_:field:maximum:)`` accepts: at most `maximum` code points, no NUL.
    public static func text(maximum: Int = 20_000) -> JSONSchema {
        .string(maxLength: maximum, pattern: textPattern)
    }

    /// A free text's pattern: no NUL.
    public static let textPattern = "^[^\\x00]*$"

    /// A free text that must say something (a progress note): 1 to `maximum` code points, not only white
    /// space, no NUL.
    public static func note(maximum: Int = 20_000) -> JSONSchema {
        .string(minLength: 1, maxLength: maximum, pattern: notePattern)
    }

    /// A note's pattern: a character other than white space, and no NUL.
    public static let notePattern = "^[^\\x00]*[^\\s\\x00][^\\x00]*$"

    /// An `If-Match` that ``IfMatch/version(_:)`` reads: a version, quoted or not, weak or not.
    public static let eTag = JSONSchema.string(pattern: "^[ \\t]*(W/)?\"?[0-9]{1,18}\"?[ \\t]*$")

    /// What ``FieldCheck/timeZone(_:field:)`` accepts, as the `TimeZone` schema of the document.
    public static let timeZone = JSONSchema.reference(timeZoneSchemaName)

    /// The name of the time zone schema in `components/schemas`.
    public static let timeZoneSchemaName = "TimeZone"

    /// The IANA time zones the server knows (`TimeZone.knownTimeZoneIdentifiers`) that
    /// ``FieldCheck/timeZone(_:field:)`` accepts, sorted.
    public static let timeZoneIdentifiers: [String] = TimeZone.knownTimeZoneIdentifiers
        .filter { FieldCheck.timeZone($0, field: "timeZone").isEmpty }
        .sorted()
}
