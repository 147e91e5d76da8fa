import Foundation
import Gateway
import HTTPTypes
import Testing
import Vocabulary

/// The hand-written JSON (``JSONWriter``) against the server's `JSONEncoder` (Foundation's, ids in lower case:
/// a ``LowercaseUUIDJSONEncoder``), whose bytes the API promised.
@Suite("JSON written by hand is JSONEncoder's, byte for byte")
struct JSONWriterTests {
    static func encoder(_ formatting: JSONEncoder.OutputFormatting = []) -> JSONEncoder {
        let encoder = LowercaseUUIDJSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = formatting
        return encoder
    }

    /// Every character that is escaped, and some that are not (non-ASCII, DEL, U+2028, an emoji).
    static let hardTexts: [String] = {
        var texts = (0..<0x80).map { String(UnicodeScalar(UInt8($0))) }
        texts += ["", "é", "ß", "漢字", "😀", "\u{7f}", "\u{80}", "\u{2028}", "\u{feff}", "a/b\\c\"d", "</script>"]
        texts.append(texts.joined())
        return texts
    }()

    @Test("strings: every escape, with and without escaped slashes")
    func strings() throws {
        for escapingSlashes in [true, false] {
            let reference = Self.encoder(escapingSlashes ? [] : [.withoutEscapingSlashes])
            for text in Self.hardTexts {
                var writer = JSONWriter(escapingSlashes: escapingSlashes)
                writer.strings([text, text])
                let expected = Array(try reference.encode([text, text]))
                #expect(writer.bytes == expected, "\(Array(text.unicodeScalars)), slashes escaped: \(escapingSlashes)")
            }
        }
    }

    @Test("dates (fractions cut off, before 1970, leap days), UUIDs and integers")
    func values() throws {
        let instants: [Double] = [
            0, -1.5, 1_764_860_036.999, 951_782_400, 4_107_542_399, -2_208_988_800, 1_709_164_800.5, 253_402_300_799,
        ]
        for instant in instants {
            var writer = JSONWriter()
            writer.beginArray()
            writer.date(Date(timeIntervalSince1970: instant))
            writer.endArray()
            let expected = Array(try Self.encoder().encode([Date(timeIntervalSince1970: instant)]))
            #expect(writer.bytes == expected, "\(instant): \(String(decoding: writer.bytes, as: UTF8.self))")
        }
        let ids = [UUID(), UUID(uuidString: "00000000-0000-0000-0000-000000000000")!, UUID()]
        var writer = JSONWriter()
        writer.beginArray()
        for id in ids { writer.uuid(id) }
        writer.endArray()
        #expect(writer.bytes == Array(try Self.encoder().encode(ids)))
        #expect(!String(decoding: writer.bytes, as: UTF8.self).contains(ids[0].uuidString))
        let numbers = [0, -1, 7, Int.max, Int.min]
        var integers = JSONWriter()
        integers.ints(numbers)
        #expect(integers.bytes == Array(try Self.encoder().encode(numbers)))
    }

    @Test("a problem document as JSONEncoder with sorted keys and unescaped slashes made it")
    func problems() throws {
        let reference = Self.encoder([.sortedKeys, .withoutEscapingSlashes])
        let problems: [Problem] = [
            .notFound(),
            .notFound("no activity \"x\" at /api/v1/activities/é"),
            .validation([
                .init(field: "title", message: "must not be empty"),
                .init(field: "budget.planned", message: "like \"12500.00\"\n😀 / ok"),
            ]),
            .validation([]),
            .tooManyRequests(retryAfter: 2),
            .internalError(requestID: nil),
            Problem(type: "/problems/x", title: "\u{1}\u{1f}", status: .init(code: 499), detail: "", errors: nil),
        ]
        for problem in problems {
            #expect(
                problem.json == Array(try reference.encode(problem)),
                "\(String(decoding: problem.json, as: UTF8.self))")
        }
    }
}
