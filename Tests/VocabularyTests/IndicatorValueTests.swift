import Foundation
import Testing
import Vocabulary

@Suite("Indicator values: exact, non-negative decimals that print as they were written")
struct IndicatorValueTests {
    @Test("reads plain decimals and writes them back as they were written")
    func reads() throws {
        let accepted: [(String, String)] = [
            ("74", "74"), ("74.50", "74.50"), ("74.5", "74.5"), ("0", "0"), ("0.000001", "0.000001"),
            ("999999999999", "999999999999"), ("999999999999.999999", "999999999999.999999"), ("007", "7"),
            ("0000000000001", "1"), ("61.000000", "61.000000"),
        ]
        for (text, written) in accepted {
            let value = try #require(IndicatorValue(text), "\(text)")
            #expect(value.description == written, "\(text)")
            #expect(IndicatorValue(value.description) == value, "\(text)")
        }
        let value = try #require(IndicatorValue("74.50"))
        #expect(value.units == 7450 && value.scale == 2)
    }

    @Test("refuses a negative value")
    func refusesNegative() {
        for text in ["-1", "-0", "-74.5", "−74"] { #expect(IndicatorValue(text) == nil, "\(text)") }
    }

    @Test("refuses more than six decimals")
    func refusesTooManyDecimals() {
        #expect(IndicatorValue("0.123456") != nil)
        for text in ["0.1234567", "74.0000000", "1.0000001"] { #expect(IndicatorValue(text) == nil, "\(text)") }
    }

    @Test("refuses more than twelve whole digits")
    func refusesTooManyDigits() {
        for text in [
            "1000000000000", "1000000000000.0", "9999999999999", "9223372036854775807", "99999999999999999999",
        ] {
            #expect(IndicatorValue(text) == nil, "\(text)")
        }
    }

    @Test("refuses an empty text and a value with spaces, where an amount trims them")
    func refusesEmptyAndSpaces() {
        for text in ["", " ", "\t", " 74", "74 ", "7 4", "\t74", "74\n", "\u{00A0}74", "74\u{2009}"] {
            #expect(IndicatorValue(text) == nil, "\(text.debugDescription)")
        }
        #expect(Amount(" 74") != nil)
    }

    @Test("refuses exponents, signs, commas and anything not a plain decimal")
    func refusesOtherForms() {
        for text in [
            "1e3", "1E3", "7.4e1", "1e-3", "+1", "1,5", "1 000", ".", ".5", "5.", "1.2.3", "abc", "0x1A", "NaN", "inf",
            "٧٤", "74%",
        ] {
            #expect(IndicatorValue(text) == nil, "\(text)")
        }
    }

    @Test("JSON carries the value as a string, byte for byte, and refuses numbers and negatives")
    func json() throws {
        for text in ["74", "74.50", "0.000001", "999999999999.999999"] {
            let data = Data("\"\(text)\"".utf8)
            let value = try JSONDecoder().decode(IndicatorValue.self, from: data)
            #expect(value.description == text)
            #expect(try JSONEncoder().encode(value) == data)
        }
        for json in ["74", "\"-1\"", "\"1e3\"", "\" 74\"", "\"\"", "null", "\"1000000000000\""] {
            #expect(throws: DecodingError.self, "\(json)") {
                try JSONDecoder().decode(IndicatorValue.self, from: Data(json.utf8))
            }
        }
    }

    @Test("equal when written alike; the same value however it is written; whole or not")
    func compares() throws {
        let seventyFour = try #require(IndicatorValue("74"))
        let written = try #require(IndicatorValue("74.00"))
        #expect(seventyFour != written)
        #expect(seventyFour.hasSameValue(as: written) && written.hasSameValue(as: seventyFour))
        #expect(try !seventyFour.hasSameValue(as: #require(IndicatorValue("74.01"))))
        let again = try #require(IndicatorValue("74"))
        #expect(again == seventyFour && Set([seventyFour, written, again]).count == 2)
        #expect(seventyFour.isWhole && written.isWhole)
        #expect(try #require(IndicatorValue("0")).isWhole)
        for text in ["74.5", "74.000001", "0.1"] { #expect(IndicatorValue(text)?.isWhole == false, "\(text)") }
    }
}
