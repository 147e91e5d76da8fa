import Delivery
import Encodings
import Foundation
import Gateway
import Logging
import Messaging
import Postgres
import RequestTracing
import Vocabulary

/// Builds a claimed digest as of now and sends it: the members and mutes are checked again here, so a
/// member removed after the window closed receives nothing more about that partnership.
struct DigestDelivery: Sendable {
    let pool: PostgresConnectionPool
    /// Who the recipients and the members named in a digest are.
    let people: any People
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
            logger.warning(
                "digest failed", metadata: ["digest": "\(digestID.uuidString.lowercased())", "error": "\(reason)"])
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
        logger.error(
            "digest given up", metadata: ["digest": "\(digestID.uuidString.lowercased())", "error": "\(reason)"])
        try await pool.withTransaction(tenantID: tenantID) { connection in
            try await NotificationsRepository.giveUp(digestID, reason: reason, now: now, on: connection)
        }
    }

    /// Builds the digest `id` for its user as of now, or `nil` when it is no longer pending.
    func prepare(
        digestID: UUID, tenantID: UUID, token: String?, now: Date, pendingOnly: Bool = true,
        on connection: PostgresConnection
    ) async throws -> Prepared? {
        guard let header = try await NotificationsRepository.digestToSend(digestID, on: connection) else { return nil }
        let (user, start, end, status) = (header.user, header.windowStart, header.windowEnd, header.status)
        let (emailEnabled, muted) = (header.email, header.mutedPartnerships)
        guard status == "pending" || !pendingOnly else { return nil }
        guard let person = try await people.person(user, on: connection) else { return nil }
        let (email, name, active) = (person.email, person.name, person.isActive)
        let locale = header.locale ?? person.locale
        let zone = header.timeZone ?? person.timeZone
        let tenantName = person.municipality.name
        let slug = person.municipality.slug
        let sender = person.municipality.senderEmail ?? ""
        // Only what still concerns the user: partnerships they are a member of now, and not muted.
        let entries = try await NotificationsRepository.entries(
            ofDigest: digestID, user: user, active: active, muted: muted, on: connection)
        let names = try await NotificationsService.memberNames(entries, people: people, on: connection)
        var unsubscribeLink: String?
        if let token {
            try await NotificationsRepository.storeUnsubscribeToken(
                token, tenantID: tenantID, user: user, list: Self.list, now: now, on: connection)
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
            webhook: header.webhookURL.flatMap { url in header.webhookSecret.map { (url, $0) } }
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
            let updated = try await NotificationsRepository.finish(
                digestID, status: status, itemCount: prepared.digest.itemCount, subject: prepared.digest.subject,
                channels: channels, now: now, error: error, on: connection)
            if updated, prepared.webhook != nil, prepared.digest.itemCount > 0, webhooks != nil {
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
        let encoder = LowercaseUUIDJSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = try encoder.encode(
            WebhookPayload(
                id: digestID, windowStart: prepared.windowStart, windowEnd: prepared.windowEnd,
                digest: prepared.digest))
        // The receiver can follow the trace: the job's span is the POST's parent.
        var headers: [(name: String, value: String)] = [("Stedenband-Delivery", digestID.uuidString.lowercased())]
        if let trace = TraceParent.current { headers.append(("traceparent", trace.header)) }
        let failure: DeliveryError?
        do {
            try await webhooks.send(body, to: webhook.url, secret: webhook.secret, headers: headers)
            failure = nil
        } catch {
            failure = error
        }
        if let failure {
            if failure.isTransient && !lastAttempt { throw failure }
            let note =
                "disabled after \(Self.webhookFailureLimit) digests in a row failed; the last: \(Self.note(for: failure))"
            let disabled = try await pool.withTransaction(tenantID: tenantID) { connection in
                try await NotificationsRepository.recordWebhookFailure(
                    digestID, url: webhook.url, limit: Self.webhookFailureLimit, note: note, now: now, on: connection)
            }
            logger.warning(
                disabled ? "webhook disabled" : "webhook delivery failed",
                metadata: ["digest": "\(digestID.uuidString.lowercased())", "error": "\(failure)"])
            return
        }
        try await pool.withTransaction(tenantID: tenantID) { connection in
            try await NotificationsRepository.recordWebhookDelivered(digestID, url: webhook.url, on: connection)
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
