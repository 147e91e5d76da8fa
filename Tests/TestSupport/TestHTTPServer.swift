import Foundation
import Synchronization

/// A small HTTPS (or HTTP) server (`scripts/test-servers/http_server.py`) on 127.0.0.1 and a free port,
/// started by a test: it records every connection and request to a folder and answers from a list of
/// responses, in order, the last one repeating; a response can be held back to make a client time out, or
/// until the test releases it. Its certificate, from ``TestCertificates``, names `127.0.0.1` and `localhost`.
///
/// Prefer ``with(_:_:)``, which stops it whatever the test does; the process also exits when the test
/// process does, since its standard input closes.
public final class TestHTTPServer: Sendable {
    /// One answer: a status, optionally sent only after `delay`, or only once the test calls ``release()``.
    public struct Response: Sendable, Encodable {
        /// The HTTP status.
        public var status: Int
        /// How long to hold the answer back, in seconds.
        public var delay: Double
        /// Whether to hold the answer back until ``release()``.
        public var hold: Bool
        /// A `Location` header to send.
        public var location: String?

        /// An answer with `status`, after `delay` or, with `hold`, once released.
        public init(status: Int, delay: Duration = .zero, hold: Bool = false, location: String? = nil) {
            self.status = status
            let (seconds, attoseconds) = delay.components
            self.delay = Double(seconds) + Double(attoseconds) / 1e18
            self.hold = hold
            self.location = location
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
        struct TLS: Encodable {
            var cert: String
            var key: String
        }

        var folder: String
        var connections: String
        var releaseFile: String
        var portFile: String
        var responses: [Response]
        var tls: TLS?
    }

    /// The port it listens on, on 127.0.0.1.
    public let port: Int
    /// The certificates it serves, or `nil` when it speaks plain HTTP.
    public let certificates: TestCertificates?
    private let root: String
    private let running: Mutex<ScriptServer?>

    private init(root: String, server: ScriptServer, certificates: TestCertificates?) {
        self.port = server.port
        self.root = root
        self.certificates = certificates
        self.running = Mutex(server)
    }

    /// `https://127.0.0.1:port/hook` (`http://` for a plain server).
    public var url: String { url(host: "127.0.0.1") }

    /// The URL of `/hook` through `host`, a name or address that reaches 127.0.0.1 (`localhost`, or a name
    /// the client pins there).
    public func url(host: String) -> String {
        "\(certificates == nil ? "http" : "https")://\(host):\(port)/hook"
    }

    /// The test CA's certificate, which a client must trust to talk to this server.
    public var caCertificatePath: String? { certificates?.caCertificatePath }

    /// Starts a server answering `responses` in order (the last repeats), over TLS unless `tls` is false.
    public static func start(
        _ responses: [Response] = [Response(status: 200)], tls: Bool = true
    ) async throws -> TestHTTPServer {
        precondition(!responses.isEmpty, "the server needs at least one response")
        let interpreter = try await TestPython.interpreter()
        let certificates = tls ? try await TestCertificates.shared() : nil
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("stedenband-http-\(UUID())").path
        try FileManager.default.createDirectory(atPath: root + "/requests", withIntermediateDirectories: true)
        let configuration = Configuration(
            folder: root + "/requests", connections: root + "/connections", releaseFile: root + "/release",
            portFile: root + "/port", responses: responses,
            tls: certificates.map { .init(cert: $0.serverCertificatePath, key: $0.serverKeyPath) })
        let server = try await ScriptServer.start(
            script: "http_server.py", interpreter: interpreter, configuration: configuration,
            configurationPath: root + "/config.json", portFile: root + "/port")
        return TestHTTPServer(root: root, server: server, certificates: certificates)
    }

    /// Runs `body` with a started server and stops the server afterwards, whether `body` returns or throws.
    public static func with<Result>(
        _ responses: [Response] = [Response(status: 200)],
        tls: Bool = true,
        _ body: (TestHTTPServer) async throws -> Result
    ) async throws -> Result {
        let server = try await start(responses, tls: tls)
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

    /// How many TCP connections the server accepted so far, whether or not a request followed.
    public func connectionCount() -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root + "/connections")) ?? []
        return names.filter { $0.hasSuffix(".conn") }.count
    }

    /// Lets every answer held with `hold` go, now and from now on.
    public func release() throws {
        try Data().write(to: URL(fileURLWithPath: root + "/release"))
    }

    /// Waits until at least `count` requests arrived, and returns them all.
    /// - Throws: when fewer arrived within `timeout`.
    public func waitForRequests(count: Int, timeout: Duration = .seconds(60)) async throws -> [ReceivedRequest] {
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
