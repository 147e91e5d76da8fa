import Delivery
import Foundation
import OpenIDConnect
import Synchronization

/// A provider answered from memory: each URL's answer, set by the test, and the URLs fetched, in order.
/// An URL the test did not set fails loudly.
final class MemoryTransport: OIDCTransport {
    private let answers = Mutex<[String: HTTPFetcher.Answer]>([:])
    private let log = Mutex<[String]>([])
    private let forms = Mutex<[Post]>([])

    /// A form POST as it was sent.
    struct Post: Sendable {
        var url: String
        var fields: [String: String]
        var headers: [String]
    }

    /// Answers `GET url` (and `POST url`) with `status` and `body`.
    func set(_ url: String, status: Int = 200, json body: String) {
        answers.withLock { $0[url] = HTTPFetcher.Answer(status: status, body: Array(body.utf8)) }
    }

    /// The URLs fetched so far.
    var fetched: [String] { log.withLock { $0 } }

    /// The form POSTs sent so far.
    var posts: [Post] { forms.withLock { $0 } }

    func get(_ url: String, headers: [String]) async throws(DeliveryError) -> HTTPFetcher.Answer {
        try answer(url)
    }

    func postForm(
        _ url: String, fields: [(name: String, value: String)], headers: [String]
    ) async throws(DeliveryError) -> HTTPFetcher.Answer {
        let post = Post(
            url: url, fields: Dictionary(fields.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 }), headers: headers
        )
        forms.withLock { $0.append(post) }
        return try answer(url)
    }

    private func answer(_ url: String) throws(DeliveryError) -> HTTPFetcher.Answer {
        log.withLock { $0.append(url) }
        guard let answer = answers.withLock({ $0[url] }) else {
            throw DeliveryError(isTransient: false, description: "the test set no answer for \(url)")
        }
        return answer
    }
}
