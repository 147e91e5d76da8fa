import Foundation
import Gateway
import Testing

@Suite("HTML escaping of what people typed")
struct HTMLEscapeTests {
    /// The character-by-character escaping the byte-wise one replaced.
    private static func reference(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    @Test func replacesTheFourCharactersAndKeepsEverythingElse() {
        #expect(
            HTML.escape(#"<b class="x">Tom & Jerry</b>"#) == "&lt;b class=&quot;x&quot;&gt;Tom &amp; Jerry&lt;/b&gt;")
        #expect(
            HTML.escape("Sint-Niklaas – Tambacounda, São Tomé, 🇧🇯 Dogbo")
                == "Sint-Niklaas – Tambacounda, São Tomé, 🇧🇯 Dogbo")
        #expect(HTML.escape("") == "")
        #expect(HTML.escape("e\u{301} & \u{0}") == "e\u{301} &amp; \u{0}")
    }

    @Test func agreesWithCharacterByCharacterEscapingOnRandomText() {
        let alphabet: [Character] = ["a", "Z", " ", "&", "<", ">", "\"", "'", "é", "e\u{301}", "ß", "字", "🇧🇯", "\n"]
        var random = SystemRandomNumberGenerator()
        for _ in 0..<1_000 {
            let text = String(
                (0..<Int.random(in: 0...40, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
            #expect(HTML.escape(text) == Self.reference(text), "\(text)")
        }
    }

    @Test func writesTimeElementsDatetimeAsISO8601() {
        let instant = Date(timeIntervalSince1970: 1_764_861_236.75)
        #expect(HTML.datetime(instant) == "2025-12-04T15:13:56Z")
        #expect(HTML.datetime(instant) == instant.formatted(.iso8601))
    }
}
