import Delivery
import Encodings
import Foundation
import Gateway
import Logging
import Messaging
import Postgres

/// Builds a claimed digest as of now and sends it: the members and mutes are checked again here, so a
/// member removed after the window closed receives nothing more about that partnership.
struct DigestDelivery: Sendable {
    let pool: PostgresConnectionPool
    /// `nil` when no `SMTP_URL` is configured: digests are then kept (and shown by the API) but not mailed.
    let mail: (any MailTransport)?
    let webhooks: WebhookSender?
    let queue: PostgresJobQueue
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
        var windowStart: Date
        var windowEnd: Date
        /// The webhook to POST the digest to, when one is set and not disabled.
        var webhook: (url: String, secret: String)?
    }

    /// Delivers the digest `id`; does nothing when it is no longer pending.
    ///
    /// - Parameter lastAttempt: whether the queue gives no further attempt; a transient failure is then
    ///   recorded on the digest as `failed` instead of thrown, so the digest never stays `pending`.
    /// - Throws: a transient ``DeliveryError`` to be retried by the queue; permanent failures are recorded
    ///   on the digest instead.
    func deliver(digestID: UUID, tenantID: UUID, now: Date = Date(), lastAttempt: Bool = false) async throws {
        let token = Self.makeToken()
        let prepared = try await pool.withTransaction(tenantID: tenantID) { connection in
            try await prepare(digestID: digestID, tenantID: tenantID, token: token, now: now, on: connection)
        }
        guard let prepared else { return }
        guard prepared.digest.itemCount > 0 else {
            try await finish(digestID, tenantID: tenantID, now: now, status: "empty", prepared: prepared, channels: [])
            return
        }
        guard prepared.emailEnabled else {
            try await finish(digestID, tenantID: tenantID, now: now, status: "sent", prepared: prepared, channels: [])
            return
        }
        guard let mail else {
            try await finish(
                digestID, tenantID: tenantID, now: now, status: "failed", prepared: prepared, channels: [],
                error: "e-mail is not configured: set SMTP_URL")
            return
        }
        let message = message(prepared, digestID: digestID, now: now)
        let refusal: DeliveryError?
        do {
            try await mail.send(message)
            refusal = nil
        } catch {
            // A transient failure goes back to the queue, which retries with backoff, until the last attempt.
            if error.isTransient && !lastAttempt { throw error }
            refusal = error
        }
        if let refusal {
            let reason =
                refusal.isTransient ? "gave up after the last attempt: \(refusal.description)" : refusal.description
            logger.warning("digest failed", metadata: ["digest": "\(digestID)", "error": "\(reason)"])
            try await finish(
                digestID, tenantID: tenantID, now: now, status: "failed", prepared: prepared, channels: ["email"],
                error: reason)
            return
        }
        try await finish(
            digestID, tenantID: tenantID, now: now, status: "sent", prepared: prepared, channels: ["email"])
    }

    /// Records a still pending digest `failed` when its last attempt failed before it could say how the
    /// e-mail went (the database or the renderer failed, not the SMTP server).
    func giveUp(digestID: UUID, tenantID: UUID, attempts: Int, error: any Error, now: Date) async throws {
        let reason = "gave up after \(attempts) attempts: \(String(describing: error).prefix(500))"
        logger.error("digest given up", metadata: ["digest": "\(digestID)", "error": "\(reason)"])
        try await pool.withTransaction(tenantID: tenantID) { connection in
            try await connection.query(
                """
                UPDATE notifications.digests SET status = 'failed', error = \(reason), sent_at = \(now)
                WHERE id = \(digestID) AND status = 'pending'
                """)
        }
    }

    /// Builds the digest `id` for its user as of now, or `nil` when it is no longer pending.
    func prepare(
        digestID: UUID, tenantID: UUID, token: String?, now: Date, pendingOnly: Bool = true,
        on connection: PostgresConnection
    ) async throws -> Prepared? {
        let rows = try await connection.query(
            """
            SELECT d.user_id, d.window_start, d.window_end, d.status, u.email, u.name, u.disabled_at IS NULL,
                coalesce(s.locale, u.locale), coalesce(s.time_zone, u.time_zone), coalesce(s.email, true),
                coalesce(s.muted_partnerships, '{}'), t.name, t.slug, coalesce(t.sender_email, ''),
                CASE WHEN s.webhook_disabled_at IS NULL THEN s.webhook_url END, s.webhook_secret
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
        let webhookURL = try row.decode(String?.self, column: 14)
        let webhookSecret = try row.decode(String?.self, column: 15)
        guard status == "pending" || !pendingOnly else { return nil }
        // Only what still concerns the user: partnerships they are a member of now, and not muted.
        let entries = try await connection.query(
            """
            SELECT i.partnership_id, i.activity_id, i.occurred_at, i.item FROM notifications.inbox i
            WHERE i.digest_id = \(digestID) AND \(active)
              AND \(fragment: ReadScope.digest(of: user).notifications(partnership: "i.partnership_id"))
              AND NOT i.partnership_id = ANY(\(muted)::uuid[])
            """
        ).map { row in
            let (partnership, activity, occurred, item) = try row.decode(
                (UUID, UUID?, Date, PostgresJSON<InboxItem>).self)
            return DigestEntry(partnershipID: partnership, activityID: activity, occurredAt: occurred, item: item.value)
        }
        let names = try await Self.memberNames(entries, on: connection)
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
            unsubscribeToken: token ?? "",
            windowStart: start,
            windowEnd: end,
            webhook: webhookURL.flatMap { url in webhookSecret.map { (url, $0) } }
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

    /// Records how the e-mail went and, when the user has a webhook, queues its delivery: once, as the
    /// digest leaves `pending`, so an e-mail retry never posts twice.
    private func finish(
        _ digestID: UUID, tenantID: UUID, now: Date, status: String, prepared: Prepared, channels: [String],
        error: String? = nil
    ) async throws {
        try await pool.withTransaction(tenantID: tenantID) { connection in
            let updated = try await connection.query(
                """
                UPDATE notifications.digests SET status = \(status), item_count = \(prepared.digest.itemCount),
                    subject = \(prepared.digest.subject), channels = \(channels)::text[], sent_at = \(now),
                    error = \(error)
                WHERE id = \(digestID) AND status = 'pending'
                """)
            if updated.affectedRows == 1, prepared.webhook != nil, prepared.digest.itemCount > 0, webhooks != nil {
                try await queue.enqueue(
                    [
                        try NewJob(
                            kind: Self.webhookJobKind, args: DeliverDigest(digestId: digestID), tenantID: tenantID,
                            uniqueKey: "webhook:\(digestID.uuidString.lowercased())")
                    ], on: connection)
            }
        }
    }

    static let webhookJobKind = "notifications.deliver_webhook"

    /// What a webhook receives: the digest as JSON, with its id and window.
    struct WebhookPayload: Encodable {
        var type = "digest"
        var id: UUID
        var windowStart: Date
        var windowEnd: Date
        var digest: Digest
    }

    /// Consecutive digests whose webhook delivery failed for good before the webhook is disabled.
    static let webhookFailureLimit = 3

    /// POSTs digest `id` to the user's webhook. A transient failure throws, for the queue to retry. A
    /// permanent one (a 4xx), or the last attempt's failure, counts one failed digest; the
    /// ``webhookFailureLimit``-th in a row disables the webhook with a note the user sees in their settings.
    /// A delivered digest sets the count back to zero.
    func deliverWebhook(digestID: UUID, tenantID: UUID, lastAttempt: Bool, now: Date = Date()) async throws {
        guard let webhooks else { return }
        let prepared = try await pool.withTransaction(tenantID: tenantID) { connection in
            try await prepare(
                digestID: digestID, tenantID: tenantID, token: nil, now: now, pendingOnly: false, on: connection)
        }
        guard let prepared, let webhook = prepared.webhook else { return }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = try encoder.encode(
            WebhookPayload(
                id: digestID, windowStart: prepared.windowStart, windowEnd: prepared.windowEnd,
                digest: prepared.digest))
        let failure: DeliveryError?
        do {
            try await webhooks.send(
                body, to: webhook.url, secret: webhook.secret,
                headers: [("Stedenband-Delivery", digestID.uuidString.lowercased())])
            failure = nil
        } catch {
            failure = error
        }
        if let failure {
            if failure.isTransient && !lastAttempt { throw failure }
            let note =
                "disabled after \(Self.webhookFailureLimit) digests in a row failed; the last: \(Self.note(for: failure))"
            let disabled = try await pool.withTransaction(tenantID: tenantID) { connection in
                // One statement, so two digests failing at once both count.
                try await connection.query(
                    """
                    UPDATE notifications.settings s SET webhook_failures = s.webhook_failures + 1,
                        webhook_disabled_at = CASE WHEN s.webhook_failures + 1 >= \(Self.webhookFailureLimit)
                            THEN coalesce(s.webhook_disabled_at, \(now)) END,
                        webhook_note = CASE WHEN s.webhook_failures + 1 >= \(Self.webhookFailureLimit)
                            THEN coalesce(s.webhook_note, \(note)) END
                    FROM notifications.digests d
                    WHERE d.id = \(digestID) AND s.user_id = d.user_id AND s.webhook_url = \(webhook.url)
                    RETURNING s.webhook_disabled_at IS NOT NULL
                    """
                ).first?.decode(Bool.self, column: 0) ?? false
            }
            logger.warning(
                disabled ? "webhook disabled" : "webhook delivery failed",
                metadata: ["digest": "\(digestID)", "error": "\(failure)"])
            return
        }
        try await pool.withTransaction(tenantID: tenantID) { connection in
            try await connection.query(
                """
                UPDATE notifications.digests SET channels = array_append(channels, 'webhook')
                WHERE id = \(digestID) AND NOT 'webhook' = ANY(channels)
                """)
            try await connection.query(
                """
                UPDATE notifications.settings s SET webhook_failures = 0
                FROM notifications.digests d
                WHERE d.id = \(digestID) AND s.user_id = d.user_id AND s.webhook_url = \(webhook.url)
                  AND s.webhook_failures > 0
                """)
        }
    }

    /// What the user is told about a failed delivery: the kind of failure only. The transport's own text
    /// (which the log keeps) would tell a user what answers inside the hosting network, and how.
    static func note(for failure: DeliveryError) -> String {
        let what: String
        switch failure.cause {
        case .answered: what = failure.code.map { "the server answered \($0)" } ?? "the server's answer was refused"
        case .timedOut: what = "the server did not answer in time"
        case .refusedAddress: what = "the address is not on the public internet"
        case .certificate: what = "the server's certificate was not accepted"
        case .invalidRequest: what = "the URL is not allowed"
        case .connectionFailed, .other: what = "connection failed"
        }
        return "could not deliver: \(what)"
    }

    /// The names of the members who joined or left in `entries`, as they are now.
    static func memberNames(_ entries: [DigestEntry], on connection: PostgresConnection) async throws -> [UUID: String]
    {
        let ids = Array(Set(entries.compactMap(\.item.memberId)))
        guard !ids.isEmpty else { return [:] }
        var names: [UUID: String] = [:]
        for row in try await connection.query("SELECT id, name FROM platform.users WHERE id = ANY(\(ids)::uuid[])") {
            let (id, name) = try row.decode((UUID, String).self)
            names[id] = name
        }
        return names
    }

    /// The list every digest belongs to; unsubscribing from it turns digests off.
    static let list = "digests"

    /// A webhook's signing secret: 256 random bits, hex.
    static func makeSecret() -> String {
        RandomToken.hex(prefix: "whsec_")
    }

    static func makeToken() -> String {
        RandomToken.base64URL(prefix: "sbu_")
    }

    /// The SHA-256 of a token, in hex: only hashes are stored.
    static func hashHex(_ token: String) -> String {
        Hex.sha256(token)
    }

    static func host(_ url: String) -> String { URL(string: url)?.host ?? "localhost" }
}
