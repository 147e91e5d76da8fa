import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RequestTracing
import Testing

@Suite("traceparent: followed when valid, a new trace otherwise, never refused")
struct TraceParentMiddlewareTests {
    /// A router whose one route answers the trace it runs in.
    static func application() -> some ApplicationProtocol {
        let router = Router()
        router.middlewares.add(TraceParentMiddleware())
        router.get("/trace") { _, _ in TraceParent.current?.header ?? "none" }
        return Application(router: router)
    }

    static let caller = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

    @Test("a valid header's trace is kept with a span of the request's own, which the answer names")
    func followsAValidHeader() async throws {
        try await Self.application().test(.router) { client in
            for header in [Self.caller, " \(Self.caller)\t", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"]
            {
                let response = try await client.execute(uri: "/trace", method: .get, headers: [.traceParent: header])
                #expect(response.status == .ok)
                let answered = try #require(response.headers[.traceParent])
                let running = String(buffer: response.body)
                #expect(running == answered, "the answer names the span the request ran in")
                #expect(answered.hasPrefix("00-4bf92f3577b34da6a3ce929d0e0e4736-"))
                #expect(!answered.contains("00f067aa0ba902b7"))
                #expect(answered.hasSuffix(header.trimmingCharacters(in: .whitespaces).suffix(3)))
            }
        }
    }

    @Test("an invalid or absent header starts a new trace, and the request is answered as usual")
    func startsANewTrace() async throws {
        let invalid = [
            "", "garbage", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
            "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",
            "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",
        ]
        try await Self.application().test(.router) { client in
            var traces: Set<String> = []
            for header in invalid {
                let headers: HTTPFields = header.isEmpty ? [:] : [.traceParent: header]
                let response = try await client.execute(uri: "/trace", method: .get, headers: headers)
                #expect(response.status == .ok)
                let answered = try #require(response.headers[.traceParent])
                let parsed = try #require(TraceParent(header: answered), "\(answered)")
                #expect(parsed.traceID != "4bf92f3577b34da6a3ce929d0e0e4736")
                #expect(answered.hasSuffix("-01"))
                traces.insert(parsed.traceID)
            }
            #expect(traces.count == invalid.count, "each request its own new trace")
        }
    }

    @Test("a trace id given by an operator is read in either case; anything else is not one")
    func traceIDs() {
        #expect(TraceParent.normalizedTraceID("4BF92F3577B34DA6A3CE929D0E0E4736") == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(TraceParent.normalizedTraceID(String(repeating: "0", count: 32)) == nil)
        #expect(TraceParent.normalizedTraceID("4bf92f3577b34da6") == nil)
        #expect(TraceParent.normalizedTraceID("4bf92f3577b34da6a3ce929d0e0e473z") == nil)
    }
}
