import Foundation
import Testing
import Vocabulary

@Suite("Amounts: exact decimals that print as they were written")
struct AmountTests {
    @Test("scales as numeric(14, 2) stores: padded, or rounded half away from zero")
    func scales() throws {
        let cases: [(String, String)] = [
            ("12500", "12500.00"), ("12500.5", "12500.50"), ("007", "7.00"), ("0.005", "0.01"), ("0.004", "0.00"),
            ("12500.00", "12500.00"), ("1.125", "1.13"),
        ]
        for (text, stored) in cases {
            #expect(try #require(Amount(text)).stored.description == stored, "\(text)")
        }
        #expect(Amount(cents: -5).description == "-0.05")
        #expect((-Amount(cents: 12_345)).scaled(to: 1).description == "-123.5")
    }

    @Test("reads plain decimals between spaces, and nothing else")
    func reads() throws {
        let accepted: [(String, String)] = [
            ("12500", "12500"), ("12500.50", "12500.50"), (" 7.5\t", "7.5"), ("\u{00A0}12.00\u{2009}", "12.00"),
            ("0.000001", "0.000001"), ("9223372036854775807", "9223372036854775807"), ("007", "7"),
        ]
        for (text, written) in accepted {
            #expect(Amount(text)?.description == written, "\(text)")
        }
        #expect(Amount("12500.50")?.scale == 2)
        for text in [
            "", " ", ".", "1.", ".5", "1.2.3", "-1", "+1", "1e3", "1,5", "1 000", "0.0000001", "9223372036854775808",
            "١٢", "12\u{0301}", "12\n", "abc",
        ] {
            #expect(Amount(text) == nil, "\(text)")
        }
    }

    @Test("adds at the larger scale and compares values however they are written")
    func adds() throws {
        let sum = try #require(Amount("400")) + #require(Amount("0.05"))
        #expect(sum.description == "400.05")
        #expect(try #require(Amount("400")).hasSameValue(as: #require(Amount("400.00"))))
        #expect(try #require(Amount("400")) != #require(Amount("400.00")))
        var total = Amount.zero
        total += Amount(cents: 250)
        #expect(total.description == "2.50")
    }

    @Test("splits evenly with the leftover units on the first parts")
    func splitsEvenly() {
        #expect(Amount(cents: 100).splitEvenly(into: 3).map(\.units) == [34, 33, 33])
        #expect(Amount(cents: 2).splitEvenly(into: 3).map(\.units) == [1, 1, 0])
        #expect(Amount(cents: 2).splitEvenly(into: 0).isEmpty)
    }

    @Test("JSON keeps the text it was given, byte for byte")
    func json() throws {
        for text in ["12500.00", "7", "0.100", "400"] {
            let data = Data("\"\(text)\"".utf8)
            let amount = try JSONDecoder().decode(Amount.self, from: data)
            #expect(try JSONEncoder().encode(amount) == data)
        }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Amount.self, from: Data("\"-1\"".utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Amount.self, from: Data("12.5".utf8)) }
    }
}
