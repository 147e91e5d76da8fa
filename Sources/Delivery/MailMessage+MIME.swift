import Foundation

extension MailMessage {
    /// Header fields this renderer writes itself; an extra header with one of these names is refused
    /// rather than silently doubled. `Cc` and `Bcc` are refused too: the envelope goes to `to` only, so
    /// such a field would name people who never get the message.
    static let reservedHeaderNames: Set<String> = [
        "from", "to", "cc", "bcc", "subject", "date", "message-id", "mime-version", "content-type",
        "content-transfer-encoding", "sender", "return-path",
    ]

    /// The message as RFC 5322 bytes with CRLF line ends, ready for SMTP `DATA`.
    ///
    /// The body is one `text/plain` part, or `multipart/alternative` (text, then HTML) when ``html`` is
    /// set; parts are UTF-8 in quoted-printable. Header text outside ASCII becomes RFC 2047 encoded-words.
    /// - Throws: a permanent ``DeliveryError`` when an address is not deliverable, there is no recipient,
    ///   an extra header has an invalid or reserved name, or the `Message-ID` is malformed. Line breaks in
    ///   header text are not an error: they become spaces, so no header can be injected.
    public func rendered() throws(DeliveryError) -> [UInt8] {
        try validate()
        let messageID = self.messageID ?? "\(UUID().uuidString.lowercased())@\(from.domain)"
        var fields: [HeaderField] = [
            HeaderField(name: "From", tokens: from.headerTokens(firstLineUsed: 6)),
            HeaderField(name: "To", tokens: Self.listTokens(to)),
            HeaderField.unstructured(name: "Subject", value: subject),
            HeaderField(name: "Date", tokens: [Self.rfc5322Date(date)]),
            HeaderField(name: "Message-ID", tokens: ["<\(messageID)>"]),
            HeaderField(name: "MIME-Version", tokens: ["1.0"]),
        ]
        for header in headers {
            fields.append(HeaderField.unstructured(name: header.name, value: header.value))
        }
        var output = ""
        for field in fields {
            output += try field.rendered()
        }
        if let html {
            let boundary = "=_stedenband_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            output +=
                try HeaderField(
                    name: "Content-Type", tokens: ["multipart/alternative;", "boundary=\"\(boundary)\""]
                ).rendered() + "\r\n"
            for (type, content) in [("text/plain", text), ("text/html", html)] {
                output += "--\(boundary)\r\n"
                output += Self.partHeaders(type: type)
                output += QuotedPrintable.encode(content) + "\r\n"
            }
            output += "--\(boundary)--\r\n"
        } else {
            output += Self.partHeaders(type: "text/plain")
            let body = QuotedPrintable.encode(text)
            output += body.hasSuffix("\r\n") ? body : body + "\r\n"
        }
        return Array(output.utf8)
    }

    /// Checks what rendering cannot repair.
    func validate() throws(DeliveryError) {
        guard !to.isEmpty else {
            throw DeliveryError(isTransient: false, description: "the message has no recipient")
        }
        guard from.isDeliverable else {
            throw DeliveryError(isTransient: false, description: "the from address is not a deliverable address")
        }
        for (index, recipient) in to.enumerated() where !recipient.isDeliverable {
            throw DeliveryError(isTransient: false, description: "to[\(index)] is not a deliverable address")
        }
        for header in headers {
            guard HeaderField.isValidName(header.name) else {
                throw DeliveryError(isTransient: false, description: "an extra header has an invalid field name")
            }
            guard !Self.reservedHeaderNames.contains(header.name.lowercased()) else {
                throw DeliveryError(
                    isTransient: false, description: "extra header \(header.name) is one the renderer writes itself")
            }
        }
        if let messageID {
            let parts = messageID.split(separator: "@", omittingEmptySubsequences: false)
            let isValid =
                parts.count == 2 && parts.allSatisfy { !$0.isEmpty }
                && messageID.utf8.allSatisfy { $0 > 32 && $0 < 127 && !"<>()[]\\,;:\"".utf8.contains($0) }
            guard isValid else {
                throw DeliveryError(
                    isTransient: false, description: "messageID must be `left@right` in printable ASCII, without <>")
            }
        }
    }

    private static func partHeaders(type: String) -> String {
        "Content-Type: \(type); charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
    }

    /// Mailboxes separated by commas; a fold may fall between any two words.
    private static func listTokens(_ addresses: [MailAddress]) -> [String] {
        var tokens: [String] = []
        for (index, address) in addresses.enumerated() {
            var mailbox = address.headerTokens(firstLineUsed: tokens.isEmpty ? 4 : 1)
            if index < addresses.count - 1 { mailbox[mailbox.count - 1] += "," }
            tokens += mailbox
        }
        return tokens
    }

    /// `date` as RFC 5322 writes it, in UTC: `Fri, 29 Nov 2024 08:01:00 +0000`.
    static func rfc5322Date(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .weekday, .hour, .minute, .second], from: date)
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int?) -> String {
            let value = value ?? 0
            return value < 10 ? "0\(value)" : "\(value)"
        }
        return "\(weekdays[(parts.weekday ?? 1) - 1]), \(two(parts.day)) \(months[(parts.month ?? 1) - 1]) "
            + "\(parts.year ?? 1970) \(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) +0000"
    }
}
