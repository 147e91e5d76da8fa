import Foundation
import TestSupport

/// oidc-provider-mock (PyPI), started by a test as a child process on 127.0.0.1 and a free port
/// (`scripts/test-servers/oidc_provider.py`), with the people it knows. Its Python is the virtual environment
/// scripts/install-deps fills: `.build/oidc-venv`, or `$OIDC_PROVIDER_VENV`.
final class TestOIDCProvider: Sendable {
    /// A person the provider knows; the test signs in as one by its `sub`.
    struct User: Encodable {
        var sub: String
        var email: String
        var emailVerified: Bool

        enum CodingKeys: String, CodingKey {
            case sub, email
            case emailVerified = "email_verified"
        }
    }

    private struct Configuration: Encodable {
        var portFile: String
        var users: [User]
    }

    /// The issuer: `http://127.0.0.1:PORT`, as the provider names itself in its tokens.
    let issuer: String
    private let child: ChildProcess
    private let python: String

    private init(issuer: String, child: ChildProcess, python: String) {
        self.issuer = issuer
        self.child = child
        self.python = python
    }

    /// The virtual environment's Python.
    static var python: String {
        let venv = ProcessInfo.processInfo.environment["OIDC_PROVIDER_VENV"] ?? TestPaths.root + "/.build/oidc-venv"
        return venv + "/bin/python"
    }

    /// Starts a provider knowing `users`, and waits until its discovery document answers.
    static func start(users: [User], timeout: Duration = .seconds(30)) async throws -> TestOIDCProvider {
        let python = Self.python
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw ChildProcessError(
                description: "no \(python): run scripts/install-deps, which installs oidc-provider-mock there")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("stedenband-oidc-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let portFile = folder + "/port"
        let configurationPath = folder + "/config.json"
        try JSONEncoder().encode(Configuration(portFile: portFile, users: users))
            .write(to: URL(fileURLWithPath: configurationPath))
        let child = try ChildProcess(python, ["-u", TestPython.script("oidc_provider.py"), configurationPath])
        let deadline = ContinuousClock.now + timeout
        while true {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8), let port = Int(text) {
                return TestOIDCProvider(issuer: "http://127.0.0.1:\(port)", child: child, python: python)
            }
            guard child.process.isRunning else {
                throw ChildProcessError(
                    description: "oidc_provider.py exited before it was ready: \(child.standardError)")
            }
            guard ContinuousClock.now < deadline else {
                await child.terminate()
                throw ChildProcessError(description: "oidc_provider.py was not ready within \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// What the person's browser does at the provider: posts the authorization form as `sub` to
    /// `authorizationURL` and returns where the provider redirects it (the callback, with `code` and `state`).
    func authorize(_ authorizationURL: String, as sub: String) async throws -> String {
        let script = """
            import sys, httpx
            answer = httpx.post(sys.argv[1], data={"sub": sys.argv[2]}, timeout=20)
            print(answer.status_code)
            print(answer.headers.get("location", ""))
            """
        let run = try await ChildProcess.run(python, ["-c", script, authorizationURL, sub])
        let lines = run.stdout.split(separator: "\n").map(String.init)
        guard run.status == 0, lines.count == 2, lines[0] == "302" else {
            throw ChildProcessError(
                description: """
                    the provider did not redirect back: \(run.stdout) \(run.stderr)
                    the provider's log ends:
                    \(child.standardError.split(separator: "\n").suffix(30).joined(separator: "\n"))
                    """)
        }
        return lines[1]
    }

    /// Stops the provider.
    func stop() async {
        await child.terminate()
    }
}
