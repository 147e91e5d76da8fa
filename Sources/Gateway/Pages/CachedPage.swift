import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Vocabulary

/// A public answer that caches may keep: a page (``PageShell/publicPage(title:content:language:alternates:feed:)``)
/// or any other body of a public route, such as an Atom feed, with its content type.
///
/// Its `ETag` is strong and made from the body alone (the first 16 bytes of its SHA-256, in hex, quoted), so
/// every server process gives the same page the same tag with nothing stored. It is answered
/// `Cache-Control: public, max-age=60` (an unpublished page may be kept a minute longer by a cache, no more
/// by ours), `Vary: Accept-Language` (the page's language may come from it) and `Content-Language`. A `GET`
/// whose `If-None-Match` names the tag (or is `*`) gets 304 with those headers and no body: the page is still
/// rendered, but not sent again.
public struct CachedPage: ResponseGenerator, Sendable {
    /// The answer's body.
    public let body: ByteBuffer
    /// Its `Content-Type`.
    public let contentType: String
    /// Its `Content-Language`.
    public let language: Language
    /// The strong entity tag, quoted: `"0123…"`.
    public let eTag: String

    /// How long anyone may keep the answer without asking again.
    public static let cacheControl = "public, max-age=60"
    /// The request headers the answer depends on besides its address.
    public static let vary = "Accept-Language"
    /// The content type of a page.
    public static let html = "text/html; charset=utf-8"

    /// An answer with `body` (UTF-8) of `contentType`, written in `language`.
    public init(body: String, contentType: String, language: Language) {
        self.init(body: ByteBuffer(string: body), contentType: contentType, language: language)
    }

    /// An answer with `body` of `contentType`, written in `language`.
    public init(body: ByteBuffer, contentType: String, language: Language) {
        self.body = body
        self.contentType = contentType
        self.language = language
        self.eTag = Self.eTag(of: body)
    }

    /// `"…"`: the first 16 bytes of the SHA-256 of `body`, in lower-case hex, quoted.
    static func eTag(of body: ByteBuffer) -> String {
        var hasher = SHA256()
        body.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
        let digest = hasher.finalize()
        let hex = digest.prefix(16).map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }
        return "\"" + hex.joined() + "\""
    }

    /// Whether `If-None-Match`'s values name `eTag`: `*`, or a list holding it (compared weakly, as RFC 9110
    /// asks for this header, so `W/"…"` names it too).
    static func matches(_ values: [String], eTag: String) -> Bool {
        values.lazy.flatMap { $0.split(separator: ",") }.contains { item in
            let tag = item.trimmingCharacters(in: .whitespaces)
            return tag == "*" || tag == eTag || (tag.hasPrefix("W/") && tag.dropFirst(2) == eTag)
        }
    }

    public func response(from request: Request, context: some RequestContext) -> Response {
        var headers = HTTPFields()
        headers[.eTag] = eTag
        headers[.cacheControl] = Self.cacheControl
        headers[.vary] = Self.vary
        headers[.contentLanguage] = language.rawValue
        let reading = request.method == .get || request.method == .head
        if reading, Self.matches(request.headers[values: .ifNoneMatch], eTag: eTag) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = contentType
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }
}
