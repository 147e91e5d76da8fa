import Foundation

/// Why a delivery failed, and whether trying again later may help.
public struct DeliveryError: Error, Sendable, CustomStringConvertible {
    /// True for failures that may pass (connection refused, timeout, SMTP 4xx, HTTP 5xx or 429); false
    /// for those that will not (SMTP 5xx, a malformed address, HTTP 4xx).
    public var isTransient: Bool
    /// What went wrong, for logs; never holds a password, a message body or a webhook secret.
    public var description: String
    /// The SMTP reply code or HTTP status the server answered with, when it answered at all: lets a
    /// caller tell a refused mailbox (550) from a full one (452), or honour a 429.
    public var code: Int?
    /// What kind of failure it was, in words that may be shown to a user: unlike ``description``, which
    /// holds the transport's own text, it says nothing about the network the server sits in.
    public var cause: Cause

    /// Kinds of failure a user may be told about.
    public enum Cause: Sendable, Equatable {
        /// The server answered, with ``DeliveryError/code``.
        case answered
        /// No connection could be made, or it broke.
        case connectionFailed
        /// The server did not answer in time.
        case timedOut
        /// Every address the host resolved to is one deliveries may not connect to.
        case refusedAddress
        /// The server's certificate was not accepted.
        case certificate
        /// What was to be sent cannot be: a URL or header that is not allowed, a malformed address.
        case invalidRequest
        /// Anything else.
        case other
    }

    /// A failure; `code` is the server's SMTP reply code or HTTP status, when there was one.
    public init(isTransient: Bool, description: String, code: Int? = nil, cause: Cause? = nil) {
        self.isTransient = isTransient
        self.description = description
        self.code = code
        self.cause = cause ?? (code == nil ? .other : .answered)
    }
}
