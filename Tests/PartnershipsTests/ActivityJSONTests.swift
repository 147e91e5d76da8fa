import Foundation
import Gateway
import Postgres
import TestSupport
import Testing
import Vocabulary

@testable import Activities

/// The activity's JSON is written by hand (``JSONWritable``): each answer must stay byte for byte what
/// Hummingbird's default `JSONEncoder` (`.iso8601` dates) made of it before, but for the order of the keys,
/// which that encoder changed from one response to the next and which is now sorted, and the ids, now lower
/// case (``LowercaseUUIDJSONEncoder``).
@Suite("An activity's JSON, written by hand, is the encoder's byte for byte")
struct ActivityJSONTests {
    /// The encoder every answer went through before (a new one per response, set up as Hummingbird's default)
    /// with its keys sorted, so it has one text to compare with, and its ids in lower case.
    static func reference(_ value: some Encodable, sorted: Bool = true) throws -> [UInt8] {
        let encoder = LowercaseUUIDJSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        if sorted { encoder.outputFormatting = [.sortedKeys] }
        return Array(try encoder.encode(value))
    }

    /// `written` is `value` as the encoder wrote it: byte for byte with sorted keys, and the same bytes in some
    /// order without (only the keys' order changed).
    static func check(_ written: [UInt8], _ value: some Encodable) throws {
        let expected = try reference(value)
        #expect(
            written == expected,
            "\(String(decoding: written, as: UTF8.self))\n!=\n\(String(decoding: expected, as: UTF8.self))")
        #expect(written.sorted() == (try reference(value, sorted: false)).sorted())
    }

    /// Activities as the repository reads them, from literal values: one with every field and hard text, one
    /// with every optional field empty.
    static func records() async throws -> [ActivityRecord] {
        let database = try await TestDatabase.empty("activityjson")
        let connection = try await database.connectAsAdmin()
        let hard =
            "Water \"zuivering\" in Dogbo / Bénin: é, ñ, ß, 漢字, 😀, \\ backslash, tab\t, newline\n, bell\u{7}, "
            + "unit separator\u{1f}, del\u{7f}, line separator\u{2028}, </script>"
        let rows = try await connection.query(
            """
            SELECT \(UUID())::uuid, \(UUID())::uuid, \(hard), \(hard + " — beschrijving"), 'knowledge_exchange',
                'ongoing', '2028-02-29'::date, '2027-01-01'::date, 'mutual', '{6.1,6.b}'::text[], '{6,17}'::int[],
                \(#"{water,"eau/potable","a \"quoted\" theme",ñandú}"#)::text[], '12500.00', '0.50', 'EUR',
                'municipal', 42, \(hard), 7, '2026-12-04 15:13:56.999+00'::timestamptz,
                '1999-12-31 23:59:59.5-01'::timestamptz, '{15112,13020}'::text[]
            UNION ALL
            SELECT \(UUID())::uuid, \(UUID())::uuid, '', '', 'other', 'planned', NULL, NULL, 'north_to_south',
                '{}'::text[], '{}'::int[], '{}'::text[], NULL, NULL, NULL, NULL, NULL, '', 1,
                '2026-01-01 00:00:00+00'::timestamptz, '2026-01-01 00:00:00+00'::timestamptz, '{}'::text[]
            """)
        await connection.close()
        return try rows.map(ActivityRecord.init(row:))
    }

    @Test("an activity with escapes, non-ASCII, decimals and dates, and one with nil fields")
    func activitiesMatch() async throws {
        let records = try await Self.records()
        try #require(records.count == 2)
        #expect(records[0].budget != nil && records[1].budget == nil && records[1].startsOn == nil)
        for record in records {
            try Self.check(try GatewayResponseEncoder.bytes(of: record), record)
        }
    }

    @Test("a list page with and without a next cursor")
    func pagesMatch() async throws {
        let records = try await Self.records()
        for page in [
            Activities.ActivityPage(items: records, nextCursor: "eyJhIjoxfQ/+="),
            Activities.ActivityPage(items: records, nextCursor: nil),
            Activities.ActivityPage(items: [], nextCursor: nil),
        ] {
            try Self.check(try GatewayResponseEncoder.bytes(of: page), page)
        }
    }

    @Test("answers not written by hand go through the shared encoder, as before")
    func othersMatch() throws {
        let update = ProgressUpdate(
            id: UUID(), authorId: UUID(), body: "Fase 2 / klaar: \"ja\" é\n",
            postedAt: Date(timeIntervalSince1970: 1.75))
        let page = ProgressUpdatePage(items: [update], nextCursor: nil)
        try Self.check(try GatewayResponseEncoder.bytes(of: page), page)
    }
}
