import Delivery

/// How the sign-in reaches a provider: a GET and a form POST whose answers it reads. ``HTTPFetcher`` is the
/// real one; tests may answer from memory.
public protocol OIDCTransport: Sendable {
    /// `GET url`.
    func get(_ url: String, headers: [String]) async throws(DeliveryError) -> HTTPFetcher.Answer
    /// `POST url` with a form body.
    func postForm(
        _ url: String, fields: [(name: String, value: String)], headers: [String]
    ) async throws(DeliveryError) -> HTTPFetcher.Answer
}

extension HTTPFetcher: OIDCTransport {}
