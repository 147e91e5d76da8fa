import Foundation
import Postgres
import Testing
import Vocabulary

@Suite("Amounts, UUIDs and text arrays read from their bytes as the slow readers read them")
struct PlainTextDecodingTests {
    private static func cell(_ text: String?, _ type: PostgresDataType) -> PostgresCell {
        PostgresCell(type: type, text: text)
    }

    /// What `Amount.decode(from:)` read before it read bytes: `Amount(_:)`, with a leading `-` taken off.
    private static func slowAmount(_ text: String) -> Amount? {
        if text.hasPrefix("-"), let magnitude = Amount(String(text.dropFirst())) { return -magnitude }
        return Amount(text)
    }

    @Test("numeric text gives the amount Amount(_:) gives, with its scale; anything else is refused alike")
    func amountsAsBefore() throws {
        for text in [
            "0", "0.00", "12500.00", "7", "-3.25", "-0.00", "0.000001", "92233720368547.75", "000123.40", "1.5",
        ] {
            let fast = try Amount.decode(from: Self.cell(text, .numeric))
            let slow = try #require(Self.slowAmount(text), "\(text)")
            #expect(fast == slow && fast.scale == slow.scale, "\(text)")
            #expect(fast.description == slow.description, "\(text)")
        }
        // Spaces are still trimmed by the slow reader.
        #expect(try Amount.decode(from: Self.cell(" 12.50 ", .text)) == Amount("12.50"))
        for text in [
            "", "-", ".5", "5.", "1.2.3", "1e5", "NaN", "0.0000001", "99999999999999999999", "--1", "+1", "1,5",
        ] {
            #expect(throws: PostgresDecodingFailure.self, "\(text)") {
                try Amount.decode(from: Self.cell(text, .numeric))
            }
        }
        #expect(throws: PostgresDecodingFailure.self) { try Amount.decode(from: Self.cell(nil, .numeric)) }
    }

    @Test("a UUID in PostgreSQL's form, either case, reads as UUID(uuidString:) reads it; other text is refused")
    func uuidsAsBefore() throws {
        for _ in 0..<100 {
            let id = UUID()
            #expect(try UUID.decode(from: Self.cell(id.uuidString.lowercased(), .uuid)) == id)
            #expect(try UUID.decode(from: Self.cell(id.uuidString, .uuid)) == id)
        }
        let edge = "00000000-0000-0000-0000-0000000000ff"
        #expect(try UUID.decode(from: Self.cell(edge, .uuid)) == UUID(uuidString: edge))
        for text in [
            "", "0000000000000000000000000000000000ff", "00000000-0000-0000-0000-0000000000fg",
            "00000000-0000-0000-0000+0000000000ff", "00000000-0000-0000-0000-0000000000f",
        ] {
            #expect(throws: PostgresDecodingFailure.self, "\(text)") { try UUID.decode(from: Self.cell(text, .uuid)) }
        }
    }

    @Test("a text array's elements are its items; a NULL element is refused")
    func textArrays() throws {
        #expect(
            try [String].decode(from: Self.cell(#"{a,"b c","d\"e",NULLS}"#, .textArray)) == [
                "a", "b c", "d\"e", "NULLS",
            ])
        #expect(try [String].decode(from: Self.cell("{}", .textArray)) == [])
        #expect(throws: PostgresDecodingFailure.self) { try [String].decode(from: Self.cell("{a,NULL}", .textArray)) }
        #expect(try [Int].decode(from: Self.cell("{3,6,17}", .int2Array)) == [3, 6, 17])
    }
}
