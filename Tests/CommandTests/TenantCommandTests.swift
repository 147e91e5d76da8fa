import Foundation
import Postgres
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

@Suite("stedenband tenant and platform-admin, against a live server")
struct TenantCommandTests {
    struct Created: Decodable {
        struct Tenant: Decodable {
            var id: UUID
            var slug: String
        }
        struct User: Decodable {
            var id: UUID
            var email: String
            var role: String
        }
        var tenant: Tenant
        var user: User
        var token: String
    }

    private func serve(_ env: [String: String]) async throws -> (CommandRun, String) {
        let run = try CommandRun(["serve", "--port", "0", "--no-workers"], environment: env)
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline, run.process.isRunning {
            if let line = run.standardOutput.split(separator: "\n").first(where: {
                $0.hasPrefix("stedenband is serving on ")
            }) {
                return (run, String(line.dropFirst("stedenband is serving on ".count)))
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw CommandTimeout(arguments: ["serve"])
    }

    private func status(
        _ base: String, _ path: String, token: String?, method: String = "GET", body: String? = nil
    ) async throws -> (Int, Data) {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(body.utf8)
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    @Test("tenant create prints a token once that authenticates its administrator; disable stops it")
    func createUseAndDisable() async throws {
        let database = try await TestDatabase.migrated("tenantcli")
        let env = database.commandEnvironment()
        let created = try await CommandRun.run(
            [
                "tenant", "create", "sint-niklaas", "--name", "Sint-Niklaas", "--admin-email",
                "stedenband@sint-niklaas.be", "--json",
            ],
            environment: env
        )
        #expect(created.status == 0, "\(created.stderr)")
        let result = try JSONDecoder().decode(Created.self, from: Data(created.stdout.utf8))
        #expect(result.tenant.slug == "sint-niklaas")
        #expect(result.user.role == "admin")
        #expect(result.token.hasPrefix("sbt_"))

        let duplicate = try await CommandRun.run(
            ["tenant", "create", "sint-niklaas", "--name", "Again", "--admin-email", "x@y.be"],
            environment: env
        )
        #expect(duplicate.status != 0)
        #expect(duplicate.stderr.contains("already exists"))
        let invalid = try await CommandRun.run(
            [
                "tenant", "create", "Bad Slug", "--name", "X", "--admin-email", "nope", "--locale", "de", "--timezone",
                "Mars/Base",
            ],
            environment: env
        )
        #expect(invalid.status != 0)
        for field in ["slug", "adminEmail", "locale", "timeZone"] { #expect(invalid.stderr.contains(field)) }

        let admin = try await CommandRun.run(
            ["platform-admin", "create", "--email", "ops@example.org", "--json"], environment: env)
        #expect(admin.status == 0, "\(admin.stderr)")
        let adminToken = try #require(
            try JSONSerialization.jsonObject(with: Data(admin.stdout.utf8)) as? [String: String]
        )["token"]
        // The same address again, in another case: a clear refusal, not an unhandled error.
        let again = try await CommandRun.run(
            ["platform-admin", "create", "--email", "Ops@Example.org"], environment: env)
        #expect(again.status == 1)
        #expect(again.stderr.contains("a platform administrator with the e-mail Ops@Example.org already exists"))
        #expect(!again.stderr.contains("PostgresError"))
        #expect(again.stdout.isEmpty)

        let (server, base) = try await serve(env)
        defer { server.process.terminate() }
        let (ok, body) = try await status(base, "/api/v1/me", token: result.token)
        #expect(ok == 200)
        #expect(String(decoding: body, as: UTF8.self).contains("stedenband@sint-niklaas.be"))
        let (adminStatus, adminBody) = try await status(base, "/api/v1/me", token: adminToken)
        #expect(adminStatus == 200)
        #expect(String(decoding: adminBody, as: UTF8.self).contains("platform_admin"))
        #expect(try await status(base, "/api/v1/me", token: nil).0 == 401)

        // A second municipality, made the same way, cannot reach the first's users by any route.
        let other = try await CommandRun.run(
            ["tenant", "create", "roeselare", "--name", "Roeselare", "--admin-email", "admin@roeselare.be", "--json"],
            environment: env
        )
        let second = try JSONDecoder().decode(Created.self, from: Data(other.stdout.utf8))
        let firstUser = "/api/v1/users/\(result.user.id.uuidString.lowercased())"
        #expect(try await status(base, firstUser, token: second.token).0 == 404)
        #expect(try await status(base, firstUser, token: result.token).0 == 200)
        let (listStatus, listBody) = try await status(base, "/api/v1/users?limit=200", token: second.token)
        #expect(listStatus == 200)
        #expect(!String(decoding: listBody, as: UTF8.self).contains("sint-niklaas.be"))

        // Every user route, with the second municipality's admin token, at the first's user and token ids: each
        // is a 404 with the body a random id gets, and nothing of the first changes.
        let (issuedStatus, issuedBody) = try await status(
            base, "\(firstUser)/tokens", token: result.token, method: "POST", body: #"{"name": "kept"}"#)
        #expect(issuedStatus == 201)
        let issued = try #require(try JSONSerialization.jsonObject(with: issuedBody) as? [String: Any])
        let firstToken = try #require(issued["id"] as? String)
        let firstTokenValue = try #require(issued["token"] as? String)
        let (_, firstBefore) = try await status(base, firstUser, token: result.token)
        let random = UUID().uuidString.lowercased()
        let attempts: [(method: String, path: String, randomPath: String, body: String?)] = [
            ("GET", firstUser, "/api/v1/users/\(random)", nil),
            ("PATCH", firstUser, "/api/v1/users/\(random)", #"{"name": "Taken over", "role": "viewer"}"#),
            ("DELETE", firstUser, "/api/v1/users/\(random)", nil),
            ("POST", "\(firstUser)/tokens", "/api/v1/users/\(random)/tokens", #"{"name": "stolen"}"#),
            ("DELETE", "/api/v1/tokens/\(firstToken)", "/api/v1/tokens/\(random)", nil),
        ]
        for attempt in attempts {
            let (foreignStatus, foreignBody) = try await status(
                base, attempt.path, token: second.token, method: attempt.method, body: attempt.body)
            let (missingStatus, missingBody) = try await status(
                base, attempt.randomPath, token: second.token, method: attempt.method, body: attempt.body)
            #expect(foreignStatus == 404, "\(attempt.method) \(attempt.path)")
            #expect(missingStatus == 404, "\(attempt.method) \(attempt.randomPath)")
            #expect(
                foreignBody == missingBody, "\(attempt.method) \(attempt.path) tells a foreign id from a missing one")
        }
        let (afterStatus, firstAfter) = try await status(base, firstUser, token: result.token)
        #expect(afterStatus == 200)
        // Compared as JSON: the encoder does not promise an order of keys.
        let before = try #require(try JSONSerialization.jsonObject(with: firstBefore) as? [String: String])
        let after = try #require(try JSONSerialization.jsonObject(with: firstAfter) as? [String: String])
        #expect(after == before)
        #expect(before["name"] != "Taken over" && before["role"] == "admin")
        #expect(try await status(base, "/api/v1/me", token: firstTokenValue).0 == 200)
        #expect(try await status(base, "/api/v1/me", token: result.token).0 == 200)

        let listed = try await CommandRun.run(["tenant", "list"], environment: env)
        #expect(listed.stdout.contains("sint-niklaas\tSint-Niklaas"))
        #expect(try await CommandRun.run(["tenant", "disable", "sint-niklaas"], environment: env).status == 0)
        // Refused as soon as the server hears of it: the disabling's notification clears its identity cache
        // milliseconds after the commit (docs/security.md), so poll with a deadline rather than race it.
        let deadline = ContinuousClock.now + .seconds(60)
        var afterDisable = try await status(base, "/api/v1/me", token: result.token).0
        while afterDisable != 401 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
            afterDisable = try await status(base, "/api/v1/me", token: result.token).0
        }
        #expect(afterDisable == 401)
        #expect(try await CommandRun.run(["tenant", "disable", "nowhere"], environment: env).status != 0)
    }

    @Test("tenant set --token-expiry-days sets the default of new tokens: days, never, or a refusal")
    func tokenExpiryDays() async throws {
        let database = try await TestDatabase.migrated("tenantexpiry")
        let env = ["DATABASE_URL": database.url, "STEDENBAND_MIGRATIONS": TestPaths.migrations]
        let created = try await CommandRun.run(
            ["tenant", "create", "aalst", "--name", "Aalst", "--admin-email", "admin@aalst.be"], environment: env)
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.contains("It expires in 365 days"))
        func stored() async throws -> Int? {
            let admin = try await database.connectAsAdmin()
            let days = try await admin.query("SELECT token_expiry_days FROM platform.tenants WHERE slug = 'aalst'")[0]
                .decode(Int?.self, column: 0)
            await admin.close()
            return days
        }
        #expect(try await stored() == 365)
        let set = try await CommandRun.run(["tenant", "set", "aalst", "--token-expiry-days", "30"], environment: env)
        #expect(set.status == 0, "\(set.stderr)")
        #expect(try await stored() == 30)
        // Another change leaves the default alone.
        #expect(try await CommandRun.run(["tenant", "set", "aalst", "--name", "Aalst"], environment: env).status == 0)
        #expect(try await stored() == 30)
        let never = try await CommandRun.run(
            ["tenant", "set", "aalst", "--token-expiry-days", "never"], environment: env)
        #expect(never.status == 0, "\(never.stderr)")
        #expect(try await stored() == nil)
        for bad in ["0", "3651", "soon"] {
            let refused = try await CommandRun.run(
                ["tenant", "set", "aalst", "--token-expiry-days", bad], environment: env)
            #expect(refused.status != 0, "\(bad)")
            #expect(refused.stderr.contains("--token-expiry-days must be a number of days from 1 to 3650"), "\(bad)")
        }
        #expect(try await stored() == nil)
    }
}
