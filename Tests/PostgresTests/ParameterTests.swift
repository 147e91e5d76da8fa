import Foundation
import Postgres
import TestSupport
import Testing

@Suite("Parameters travel as data, never as SQL")
struct ParameterTests {
    static let database = SuiteDatabase("parameters")

    private func connect() async throws -> PostgresConnection {
        try await Self.database.get().connectAsAdmin()
    }

    @Test(
        "strings come back exactly as sent",
        arguments: [
            "it's a quote", "double \"quotes\"", #"back\slash \\ and \n literal"#, "naïve façade — 東京 🚀",
            "'; DROP TABLE platform.tenants; --", "$1 $2 ::text", "E'\\x41'", "", " leading and trailing ",
            "line\nbreak\ttab",
        ]
    )
    func stringsRoundTrip(_ value: String) async throws {
        let connection = try await connect()
        let rows = try await connection.query("SELECT \(value)::text AS echoed, length(\(value)) AS size")
        #expect(try rows[0].decode(String.self, column: "echoed") == value)
        #expect(try rows[0].decode(Int.self, column: "size") == value.unicodeScalars.count)
        // The injection attempt did nothing: the table is still there.
        let tables = try await connection.query("SELECT count(*) FROM platform.tenants")
        #expect(try tables[0].decode(Int.self, column: 0) == 0)
    }

    @Test("very long text round-trips")
    func longText() async throws {
        let connection = try await connect()
        let value = String(repeating: "stedenband ✓ ", count: 200_000)
        let rows = try await connection.query("SELECT \(value)::text, md5(\(value))")
        #expect(try rows[0].decode(String.self, column: 0) == value)
    }

    @Test("a NUL byte is refused with a clear error before anything is sent")
    func nulByteIsRefused() async throws {
        let connection = try await connect()
        let error = await #expect(throws: PostgresError.self) {
            try await connection.query("SELECT \("before\u{0}after")::text")
        }
        #expect(error?.code == .invalidParameter)
        #expect(error?.reason.contains("$1") == true)
        #expect(error?.reason.contains("NUL") == true)
        // The connection is still fine.
        #expect(try await connection.query("SELECT 1")[0].decode(Int.self, column: 0) == 1)
    }

    @Test("NULL parameters bind as NULL")
    func nullParameters() async throws {
        let connection = try await connect()
        let missing: String? = nil
        let rows = try await connection.query("SELECT \(missing)::text IS NULL")
        #expect(try rows[0].decode(Bool.self, column: 0))
    }

    @Test("identifiers are quoted, so a hostile name stays a name")
    func quotedIdentifiers() async throws {
        let connection = try await connect()
        let name = "odd \"name\"; DROP"
        try await connection.query("CREATE TEMP TABLE \(identifier: name) (x int)")
        try await connection.query("INSERT INTO \(identifier: name) VALUES (\(7))")
        let rows = try await connection.query("SELECT x FROM \(identifier: name)")
        #expect(try rows[0].decode(Int.self, column: 0) == 7)
    }

    @Test("an error's description never shows bound values; the debug description may")
    func errorsHideValues() async throws {
        let connection = try await connect()
        let secret = "secret-value-4711"
        let error = await #expect(throws: PostgresError.self) {
            try await connection.query("SELECT \(secret)::uuid")
        }
        #expect(error?.sqlState == .invalidTextRepresentation)
        #expect(error?.description.contains(secret) == false)
        #expect(error?.description.contains("SELECT $1::uuid") == true)
        #expect(error?.debugDescription.contains(secret) == true)
    }
}

@Suite("Query fragments")
struct FragmentTests {
    @Test("a fragment's placeholders are renumbered after the query's own")
    func renumbers() async throws {
        let condition: PostgresQuery = "x BETWEEN \(2) AND \(12)"
        let query: PostgresQuery =
            "SELECT count(*) FROM generate_series(\(1), \(20)) AS x WHERE \(fragment: condition) AND x <> \(5)"
        #expect(query.sql == "SELECT count(*) FROM generate_series($1, $2) AS x WHERE x BETWEEN $3 AND $4 AND x <> $5")
        #expect(query.bindings.count == 5)
        let connection = try await ParameterTests.database.get().connectAsAdmin()
        #expect(try await connection.query(query)[0].decode(Int.self, column: 0) == 10)
    }
}
