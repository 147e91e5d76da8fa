import Delivery
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import Messaging
import NIOCore
import Postgres

/// `/api/v1/me/notifications`, `/api/v1/me/digests`, and the public one-click unsubscribe pages.
struct NotificationsController: Sendable {
    let delivery: DigestDelivery
    let renderer: DigestRenderer
    /// Where a webhook URL may point, checked when a user sets one.
    let webhookCheck: WebhookURLCheck

    var routes: RouteCollection<GatewayRequestContext> {
        let routes = RouteCollection(context: GatewayRequestContext.self)
        routes.get("me/notifications") { _, context in try await settings(context) }
        routes.put("me/notifications") { request, context in try await update(request, context) }
        routes.get("me/digests") { request, context in try await history(request, context) }
        routes.get("me/digests/preview") { request, context in try await preview(request, context) }
        routes.get("notifications/defaults") { _, context in try await defaults(context) }
        routes.put("notifications/defaults") { request, context in try await updateDefaults(request, context) }
        return routes
    }

    var publicRoutes: RouteCollection<GatewayRequestContext> {
        let routes = RouteCollection(context: GatewayRequestContext.self)
        routes.get("unsubscribe/{token}") { _, context in try await confirmUnsubscribe(context) }
        routes.post("unsubscribe/{token}") { request, context in try await unsubscribe(request, context) }
        return routes
    }

    /// The caller, who must be a user of a municipality.
    private func user(_ context: GatewayRequestContext) throws -> (tenant: UUID, user: UUID) {
        let identity = try context.requireIdentity()
        guard let tenant = identity.tenantID, let user = identity.userID else {
            throw Problem.notFound("platform administrators receive no digests")
        }
        return (tenant, user)
    }

    func settings(_ context: GatewayRequestContext) async throws -> NotificationSettings {
        let (_, user) = try user(context)
        return try await SettingsStore.load(userID: user, on: try context.requireConnection())
    }

    func update(_ request: Request, _ context: GatewayRequestContext) async throws -> EditedResponse<
        NotificationSettings
    > {
        let (tenant, user) = try user(context)
        let changes = try await request.decodeBody(NotificationSettingsChanges.self, context: context)
        if let url = changes.webhook.newValue?.url, let refusal = await webhookCheck.refusal(url) {
            throw Problem.validation([.init(field: "webhook.url", message: refusal)])
        }
        let connection = try context.requireConnection()
        let settings = changes.applied(to: try await SettingsStore.load(userID: user, on: connection))
        try await SettingsStore.save(
            settings, userID: user, tenantID: tenant, now: delivery.queue.clock.now(), on: connection)
        // A new webhook's signing secret is shown in this answer only: no cache may keep it.
        var headers = HTTPFields()
        if settings.webhook?.secret != nil { headers[.cacheControl] = "no-store" }
        return EditedResponse(headers: headers, response: settings)
    }

    /// The caller's tenant, when the caller administers it: the defaults are the municipality's choice.
    private func administeredTenant(_ context: GatewayRequestContext) throws -> UUID {
        let identity = try context.requireIdentity()
        guard let tenant = identity.tenantID else {
            throw Problem.notFound("platform administrators have no municipality's defaults")
        }
        guard identity.role == .admin else {
            throw Problem.forbidden("only administrators change the municipality's digest defaults")
        }
        return tenant
    }

    func defaults(_ context: GatewayRequestContext) async throws -> TenantDefaults {
        _ = try administeredTenant(context)
        return try await TenantDefaults.load(on: try context.requireConnection())
    }

    func updateDefaults(_ request: Request, _ context: GatewayRequestContext) async throws -> TenantDefaults {
        let tenant = try administeredTenant(context)
        let changes = try await request.decodeBody(TenantDefaultsChanges.self, context: context)
        let connection = try context.requireConnection()
        let defaults = changes.applied(to: try await TenantDefaults.load(on: connection))
        try await defaults.save(tenantID: tenant, on: connection)
        return defaults
    }

    struct DigestRecord: Codable, Sendable {
        var id: UUID
        var windowStart: Date
        var windowEnd: Date
        var frequency: String
        var status: String
        var itemCount: Int
        var subject: String
        var channels: [String]
        var sentAt: Date?
        var error: String?
    }

    struct History: ResponseEncodable {
        var items: [DigestRecord]
    }

    /// The caller's last digests, newest first: their own, each built under `ReadScope.digest(of:)`.
    func history(_ request: Request, _ context: GatewayRequestContext) async throws -> History {
        let (_, user) = try user(context)
        let (limit, _) = try Pagination.read(request)
        let rows = try await context.requireConnection().query(
            """
            SELECT id, window_start, window_end, frequency, status, item_count, subject, channels, sent_at, error
            FROM notifications.digests WHERE user_id = \(user) ORDER BY window_start DESC LIMIT \(limit)
            """)
        return History(
            items: try rows.map { row in
                let (id, start, end, frequency, status, count, subject, channels, sentAt, error) = try row.decode(
                    (UUID, Date, Date, String, String, Int, String, [String], Date?, String?).self)
                return DigestRecord(
                    id: id, windowStart: start, windowEnd: end, frequency: frequency, status: status, itemCount: count,
                    subject: subject, channels: channels, sentAt: sentAt, error: error)
            })
    }

    /// The next digest as it would be built now, with everything that has happened up to now (an event at
    /// this very instant included): JSON, or `?format=text|html` rendered.
    func preview(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let (tenant, user) = try user(context)
        let format = request.queryParameters.get("format") ?? "json"
        guard ["json", "text", "html"].contains(format) else {
            throw Problem.validation([.init(field: "format", message: "must be json, text or html")])
        }
        let connection = try context.requireConnection()
        let settings = try await SettingsStore.load(userID: user, on: connection)
        let now = delivery.queue.clock.now()
        let start =
            try await connection.query(
                "SELECT window_start FROM notifications.settings WHERE user_id = \(user)"
            ).first?.decode(Date.self, column: 0) ?? now
        let entries = try await connection.query(
            """
            SELECT i.partnership_id, i.activity_id, i.occurred_at, i.item FROM notifications.inbox i
            WHERE i.user_id = \(user) AND i.digest_id IS NULL AND i.occurred_at <= \(now)
              AND \(fragment: ReadScope.digest(of: user).notifications(partnership: "i.partnership_id"))
              AND NOT i.partnership_id = ANY(\(settings.mutedPartnerships)::uuid[])
            """
        ).map { row in
            let (partnership, activity, occurred, item) = try row.decode(
                (UUID, UUID?, Date, PostgresJSON<InboxItem>).self)
            return DigestEntry(partnershipID: partnership, activityID: activity, occurredAt: occurred, item: item.value)
        }
        let names = try await connection.query(
            "SELECT u.name, t.name FROM platform.users u JOIN platform.tenants t ON t.id = u.tenant_id WHERE u.id = \(user)"
        )
        let (name, tenantName) = try names.first?.decode((String, String).self) ?? ("", "")
        _ = tenant
        let digest = DigestBuilder(
            locale: settings.locale, timeZone: TimeZone(identifier: settings.timeZone) ?? .gmt, recipientName: name,
            tenantName: tenantName, publicURL: delivery.publicURL,
            memberNames: try await DigestDelivery.memberNames(entries, on: connection)
        ).build(entries, window: min(start, now)..<now, unsubscribeLink: nil)
        switch format {
        case "text":
            return Self.respond(renderer.renderText(digest), contentType: "text/plain; charset=utf-8")
        case "html":
            return Self.respond(
                renderer.renderHTML(digest), contentType: "text/html; charset=utf-8", policy: renderer.htmlPolicy)
        default:
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            return Self.respond(
                String(decoding: try encoder.encode(digest), as: UTF8.self), contentType: "application/json")
        }
    }

    // MARK: One-click unsubscribe (RFC 8058)

    /// A GET only asks: mail scanners open links, and must not unsubscribe anyone.
    func confirmUnsubscribe(_ context: GatewayRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard let found = try await findToken(token, unsubscribe: false) else { throw Problem.notFound() }
        let strings = DigestStrings.of(found.locale)
        return Self.respond(
            Self.page(
                locale: found.locale, title: strings.unsubscribeConfirm,
                body: """
                    <form method="post" action="/unsubscribe/\(Self.escape(token))">
                    <input type="hidden" name="List-Unsubscribe" value="One-Click">
                    <button type="submit">\(Self.escape(strings.unsubscribe))</button>
                    </form>
                    """),
            contentType: "text/html; charset=utf-8", policy: Self.pagePolicy)
    }

    /// The POST a mail client sends (`List-Unsubscribe=One-Click`) or the confirmation page's button:
    /// turns digests off at once.
    func unsubscribe(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: 4096)
        } catch {
            throw Problem.payloadTooLarge()
        }
        let form = String(buffer: body)
        guard form.split(separator: "&").contains("List-Unsubscribe=One-Click") else {
            throw Problem.validation([
                .init(field: "List-Unsubscribe", message: "the body must be List-Unsubscribe=One-Click")
            ])
        }
        guard let found = try await findToken(token, unsubscribe: true) else { throw Problem.notFound() }
        let strings = DigestStrings.of(found.locale)
        return Self.respond(
            Self.page(locale: found.locale, title: strings.unsubscribeDone, body: ""),
            contentType: "text/html; charset=utf-8", policy: Self.pagePolicy)
    }

    /// Finds a token's user, and with `unsubscribe` turns their digests off.
    private func findToken(_ token: String, unsubscribe: Bool) async throws -> (user: UUID, locale: String)? {
        guard token.hasPrefix("sbu_"), token.count < 100 else { return nil }
        return try await delivery.pool.withTransaction { connection in
            let found = try await connection.query(
                "SELECT tenant_id, user_id FROM notifications.find_unsubscribe_token(decode(\(DigestDelivery.hashHex(token)), 'hex'))"
            )
            guard let row = found.first else { return nil }
            let (_, user) = try row.decode((UUID, UUID).self)
            let locale =
                try await connection.query(
                    """
                    SELECT coalesce(s.locale, u.locale) FROM platform.users u
                    LEFT JOIN notifications.settings s ON s.user_id = u.id WHERE u.id = \(user)
                    """
                ).first?.decode(String.self, column: 0) ?? "en"
            if unsubscribe {
                try await connection.query(
                    """
                    UPDATE notifications.settings SET frequency = 'off', next_due_at = NULL, version = version + 1
                    WHERE user_id = \(user)
                    """)
                try await connection.query(
                    """
                    UPDATE notifications.unsubscribe_tokens SET used_at = coalesce(used_at, now())
                    WHERE token_hash = decode(\(DigestDelivery.hashHex(token)), 'hex')
                    """)
            }
            return (user, locale)
        }
    }

    /// The unsubscribe pages' stylesheet: the only style their policy allows.
    static let pageStyle =
        "body{font-family:Helvetica,Arial,sans-serif;max-width:480px;margin:48px auto;padding:0 16px;}h1{font-size:20px;}"

    /// The unsubscribe pages' policy: their stylesheet, and the form posting back to this server.
    static let pagePolicy = PageSecurityPolicy(styles: [pageStyle])

    static func page(locale: String, title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="\(escape(locale))"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title><style>\(pageStyle)</style></head>
        <body>
        <h1>\(escape(title))</h1>
        \(body)
        </body></html>
        """
    }

    static func escape(_ text: String) -> String { HTML.escape(text) }

    static func respond(_ text: String, contentType: String, policy: PageSecurityPolicy? = nil) -> Response {
        var headers: HTTPFields = [.contentType: contentType, .cacheControl: "no-store"]
        if let policy { headers[.contentSecurityPolicy] = policy.description }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
