import Foundation
import Gateway
import Hummingbird
import Kernel
import Messaging
import Postgres

/// The smallest useful plugin, as docs/plugins.md describes: a route, a queued subscriber, a job kind and
/// a periodic job.
struct ExamplePlugin: Plugin {
    let id = "example"

    func register(into context: inout PluginContext) throws {
        let greeting = context.configuration.string("greeting") ?? "hallo"
        context.routes.get("example/greeting") { _, _ in ["greeting": greeting] }
        context.documentation.add([
            APIOperation(
                .get,
                "/api/v1/example/greeting",
                id: "exampleGreeting",
                summary: "A greeting from the configuration.",
                tag: "example",
                success: (200, .object(["greeting": .string()], required: ["greeting"]))
            )
        ])

        context.events.subscribe(to: GreetingSent.self, as: "example.greetings") { envelope, events in
            try await events.connection.query(
                "INSERT INTO effects.log (tenant_id, label) VALUES (\(envelope.tenantID), \(envelope.event.text))"
            )
        }
        context.jobs.register(JobKind(name: "example.noop") { _ in })
        context.periodicJobs.append(
            PeriodicJob(name: "example.tick", schedule: .every(60)) { try NewJob(kind: "example.noop") }
        )
    }
}

/// A second plugin that only publishes, to show that a disabled subscriber gets nothing.
struct SenderPlugin: Plugin {
    let id = "sender"

    func register(into context: inout PluginContext) throws {}
}

/// The example's event; in a real plugin it would live in `ExampleContracts`.
struct GreetingSent: Event {
    static let name = "example.greeting_sent.v1"
    var aggregateID: UUID
    var aggregateVersion: Int
    var text: String
}
