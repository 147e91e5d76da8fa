import Delivery
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import Messaging
import NIOCore
import Postgres
import Vocabulary

/// `/api/v1/me/notifications`, `/api/v1/me/digests`, and the public one-click unsubscribe pages: an adapter
/// that decodes the request, calls ``NotificationsService`` and encodes or renders its answer.
struct NotificationsController: Sendable {
    let service: NotificationsService
    let renderer: DigestRenderer
    /// For the public unsubscribe routes, which have no request transaction: each scopes its own.
    let pool: PostgresConnectionPool

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

    /// The caller, who must be a user of a municipality; `message` tells a platform administrator why not.
    private func access(_ context: GatewayRequestContext, _ message: String) throws -> TenantAccess {
        let identity = try context.requireIdentity()
        guard identity.tenantID != nil, identity.userID != nil else { throw Problem.notFound(message) }
        return try TenantAccess(context)
    }

    /// The caller, who receives digests.
    private func recipient(_ context: GatewayRequestContext) throws -> TenantAccess {
        try access(context, "platform administrators receive no digests")
    }

    func settings(_ context: GatewayRequestContext) async throws -> NotificationSettings {
        let access = try recipient(context)
        return try await service.settings(access: access, on: try context.requireConnection())
    }

    func update(_ request: Request, _ context: GatewayRequestContext) async throws -> EditedResponse<
        NotificationSettings
    > {
        let access = try recipient(context)
        let changes = try await request.decodeBody(NotificationSettingsChanges.self, context: context)
        let settings = try await service.updateSettings(changes, access: access, on: try context.requireConnection())
        // A new webhook's signing secret is shown in this answer only: no cache may keep it.
        var headers = HTTPFields()
        if settings.webhook?.secret != nil { headers[.cacheControl] = "no-store" }
        return EditedResponse(headers: headers, response: settings)
    }

    /// The caller, when they administer their municipality: checked before the body is read, so a body's
    /// errors tell nobody else anything.
    private func administrator(_ context: GatewayRequestContext) throws -> TenantAccess {
        let access = try access(context, "platform administrators have no municipality's defaults")
        try service.requireDefaultsAdministrator(access)
        return access
    }

    func defaults(_ context: GatewayRequestContext) async throws -> TenantDefaults {
        let access = try administrator(context)
        return try await service.defaults(access: access, on: try context.requireConnection())
    }

    func updateDefaults(_ request: Request, _ context: GatewayRequestContext) async throws -> TenantDefaults {
        let access = try administrator(context)
        let changes = try await request.decodeBody(TenantDefaultsChanges.self, context: context)
        return try await service.updateDefaults(changes, access: access, on: try context.requireConnection())
    }

    struct History: ResponseEncodable {
        var items: [DigestRecord]
    }

    /// The caller's last digests, newest first.
    func history(_ request: Request, _ context: GatewayRequestContext) async throws -> History {
        let access = try recipient(context)
        let (limit, _) = try Pagination.read(request)
        return History(
            items: try await service.digests(limit: limit, access: access, on: try context.requireConnection()))
    }

    /// The next digest as it would be built now: JSON, or `?format=text|html` rendered.
    func preview(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let access = try recipient(context)
        let format = request.queryParameters.get("format") ?? "json"
        guard ["json", "text", "html"].contains(format) else {
            throw Problem.validation([.init(field: "format", message: "must be json, text or html")])
        }
        let digest = try await service.preview(access: access, on: try context.requireConnection())
        switch format {
        case "text":
            return Self.respond(renderer.renderText(digest), contentType: "text/plain; charset=utf-8")
        case "html":
            return Self.respond(
                renderer.renderHTML(digest), contentType: "text/html; charset=utf-8", policy: renderer.htmlPolicy)
        default:
            let encoder = LowercaseUUIDJSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            return Self.respond(
                String(decoding: try encoder.encode(digest), as: UTF8.self), contentType: "application/json")
        }
    }

    // MARK: One-click unsubscribe (RFC 8058)

    /// A GET only asks: mail scanners open links, and must not unsubscribe anyone.
    func confirmUnsubscribe(_ context: GatewayRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard let (locale, list) = try await unsubscribe(token, confirmed: false) else { throw Problem.notFound() }
        let words = Self.unsubscribeWords(locale: locale, list: list)
        return Self.respond(
            Self.page(
                locale: locale, title: words.confirm,
                body: """
                    <form method="post" action="/unsubscribe/\(Self.escape(token))">
                    <input type="hidden" name="List-Unsubscribe" value="One-Click">
                    <button type="submit">\(Self.escape(words.button))</button>
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
        guard let (locale, list) = try await unsubscribe(token, confirmed: true) else { throw Problem.notFound() }
        return Self.respond(
            Self.page(locale: locale, title: Self.unsubscribeWords(locale: locale, list: list).done, body: ""),
            contentType: "text/html; charset=utf-8", policy: Self.pagePolicy)
    }

    /// The unsubscribe pages' words for the token's list.
    static func unsubscribeWords(locale: String, list: String) -> (confirm: String, button: String, done: String) {
        if list == ReminderDelivery.list {
            let words = ReminderWords.all[code: locale]
            return (words.unsubscribeConfirm, words.unsubscribe, words.unsubscribeDone)
        }
        let strings = DigestStrings.of(locale)
        return (strings.unsubscribeConfirm, strings.unsubscribe, strings.unsubscribeDone)
    }

    /// The service's unsubscribe in a transaction of its own; a token that cannot be one opens none.
    private func unsubscribe(_ token: String, confirmed: Bool) async throws -> (locale: String, list: String)? {
        guard NotificationsService.isPlausibleUnsubscribeToken(token) else { return nil }
        return try await pool.withTransaction { connection in
            try await service.unsubscribe(token, confirmed: confirmed, on: connection)
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
