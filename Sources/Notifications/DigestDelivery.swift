import Crypto
import Delivery
import Foundation
import Logging
import Postgres

/// Builds a claimed digest as of now and sends it: the members and mutes are checked again here, so a
/// member removed after the window closed receives nothing more about that partnership.
struct DigestDelivery: Sendable {
    let pool: PostgresConnectionPool
    /// `nil` when no `SMTP_URL` is configured: digests are then kept (and shown by the API) but not mailed.
    let mail: (any MailTransport)?
    let renderer: DigestRenderer
    let publicURL: String
    let logger: Logger

    /// A digest built for sending, with what the message needs.
    struct Prepared: Sendable {
        var digest: Digest
        var recipient: MailAddress
        var sender: MailAddress
        var tenantSlug: String
        var emailEnabled: Bool
        var unsubscribeToken: String
    }

    /// Delivers the digest `id`; does nothing when it is no longer pending.
    ///
    /// - Throws: a transient ``DeliveryError`` to be retried by the queue; permanent failures are recorded
    ///   on the digest instead.
    func deliver(digestID: UUID, tenantID: UUID, now: Date = Date()) async throws {
        let token = Self.makeToken()
        let prepared = try await pool.withTransaction(tenantID: tenantID) { connection in
            try await prepare(digestID: digestID, tenantID: tenantID, token: token, now: now, on: connection)
        }
        guard let prepared else { return }
        guard prepared.digest.itemCount > 0 else {
            try await finish(digestID, tenantID: tenantID, status: "empty", digest: prepared.digest, channels: [])
            return
        }
        guard prepared.emailEnabled else {
            try await finish(digestID, tenantID: tenantID, status: "sent", digest: prepared.digest, channels: [])
            return
        }
        guard let mail else {
            try await finish(
                digestID, tenantID: tenantID, status: "failed", digest: prepared.digest, channels: [],
                error: "e-mail is not configured: set SMTP_URL")
            return
        }
        let message = message(prepared, digestID: digestID, now: now)
        let refusal: DeliveryError?
        do {
            try await mail.send(message)
            refusal = nil
        } catch {
            // A transient failure goes back to the queue, which retries with backoff.
            if error.isTransient { throw error }
            refusal = error
        }
        if let refusal {
            logger.warning("digest refused", metadata: ["digest": "\(digestID)", "error": "\(refusal)"])
            try await finish(
                digestID, tenantID: tenantID, status: "failed", digest: prepared.digest, channels: ["email"],
                error: refusal.description)
            return
        }
        try await finish(digestID, tenantID: tenantID, status: "sent", digest: prepared.digest, channels: ["email"])
    }

    /// Builds the digest `id` for its user as of now, or `nil` when it is no longer pending.
    func prepare(
        digestID: UUID, tenantID: UUID, token: String?, now: Date, on connection: PostgresConnection
    ) async throws -> Prepared? {
        let rows = try await connection.query(
            """
            SELECT d.user_id, d.window_start, d.window_end, d.status, u.email, u.name, u.disabled_at IS NULL,
                coalesce(s.locale, u.locale), coalesce(s.time_zone, u.time_zone), coalesce(s.email, true),
                coalesce(s.muted_partnerships, '{}'), t.name, t.slug, coalesce(t.sender_email, '')
            FROM notifications.digests d
            JOIN platform.users u ON u.id = d.user_id
            JOIN platform.tenants t ON t.id = d.tenant_id
            LEFT JOIN notifications.settings s ON s.user_id = d.user_id
            WHERE d.id = \(digestID)
            """)
        guard let row = rows.first else { return nil }
        let (user, start, end, status, email, name, active) = try row.decode(
            (UUID, Date, Date, String, String, String, Bool).self)
        let locale = try row.decode(String.self, column: 7)
        let zone = try row.decode(String.self, column: 8)
        let emailEnabled = try row.decode(Bool.self, column: 9)
        let muted = try row.decode([UUID].self, column: 10)
        let tenantName = try row.decode(String.self, column: 11)
        let slug = try row.decode(String.self, column: 12)
        let sender = try row.decode(String.self, column: 13)
        guard status == "pending" else { return nil }
        // Only what still concerns the user: partnerships they are a member of now, and not muted.
        let entries = try await connection.query(
            """
            SELECT i.partnership_id, i.activity_id, i.occurred_at, i.item FROM notifications.inbox i
            WHERE i.digest_id = \(digestID) AND \(active)
              AND EXISTS (SELECT FROM notifications.members m WHERE m.partnership_id = i.partnership_id AND m.user_id = \(user))
              AND NOT i.partnership_id = ANY(\(muted)::uuid[])
            """
        ).map { row in
            let (partnership, activity, occurred, item) = try row.decode(
                (UUID, UUID?, Date, PostgresJSON<InboxItem>).self)
            return DigestEntry(partnershipID: partnership, activityID: activity, occurredAt: occurred, item: item.value)
        }
        let memberIDs = Array(Set(entries.compactMap(\.item.memberId)))
        var names: [UUID: String] = [:]
        if !memberIDs.isEmpty {
            for row in try await connection.query(
                "SELECT id, name FROM platform.users WHERE id = ANY(\(memberIDs)::uuid[])")
            {
                let (id, memberName) = try row.decode((UUID, String).self)
                names[id] = memberName
            }
        }
        var unsubscribeLink: String?
        if let token {
            try await connection.query(
                """
                INSERT INTO notifications.unsubscribe_tokens (token_hash, tenant_id, user_id, list, created_at)
                VALUES (decode(\(Self.hashHex(token)), 'hex'), \(tenantID), \(user), \(Self.list), \(now))
                """)
            unsubscribeLink = "\(publicURL)/unsubscribe/\(token)"
        }
        let builder = DigestBuilder(
            locale: locale, timeZone: TimeZone(identifier: zone) ?? .gmt, recipientName: name,
            tenantName: tenantName, publicURL: publicURL, memberNames: names)
        return Prepared(
            digest: builder.build(entries, window: start..<end, unsubscribeLink: unsubscribeLink),
            recipient: MailAddress(email, name: name),
            sender: MailAddress(sender.isEmpty ? "no-reply@\(Self.host(publicURL))" : sender, name: tenantName),
            tenantSlug: slug,
            emailEnabled: emailEnabled,
            unsubscribeToken: token ?? ""
        )
    }

    /// The message: text and HTML, with the list headers of RFC 2369 and RFC 8058.
    func message(_ prepared: Prepared, digestID: UUID, now: Date) -> MailMessage {
        let host = Self.host(publicURL)
        var unsubscribe = "<\(publicURL)/unsubscribe/\(prepared.unsubscribeToken)>"
        unsubscribe += ", <mailto:\(prepared.sender.address)?subject=unsubscribe%20\(prepared.unsubscribeToken)>"
        return MailMessage(
            from: prepared.sender,
            to: [prepared.recipient],
            subject: prepared.digest.subject,
            text: renderer.renderText(prepared.digest),
            html: renderer.renderHTML(prepared.digest),
            headers: [
                ("List-Id", "<\(prepared.tenantSlug).digests.\(host)>"),
                ("List-Unsubscribe", unsubscribe),
                ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
                ("Auto-Submitted", "auto-generated"),
            ],
            // The same digest keeps its Message-ID through retries, so a receiver can drop a duplicate.
            messageID: "digest-\(digestID.uuidString.lowercased())@\(host)",
            date: now
        )
    }

    private func finish(
        _ digestID: UUID, tenantID: UUID, status: String, digest: Digest, channels: [String], error: String? = nil
    ) async throws {
        try await pool.withTransaction(tenantID: tenantID) { connection in
            try await connection.query(
                """
                UPDATE notifications.digests SET status = \(status), item_count = \(digest.itemCount),
                    subject = \(digest.subject), channels = \(channels)::text[], sent_at = now(), error = \(error)
                WHERE id = \(digestID) AND status = 'pending'
                """)
        }
    }

    /// The list every digest belongs to; unsubscribing from it turns digests off.
    static let list = "digests"

    /// A webhook's signing secret: 256 random bits, hex.
    static func makeSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return "whsec_"
            + (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    static func makeToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return "sbu_"
            + Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// The SHA-256 of a token, in hex: only hashes are stored.
    static func hashHex(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func host(_ url: String) -> String { URL(string: url)?.host ?? "localhost" }
}
