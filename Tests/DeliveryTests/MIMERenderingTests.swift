import Delivery
import Foundation
import TestSupport
import Testing

/// The MIME renderer, checked against Python's `email` package as an independent reader.
@Suite("Rendering a MailMessage as MIME")
struct MIMERenderingTests {
    static let unicodeSubject = "3 wijzigingen – Roeselare–Dogbo: € 12.500,00"

    static func message(
        subject: String = "Digest",
        text: String = "Hallo,\nEr is nieuws.\n",
        html: String? = nil,
        headers: [(name: String, value: String)] = []
    ) -> MailMessage {
        MailMessage(
            from: MailAddress("noreply@stedenband.example", name: "Stedenband"),
            to: [MailAddress("coordinator@roeselare.example", name: "Coördinator Roeselare")],
            subject: subject,
            text: text,
            html: html,
            headers: headers,
            date: Date(timeIntervalSince1970: 1_732_867_260)
        )
    }

    static func lines(_ bytes: [UInt8]) -> [String] {
        String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n")
    }

    static func headerBlock(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n\r\n")[0]
    }

    @Test("writes every line with CRLF, the required fields, and an RFC 5322 date")
    func requiredFields() async throws {
        let bytes = try Self.message().rendered()
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\r"))
        let header = Self.headerBlock(bytes)
        #expect(header.contains("\r\nDate: Fri, 29 Nov 2024 08:01:00 +0000\r\n"))
        #expect(header.contains("\r\nMIME-Version: 1.0\r\n"))
        let parsed = try await ParsedMail.parse(bytes)
        #expect(parsed.defects.isEmpty)
        #expect(parsed.header("From") == "Stedenband <noreply@stedenband.example>")
        #expect(parsed.header("To") == "Coördinator Roeselare <coordinator@roeselare.example>")
        let messageID = try #require(parsed.header("Message-ID"))
        #expect(messageID.hasPrefix("<") && messageID.hasSuffix("@stedenband.example>"))
    }

    @Test("keeps a Message-ID that the caller chose")
    func chosenMessageID() async throws {
        var message = Self.message()
        message.messageID = "digest-42@stedenband.example"
        let parsed = try await ParsedMail.parse(try message.rendered())
        #expect(parsed.header("Message-ID") == "<digest-42@stedenband.example>")
    }

    @Test("encodes a Unicode subject as encoded-words that Python reads back exactly, lines under 78")
    func unicodeSubject() async throws {
        let bytes = try Self.message(subject: Self.unicodeSubject).rendered()
        let header = Self.headerBlock(bytes)
        #expect(header.contains("=?utf-8?B?"))
        #expect(header.unicodeScalars.allSatisfy { $0.isASCII })
        for line in header.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 78, "line too long: \(line)")
        }
        let parsed = try await ParsedMail.parse(bytes)
        #expect(parsed.header("Subject") == Self.unicodeSubject)
        #expect(parsed.defects.isEmpty)
    }

    @Test("folds a long subject, whether ASCII or not, and unfolding gives back the exact text")
    func longSubjects() async throws {
        let ascii = (1...12).map { "woord\($0)" }.joined(separator: " ") + "  twee  spaties en een einde dat lang is"
        let unicode = String(repeating: "Sint-Niklaas–Tambacounda € ", count: 6) + "✓ 🇧🇪🇸🇳"
        for subject in [ascii, unicode] {
            let bytes = try Self.message(subject: subject).rendered()
            for line in Self.headerBlock(bytes).components(separatedBy: "\r\n") {
                #expect(line.utf8.count <= 78, "line too long: \(line)")
            }
            let parsed = try await ParsedMail.parse(bytes)
            #expect(parsed.header("Subject") == subject)
        }
    }

    @Test("renders text and HTML as multipart/alternative with quoted-printable UTF-8 parts")
    func multipart() async throws {
        let text = "Dag Dogbo,\n\nHet budget is € 12.500,00.\n" + String(repeating: "lang=regel ", count: 20) + "\n"
        let html = "<p>Dag Dogbo,</p>\n<p>Het budget is <b>€ 12.500,00</b>.</p>\n"
        let bytes = try Self.message(text: text, html: html).rendered()
        let parsed = try await ParsedMail.parse(bytes)
        #expect(parsed.defects.isEmpty)
        #expect(parsed.contentType == "multipart/alternative")
        #expect(parsed.parts.map(\.contentType) == ["text/plain", "text/html"])
        #expect(parsed.parts.map(\.charset) == ["utf-8", "utf-8"])
        #expect(parsed.parts.map(\.transferEncoding) == ["quoted-printable", "quoted-printable"])
        #expect(parsed.parts.first?.content == text)
        #expect(parsed.parts.last?.content == html)
        for line in Self.lines(bytes) {
            #expect(line.utf8.count <= 78, "line too long: \(line)")
        }
    }

    @Test("chooses a boundary that occurs in neither part, even when a part quotes a boundary")
    func boundaryNotInContent() throws {
        let text = "--=_stedenband_0000\n--boundary\n=_ =_stedenband_\n"
        let bytes = try Self.message(text: text, html: "<pre>\(text)</pre>").rendered()
        let rendered = String(decoding: bytes, as: UTF8.self)
        let start = try #require(rendered.range(of: "boundary=\"")).upperBound
        let boundary = String(rendered[start...].prefix { $0 != "\"" })
        #expect(boundary.hasPrefix("=_"))
        // The Content-Type field, two part delimiters and the close delimiter; nothing in the parts.
        #expect(Self.lines(bytes).filter { $0.contains(boundary) }.count == 4)
    }

    @Test("sends a single text/plain part when there is no HTML")
    func textOnly() async throws {
        let text = "Eén regel.\n.een punt vooraan\nspatie aan het eind \n"
        let parsed = try await ParsedMail.parse(try Self.message(text: text).rendered())
        #expect(parsed.contentType == "text/plain")
        #expect(parsed.parts.count == 1)
        #expect(parsed.parts.first?.charset == "utf-8")
        #expect(parsed.parts.first?.content == text)
    }

    @Test("quotes or encodes display names so Python reads back the exact names")
    func displayNames() async throws {
        var message = Self.message()
        message.to = [
            MailAddress("a@example.org", name: "De \"Witte\" Raaf, vzw"),
            MailAddress("b@example.org", name: "Mairie de Dogbo-Tota (Bénin)"),
            MailAddress("c@example.org"),
        ]
        let parsed = try await ParsedMail.parse(try message.rendered())
        #expect(parsed.defects.isEmpty)
        #expect(
            parsed.addresses["To"] == [
                ["De \"Witte\" Raaf, vzw", "a@example.org"],
                ["Mairie de Dogbo-Tota (Bénin)", "b@example.org"],
                ["", "c@example.org"],
            ])
        #expect(parsed.addresses["From"] == [["Stedenband", "noreply@stedenband.example"]])
    }

    @Test("keeps extra headers such as List-Unsubscribe in order, and encodes non-ASCII values")
    func extraHeaders() async throws {
        let unsubscribe =
            "<https://stedenband.example/unsubscribe/4f1c9a?tenant=roeselare>, <mailto:unsubscribe@stedenband.example>"
        let message = Self.message(headers: [
            ("List-Id", "Roeselare digest <digest.roeselare.stedenband.example>"),
            ("List-Unsubscribe", unsubscribe),
            ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
            ("X-Stedenband-Partnership", "Roeselare–Dogbo"),
        ])
        let parsed = try await ParsedMail.parse(try message.rendered())
        #expect(parsed.header("List-Unsubscribe") == unsubscribe)
        #expect(parsed.header("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click")
        #expect(parsed.header("X-Stedenband-Partnership") == "Roeselare–Dogbo")
        let names = parsed.headers.compactMap(\.first)
        let listIndex = try #require(names.firstIndex(of: "List-Id"))
        #expect(
            Array(names[listIndex...].prefix(4))
                == ["List-Id", "List-Unsubscribe", "List-Unsubscribe-Post", "X-Stedenband-Partnership"])
    }

    @Test("turns CR and LF in subject, names and header values into spaces, so no field can be injected")
    func noHeaderInjection() async throws {
        var message = Self.message(
            subject: "Hallo\r\nBcc: victim@example.org",
            headers: [("X-Note", "a\nTo: victim@example.org\r\n\r\nbody")]
        )
        message.from.name = "Stad\r\nBcc: victim@example.org"
        let bytes = try message.rendered()
        let fieldNames = Self.headerBlock(bytes).components(separatedBy: "\r\n")
            .filter { !$0.hasPrefix(" ") }.map { $0.prefix { $0 != ":" }.lowercased() }
        #expect(!fieldNames.contains("bcc"))
        #expect(fieldNames.filter { $0 == "to" }.count == 1)
        let parsed = try await ParsedMail.parse(bytes)
        #expect(parsed.header("Subject") == "Hallo  Bcc: victim@example.org")
        #expect(parsed.headers(named: "Bcc").isEmpty)
        #expect(parsed.parts.first?.content == "Hallo,\nEr is nieuws.\n")
    }

    @Test("refuses addresses with line breaks or without a domain, as permanent errors")
    func refusesBadAddresses() {
        for address in ["victim@example.org\r\nRCPT TO:<x@y>", "no-domain", "a b@example.org", "<a@example.org>", ""] {
            var message = Self.message()
            message.to = [MailAddress(address)]
            let error = #expect(throws: DeliveryError.self) { try message.rendered() }
            #expect(error?.isTransient == false)
        }
        var message = Self.message()
        message.from = MailAddress("noreply@stedenband.example\n")
        #expect(throws: DeliveryError.self) { try message.rendered() }
    }

    @Test("refuses extra headers the renderer writes itself, field names that are not tokens, and no recipients")
    func refusesBadHeaders() {
        for name in ["Subject", "content-type", "Bcc", "X-Bad Name", "X-Bad:Name", "X-\r\nBad", ""] {
            #expect(throws: DeliveryError.self, "\(name)") { try Self.message(headers: [(name, "v")]).rendered() }
        }
        var message = Self.message()
        message.to = []
        #expect(throws: DeliveryError.self) { try message.rendered() }
        message = Self.message()
        message.messageID = "id@host>\r\nBcc: x@y"
        #expect(throws: DeliveryError.self) { try message.rendered() }
    }
}
