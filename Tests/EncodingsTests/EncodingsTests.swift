import Encodings
import Foundation
import Testing

@Suite("Hex")
struct HexTests {
    @Test func encodesEachByteAsTwoLowercaseDigits() {
        #expect(Hex.encode([]) == "")
        #expect(Hex.encode([0x00, 0x01, 0x0f, 0x10, 0xab, 0xff]) == "00010f10abff")
    }

    @Test func matchesTheFormatItReplaces() {
        let bytes = (0...255).map(UInt8.init)
        #expect(Hex.encode(bytes) == bytes.map { String(format: "%02x", $0) }.joined())
    }

    @Test func hashesWithKnownSHA256Vectors() {
        // FIPS 180-2 examples.
        #expect(Hex.sha256("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Hex.sha256("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func decodesWhatItEncodesInEitherCase() {
        let bytes = (0...255).map(UInt8.init)
        #expect(Hex.decode(Hex.encode(bytes)) == bytes)
        #expect(Hex.decode("00ABff") == [0x00, 0xab, 0xff])
        #expect(Hex.decode("") == [])
    }

    @Test func refusesWhatIsNotHex() {
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("0g") == nil)
        #expect(Hex.decode("+1") == nil)
        #expect(Hex.decode("\\x00") == nil)
    }

    @Test func encodesFromAnySequenceAlike() {
        let bytes = (0...255).map(UInt8.init)
        let expected = bytes.map { String(format: "%02x", $0) }.joined()
        // Contiguous storage, a lazy sequence without it, and a slice.
        #expect(Hex.encode(bytes) == expected)
        #expect(Hex.encode((0...255).lazy.map(UInt8.init)) == expected)
        #expect(Hex.encode(bytes[16..<32]) == String(expected.dropFirst(32).prefix(32)))
        #expect(Hex.encode(ContiguousArray([0xde, 0xad, 0xbe, 0xef])) == "deadbeef")
    }

    @Test func decodesEveryPairOfDigitsAndNothingElse() {
        let digits = Array("0123456789abcdefABCDEF".utf8)
        for byte in UInt8.min...UInt8.max {
            let pairs = [[byte, UInt8(ascii: "0")], [UInt8(ascii: "0"), byte]]
            for pair in pairs {
                let text = String(decoding: pair, as: UTF8.self)
                if digits.contains(byte) {
                    let value = UInt8(String(UnicodeScalar(byte)), radix: 16)!
                    let expected = pair[0] == byte ? value << 4 : value
                    #expect(Hex.decode(text) == [expected], "\(pair)")
                } else {
                    #expect(Hex.decode(text) == nil, "\(pair) is no hex")
                }
            }
        }
    }

    @Test func refusesNonASCIIAndBadDigitsAnywhere() {
        // Two UTF-8 bytes: an even length, still no hex.
        #expect(Hex.decode("é") == nil)
        #expect(Hex.decode("00ff00é0") == nil)
        // A bad digit after good ones, and in the last place.
        #expect(Hex.decode("0011223z") == nil)
        #expect(Hex.decode("001122 3") == nil)
        #expect(Hex.decode("\u{0}0") == nil)
    }

    @Test func decodesSubstringsAsStoredHashesArrive() {
        // bytea prints as \x…; the caller drops the prefix.
        let stored = "\\x" + Hex.sha256("abc")
        #expect(Hex.decode(stored.dropFirst(2)).map { Hex.encode($0) } == Hex.sha256("abc"))
        #expect(Hex.decode(stored.dropFirst(2))?.count == 32)
    }
}

@Suite("Base64URL")
struct Base64URLTests {
    @Test func encodesRFC4648VectorsWithoutPadding() {
        let vectors = [
            "": "", "f": "Zg", "fo": "Zm8", "foo": "Zm9v", "foob": "Zm9vYg", "fooba": "Zm9vYmE", "foobar": "Zm9vYmFy",
        ]
        for (text, encoded) in vectors {
            #expect(Base64URL.encode(Array(text.utf8)) == encoded)
        }
    }

    @Test func usesTheURLSafeAlphabet() {
        // Standard base64 of these bytes is `+/8=` and `-_-_`'s bytes are `+/+/`.
        #expect(Base64URL.encode([0xfb, 0xff]) == "-_8")
        #expect(Base64URL.encode([0xfb, 0xef, 0xbe]) == "----")
        #expect(Base64URL.encode([0xff, 0xff, 0xff]) == "____")
    }

    @Test func roundTripsEveryLengthWithoutPadding() {
        for length in 0...66 {
            let bytes = RandomToken.bytes(length)
            let encoded = Base64URL.encode(bytes)
            #expect(!encoded.contains("="))
            #expect(!encoded.contains("+") && !encoded.contains("/"))
            #expect(encoded.count == (length * 4 + 2) / 3)
            #expect(Base64URL.decode(encoded) == bytes)
        }
    }

    @Test func decodesPaddedTextAndRefusesNonsense() {
        #expect(Base64URL.decode("Zg==") == Array("f".utf8))
        #expect(Base64URL.decode("Z") == nil)
        #expect(Base64URL.decode("Zm9v!") == nil)
    }
}

@Suite("RandomToken")
struct RandomTokenTests {
    @Test func makesTokensInTheIssuedFormats() {
        let token = RandomToken.base64URL(prefix: "sbt_")
        #expect(token.hasPrefix("sbt_"))
        #expect(token.count == 4 + 43)
        #expect(Base64URL.decode(token.dropFirst(4))?.count == 32)
        let secret = RandomToken.hex(prefix: "whsec_")
        #expect(secret.hasPrefix("whsec_"))
        #expect(secret.count == 6 + 64)
        #expect(Hex.decode(secret.dropFirst(6))?.count == 32)
    }

    @Test func drawsFreshBytesEachTime() {
        #expect(RandomToken.bytes().count == 32)
        #expect(RandomToken.bytes() != RandomToken.bytes())
    }

    @Test func drawsTextFromTheAlphabetOnly() {
        let alphabet = Array("ab")
        let text = RandomToken.text(length: 64, from: alphabet)
        #expect(text.count == 64)
        #expect(text.allSatisfy(alphabet.contains))
    }
}
