import Foundation
import Messaging
import Postgres
import TestSupport
import Testing

@Suite("The event log, read back for a replay")
struct EventLogTests {
    struct OtherThing: Event {
        static let name = "tests.other_thing.v1"
        var aggregateID: UUID
        var aggregateVersion: Int
    }

    @Test("replays the named events in publishing order, a page at a time, and counts them")
    func replaysNamedEventsInOrder() async throws {
        let fixture = try await QueueFixture.make("eventlog")
        let bus = EventBus(subscriptions: EventSubscriptions(), queue: fixture.queue)
        let aggregate = UUID()
        for index in 0..<5 {
            try await fixture.pool.withTransaction(tenantID: fixture.tenantID) { connection in
                _ = try await bus.publish(
                    SomethingHappened(aggregateID: aggregate, aggregateVersion: index + 1, label: "label-\(index)"),
                    tenantID: fixture.tenantID, in: connection)
                _ = try await bus.publish(
                    OtherThing(aggregateID: aggregate, aggregateVersion: index + 1), tenantID: fixture.tenantID,
                    in: connection)
            }
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let (labels, positions, count) = try await fixture.pool.withTransaction(tenantID: fixture.tenantID) {
            connection in
            var labels: [String] = []
            var positions: [Int64] = []
            let count = try await EventLog.replay(named: [SomethingHappened.name], pageSize: 2, on: connection) {
                entry in
                #expect(entry.name == SomethingHappened.name)
                labels.append(try decoder.decode(SomethingHappened.self, from: entry.payload).label)
                positions.append(entry.position)
            }
            return (labels, positions, count)
        }
        #expect(count == 5)
        #expect(labels == (0..<5).map { "label-\($0)" })
        #expect(positions == positions.sorted() && Set(positions).count == 5)

        let page = try await fixture.pool.withTransaction(tenantID: fixture.tenantID) { connection in
            try await EventLog.page(
                named: [SomethingHappened.name, OtherThing.name], after: positions[0], limit: 3, on: connection)
        }
        #expect(page.map(\.name) == [OtherThing.name, SomethingHappened.name, OtherThing.name])
        #expect(page.allSatisfy { $0.position > positions[0] })
    }
}
