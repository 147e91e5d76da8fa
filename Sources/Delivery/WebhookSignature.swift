import Crypto
import Encodings
import Foundation

/// The `Stedenband-Signature` header of a webhook: proves that the body came from someone holding the
/// shared secret, and when, so a receiver can refuse forgeries and replays.
///
/// The header is `t=<unix seconds>,v1=<hex>`, where `<hex>` is the lowercase hexadecimal HMAC-SHA256 of
/// `"<t>.<body>"` keyed with the secret's UTF-8 bytes. A receiver may see several `v1=` entries (while a
/// secret is being rotated); one matching entry is enough.
public enum WebhookSignature {
    /// The header's name.
    public static let headerName = "Stedenband-Signature"
    /// How far a timestamp may be from the receiver's clock by default: long enough for clock skew and
    /// a slow network, short enough that a captured request cannot be replayed much later.
    public static let defaultTolerance = Duration.seconds(300)

    /// The header value signing `body` at `timestamp` (whole seconds; the fraction is dropped).
    public static func header(secret: String, timestamp: Date, body: some DataProtocol) -> String {
        let seconds = Int64(timestamp.timeIntervalSince1970.rounded(.down))
        let code = authenticationCode(secret: secret, seconds: seconds, body: body)
        return "t=\(seconds),v1=\(Hex.encode(code))"
    }

    /// True when `header` holds a `v1` signature of `body` made with `secret`, and its timestamp lies
    /// within `tolerance` of `now`.
    ///
    /// The signatures are compared in constant time, so the time taken reveals nothing about how much
    /// of a forged signature was right.
    public static func verify(
        header: String,
        secret: String,
        body: some DataProtocol,
        now: Date = Date(),
        tolerance: Duration = WebhookSignature.defaultTolerance
    ) -> Bool {
        var timestamp: Int64?
        var candidates: [[UInt8]] = []
        for element in header.split(separator: ",") {
            let pair = element.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            switch pair[0] {
            case "t": timestamp = Int64(pair[1])
            case "v1": if let bytes = bytes(hex: pair[1]) { candidates.append(bytes) }
            default: continue
            }
        }
        guard let timestamp, !candidates.isEmpty else { return false }
        let age = abs(now.timeIntervalSince1970 - Double(timestamp))
        let (seconds, attoseconds) = tolerance.components
        guard age <= Double(seconds) + Double(attoseconds) / 1e18 else { return false }
        let key = SymmetricKey(data: Array(secret.utf8))
        let message = signedBytes(seconds: timestamp, body: body)
        var matched = false
        for candidate in candidates {
            // No early exit: every candidate is checked, each in constant time.
            if HMAC<SHA256>.isValidAuthenticationCode(candidate, authenticating: message, using: key) {
                matched = true
            }
        }
        return matched
    }

    private static func authenticationCode(secret: String, seconds: Int64, body: some DataProtocol) -> [UInt8] {
        let key = SymmetricKey(data: Array(secret.utf8))
        return Array(HMAC<SHA256>.authenticationCode(for: signedBytes(seconds: seconds, body: body), using: key))
    }

    private static func signedBytes(seconds: Int64, body: some DataProtocol) -> [UInt8] {
        Array("\(seconds).".utf8) + Array(body)
    }

    private static func bytes(hex: Substring) -> [UInt8]? {
        guard hex.utf8.count == 64 else { return nil }
        return Hex.decode(hex)
    }
}
