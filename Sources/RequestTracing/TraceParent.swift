import Logging
import W3CTraceContext

/// One unit of work's place in a W3C trace (a request, an event's delivery, a job, a webhook call): the trace
/// it belongs to, its own span, and the flags, as the `traceparent` header carries them
/// (https://www.w3.org/TR/trace-context/). Parsing and formatting are swift-w3c-trace-context's.
///
/// ``current`` holds the unit of work running in the task: the gateway sets it for a request, the job
/// workers and event deliveries for their jobs and events. What is published or enqueued meanwhile keeps
/// its header, and ``metadataProvider`` adds its ids to every log line.
public struct TraceParent: Sendable, Hashable, CustomStringConvertible {
    public static func == (lhs: TraceParent, rhs: TraceParent) -> Bool { lhs.context == rhs.context }
    public func hash(into hasher: inout Hasher) { hasher.combine(context) }

    private let context: TraceContext
    /// The trace's id: 32 lower-case hex digits.
    public let traceID: String
    /// This unit of work's span id: 16 lower-case hex digits.
    public let spanID: String
    /// The `traceparent` header's value: `00-<trace id>-<span id>-<flags>`.
    public let header: String

    // The texts are made once: every log line of a request reads the ids.
    private init(_ context: TraceContext) {
        self.context = context
        traceID = context.traceID.description
        spanID = context.spanID.description
        header = context.traceParentHeaderValue
    }

    /// Reads a `traceparent` header (version `00`, lower-case hex, neither id all zeros); `nil` when it is
    /// not one, as the W3C recommendation says a receiver then starts a new trace.
    public init?(header: String) {
        let trimmed = header.utf8.count == 55 ? header : String(header.trimmingSpaces)
        guard !trimmed.utf8.contains(where: { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }),
            let context = try? TraceContext(traceParentHeaderValue: trimmed)
        else { return nil }
        self.init(context)
    }

    /// A new trace, sampled (every unit of work is logged).
    public static func start() -> TraceParent {
        TraceParent(TraceContext(traceID: .random(), spanID: .random(), flags: .sampled, state: TraceState()))
    }

    /// The next unit of work in the same trace: the same trace id and flags, a span of its own.
    public func child() -> TraceParent {
        TraceParent(
            TraceContext(traceID: context.traceID, spanID: .random(), flags: context.flags, state: TraceState()))
    }

    public var description: String { header }

    /// The unit of work running in this task, if it is traced.
    @TaskLocal public static var current: TraceParent?

    /// Adds `trace_id` and `span_id` of ``current`` to every log line made in a traced task.
    public static let metadataProvider = Logger.MetadataProvider {
        guard let current = TraceParent.current else { return [:] }
        return ["trace_id": "\(current.traceID)", "span_id": "\(current.spanID)"]
    }

    /// `text` as a trace id in lower case, as logs, headers and the database write it; `nil` unless it is 32 hex
    /// digits, not all zeros (an operator may paste it in upper case).
    public static func normalizedTraceID(_ text: String) -> String? {
        let lower = text.lowercased()
        guard lower.utf8.count == 32,
            lower.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }),
            lower.utf8.contains(where: { $0 != 48 })
        else { return nil }
        return lower
    }
}

extension String {
    /// The text without leading and trailing spaces and tabs (optional whitespace around a header's value).
    fileprivate var trimmingSpaces: Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return self[first...last]
    }
}
