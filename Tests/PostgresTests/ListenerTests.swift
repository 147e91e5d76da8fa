import Foundation
import Postgres
import TestSupport
import Testing

@Suite("LISTEN/NOTIFY")
struct ListenerTests {
    static let database = SuiteDatabase("listener")

    @Test("notifications arrive, and keep arriving after the listener's backend is killed")
    func deliversAndReconnects() async throws {
        let database = try await Self.database.get()
        let listener = PostgresListener(
            configuration: database.adminConfiguration,
            channels: ["jobs ready", "other"],
            reconnectDelay: .milliseconds(20),
            logger: TestLogger.make("listener")
        )
        let sender = try await database.connectAsAdmin()
        var events = listener.events().makeAsyncIterator()
        #expect(await events.next() == .listening)

        try await sender.query("SELECT pg_notify('jobs ready', \("payload 'one'"))")
        guard case .notification(let first) = await events.next() else {
            Issue.record("expected a notification")
            return
        }
        #expect(first.channel == "jobs ready")
        #expect(first.payload == "payload 'one'")
        #expect(first.senderPID == (await sender.backendPID))

        try await sender.query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND datname = \(database.name)"
        )
        #expect(await events.next() == .listening)
        try await sender.query("NOTIFY other, 'two'")
        guard case .notification(let second) = await events.next() else {
            Issue.record("expected a notification after reconnecting")
            return
        }
        #expect(second.channel == "other")
        #expect(second.payload == "two")
    }
}
