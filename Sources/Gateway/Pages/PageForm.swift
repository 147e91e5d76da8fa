import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// A posted form (`application/x-www-form-urlencoded`): its fields by name, the last one winning.
public struct PageForm: Sendable {
    /// The fields.
    public var fields: [String: String]

    /// A query value as a GET form sends it (a page's filters): trimmed, and an empty field is no value.
    public static func queryValue(_ request: Request, _ name: String) -> String? {
        guard let value = request.uri.queryParameters.get(name)?.trimmingCharacters(in: .whitespaces),
            !value.isEmpty
        else { return nil }
        return value
    }

    /// Reads a form body; what cannot be read is left out.
    public init(_ body: ByteBuffer) {
        self.init(String(buffer: body))
    }

    /// Reads form text (`a=1&b=two+words`).
    public init(_ text: String) {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decoded(_ part: Substring) -> String? {
                part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
            }
            guard let name = parts.first.flatMap(decoded) else { continue }
            fields[name] = parts.count > 1 ? decoded(parts[1]) ?? "" : ""
        }
        self.fields = fields
    }

    /// The text field `name` of a `multipart/form-data` body (a form that uploads a file), or `nil`. Only
    /// enough of the format to find one small field (the CSRF token); the handler reads the file itself.
    public static func multipartField(_ name: String, in body: ByteBuffer, contentType: String) -> String? {
        guard let start = contentType.range(of: "boundary=", options: .caseInsensitive) else { return nil }
        let boundary =
            contentType[start.upperBound...].split(separator: ";").first?
            .trimmingCharacters(in: CharacterSet(charactersIn: "\" ")) ?? ""
        guard !boundary.isEmpty else { return nil }
        let text = String(decoding: body.readableBytesView, as: UTF8.self)
        for part in text.components(separatedBy: "--" + boundary) {
            guard let end = part.range(of: "\r\n\r\n") else { continue }
            let disposition = part[..<end.lowerBound].lowercased()
            guard disposition.contains("form-data; name=\"\(name.lowercased())\""), !disposition.contains("filename=")
            else { continue }
            // The line break before the next boundary belongs to the boundary, not the value.
            return String(part[end.upperBound...]).trimmingCharacters(in: CharacterSet(charactersIn: "\r\n"))
        }
        return nil
    }

    /// The field `name`, if it was sent.
    public subscript(_ name: String) -> String? { fields[name] }

    /// Reads the form of a page's `POST` (the session middleware collected the body already).
    public static func read(_ request: Request) async throws -> PageForm {
        var request = request
        return PageForm(try await request.collectBody(upTo: PageSessionMiddleware.formLimit(request)))
    }

    /// `text` as a query parameter's value.
    public static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~/")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}

/// Redirects of the pages: after a form, always 303 (POST-redirect-GET).
public enum PageRedirect {
    /// `303 See Other` to `location`.
    public static func seeOther(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    /// `next` when it is a path on this site (one leading `/`, not `//` or `/\`, no scheme, no control
    /// characters), else `nil`: a sign-in never sends anyone to another site.
    public static func sitePath(_ next: String?) -> String? {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.hasPrefix("/\\"), next.utf8.count <= 2000,
            !next.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == "\\" })
        else { return nil }
        return next
    }
}

/// The cookies of the pages: `HttpOnly`, `SameSite=Lax`, `Path=/`, and `Secure` when the site is https.
enum PageCookies {
    static func cookie(_ name: String, _ value: String, settings: SessionSettings, maxAge: Int? = nil) -> Cookie {
        Cookie(
            name: name, value: value, maxAge: maxAge, path: "/", secure: settings.isSecure, httpOnly: true,
            sameSite: .lax)
    }

    /// A cookie that tells the browser to forget `name`.
    static func expired(_ name: String) -> Cookie {
        Cookie(
            name: name, value: "", maxAge: 0, path: "/", secure: name.hasPrefix("__Host-"), httpOnly: true,
            sameSite: .lax)
    }
}
