import Foundation
import Synchronization

/// A private certificate authority and a server certificate it signed for `127.0.0.1` and `localhost`,
/// made with the `openssl` command once per test process: what TLS tests trust and serve.
public struct TestCertificates: Sendable {
    /// The CA's certificate (PEM): what a client is told to trust.
    public let caCertificatePath: String
    /// The server's certificate (PEM).
    public let serverCertificatePath: String
    /// The server's private key (PEM).
    public let serverKeyPath: String

    private static let maker = Maker()
    private static let folderToRemove = Mutex<String?>(nil)

    /// The process's certificates, made on first use.
    public static func shared() async throws -> TestCertificates {
        try await maker.certificates()
    }

    private actor Maker {
        private var making: Task<TestCertificates, any Error>?

        func certificates() async throws -> TestCertificates {
            if let making { return try await making.value }
            let making = Task { try await TestCertificates.make() }
            self.making = making
            return try await making.value
        }
    }

    private static func make() async throws -> TestCertificates {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("stedenband-tls-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // The certificates serve the whole test process; remove them when it exits.
        folderToRemove.withLock { $0 = folder }
        atexit {
            guard let folder = TestCertificates.folderToRemove.withLock({ $0 }) else { return }
            try? FileManager.default.removeItem(atPath: folder)
        }
        let certificates = TestCertificates(
            caCertificatePath: folder + "/ca.pem",
            serverCertificatePath: folder + "/server.pem",
            serverKeyPath: folder + "/server.key"
        )
        let extensions = folder + "/server.ext"
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n"
            .write(toFile: extensions, atomically: true, encoding: .utf8)
        let curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try await openssl(
            ["req", "-x509"] + curve + [
                "-keyout", folder + "/ca.key", "-out", certificates.caCertificatePath, "-days", "2",
                "-subj", "/CN=stedenband test CA",
            ])
        try await openssl(
            ["req"] + curve + [
                "-keyout", certificates.serverKeyPath, "-out", folder + "/server.csr", "-subj", "/CN=localhost",
            ])
        try await openssl([
            "x509", "-req", "-in", folder + "/server.csr", "-CA", certificates.caCertificatePath,
            "-CAkey", folder + "/ca.key", "-CAcreateserial", "-out", certificates.serverCertificatePath,
            "-days", "2", "-extfile", extensions,
        ])
        return certificates
    }

    private static func openssl(_ arguments: [String]) async throws {
        let run = try await ChildProcess.run("/usr/bin/openssl", arguments)
        guard run.status == 0 else {
            throw ChildProcessError(description: "openssl \(arguments.first ?? "") failed: \(run.stderr)")
        }
    }
}
