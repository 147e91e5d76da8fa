import Delivery
import Gateway
import HTTPTypes

/// What `/openapi.json` says about the Notifications plugin.
enum NotificationsDocumentation {
    static func register(in documentation: APIDocumentation) {
        let settings: [String: JSONSchema] = [
            "frequency": .string(enumeration: DigestSchedule.Frequency.allCases.map(\.rawValue)),
            "hour": .integer(minimum: 0, maximum: 23), "weekday": .integer(minimum: 1, maximum: 7),
            "timeZone": .string(maxLength: 64), "locale": .string(enumeration: NotificationSettings.locales),
            "email": .boolean, "mutedPartnerships": .array(.string(format: "uuid")),
            // The two reminders (docs/notifications.md "Reminders"), each on unless turned off.
            "quietReminders": .boolean, "periodReminders": .boolean,
        ]
        var shown = settings
        shown["webhook"] = .nullable(
            .object(
                [
                    "url": .string(), "disabledAt": .nullable(.string(format: "date-time")),
                    "note": .nullable(.string()),
                    "secret": .string(),
                ], required: ["url"]))
        documentation.define("NotificationSettings", .object(shown, required: Array(settings.keys).sorted()))
        var changes = settings
        changes["timeZone"] = .timeZone
        // The form WebhookURLCheck.host accepts; where the host is (the public internet) only a lookup can tell.
        let webhookURL = JSONSchema.string(
            format: "uri", maxLength: WebhookURLCheck.maximumLength,
            pattern: "^[Hh][Tt][Tt][Pp][Ss]://[^@/?#\\s\\x00-\\x1f\\x7f-\\x9f]+([/?#][^\\s\\x00-\\x1f\\x7f-\\x9f]*)?$")
        changes["webhook"] = .nullable(.object(["url": webhookURL], required: ["url"]))
        let digest = JSONSchema.object(
            [
                "id": .string(format: "uuid"), "windowStart": .string(format: "date-time"),
                "windowEnd": .string(format: "date-time"), "frequency": .string(),
                "status": .string(enumeration: ["pending", "sent", "empty", "failed"]),
                "itemCount": .integer(minimum: 0), "subject": .string(), "channels": .array(.string()),
                "sentAt": .string(format: "date-time"), "error": .string(),
            ],
            required: ["id", "windowStart", "windowEnd", "frequency", "status", "itemCount", "subject", "channels"])
        let tenantDefaults: [String: JSONSchema] = [
            "frequency": .string(enumeration: DigestSchedule.Frequency.allCases.map(\.rawValue)),
            "hour": .integer(minimum: 0, maximum: 23), "weekday": .integer(minimum: 1, maximum: 7),
            // After how many days without news a partnership reminds its members; null: never.
            "quietAfterDays": .nullable(.integer(minimum: 14, maximum: 365)),
        ]
        documentation.define(
            "NotificationDefaults", .object(tenantDefaults, required: Array(tenantDefaults.keys).sorted()))
        let token = APIOperation.Parameter.path("token", .string(maxLength: 100), "the token of an e-mail's link")
        var page = APIOperation(
            .get, "/unsubscribe/{token}", id: "confirmUnsubscribe",
            summary:
                "Asks to confirm unsubscribing from digests or reminders (a GET never unsubscribes: mail scanners "
                + "open links).",
            tag: "notifications", parameters: [token], success: (200, .string()), problems: [404],
            authenticated: false)
        page.successMediaType = "text/html"
        var oneClick = APIOperation(
            .post, "/unsubscribe/{token}", id: "unsubscribe",
            summary:
                "One-click unsubscribe (RFC 8058): the body List-Unsubscribe=One-Click turns digests off, or, from "
                + "a reminder's mail, both reminders (digests stay as they are).",
            tag: "notifications", parameters: [token],
            requestBody: .object(
                ["List-Unsubscribe": .string(enumeration: ["One-Click"])], required: ["List-Unsubscribe"]),
            success: (200, .string()), problems: [404], authenticated: false)
        oneClick.requestMediaType = "application/x-www-form-urlencoded"
        oneClick.successMediaType = "text/html"
        documentation.add([
            APIOperation(
                .get, "/api/v1/me/notifications", id: "getNotificationSettings",
                summary: "The caller's digest settings (defaults until changed).", tag: "notifications",
                success: (200, .reference("NotificationSettings")), problems: [404]),
            APIOperation(
                .put, "/api/v1/me/notifications", id: "putNotificationSettings",
                summary: "Change the caller's digest settings; fields left out stay.", tag: "notifications",
                requestBody: .object(changes), success: (200, .reference("NotificationSettings")), problems: [404]),
            APIOperation(
                .get, "/api/v1/me/digests", id: "listDigests", summary: "The caller's digests, newest first.",
                tag: "notifications",
                parameters: [.query("limit", .integer(minimum: 1, maximum: 200), "how many, 50 by default")],
                success: (200, .object(["items": .array(digest)], required: ["items"])), problems: [404, 422]),
            APIOperation(
                .get, "/api/v1/me/digests/preview", id: "previewDigest",
                summary: "The caller's next digest as it would be built now; ?format=text|html renders it.",
                tag: "notifications",
                parameters: [.query("format", .string(enumeration: ["json", "text", "html"]), "json by default")],
                success: (200, nil), problems: [404, 422]),
            APIOperation(
                .get, "/api/v1/notifications/defaults", id: "getNotificationDefaults",
                summary: "The municipality's digest defaults, for users who never changed theirs (admin).",
                tag: "notifications", success: (200, .reference("NotificationDefaults")), problems: [403, 404]),
            APIOperation(
                .put, "/api/v1/notifications/defaults", id: "putNotificationDefaults",
                summary: "Change the municipality's digest defaults; fields left out stay (admin).",
                tag: "notifications", requestBody: .object(tenantDefaults),
                success: (200, .reference("NotificationDefaults")), problems: [403, 404, 422]),
            page, oneClick, settingsPage, defaultsPage,
        ])
    }

    /// `POST /settings/notifications`: the digest settings' form on the settings page (tag `pages`).
    static var settingsPage: APIOperation {
        var operation = APIOperation(
            .post, "/settings/notifications", id: "saveNotificationSettingsPage",
            summary:
                "Saves the digest settings from /settings (signed in): 303 to /settings#notifications, 422 with "
                + "the messages beside the fields, or 200 with a new webhook's signing secret, shown once.",
            tag: "pages",
            requestBody: .object(
                [
                    "csrf": .string(maxLength: 100),
                    "frequency": .string(enumeration: DigestSchedule.Frequency.allCases.map(\.rawValue)),
                    "hour": .integer(minimum: 0, maximum: 23), "weekday": .integer(minimum: 1, maximum: 7),
                    "email": .string(enumeration: ["true"]), "mutedPartnerships": .array(.string(format: "uuid")),
                    "quietReminders": .string(enumeration: ["true"]), "periodReminders": .string(enumeration: ["true"]),
                    "webhook.url": .string(maxLength: WebhookURLCheck.maximumLength),
                ], required: ["csrf"]),
            success: (303, nil), problems: [403, 422], authenticated: false)
        operation.successMediaType = "text/html"
        operation.requestMediaType = "application/x-www-form-urlencoded"
        return operation
    }

    /// `POST /admin/municipality/notifications`: the digest defaults' form on the municipality's page (tag `pages`).
    static var defaultsPage: APIOperation {
        var operation = APIOperation(
            .post, "/admin/municipality/notifications", id: "saveNotificationDefaultsPage",
            summary:
                "Saves the municipality's digest defaults from /admin/municipality (administrators; others 403), as "
                + "PUT /api/v1/notifications/defaults does: 303 to /admin/municipality?saved=notification-defaults, "
                + "or 422 with the messages beside the fields.",
            tag: "pages",
            requestBody: .object(
                [
                    "csrf": .string(maxLength: 100),
                    "frequency": .string(enumeration: DigestSchedule.Frequency.allCases.map(\.rawValue)),
                    "hour": .integer(minimum: 0, maximum: 23), "weekday": .integer(minimum: 1, maximum: 7),
                    // Empty: never remind; left out: unchanged.
                    "quietAfterDays": .string(maxLength: 10),
                ], required: ["csrf", "frequency", "hour", "weekday"]),
            success: (303, nil), problems: [403, 422], authenticated: false)
        operation.successMediaType = "text/html"
        operation.requestMediaType = "application/x-www-form-urlencoded"
        return operation
    }
}
