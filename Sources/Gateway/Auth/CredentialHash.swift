import Crypto
import Encodings

/// The SHA-256 of a credential (an API token or a session secret), as bytes and as lowercase hex: what is
/// stored, looked up and used as the rate limits' key.
///
/// Computed once per request, by the middleware that reads the credential, and carried in the request's
/// context (``GatewayRequestContext/credentialHash``), so the lookup, the limits and anything after them use
/// the same value instead of hashing again.
public struct CredentialHash: Sendable, Hashable {
    /// The 32 bytes of the hash, compared with the stored one.
    public let bytes: [UInt8]
    /// The hash in lowercase hex, as SQL's `decode(…, 'hex')` reads it.
    public let hex: String

    /// Hashes `credential`'s UTF-8 bytes.
    public init(of credential: String) {
        var credential = credential
        let digest = credential.withUTF8 { SHA256.hash(data: UnsafeRawBufferPointer($0)) }
        let bytes = Array(digest)
        self.bytes = bytes
        self.hex = Hex.encode(bytes)
    }
}
