import Delivery
import Foundation
import Logging
import TestSupport
import Testing

/// SMTPMailer against a real SMTP server (aiosmtpd) started by each test.
@Suite("Sending mail through SMTP")
struct SMTPMailerTests {
    static let logger = TestLogger.make("smtp")

    static func message(to recipient: String = "coordinator@dogbo.example") -> MailMessage {
        MailMessage(
            from: MailAddress("digest@stedenband.example", name: "Stedenband"),
            to: [MailAddress(recipient, name: "Coordinatrice Dogbo")],
            subject: MIMERenderingTests.unicodeSubject,
            text: "Bonjour,\n\nLe budget: € 12.500,00.\n",
            html: "<p>Bonjour,</p><p>Le budget: <b>€ 12.500,00</b>.</p>\n",
            headers: [
                ("List-Unsubscribe", "<https://stedenband.example/u/abc>, <mailto:u-abc@stedenband.example>"),
                ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
            ]
        )
    }

    static func mailer(_ url: String) throws -> SMTPMailer {
        var configuration = try SMTPConfiguration(url: url)
        configuration.connectTimeout = .seconds(5)
        configuration.transferTimeout = .seconds(20)
        return SMTPMailer(configuration: configuration, logger: logger)
    }

    /// Sends and returns the error, or nil when the server took the message.
    static func sendError(_ message: MailMessage, with mailer: SMTPMailer) async -> DeliveryError? {
        do {
            try await mailer.send(message)
            return nil
        } catch {
            return error
        }
    }

    @Test("delivers a multipart message intact: envelope, Unicode subject, both parts, List-Unsubscribe")
    func deliversIntact() async throws {
        try await TestSMTPServer.with { smtp in
            let message = Self.message()
            try await Self.mailer(smtp.url).send(message)
            let received = try #require(try await smtp.waitForMessages(count: 1).first)
            #expect(received.mailFrom == "digest@stedenband.example")
            #expect(received.recipients == ["coordinator@dogbo.example"])
            let parsed = try await ParsedMail.parse(received.data)
            #expect(parsed.defects.isEmpty)
            #expect(parsed.header("Subject") == MIMERenderingTests.unicodeSubject)
            #expect(parsed.parts.map(\.content) == [message.text, message.html])
            #expect(
                parsed.header("List-Unsubscribe")
                    == "<https://stedenband.example/u/abc>, <mailto:u-abc@stedenband.example>")
            #expect(parsed.header("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click")
        }
    }

    @Test("authenticates with percent-encoded credentials; a wrong password is a permanent error")
    func authentication() async throws {
        let options = TestSMTPServer.Options(credentials: (user: "stedenband@roeselare", password: "p@ss:wörd/%"))
        try await TestSMTPServer.with(options) { smtp in
            try await Self.mailer(smtp.url).send(Self.message())
            #expect(try await smtp.waitForMessages(count: 1).count == 1)

            let wrong = smtp.url.replacingOccurrences(
                of: TestSMTPServer.percentEncoded("p@ss:wörd/%"), with: "wrong")
            let error = try #require(await Self.sendError(Self.message(), with: try Self.mailer(wrong)))
            #expect(!error.isTransient)
            #expect(error.code == 535)
            #expect(!error.description.contains("wrong"))

            let anonymous = "smtp://127.0.0.1:\(smtp.port)?starttls=off"
            let refused = try #require(await Self.sendError(Self.message(), with: try Self.mailer(anonymous)))
            #expect(!refused.isTransient)
            #expect(try smtp.messages().count == 1)
        }
    }

    @Test("upgrades with STARTTLS to a server whose certificate the given CA signed")
    func startTLS() async throws {
        let options = TestSMTPServer.Options(credentials: (user: "tls-user", password: "secret"), startTLS: true)
        try await TestSMTPServer.with(options) { smtp in
            #expect(smtp.url.contains("cacert="))
            #expect(!smtp.url.contains("starttls=off"))
            try await Self.mailer(smtp.url).send(Self.message())
            let received = try await smtp.waitForMessages(count: 1)
            #expect(received.first?.recipients == ["coordinator@dogbo.example"])
        }
    }

    @Test("refuses a STARTTLS server whose certificate is not trusted, as a permanent error")
    func untrustedCertificate() async throws {
        try await TestSMTPServer.with(TestSMTPServer.Options(startTLS: true)) { smtp in
            let error = try #require(await Self.sendError(Self.message(), with: try Self.mailer(smtp.baseURL)))
            #expect(!error.isTransient)
            #expect(error.description.contains("certificate"))
            #expect(try smtp.messages().isEmpty)
        }
    }

    @Test("refuses a server without STARTTLS on plain smtp://, unless the URL says ?starttls=off")
    func startTLSRequired() async throws {
        try await TestSMTPServer.with { smtp in
            let error = try #require(await Self.sendError(Self.message(), with: try Self.mailer(smtp.baseURL)))
            #expect(!error.isTransient)
            #expect(error.description.contains("STARTTLS"))
            #expect(try smtp.messages().isEmpty)

            try await Self.mailer(smtp.baseURL + "?starttls=off").send(Self.message())
            #expect(try await smtp.waitForMessages(count: 1).count == 1)
        }
    }

    @Test("fails transiently while the server is down, and delivers once it is back on the same port")
    func serverDownThenBack() async throws {
        try await TestSMTPServer.with { smtp in
            let mailer = try Self.mailer(smtp.url)
            await smtp.stop()
            let error = try #require(await Self.sendError(Self.message(), with: mailer))
            #expect(error.isTransient)

            try await smtp.restart()
            try await mailer.send(Self.message())
            #expect(try await smtp.waitForMessages(count: 1).count == 1)
        }
    }

    @Test("treats an SMTP 550 for a recipient as permanent and a 451 as transient, sending nothing")
    func recipientReplies() async throws {
        let options = TestSMTPServer.Options(recipientReplies: [
            "gone@dogbo.example": "550 5.1.1 Mailbox unavailable",
            "busy@dogbo.example": "451 4.3.0 Try again later",
        ])
        try await TestSMTPServer.with(options) { smtp in
            let mailer = try Self.mailer(smtp.url)
            let gone = try #require(await Self.sendError(Self.message(to: "gone@dogbo.example"), with: mailer))
            #expect(!gone.isTransient)
            #expect(gone.code == 550)
            let busy = try #require(await Self.sendError(Self.message(to: "busy@dogbo.example"), with: mailer))
            #expect(busy.isTransient)
            #expect(busy.code == 451)

            var mixed = Self.message()
            mixed.to.append(MailAddress("gone@dogbo.example"))
            let partly = try #require(await Self.sendError(mixed, with: mailer))
            #expect(partly.code == 550)
            #expect(try smtp.messages().isEmpty)

            try await mailer.send(Self.message())
            #expect(try await smtp.waitForMessages(count: 1).count == 1)
        }
    }

    @Test("queues more concurrent sends than it has threads, and delivers every one")
    func concurrentSends() async throws {
        try await TestSMTPServer.with { smtp in
            let mailer = SMTPMailer(
                configuration: try SMTPConfiguration(url: smtp.url), concurrency: 2, logger: Self.logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 1...6 {
                    group.addTask { try await mailer.send(Self.message(to: "partner\(index)@dogbo.example")) }
                }
                try await group.waitForAll()
            }
            let received = try await smtp.waitForMessages(count: 6)
            #expect(Set(received.flatMap(\.recipients)) == Set((1...6).map { "partner\($0)@dogbo.example" }))
        }
    }

    @Test("refuses a message it cannot render before connecting, as a permanent error")
    func refusesBadMessageEarly() async throws {
        // Nothing listens on this URL's port: a transient connection error would show the mailer connected.
        let mailer = try Self.mailer("smtp://127.0.0.1:9?starttls=off")
        let error = try #require(await Self.sendError(Self.message(to: "not an address"), with: mailer))
        #expect(!error.isTransient)
    }
}
