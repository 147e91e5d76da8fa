import Encodings

/// A bearer token: `sbt_` and 256 random bits in base64url. Only its SHA-256 hash is stored.
public struct APIToken: Sendable, Hashable, CustomStringConvertible {
    /// The token as the client sends it.
    public let value: String
    /// Its SHA-256, computed once when the token is read or made: every use of a token needs it.
    public let credentialHash: CredentialHash

    /// The prefix every token starts with, so a leaked token is recognisable in logs and scanners.
    public static let prefix = "sbt_"

    /// A new random token (from the system's cryptographic random source).
    public static func generate() -> APIToken {
        APIToken(unchecked: RandomToken.base64URL(prefix: prefix))
    }

    private init(unchecked value: String) {
        self.value = value
        self.credentialHash = CredentialHash(of: value)
    }

    /// Reads a token a client sent; `nil` when it cannot be one of ours (no database lookup needed).
    public init?(_ text: String) {
        guard text.hasPrefix(Self.prefix), text.utf8.count == Self.prefix.utf8.count + 43,
            text.utf8.dropFirst(Self.prefix.utf8.count).allSatisfy({ byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
                    || byte == UInt8(ascii: "_")
            })
        else { return nil }
        self.init(unchecked: text)
    }

    /// The SHA-256 hash that is stored and looked up.
    public var hash: [UInt8] { credentialHash.bytes }

    /// The hash in lowercase hex, as SQL's `decode(…, 'hex')` reads it.
    public var hashHex: String { credentialHash.hex }

    /// Never the token itself: descriptions end up in logs.
    public var description: String { "APIToken(sbt_…)" }

    /// Compares two hashes in time that does not depend on where they differ.
    public static func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }
}
