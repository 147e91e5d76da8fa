import NIOCore
import NIOPosix
import Synchronization

/// A TCP connection that sends exactly what a test writes, when it writes it: a slow or idle client,
/// which no HTTP client library plays.
final class RawConnection: Sendable {
    private final class Received: Sendable {
        let state = Mutex<(text: String, closed: Bool)>(("", false))
    }

    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let received: Received

        init(_ received: Received) { self.received = received }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            received.state.withLock { $0.text += String(buffer: buffer) }
        }

        func channelInactive(context: ChannelHandlerContext) {
            received.state.withLock { $0.closed = true }
            context.fireChannelInactive()
        }
    }

    private let channel: any Channel
    private let received: Received

    private init(channel: any Channel, received: Received) {
        self.channel = channel
        self.received = received
    }

    /// Connects to the server on loopback.
    static func open(port: Int) async throws -> RawConnection {
        let received = Received()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Collector(received))
                }
            }
            .connect(host: "127.0.0.1", port: port)
            .get()
        return RawConnection(channel: channel, received: received)
    }

    /// Sends `text` now; fails once the server closed the connection.
    func send(_ text: String) async throws {
        try await channel.writeAndFlush(NIOAny(ByteBuffer(string: text))).get()
    }

    /// Everything the server answered so far.
    var response: String { received.state.withLock { $0.text } }

    /// Whether the server closed the connection.
    var isClosed: Bool { received.state.withLock { $0.closed } }

    /// The status of the first answer, once its status line arrived.
    var status: Int? {
        let text = response
        guard text.hasPrefix("HTTP/1.1 "), text.count >= 12 else { return nil }
        return Int(text.dropFirst(9).prefix(3))
    }

    /// Polls until `condition` holds; false when `timeout` passed first.
    func waitUntil(timeout: Duration, _ condition: (RawConnection) -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition(self) { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return condition(self)
    }

    /// Closes the connection from this side.
    func close() async {
        try? await channel.close()
    }
}
