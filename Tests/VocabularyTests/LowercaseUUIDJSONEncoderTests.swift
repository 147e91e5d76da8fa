import Foundation
import Testing
import Vocabulary

@Suite("JSON writes ids in lower case")
struct LowercaseUUIDJSONEncoderTests {
    static let id = UUID(uuidString: "01A23DA7-F74C-4B3E-9A0D-5C1E2F3A4B5C")!
    static let lower = "01a23da7-f74c-4b3e-9a0d-5c1e2f3a4b5c"

    /// Every place a UUID can sit in a value: a field, an optional, a list, a dictionary's value, a dictionary
    /// keyed by UUID, a nested value; beside values the encoder writes by its own strategies.
    struct Everything: Codable, Equatable {
        struct Inner: Codable, Equatable {
            var owner: UUID
            var members: [UUID?]
        }

        var id: UUID
        var maybe: UUID?
        var absent: UUID?
        var ids: [UUID]
        var byName: [String: UUID]
        var byID: [UUID: Int]
        var inner: Inner
        var title: String
        var at: Date
        var amount: Decimal
        var link: URL
        var bytes: Data
    }

    static func everything(title: String) -> Everything {
        Everything(
            id: id, maybe: id, absent: nil, ids: [id, id], byName: ["a": id], byID: [id: 1],
            inner: .init(owner: id, members: [id, nil]), title: title, at: Date(timeIntervalSince1970: 1_764_000_000),
            amount: Decimal(string: "12500.5")!, link: URL(string: "https://example.org/a/b")!, bytes: Data([1, 2, 3]))
    }

    static func encoders() -> (plain: JSONEncoder, lowercase: JSONEncoder) {
        let plain = JSONEncoder()
        let lowercase = LowercaseUUIDJSONEncoder()
        for encoder in [plain, lowercase] {
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
        }
        return (plain, lowercase)
    }

    @Test("every UUID, at any depth, is written lower case; everything else exactly as JSONEncoder writes it")
    func writesEveryUUIDLowerCase() throws {
        let (plain, lowercase) = Self.encoders()
        let value = Self.everything(title: "plain title")
        let written = String(decoding: try lowercase.encode(value), as: UTF8.self)
        let foundation = String(decoding: try plain.encode(value), as: UTF8.self)
        #expect(!written.contains(Self.id.uuidString))
        #expect(written.components(separatedBy: Self.lower).count - 1 == 8)
        // Dates by the strategy set, decimals, URLs, data, sorted keys, absent optionals: as Foundation writes.
        #expect(written == foundation.replacingOccurrences(of: Self.id.uuidString, with: Self.lower))
        #expect(written.contains(#""at":"2025-11-24T16:00:00Z""#))
        // And it reads back as what it was.
        #expect(try JSONDecoder.iso8601.decode(Everything.self, from: Data(written.utf8)) == value)
    }

    @Test("a UUID alone, a list of them, and a typed value around one are written lower case")
    func writesTopLevelValuesLowerCase() throws {
        let encoder = LowercaseUUIDJSONEncoder()
        #expect(String(decoding: try encoder.encode(Self.id), as: UTF8.self) == "\"\(Self.lower)\"")
        #expect(String(decoding: try encoder.encode([Self.id]), as: UTF8.self) == "[\"\(Self.lower)\"]")
        #expect(String(decoding: try encoder.encode(["id": Self.id]), as: UTF8.self) == "{\"id\":\"\(Self.lower)\"}")
    }

    @Test("text that someone typed is never rewritten, even when it is an upper-case UUID")
    func leavesStringsAsTyped() throws {
        let typed = "Twinning \(Self.id.uuidString)"
        let written = String(
            decoding: try LowercaseUUIDJSONEncoder().encode(["title": typed, "alone": Self.id.uuidString]),
            as: UTF8.self)
        #expect(written.contains(typed))
        #expect(written.contains("\"\(Self.id.uuidString)\""))
    }

    @Test("JSON written before, with upper-case ids, still reads; so does any mix of cases")
    func readsEitherCase() throws {
        let upper =
            #"{"owner": "01A23DA7-F74C-4B3E-9A0D-5C1E2F3A4B5C", "members": ["01a23da7-F74C-4b3e-9A0D-5c1e2f3a4b5c", null]}"#
        let inner = try JSONDecoder().decode(Everything.Inner.self, from: Data(upper.utf8))
        #expect(inner == .init(owner: Self.id, members: [Self.id, nil]))
    }
}

extension JSONDecoder {
    fileprivate static var iso8601: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
