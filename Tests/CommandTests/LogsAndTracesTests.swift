import Foundation
import Gateway
import Postgres
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `serve` with `LOG_FORMAT=json` against the real database and SMTP server: the log a log store reads, and a
/// request followed by its trace id to the digest it caused (docs/logs-and-traces.md).
@Suite("logs for a log store, and one trace from a request to its mail")
struct LogsAndTracesTests {
    /// The trace the tests send, as a caller's `traceparent` names it.
    static let traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
    static let callerSpan = "00f067aa0ba902b7"

    /// A session of the tests' own that keeps no cookies: other suites' servers on 127.0.0.1 set theirs.
    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        return URLSession(configuration: configuration)
    }()

    /// The running server, its base URL, and what it logged.
    struct Server {
        let run: CommandRun
        let base: String

        /// Sends a request and answers the body, the status and the response's headers.
        func send(
            _ method: String, _ path: String, token: String? = nil, json: String? = nil,
            headers: [String: String] = [:]
        ) async throws -> (status: Int, body: [String: Any], headers: [String: String]) {
            var request = URLRequest(url: try #require(URL(string: base + path)))
            request.httpMethod = method
            if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
            if let json {
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
                request.httpBody = Data(json.utf8)
            }
            for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
            let (data, response) = try await LogsAndTracesTests.session.data(for: request)
            let http = try #require(response as? HTTPURLResponse)
            var fields: [String: String] = [:]
            for (name, value) in http.allHeaderFields {
                if let name = name as? String, let value = value as? String { fields[name.lowercased()] = value }
            }
            let body = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
            return (http.statusCode, body, fields)
        }

        /// The JSON log lines written so far, each parsed.
        func lines() throws -> [[String: Any]] {
            try run.standardError.split(separator: "\n").map { line in
                try #require(
                    try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                    "not a JSON object: \(line)")
            }
        }
    }

    /// Starts `serve --migrate`-less on a migrated database with JSON logs at info, every line written at once.
    static func serve(_ database: TestDatabase, smtp: TestSMTPServer) async throws -> Server {
        let port = try ServePublicURLTests.freePort()
        var environment = database.commandEnvironment()
        environment["LOG_FORMAT"] = "json"
        environment["LOG_LEVEL"] = "info"
        environment["LOG_FLUSH_INTERVAL_MS"] = "0"
        environment["SMTP_URL"] = smtp.url
        let run = try CommandRun(["serve", "--port", "\(port)"], environment: environment)
        let deadline = ContinuousClock.now + .seconds(60)
        while !run.standardOutput.contains("stedenband is serving on "), run.process.isRunning,
            ContinuousClock.now < deadline
        {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(run.standardOutput.contains("serving on"), "stderr: \(run.standardError)")
        return Server(run: run, base: "http://127.0.0.1:\(port)")
    }

    /// Polls `condition` until it holds or `timeout` passes.
    static func waitUntil(
        _ what: String, timeout: Duration = .seconds(60), _ condition: () async throws -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("timed out waiting for \(what)")
    }

    @Test(
        """
        a PATCH with a traceparent leads to a digest mail: the trace id is in the JSON lines of the request, the \
        inbox's handler, the delivery job and the SMTP send; diagnostics trace and jobs list --trace show the \
        chain; an invalid traceparent starts a new trace; no token or mail body is in any line
        """
    )
    func requestToMail() async throws {
        let database = try await TestDatabase.migrated("logsandtraces")
        let coordinator = try await TestTenant.create(in: database, slug: "roeselare", role: .coordinator)
        let partner = try await TestTenant.create(
            in: database, slug: "roeselare", role: .partnerCoordinator, email: "partner@roeselare.be")
        let smtp = try await TestSMTPServer.start()
        let server = try await Self.serve(database, smtp: smtp)
        defer { if server.run.process.isRunning { server.run.process.terminate() } }

        // The scene, each request in a trace of its own.
        let settings = try await server.send(
            "PUT", "/api/v1/me/notifications", token: partner.token.value,
            json: #"{"frequency": "daily", "hour": 7, "timeZone": "Europe/Brussels", "locale": "en"}"#)
        #expect(settings.status == 200)
        let partnership = try await server.send(
            "POST", "/api/v1/partnerships", token: coordinator.token.value,
            json: #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}, "status": "active"}"#)
        let partnershipID = try #require(partnership.body["id"] as? String)
        let member = try await server.send(
            "POST", "/api/v1/partnerships/\(partnershipID)/members", token: coordinator.token.value,
            json: #"{"userId": "\#(partner.userID.uuidString.lowercased())", "role": "partner_coordinator"}"#)
        #expect(member.status == 201)
        let activity = try await server.send(
            "POST", "/api/v1/partnerships/\(partnershipID)/activities", token: coordinator.token.value,
            json: #"{"title": "Handwashing stations", "kind": "other", "direction": "mutual"}"#)
        let activityID = try #require(activity.body["id"] as? String)

        // The request followed: the caller's trace is kept, the server answers with a span of its own.
        let incoming = "00-\(Self.traceID)-\(Self.callerSpan)-01"
        let patched = try await server.send(
            "PATCH", "/api/v1/activities/\(activityID)", token: coordinator.token.value,
            json: #"{"title": "Handwashing stations in Dogbo"}"#, headers: ["traceparent": incoming])
        #expect(patched.status == 200)
        let answered = try #require(patched.headers["traceparent"])
        #expect(answered.hasPrefix("00-\(Self.traceID)-") && answered.hasSuffix("-01"))
        #expect(answered != incoming, "the server's span is its own")

        // An invalid traceparent is not refused: the request runs in a new trace, which the answer names.
        let invalid = try await server.send(
            "GET", "/api/v1/partnerships", token: coordinator.token.value,
            headers: ["traceparent": "00-\(Self.traceID.uppercased())-\(Self.callerSpan)-01"])
        #expect(invalid.status == 200)
        let restarted = try #require(invalid.headers["traceparent"])
        #expect(restarted.utf8.count == 55 && !restarted.contains(Self.traceID))
        let newTrace = String(restarted.dropFirst(3).prefix(32))

        // The inbox hears the update; the digest over the window is claimed by the operator's command, and the
        // server's workers mail it.
        let admin = try await database.connectAsAdmin()
        try await Self.waitUntil("the inbox line of the traced event") {
            try await admin.query(
                "SELECT count(*) FROM notifications.inbox WHERE trace_parent LIKE \("00-\(Self.traceID)-%")"
            )[0].decode(Int.self, column: 0) == 1
        }
        await admin.close()
        let at = Date().addingTimeInterval(2 * 86_400).formatted(.iso8601)
        let claimed = try await CommandRun.run(
            ["digests", "run", "--at", at], environment: database.commandEnvironment())
        #expect(claimed.status == 0, "\(claimed.stderr)")
        let mails = try await smtp.waitForMessages(count: 1, timeout: .seconds(60))
        let mail = try #require(mails.first)
        #expect(mail.recipients == ["partner@roeselare.be"])
        #expect(mail.text.contains("Handwashing stations in Dogbo"))

        // The trace through the JSON lines.
        try await Self.waitUntil("the delivery job's last line") {
            try server.lines().contains {
                $0["message"] as? String == "job completed"
                    && $0["job.kind"] as? String == "notifications.deliver_digest"
            }
        }
        let lines = try server.lines()
        for line in lines {
            for key in ["timestamp", "level", "label", "message", "source"] {
                #expect(line[key] is String, "\(key) missing from \(line)")
            }
        }
        let traced = lines.filter { $0["trace_id"] as? String == Self.traceID }
        func has(_ message: String, _ field: String? = nil, _ value: String? = nil) -> Bool {
            traced.contains { line in
                line["message"] as? String == message && field.map { line[$0] as? String == value } ?? true
            }
        }
        #expect(has("request", "http.route", "/api/v1/activities/{id}"), "\(traced)")
        #expect(has("request", "http.status", "200"))
        #expect(has("events handled", "subscriber", "notifications.inbox"), "\(traced)")
        #expect(has("job completed", "job.kind", "notifications.deliver_digest"), "\(traced)")
        #expect(has("mail sent"), "\(traced)")
        #expect(traced.allSatisfy { ($0["span_id"] as? String)?.utf8.count == 16 })
        // The access log is one line per request: one for the PATCH.
        #expect(traced.filter { $0["message"] as? String == "request" }.count == 1)
        // The request with the invalid header logged in its new trace.
        #expect(lines.contains { $0["trace_id"] as? String == newTrace && $0["message"] as? String == "request" })
        let timestamp = try #require(traced.first?["timestamp"] as? String)
        #expect(timestamp.hasSuffix("Z") && ISO8601DateFormatter().date(from: timestamp) != nil)

        // The chain, as an operator reads it.
        let env = database.commandEnvironment()
        let chain = try await CommandRun.run(["diagnostics", "trace", Self.traceID, "--json"], environment: env)
        #expect(chain.status == 0, "\(chain.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(chain.stdout.utf8)) as? [String: Any])
        let events = try #require(report["events"] as? [[String: Any]])
        #expect(events.map { $0["name"] as? String } == ["activities.activity_updated.v1"])
        let jobs = try #require(report["jobs"] as? [[String: Any]])
        #expect(
            jobs.contains {
                $0["kind"] as? String == "notifications.deliver_digest" && $0["state"] as? String == "completed"
                    && $0["attempt"] as? Int == 1
            }, "\(jobs)")
        let digests = try #require(report["digests"] as? [[String: Any]])
        #expect(digests.count == 1)
        #expect(digests.first?["status"] as? String == "sent")
        #expect(digests.first?["channels"] as? [String] == ["email"])
        #expect(digests.first?["userId"] as? String == partner.userID.uuidString.lowercased())
        let text = try await CommandRun.run(["diagnostics", "trace", Self.traceID.uppercased()], environment: env)
        #expect(text.status == 0)
        #expect(text.stdout.contains("activities.activity_updated.v1"))
        #expect(text.stdout.contains("notifications.deliver_digest  completed  attempt 1"))
        #expect(text.stdout.contains("  sent  email  to user \(partner.userID.uuidString.lowercased())"))

        let listed = try await CommandRun.run(["jobs", "list", "--trace", Self.traceID, "--json"], environment: env)
        #expect(listed.status == 0, "\(listed.stderr)")
        let listedJobs = try #require(
            try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        #expect(listedJobs.contains { $0["kind"] as? String == "notifications.deliver_digest" })
        #expect(listedJobs.allSatisfy { ($0["traceParent"] as? String)?.contains(Self.traceID) == true })

        // An id that is not one is refused; one that caused nothing says so.
        let bad = try await CommandRun.run(["jobs", "list", "--trace", "not-a-trace"], environment: env)
        #expect(bad.status != 0 && bad.stderr.contains("--trace must be a trace id"))
        let unknown = try await CommandRun.run(
            ["diagnostics", "trace", String(repeating: "ab", count: 16)], environment: env)
        #expect(unknown.status != 0 && unknown.stderr.contains("nothing was published or enqueued"))

        // Neither token, nor the mail's body, in any line.
        server.run.process.terminate()
        #expect(try await server.run.exitStatus(timeout: .seconds(20)) == 0)
        let log = server.run.standardError + server.run.standardOutput + claimed.stderr + claimed.stdout
        #expect(!log.isEmpty)
        for secret in [coordinator.token.value, partner.token.value] {
            #expect(!log.contains(secret))
            #expect(!log.contains(String(secret.suffix(20))))
        }
        let unsubscribe = try #require(mail.text.firstMatch(of: /sbu_[A-Za-z0-9_-]+/)?.output)
        #expect(!log.contains(String(unsubscribe)))
        #expect(!log.contains("Handwashing stations in Dogbo"), "the mail's body (and the event's payload) stay out")
        await smtp.stop()
    }

    @Test("a sign-in link mailed by a request: its token is in the mail, in no log line; every line is JSON")
    func signInMailStaysOutOfTheLog() async throws {
        let database = try await TestDatabase.migrated("logsignin")
        _ = try await TestTenant.create(in: database, slug: "herent", role: .viewer, email: "v@herent.be")
        let smtp = try await TestSMTPServer.start()
        let server = try await Self.serve(database, smtp: smtp)
        defer { if server.run.process.isRunning { server.run.process.terminate() } }

        let (_, first) = try await LogsAndTracesTests.session.data(
            from: try #require(URL(string: server.base + "/sign-in")))
        let setCookie = try #require((first as? HTTPURLResponse)?.value(forHTTPHeaderField: "Set-Cookie"))
        let pair = try #require(setCookie.split(separator: ";").first { $0.hasPrefix("stedenband_csrf=") })
        let csrf = String(pair.dropFirst("stedenband_csrf=".count))
        var request = URLRequest(url: try #require(URL(string: server.base + "/sign-in")))
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.setValue(String(pair), forHTTPHeaderField: "Cookie")
        request.httpBody = Data("csrf=\(csrf)&email=v%40herent.be".utf8)
        _ = try await LogsAndTracesTests.session.data(for: request)
        let mail = try #require(try await smtp.waitForMessages(count: 1, timeout: .seconds(30)).first)
        let link = try #require(mail.text.firstMatch(of: /\/sign-in\/link\/([A-Za-z0-9_-]+)/)?.output.1)
        try await Self.waitUntil("the mail's line") {
            try server.lines().contains { $0["message"] as? String == "mail sent" }
        }

        server.run.process.terminate()
        #expect(try await server.run.exitStatus(timeout: .seconds(20)) == 0)
        let lines = try server.lines()
        #expect(lines.contains { $0["message"] as? String == "request" && $0["http.route"] as? String == "/sign-in" })
        #expect(lines.contains { $0["message"] as? String == "mail sent" && $0["trace_id"] is String })
        let log = server.run.standardError + server.run.standardOutput
        #expect(!log.contains(String(link)))
        #expect(!log.contains(csrf))
        await smtp.stop()
    }

    @Test("LOG_FORMAT other than text or json stops the command before any line, naming the variable")
    func refusesAnUnknownFormat() async throws {
        var environment = ["LOG_FORMAT": "yaml"]
        environment["DATABASE_URL"] = "postgresql://127.0.0.1:1/none"
        let run = try await CommandRun.run(["jobs", "stats"], environment: environment)
        #expect(run.status != 0)
        #expect(run.stderr.contains("LOG_FORMAT must be text or json"))
    }
}
