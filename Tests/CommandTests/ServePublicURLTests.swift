import Foundation
import Gateway
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#endif

@Suite("serve without PUBLIC_URL mails links to the port it serves on")
struct ServePublicURLTests {
    /// A port nothing listens on now (the kernel's choice for a socket bound to port 0, then closed).
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #expect(descriptor >= 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        #expect(bound)
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @Test("serve --port P (no PUBLIC_URL): the sign-in link it writes for a person starts with http://127.0.0.1:P")
    func linksFollowThePort() async throws {
        let database = try await TestDatabase.migrated("servepublicurl")
        _ = try await TestTenant.create(in: database, slug: "herent", role: .viewer, email: "v@herent.be")
        let port = try Self.freePort()
        let run = try CommandRun(["serve", "--port", "\(port)"], environment: database.commandEnvironment())
        defer { if run.process.isRunning { run.process.terminate() } }
        let deadline = ContinuousClock.now + .seconds(60)
        while !run.standardOutput.contains("stedenband is serving on "), run.process.isRunning,
            ContinuousClock.now < deadline
        {
            try await Task.sleep(for: .milliseconds(20))
        }
        let base = "http://127.0.0.1:\(port)"
        #expect(run.standardOutput.contains("serving on \(base)"), "stderr: \(run.standardError)")

        // The sign-in form, as a new browser asks for a link: its CSRF cookie and field, then the address. A session
        // of its own: the shared one keeps the cookies of other tests' servers on 127.0.0.1 (cookies ignore the
        // port), and a browser that holds a CSRF cookie is given none.
        let session = URLSession(configuration: .ephemeral)
        let (_, first) = try await session.data(from: try #require(URL(string: base + "/sign-in")))
        let setCookie = try #require((first as? HTTPURLResponse)?.value(forHTTPHeaderField: "Set-Cookie"))
        let pair = try #require(setCookie.split(separator: ";").first { $0.hasPrefix("stedenband_csrf=") })
        let token = String(pair.dropFirst("stedenband_csrf=".count))
        var request = URLRequest(url: try #require(URL(string: base + "/sign-in")))
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.setValue(String(pair), forHTTPHeaderField: "Cookie")
        request.httpBody = Data("csrf=\(token)&email=v%40herent.be".utf8)
        let (_, answer) = try await session.data(for: request)
        #expect((answer as? HTTPURLResponse)?.url?.path == "/sign-in/sent")

        // Without SMTP_URL the link goes to standard error.
        let expected = "sign-in link for v@herent.be: \(base)/sign-in/link/"
        let written = ContinuousClock.now + .seconds(30)
        while !run.standardError.contains(expected), ContinuousClock.now < written {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(run.standardError.contains(expected), "stderr: \(run.standardError)")
        run.process.terminate()
        #expect(try await run.exitStatus(timeout: .seconds(20)) == 0)
    }
}
