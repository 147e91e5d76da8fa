import Foundation
import Synchronization

/// A real SMTP server (aiosmtpd, in `scripts/test-servers/smtp_server.py`) on 127.0.0.1 and a free port,
/// started by a test; it writes every message it accepts to a folder, where the test reads it back.
///
/// It can require AUTH, offer STARTTLS with a certificate from ``TestCertificates``, refuse chosen
/// recipients with a chosen reply, and be stopped and started again on the same port. Prefer
/// ``with(_:_:)``, which stops it whatever the test does; the process also exits when the test process
/// does, since its standard input closes.
public final class TestSMTPServer: Sendable {
    /// What the server does beyond accepting mail.
    public struct Options: Sendable {
        /// When set, AUTH with exactly these is required before MAIL.
        public var credentials: (user: String, password: String)?
        /// Offer STARTTLS, with a certificate signed by the test CA.
        public var startTLS: Bool
        /// Replies to RCPT TO for these addresses, e.g. `"550 5.1.1 Mailbox unavailable"`.
        public var recipientReplies: [String: String]

        /// Options for a server; the default is a plain relay that accepts everything.
        public init(
            credentials: (user: String, password: String)? = nil,
            startTLS: Bool = false,
            recipientReplies: [String: String] = [:]
        ) {
            self.credentials = credentials
            self.startTLS = startTLS
            self.recipientReplies = recipientReplies
        }
    }

    /// One message as the server received it.
    public struct ReceivedMail: Sendable, Decodable {
        /// The envelope sender (`MAIL FROM`).
        public var mailFrom: String
        /// The envelope recipients (`RCPT TO`) the server accepted.
        public var recipients: [String]
        /// The message's raw bytes, as sent in `DATA`.
        public var data: Data

        /// The raw message as text.
        public var text: String { String(decoding: data, as: UTF8.self) }
    }

    private struct Configuration: Encodable {
        struct Auth: Encodable {
            var user: String
            var password: String
        }

        struct TLS: Encodable {
            var cert: String
            var key: String
        }

        var port: Int
        var folder: String
        var portFile: String
        var auth: Auth?
        var tls: TLS?
        var replies: [String: String]
    }

    /// The port it listens on, on 127.0.0.1; the same after ``restart()``.
    public let port: Int
    /// The options it was started with.
    public let options: Options
    /// The certificates it serves when it offers STARTTLS.
    public let certificates: TestCertificates?
    private let root: String
    private let interpreter: String
    private let running: Mutex<ScriptServer?>

    private init(
        port: Int, options: Options, certificates: TestCertificates?, root: String, interpreter: String,
        server: ScriptServer
    ) {
        self.port = port
        self.options = options
        self.certificates = certificates
        self.root = root
        self.interpreter = interpreter
        self.running = Mutex(server)
    }

    /// Starts a server.
    public static func start(_ options: Options = Options()) async throws -> TestSMTPServer {
        let interpreter = try await TestPython.interpreter(importing: "aiosmtpd")
        let certificates = options.startTLS ? try await TestCertificates.shared() : nil
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("stedenband-smtp-\(UUID())").path
        try FileManager.default.createDirectory(atPath: root + "/messages", withIntermediateDirectories: true)
        let server = try await launch(
            options: options, certificates: certificates, root: root, port: 0, interpreter: interpreter)
        return TestSMTPServer(
            port: server.port, options: options, certificates: certificates, root: root, interpreter: interpreter,
            server: server)
    }

    /// Runs `body` with a started server and stops the server afterwards, whether `body` returns or throws.
    public static func with<Result>(
        _ options: Options = Options(),
        _ body: (TestSMTPServer) async throws -> Result
    ) async throws -> Result {
        let server = try await start(options)
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    private static func launch(
        options: Options, certificates: TestCertificates?, root: String, port: Int, interpreter: String
    ) async throws -> ScriptServer {
        let configuration = Configuration(
            port: port,
            folder: root + "/messages",
            portFile: root + "/port",
            auth: options.credentials.map { Configuration.Auth(user: $0.user, password: $0.password) },
            tls: certificates.map { Configuration.TLS(cert: $0.serverCertificatePath, key: $0.serverKeyPath) },
            replies: options.recipientReplies
        )
        return try await ScriptServer.start(
            script: "smtp_server.py", interpreter: interpreter, configuration: configuration,
            configurationPath: root + "/config.json", portFile: root + "/port")
    }

    /// An `SMTP_URL` for this server, with its credentials: `?cacert=` the test CA when it offers
    /// STARTTLS, `?starttls=off` when it does not.
    public var url: String {
        if let certificates {
            return "\(baseURL)?cacert=\(certificates.caCertificatePath)"
        }
        return "\(baseURL)?starttls=off"
    }

    /// `smtp://[user:password@]127.0.0.1:port`, without any TLS option.
    public var baseURL: String {
        var userInfo = ""
        if let credentials = options.credentials {
            userInfo = "\(Self.percentEncoded(credentials.user)):\(Self.percentEncoded(credentials.password))@"
        }
        return "smtp://\(userInfo)127.0.0.1:\(port)"
    }

    /// `value` with everything but unreserved characters percent-encoded, for a URL's user information.
    public static func percentEncoded(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<"\u{80}"))
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    /// The messages received so far, oldest first.
    public func messages() throws -> [ReceivedMail] {
        try readRecords(in: root + "/messages", as: ReceivedMail.self)
    }

    /// Waits until at least `count` messages arrived, and returns them all.
    /// - Throws: when fewer arrived within `timeout`.
    public func waitForMessages(count: Int, timeout: Duration = .seconds(60)) async throws -> [ReceivedMail] {
        try await waitForRecords(
            in: root + "/messages", as: ReceivedMail.self, count: count, timeout: timeout, what: "messages")
    }

    /// Removes the server's folder; the process is gone by then (``ChildProcess`` kills it when dropped).
    deinit {
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Stops the server (its port then refuses connections); received messages stay readable.
    public func stop() async {
        let server = running.withLock { server in
            defer { server = nil }
            return server
        }
        await server?.child.terminate()
    }

    /// Starts the server again on the same port, after ``stop()``.
    public func restart() async throws {
        await stop()
        let server = try await Self.launch(
            options: options, certificates: certificates, root: root, port: port, interpreter: interpreter)
        running.withLock { $0 = server }
    }
}
