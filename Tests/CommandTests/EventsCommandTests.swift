import Foundation
import Postgres
import TestSupport
import Testing

@Suite("stedenband events, for operators")
struct EventsCommandTests {
    static let receiver = "diagnostics.probe_receiver"

    struct Stats: Decodable {
        struct Subscriber: Decodable {
            var subscriber: String
            var waiting: Int
            var oldestWaitingAgeSeconds: Double
            var retrying: Int
            var nextRetryAt: String?
            var dead: Int
        }

        var subscribers: [Subscriber]
        var waiting: Int
        var retrying: Int
        var dead: Int

        func of(_ name: String) throws -> Subscriber {
            try #require(subscribers.first { $0.subscriber == name })
        }
    }

    struct DeadEvent: Decodable {
        struct Failure: Decodable {
            var attempt: Int
            var error: String
            var redelivery: Bool?
        }

        var subscriber: String
        var tenantSlug: String
        var eventID: UUID
        var eventName: String?
        var lastError: String?
        var errors: [Failure]
    }

    struct Redelivery: Decodable {
        var eventID: UUID
        var delivered: Bool
        var error: String?
    }

    struct JobsStats: Decodable {
        struct EventDeliveries: Decodable {
            var waiting: Int
            var dead: Int
        }

        var eventDeliveries: EventDeliveries
    }

    private func migrated(_ label: String, tenants: [String]) async throws -> TestDatabase {
        let database = try await TestDatabase.migrated(label)
        let admin = try await database.connectAsAdmin()
        for slug in tenants {
            try await admin.query("INSERT INTO platform.tenants (slug, name) VALUES (\(slug), \(slug.capitalized))")
        }
        await admin.close()
        return database
    }

    private func probe(_ tenant: String, count: Int, _ environment: [String: String]) async throws {
        let sent = try await CommandRun.run(
            ["diagnostics", "probe", "--tenant", tenant, "--count", "\(count)", "--timeout", "0"],
            environment: environment)
        #expect(sent.status == 0, "\(sent.stderr)")
    }

    private func stats(_ environment: [String: String]) async throws -> Stats {
        let run = try await CommandRun.run(["events", "stats", "--json"], environment: environment)
        #expect(run.status == 0, "\(run.stderr)")
        return try JSONDecoder().decode(Stats.self, from: Data(run.stdout.utf8))
    }

    private func dead(_ environment: [String: String]) async throws -> [DeadEvent] {
        let run = try await CommandRun.run(["events", "dead", "--json"], environment: environment)
        #expect(run.status == 0, "\(run.stderr)")
        return try JSONDecoder().decode([DeadEvent].self, from: Data(run.stdout.utf8))
    }

    /// Runs a worker until `condition` holds (or 90 s pass), then stops it; answers whether it held.
    private func runWorker(
        _ environment: [String: String], until condition: () async throws -> Bool
    ) async throws -> Bool {
        let worker = try CommandRun(["worker"], environment: environment)
        let deadline = ContinuousClock.now + .seconds(90)
        var held = try await condition()
        while !held, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
            held = try await condition()
        }
        worker.process.terminate()
        #expect(try await worker.exitStatus(timeout: .seconds(20)) == 0, "\(worker.standardError)")
        return held
    }

    @Test("stats count each subscriber's waiting events over the municipalities before a drain, and none after")
    func statsShowTheLag() async throws {
        let database = try await migrated("eventsstats", tenants: ["herent", "dogbo"])
        let env = database.commandEnvironment()
        try await probe("herent", count: 2, env)
        try await probe("dogbo", count: 1, env)

        // No subscriber has a cursor yet: every municipality counts from the origin.
        let before = try await stats(env)
        let receiver = try before.of(Self.receiver)
        #expect(receiver.waiting == 3)
        #expect(receiver.oldestWaitingAgeSeconds > 0)
        #expect(receiver.retrying == 0)
        #expect(receiver.dead == 0)
        // Every installed subscriber's cursors pass the probes too (the ones it does not hear without reading).
        #expect(before.subscribers.count > 1)
        #expect(before.subscribers.allSatisfy { $0.waiting == 3 })
        #expect(before.waiting == 3 * before.subscribers.count)
        let table = try await CommandRun.run(["events", "stats"], environment: env)
        #expect(table.status == 0, "\(table.stderr)")
        let line = try #require(table.stdout.split(separator: "\n").first { $0.hasPrefix(Self.receiver) })
        #expect(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first == "3")

        // Someone looking at the jobs is pointed at the events.
        let jobs = try await CommandRun.run(["jobs", "stats"], environment: env)
        #expect(jobs.status == 0, "\(jobs.stderr)")
        #expect(jobs.stdout.contains("Event deliveries: \(before.waiting) events waiting, 0 retrying, 0 dead"))
        #expect(jobs.stdout.contains("stedenband events stats"))
        let jobsJSON = try await CommandRun.run(["jobs", "stats", "--json"], environment: env)
        let totals = try JSONDecoder().decode(JobsStats.self, from: Data(jobsJSON.stdout.utf8)).eventDeliveries
        #expect(totals.waiting == before.waiting)
        #expect(totals.dead == 0)

        let admin = try await database.connectAsAdmin()
        let drained = try await runWorker(env) {
            // Every subscriber has made its cursors once it passed the probes.
            try await admin.query(
                """
                SELECT count(*) = 0 FROM messaging.event_cursor_stats(\(before.subscribers.map(\.subscriber))::text[])
                WHERE waiting > 0
                """)[0].decode(Bool.self, column: 0)
        }
        #expect(drained)
        await admin.close()
        let after = try await stats(env)
        #expect(after.waiting == 0)
        #expect(try after.of(Self.receiver).waiting == 0)
        #expect(try after.of(Self.receiver).oldestWaitingAgeSeconds == 0)
    }

    @Test("an event that failed its last attempt is listed with its error, and redelivered once its cause is gone")
    func deadEventsAndRedelivery() async throws {
        let database = try await migrated("eventsdead", tenants: ["herent"])
        let env = database.commandEnvironment()
        let admin = try await database.connectAsAdmin()
        func count(_ sql: PostgresQuery) async throws -> Int {
            try await admin.query(sql)[0].decode(Int.self, column: 0)
        }
        // The cause: the receiver cannot record probes.
        try await admin.query(
            """
            CREATE FUNCTION diagnostics.receipts_closed() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'probe receipts are closed' USING ERRCODE = 'SB001';
            END
            $$
            """)
        try await admin.query(
            """
            CREATE TRIGGER receipts_closed BEFORE INSERT ON diagnostics.probe_receipts
            FOR EACH ROW EXECUTE FUNCTION diagnostics.receipts_closed()
            """)
        // Twenty attempts with their backoff take hours: the receiver's cursor is made where it would start,
        // having failed nineteen times, with its retry due.
        try await admin.query(
            """
            INSERT INTO messaging.event_cursors (subscriber, tenant_id, xid, position, attempt, retry_at)
            SELECT \(Self.receiver), t.id, o.xid, o.position, 19, now() - interval '1 second'
            FROM platform.tenants t, messaging.cursor_origin o
            """)
        try await probe("herent", count: 1, env)
        let waiting = try await stats(env).of(Self.receiver)
        #expect(waiting.waiting == 1)
        #expect(waiting.retrying == 1)
        #expect(waiting.nextRetryAt != nil)

        #expect(try await runWorker(env) { try await count("SELECT count(*) FROM messaging.dead_events") == 1 })
        let listed = try await dead(env)
        let event = try #require(listed.first)
        #expect(listed.count == 1)
        #expect(event.subscriber == Self.receiver)
        #expect(event.tenantSlug == "herent")
        #expect(event.eventName == "diagnostics.probe_sent.v1")
        #expect(event.lastError?.contains("SB001") == true)
        let figures = try await stats(env).of(Self.receiver)
        #expect(figures.dead == 1)
        #expect(figures.waiting == 0)
        #expect(figures.retrying == 0)
        let text = try await CommandRun.run(["events", "dead", "--subscriber", Self.receiver], environment: env)
        #expect(text.stdout.contains(event.eventID.uuidString.lowercased()))
        #expect(text.stdout.contains("herent"))
        #expect(text.stdout.contains("last error: "))
        let other = try await CommandRun.run(["events", "dead", "--subscriber", "reporting.nothing"], environment: env)
        #expect(other.stdout.contains("No dead events."))

        // While the cause remains, the redelivery fails: the event stays dead with one more error.
        let redeliver = ["events", "redeliver", "--subscriber", Self.receiver, "--event", event.eventID.uuidString]
        let failing = try await CommandRun.run(redeliver, environment: env)
        #expect(failing.status != 0)
        #expect(failing.stdout.contains("Not delivered"))
        #expect(failing.stdout.contains("SB001"))
        let still = try #require(try await dead(env).first)
        #expect(still.eventID == event.eventID)
        #expect(still.errors.count == event.errors.count + 1)
        #expect(still.errors.last?.redelivery == true)
        #expect(try await count("SELECT count(*) FROM diagnostics.probe_receipts") == 0)

        // The cause fixed, it is delivered through the receiver's handler, and leaves the dead letter.
        try await admin.query("DROP TRIGGER receipts_closed ON diagnostics.probe_receipts")
        let delivered = try await CommandRun.run(redeliver + ["--json"], environment: env)
        #expect(delivered.status == 0, "\(delivered.stderr)")
        let outcome = try JSONDecoder().decode([Redelivery].self, from: Data(delivered.stdout.utf8))
        #expect(outcome.map(\.eventID) == [event.eventID])
        #expect(outcome.first?.delivered == true)
        #expect(
            try await count("SELECT count(*) FROM diagnostics.probe_receipts WHERE event_id = \(event.eventID)") == 1)
        #expect(try await count("SELECT count(*) FROM messaging.dead_events") == 0)
        #expect(try await stats(env).of(Self.receiver).dead == 0)

        // Once delivered it is no longer dead; an unknown subscriber is named as such, with the known ones.
        let again = try await CommandRun.run(redeliver, environment: env)
        #expect(again.status != 0)
        #expect(again.stderr.contains("has no dead event \(event.eventID.uuidString.lowercased())"))
        let none = try await CommandRun.run(
            ["events", "redeliver", "--subscriber", Self.receiver, "--all"], environment: env)
        #expect(none.status == 0, "\(none.stderr)")
        #expect(none.stdout.contains("has no dead events"))
        let unknown = try await CommandRun.run(
            ["events", "redeliver", "--subscriber", "diagnostics.nobody", "--all"], environment: env)
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("no subscriber named diagnostics.nobody"))
        #expect(unknown.stderr.contains(Self.receiver))
        let neither = try await CommandRun.run(
            ["events", "redeliver", "--subscriber", Self.receiver], environment: env)
        #expect(neither.status != 0)
        #expect(neither.stderr.contains("--event ID or --all"))
        await admin.close()
    }
}
