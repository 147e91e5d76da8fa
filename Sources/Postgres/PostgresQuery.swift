import Foundation

/// A SQL statement and its parameters, built by string interpolation: each `\(value)` becomes a `$n`
/// placeholder and the value travels separately, so it is never parsed as SQL.
///
/// ```swift
/// let rows = try await connection.query("SELECT name FROM platform.tenants WHERE slug = \(slug)")
/// ```
///
/// Raw SQL text that is not a literal can only enter through ``init(unsafeSQL:bindings:)``, whose name
/// says what it is.
public struct PostgresQuery: Sendable, Hashable, ExpressibleByStringInterpolation {
    /// The statement text with `$1`, `$2`, … placeholders.
    public var sql: String
    /// The values for the placeholders, in order.
    public var bindings: PostgresBindings

    /// Wraps SQL text that was not written as a literal (read from a file, assembled at run time).
    ///
    /// The text is sent as it is: never build it from user input.
    public init(unsafeSQL sql: String, bindings: PostgresBindings = PostgresBindings()) {
        self.sql = sql
        self.bindings = bindings
    }

    public init(stringLiteral value: String) {
        self.sql = value
        self.bindings = PostgresBindings()
    }

    public init(stringInterpolation: StringInterpolation) {
        self.sql = stringInterpolation.sql
        self.bindings = stringInterpolation.bindings
    }

    /// Builds the SQL text and its bindings.
    public struct StringInterpolation: StringInterpolationProtocol {
        var sql: String
        var bindings: PostgresBindings

        public init(literalCapacity: Int, interpolationCount: Int) {
            sql = ""
            sql.reserveCapacity(literalCapacity + interpolationCount * 3)
            bindings = PostgresBindings(capacity: interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) {
            sql.append(literal)
        }

        /// Appends a `$n` placeholder bound to `value`.
        public mutating func appendInterpolation(_ value: some PostgresEncodable) {
            bindings.append(value)
            sql.append("$\(bindings.count)")
        }

        /// Appends a `$n` placeholder bound to `value`, or to NULL.
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value?) {
            if let value {
                bindings.append(value)
            } else {
                bindings.appendNull(type: Value.postgresType)
            }
            sql.append("$\(bindings.count)")
        }

        /// Appends an identifier (schema, table, column, channel), double-quoted and escaped.
        public mutating func appendInterpolation(identifier: String) {
            sql.append(PostgresQuery.quoteIdentifier(identifier))
        }

        /// Appends another query as a fragment (a shared condition), renumbering its `$n` placeholders after
        /// this query's. The fragment must not hold `$` followed by digits inside a literal.
        public mutating func appendInterpolation(fragment: PostgresQuery) {
            let offset = bindings.count
            var text = ""
            var characters = fragment.sql.makeIterator()
            var pending: Character? = characters.next()
            while let character = pending {
                pending = characters.next()
                guard character == "$", let next = pending, next.isASCII, next.isNumber else {
                    text.append(character)
                    continue
                }
                var digits = ""
                while let digit = pending, digit.isASCII, digit.isNumber {
                    digits.append(digit)
                    pending = characters.next()
                }
                text.append("$\(Int(digits)! + offset)")
            }
            sql.append(text)
            bindings.append(contentsOf: fragment.bindings)
        }

        /// Appends text as SQL, unchecked: for fragments the program itself wrote, never user input.
        public mutating func appendInterpolation(unsafeSQL fragment: String) {
            sql.append(fragment)
        }
    }

    /// Quotes an identifier the way PostgreSQL reads it: in double quotes, with inner quotes doubled.
    public static func quoteIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
