import Foundation
import Synchronization

/// A small HTTP server (`scripts/test-servers/http_server.py`) on 127.0.0.1 and a free port, started by
/// a test: it records every request to a folder and answers from a list of responses, in order, the last
/// one repeating; a response can be held back to make a client time out.
///
/// Prefer ``with(_:_:)``, which stops it whatever the test does; the process also exits when the test
/// process does, since its standard input closes.
public final class TestHTTPServer: Sendable {
    /// One answer: a status, optionally sent only after `delay`.
    public struct Response: Sendable, Encodable {
        /// The HTTP status.
        public var status: Int
        /// How long to hold the answer back, in seconds.
        public var delay: Double

        /// An answer with `status`, after `delay`.
        public init(status: Int, delay: Duration = .zero) {
            self.status = status
            let (seconds, attoseconds) = delay.components
            self.delay = Double(seconds) + Double(attoseconds) / 1e18
        }
    }

    /// One request as the server received it.
    public struct ReceivedRequest: Sendable, Decodable {
        /// The method, `POST`.
        public var method: String
        /// The path and query.
        public var path: String
        /// The header fields, in order.
        public var headers: [[String]]
        /// The body.
        public var body: Data

        /// The first value of header `name` (case-insensitive).
        public func header(_ name: String) -> String? {
            headers.first { $0.first?.lowercased() == name.lowercased() }.flatMap { $0.count > 1 ? $0[1] : nil }
        }
    }

    private struct Configuration: Encodable {
        var folder: String
        var portFile: String
        var responses: [Response]
    }

    /// The port it listens on, on 127.0.0.1.
    public let port: Int
    private let root: String
    private let running: Mutex<ScriptServer?>

    private init(root: String, server: ScriptServer) {
        self.port = server.port
        self.root = root
        self.running = Mutex(server)
    }

    /// `http://127.0.0.1:port/hook`.
    public var url: String { "http://127.0.0.1:\(port)/hook" }

    /// Starts a server answering `responses` in order (the last repeats).
    public static func start(_ responses: [Response] = [Response(status: 200)]) async throws -> TestHTTPServer {
        precondition(!responses.isEmpty, "the server needs at least one response")
        let interpreter = try await TestPython.interpreter()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("stedenband-http-\(UUID())").path
        try FileManager.default.createDirectory(atPath: root + "/requests", withIntermediateDirectories: true)
        let configuration = Configuration(folder: root + "/requests", portFile: root + "/port", responses: responses)
        let server = try await ScriptServer.start(
            script: "http_server.py", interpreter: interpreter, configuration: configuration,
            configurationPath: root + "/config.json", portFile: root + "/port")
        return TestHTTPServer(root: root, server: server)
    }

    /// Runs `body` with a started server and stops the server afterwards, whether `body` returns or throws.
    public static func with<Result>(
        _ responses: [Response] = [Response(status: 200)],
        _ body: (TestHTTPServer) async throws -> Result
    ) async throws -> Result {
        let server = try await start(responses)
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    /// The requests received so far, oldest first.
    public func requests() throws -> [ReceivedRequest] {
        try readRecords(in: root + "/requests", as: ReceivedRequest.self)
    }

    /// Waits until at least `count` requests arrived, and returns them all.
    /// - Throws: when fewer arrived within `timeout`.
    public func waitForRequests(count: Int, timeout: Duration = .seconds(10)) async throws -> [ReceivedRequest] {
        try await waitForRecords(
            in: root + "/requests", as: ReceivedRequest.self, count: count, timeout: timeout, what: "requests")
    }

    /// Removes the server's folder; the process is gone by then (``ChildProcess`` kills it when dropped).
    deinit {
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Stops the server.
    public func stop() async {
        let server = running.withLock { server in
            defer { server = nil }
            return server
        }
        await server?.child.terminate()
    }
}
