/// Secrets made of random bytes from the system's cryptographic source (`SystemRandomNumberGenerator`): API
/// and unsubscribe tokens, webhook secrets, generated passwords.
public enum RandomToken {
    /// How many random bytes a token has unless told otherwise: 256 bits.
    public static let defaultByteCount = 32

    /// `count` random bytes.
    public static func bytes(_ count: Int = defaultByteCount) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// `prefix` and `count` random bytes in lowercase hex.
    public static func hex(prefix: String = "", bytes count: Int = defaultByteCount) -> String {
        prefix + Hex.encode(bytes(count))
    }

    /// `prefix` and `count` random bytes in base64url, without padding (43 characters for 32 bytes).
    public static func base64URL(prefix: String = "", bytes count: Int = defaultByteCount) -> String {
        prefix + Base64URL.encode(bytes(count))
    }

    /// `length` characters, each drawn uniformly from `alphabet`.
    public static func text(length: Int, from alphabet: [Character]) -> String {
        precondition(!alphabet.isEmpty, "a random text needs an alphabet")
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
