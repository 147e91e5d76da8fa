import Foundation
import Postgres
import TestSupport
import Testing
import Vocabulary

@Suite("Rows decode into typed Swift values")
struct DecodingTests {
    static let database = SuiteDatabase("decoding")

    private func row(_ query: PostgresQuery) async throws -> PostgresRow {
        let connection = try await Self.database.get().connectAsAdmin()
        let rows = try await connection.query(query)
        return try #require(rows.first)
    }

    @Test func integers() async throws {
        let row = try await row("SELECT 7::int2, '-2147483648'::int4, 9223372036854775807::int8, NULL::int4")
        #expect(try row.decode(Int.self, column: 0) == 7)
        #expect(try row.decode(Int32.self, column: 1) == Int32.min)
        #expect(try row.decode(Int64.self, column: 2) == Int64.max)
        #expect(try row.decode(Int?.self, column: 3) == nil)
    }

    @Test func doublesAndBooleans() async throws {
        let row = try await row("SELECT 0.1::float8, 1.5::float4, true, false, NULL::bool")
        #expect(try row.decode(Double.self, column: 0) == 0.1)
        #expect(try row.decode(Double.self, column: 1) == 1.5)
        #expect(try row.decode(Bool.self, column: 2) == true)
        #expect(try row.decode(Bool.self, column: 3) == false)
        #expect(try row.decode(Bool?.self, column: 4) == nil)
    }

    @Test func stringsAndUUIDs() async throws {
        let id = UUID()
        let row = try await row("SELECT 'Tambacounda'::varchar, \(id), NULL::uuid, 'x'::char(3)")
        #expect(try row.decode(String.self, column: 0) == "Tambacounda")
        #expect(try row.decode(UUID.self, column: 1) == id)
        #expect(try row.decode(UUID?.self, column: 2) == nil)
        #expect(try row.decode(String.self, column: 3) == "x  ")
    }

    @Test("timestamptz decodes to Date at microsecond precision, whatever the server's zone")
    func timestamps() async throws {
        let row = try await row(
            """
            SELECT '2020-03-13 09:30:00.123456+01'::timestamptz, '1969-12-31 23:59:59.5+00'::timestamptz,
                   'infinity'::timestamptz
            """
        )
        let date = try row.decode(Date.self, column: 0)
        #expect(abs(date.timeIntervalSince1970 - 1_584_088_200.123456) < 0.000_001)
        #expect(try row.decode(Date.self, column: 1).timeIntervalSince1970 == -0.5)
        let error = #expect(throws: PostgresError.self) { try row.decode(Date.self, column: 2) }
        #expect(error?.code == .decoding)
    }

    @Test("a Date parameter round-trips")
    func dateRoundTrip() async throws {
        let sent = Date(timeIntervalSince1970: 1_700_000_000.654321)
        let row = try await row("SELECT \(sent)::timestamptz, \(sent)::timestamptz::text")
        let received = try row.decode(Date.self, column: 0)
        #expect(abs(received.timeIntervalSince1970 - sent.timeIntervalSince1970) < 0.000_001)
        #expect(try row.decode(String.self, column: 1) == "2023-11-14 22:13:20.654321+00")
    }

    @Test("calendar dates are days, with no zone")
    func calendarDates() async throws {
        let sent = try #require(CalendarDate(year: 2020, month: 2, day: 29))
        let row = try await row("SELECT \(sent), '0001-01-01'::date, \(sent) + 1")
        #expect(try row.decode(CalendarDate.self, column: 0) == sent)
        #expect(try row.decode(CalendarDate.self, column: 1).description == "0001-01-01")
        #expect(try row.decode(CalendarDate.self, column: 2).description == "2020-03-01")
        #expect(CalendarDate("2023-02-29") == nil)
        #expect(CalendarDate("2020-2-01") == nil)
    }

    @Test("NUMERIC round-trips exactly, never through a float")
    func numericIsExact() async throws {
        let amount = try #require(Decimal(string: "12345678901234.56"))
        let row = try await row(
            "SELECT \(amount), \(amount)::numeric(16,2)::text, 0.1::numeric + 0.2::numeric, 'NaN'::numeric"
        )
        let decoded = try row.decode(Decimal.self, column: 0)
        #expect(decoded == amount)
        #expect(decoded.description == "12345678901234.56")
        #expect(try row.decode(String.self, column: 1) == "12345678901234.56")
        #expect(try row.decode(Decimal.self, column: 2) == Decimal(string: "0.3"))
        #expect(throws: PostgresError.self) { try row.decode(Decimal.self, column: 3) }
    }

    @Test("text and integer arrays, with quotes, commas and the word NULL")
    func arrays() async throws {
        let words = ["plain", "with space", "comma,inside", "quote\"inside", "back\\slash", "NULL", "", "{braces}"]
        let row = try await row("SELECT \(words), ARRAY[1,2,3]::int4[], '{}'::text[], \([10, -20])::int8[]")
        #expect(try row.decode([String].self, column: 0) == words)
        #expect(try row.decode([Int].self, column: 1) == [1, 2, 3])
        #expect(try row.decode([String].self, column: 2) == [])
        #expect(try row.decode([Int].self, column: 3) == [10, -20])
        let withNull = try await self.row("SELECT ARRAY['a', NULL]")
        #expect(throws: PostgresError.self) { try withNull.decode([String].self, column: 0) }
    }

    struct Payload: Codable, Sendable, Equatable {
        var goal: Int
        var targets: [String]
        var note: String?
    }

    @Test("jsonb decodes into Codable types")
    func json() async throws {
        let payload = Payload(goal: 3, targets: ["3.d", "3.8"], note: "hygiëne")
        let row = try await row("SELECT \(try PostgresJSON(payload)), '{\"goal\": 6, \"targets\": []}'::json")
        #expect(try row.decode(PostgresJSON<Payload>.self, column: 0).value == payload)
        #expect(try row.decode(PostgresJSON<Payload>.self, column: 1).value == Payload(goal: 6, targets: []))
        let mismatch = try await self.row("SELECT '{\"goal\": \"six\"}'::jsonb AS payload")
        let error = #expect(throws: PostgresError.self) { try mismatch.decode(PostgresJSON<Payload>.self, column: 0) }
        #expect(error?.reason.contains("\"payload\"") == true)
    }

    @Test("tuples decode in one call")
    func tuples() async throws {
        let row = try await row("SELECT 1, 'two', NULL::text, 4.5::numeric")
        let (one, two, three, four) = try row.decode((Int, String, String?, Decimal).self)
        #expect(one == 1 && two == "two" && three == nil && four == Decimal(string: "4.5"))
    }

    @Test("a type mismatch names the column and both types, never the value")
    func typeMismatch() async throws {
        let row = try await row("SELECT 'Dogbo'::text AS partner_name, NULL::int AS budget")
        let mismatch = #expect(throws: PostgresError.self) { try row.decode(Int.self, column: "partner_name") }
        #expect(mismatch?.code == .decoding)
        #expect(mismatch?.reason.contains("\"partner_name\"") == true)
        #expect(mismatch?.reason.contains("text") == true)
        #expect(mismatch?.reason.contains("Int") == true)
        #expect(mismatch?.description.contains("Dogbo") == false)
        let null = #expect(throws: PostgresError.self) { try row.decode(Int.self, column: "budget") }
        #expect(null?.reason.contains("NULL") == true)
        let unknown = #expect(throws: PostgresError.self) { try row.decode(Int.self, column: "nope") }
        #expect(unknown?.reason.contains("\"nope\"") == true)
    }
}
