import Delivery
import Foundation
import Testing

@Suite("Signing webhooks")
struct WebhookSignatureTests {
    static let body = Array(#"{"event":"activities.activity_recorded.v1"}"#.utf8)
    static let signedAt = Date(timeIntervalSince1970: 1_732_867_260)

    @Test("signs t.body with HMAC-SHA256 as lowercase hex, matching an independent computation")
    func knownVector() {
        // python3 -c 'import hmac,hashlib; print(hmac.new(b"whsec_test",
        //   b"1732867260." + b"{\"event\":\"activities.activity_recorded.v1\"}", hashlib.sha256).hexdigest())'
        let expected = "t=1732867260,v1=77e8dc2b7c4c7215a69a1fe958b7c5d1c9913efeeb6625033f70a55bf480b37a"
        #expect(WebhookSignature.header(secret: "whsec_test", timestamp: Self.signedAt, body: Self.body) == expected)
        let fraction = Self.signedAt.addingTimeInterval(0.9)
        #expect(WebhookSignature.header(secret: "whsec_test", timestamp: fraction, body: Self.body) == expected)
    }

    @Test("verifies its own signature within the tolerance")
    func verifies() {
        let header = WebhookSignature.header(secret: "whsec_test", timestamp: Self.signedAt, body: Self.body)
        #expect(WebhookSignature.verify(header: header, secret: "whsec_test", body: Self.body, now: Self.signedAt))
        #expect(
            WebhookSignature.verify(
                header: header, secret: "whsec_test", body: Data(Self.body), now: Self.signedAt.addingTimeInterval(299))
        )
    }

    @Test("refuses another secret, a changed body, and timestamps outside the tolerance either way")
    func refuses() {
        let header = WebhookSignature.header(secret: "whsec_test", timestamp: Self.signedAt, body: Self.body)
        #expect(!WebhookSignature.verify(header: header, secret: "whsec_other", body: Self.body, now: Self.signedAt))
        #expect(
            !WebhookSignature.verify(header: header, secret: "whsec_test", body: Self.body + [32], now: Self.signedAt))
        for offset in [-301.0, 301.0] {
            #expect(
                !WebhookSignature.verify(
                    header: header, secret: "whsec_test", body: Self.body, now: Self.signedAt.addingTimeInterval(offset)
                ))
        }
        #expect(
            !WebhookSignature.verify(
                header: header, secret: "whsec_test", body: Self.body, now: Self.signedAt.addingTimeInterval(20),
                tolerance: .seconds(10)))
    }

    @Test("refuses malformed headers, and accepts any one matching v1 (secret rotation)")
    func headerForms() {
        let good = WebhookSignature.header(secret: "whsec_test", timestamp: Self.signedAt, body: Self.body)
        let hex = String(good.split(separator: "=").last!)
        for header in ["", "t=1732867260", "v1=\(hex)", "t=abc,v1=\(hex)", "t=1732867260,v1=\(hex.dropLast())"] {
            #expect(!WebhookSignature.verify(header: header, secret: "whsec_test", body: Self.body, now: Self.signedAt))
        }
        let rotated = "t=1732867260,v1=\(String(repeating: "0", count: 64)),v1=\(hex)"
        #expect(WebhookSignature.verify(header: rotated, secret: "whsec_test", body: Self.body, now: Self.signedAt))
    }
}
