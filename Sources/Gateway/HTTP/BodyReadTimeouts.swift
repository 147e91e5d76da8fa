/// How long a client may take to send a request body.
public struct BodyReadTimeouts: Sendable, Equatable {
    /// The whole body, from the moment the handler starts reading it.
    public var whole: Duration
    /// Between two parts of the body: a client that stops sending is cut off sooner than ``whole``.
    public var betweenBytes: Duration

    /// The default for the whole body (`HTTP_BODY_TIMEOUT`): 30 seconds, a 16 MiB import over a slow
    /// uplink of about 4 Mbit/s.
    public static let defaultWhole: Duration = .seconds(30)
    /// The default between parts (`HTTP_BODY_BYTE_TIMEOUT`): 10 seconds.
    public static let defaultBetweenBytes: Duration = .seconds(10)

    /// Makes the timeouts.
    public init(whole: Duration = defaultWhole, betweenBytes: Duration = defaultBetweenBytes) {
        self.whole = whole
        self.betweenBytes = betweenBytes
    }
}
