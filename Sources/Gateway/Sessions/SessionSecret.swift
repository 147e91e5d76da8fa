import Crypto
import Encodings
import Foundation

/// The secret a session cookie or a sign-in link carries: 256 random bits in base64url. Only its SHA-256 hash
/// is stored, so a copy of the database signs nobody in.
public struct SessionSecret: Sendable, Hashable, CustomStringConvertible {
    /// The secret as the browser sends it.
    public let value: String

    /// A new random secret (from the system's cryptographic random source).
    public static func generate() -> SessionSecret {
        SessionSecret(unchecked: RandomToken.base64URL())
    }

    private init(unchecked value: String) {
        self.value = value
    }

    /// Reads a secret a browser sent; `nil` when it cannot be one of ours (no database lookup needed).
    public init?(_ text: String) {
        guard text.utf8.count == 43, text.utf8.allSatisfy(Self.isBase64URL) else { return nil }
        self.value = text
    }

    static func isBase64URL(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: "_")
    }

    /// The SHA-256 hash that is stored and looked up.
    public var hash: [UInt8] { Array(SHA256.hash(data: Data(value.utf8))) }

    /// The hash in lowercase hex, as SQL's `decode(…, 'hex')` reads it.
    public var hashHex: String { Hex.encode(hash) }

    /// The session's CSRF token: derived from the secret, so it needs no storage, and the database (which
    /// holds only the secret's hash) cannot give it away.
    public var csrfToken: String { Base64URL.encode(SHA256.hash(data: Data("stedenband csrf \(value)".utf8))) }

    /// Never the secret itself: descriptions end up in logs.
    public var description: String { "SessionSecret(…)" }
}
