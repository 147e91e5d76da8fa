import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// What a ``LogOutput`` wrote, one entry per write.
final class WrittenLog: Sendable {
    private let writes = Mutex<[String]>([])

    var all: [String] { writes.withLock { $0 } }
    var text: String { all.joined() }

    func output(flushInterval: Duration = .seconds(3600), capacity: Int = LogOutput.defaultCapacity) -> LogOutput {
        LogOutput(flushInterval: flushInterval, capacity: capacity) { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            self.writes.withLock { $0.append(text) }
        }
    }
}

/// swift-log's `StreamLogHandler` writing into memory: the line the server printed before.
final class StreamCapture: TextOutputStream, Sendable {
    private let lines = Mutex<String>("")
    var text: String { lines.withLock { $0 } }
    func write(_ string: String) { lines.withLock { $0 += string } }
}

@Suite("The log: StreamLogHandler's lines, UTC by hand, buffered")
struct LogLineTests {
    /// `text` without its first word (the timestamp), and that word.
    static func split(_ line: Substring) -> (timestamp: Substring, rest: Substring) {
        let space = line.firstIndex(of: " ")!
        return (line[..<space], line[space...])
    }

    /// The `strftime` text of `seconds` in UTC, as `StreamLogHandler` printed it on a machine in UTC.
    static func strftimeUTC(_ seconds: Int) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        var buffer = [Int8](repeating: 0, count: 64)
        strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S+0000", &parts)
        return String(cString: buffer)
    }

    @Test("a line is StreamLogHandler's, but for the timestamp, which is UTC and made by hand")
    func sameLineText() throws {
        let written = WrittenLog()
        let output = written.output()
        let capture = StreamCapture()
        let instant = 1_764_860_036
        var ours = Logger(label: "stedenband") { label in
            LogLineHandler(label: label, output: output, metadataProvider: nil, now: { instant })
        }
        var theirs = Logger(label: "stedenband") { label in
            StreamLogHandler(label: label, stream: capture, metadataProvider: nil)
        }
        ours[metadataKey: "request.id"] = "req-1"
        theirs[metadataKey: "request.id"] = "req-1"
        for logger in [ours, theirs] {
            logger.info("plain")
            logger.notice("with metadata", metadata: ["b": "2", "a": "1 é", "list": ["x", "y"], "z": ["k": "v"]])
            logger.error("an error", metadata: ["error.message": "it \"failed\""])
        }
        var unlabelled = Logger(label: "") { label in
            LogLineHandler(label: label, output: output, metadataProvider: nil, now: { instant })
        }
        unlabelled.logLevel = .info
        let unlabelledTheirs = Logger(label: "") { StreamLogHandler(label: $0, stream: capture, metadataProvider: nil) }
        unlabelled.info("no label")
        unlabelledTheirs.info("no label")
        output.flush()
        let ourLines = written.text.split(separator: "\n", omittingEmptySubsequences: false)
        let theirLines = capture.text.split(separator: "\n", omittingEmptySubsequences: false)
        try #require(ourLines.count == 5 && theirLines.count == 5, "\(written.text)\n\(capture.text)")
        for (our, their) in zip(ourLines, theirLines) where !our.isEmpty {
            #expect(Self.split(our).rest == Self.split(their).rest)
            #expect(Self.split(our).timestamp == "2025-12-04T14:53:56+0000")
        }
    }

    @Test("the timestamp is strftime's in UTC for instants across years, leap days and 1970")
    func timestamps() throws {
        let written = WrittenLog()
        let output = written.output(flushInterval: .zero)
        let instants =
            [0, 59, 86_399, 86_400, 951_782_400, 951_868_799, 1_709_164_800, 1_764_860_036, 4_107_542_399]
            + (0..<200).map { 1_600_000_000 + $0 * 7_777_777 }
        for instant in instants {
            let logger = Logger(label: "t") { LogLineHandler(label: $0, output: output, now: { instant }) }
            logger.info("x")
            let line = try #require(written.all.last)
            #expect(Self.split(line[...]).timestamp[...] == Self.strftimeUTC(instant)[...], "\(instant)")
        }
    }

    @Test("the access log's line is the one StreamLogHandler printed, duration as %.2f made it")
    func accessLogLine() async throws {
        let written = WrittenLog()
        let output = written.output()
        let capture = StreamCapture()
        let logger = Logger(label: "gateway") { label in
            MultiplexLogHandler([
                LogLineHandler(label: label, output: output, metadataProvider: nil),
                StreamLogHandler(label: label, stream: capture, metadataProvider: nil),
            ])
        }
        let router = Router(context: GatewayRequestContext.self)
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: AccessLogMiddleware())
        router.get("/things/:id") { _, _ in "ok" }
        let application = Application(router: router, logger: logger)
        try await application.test(.router) { client in
            let response = try await client.execute(
                uri: "/things/7?secret=x", method: .get, headers: [.requestID: "req-7"])
            #expect(response.status == .ok)
        }
        output.flush()
        let ours = try #require(written.text.split(separator: "\n").first { $0.contains("] request") })
        let theirs = try #require(capture.text.split(separator: "\n").first { $0.contains("] request") })
        #expect(Self.split(ours).rest == Self.split(theirs).rest)
        #expect(ours.contains("http.route=/things/{id}") && ours.contains("http.status=200"))
        #expect(ours.contains("request.id=req-7") && !ours.contains("secret"))
    }

    @Test("milliseconds with two decimals, as String(format: \"%.2f\") wrote them, ties included")
    func durations() {
        var nanoseconds: [Int64] = Array(0...20_000) + [1_005_000, 2_675_000, 125_000, 999_995_000, 12_345_678_901]
        nanoseconds += (0..<20_000).map { Int64($0) * 10_000 + 5_000 }
        for value in nanoseconds {
            let elapsed = Duration.nanoseconds(value)
            let milliseconds =
                Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            #expect(
                AccessLogMiddleware<GatewayRequestContext>.milliseconds(elapsed)
                    == String(format: "%.2f", milliseconds), "\(value) ns")
        }
    }

    @Test("lines wait for the interval, a warning takes them all out at once, and flush writes the rest")
    func buffering() async throws {
        let written = WrittenLog()
        let output = written.output()
        let logger = Logger(label: "b") { LogLineHandler(label: $0, output: output) }
        logger.info("one")
        logger.info("two")
        #expect(written.all.isEmpty)
        #expect(output.pendingByteCount > 0)
        logger.warning("three")
        #expect(written.all.count == 1)
        #expect(written.text.contains("one") && written.text.contains("two") && written.text.contains("three"))
        logger.info("four")
        #expect(written.all.count == 1)
        output.flush()
        #expect(written.all.count == 2 && written.all[1].hasSuffix("] four\n"))
        #expect(output.pendingByteCount == 0)
    }

    @Test("a full buffer is written at once, whole lines only")
    func capacity() {
        let written = WrittenLog()
        let output = written.output(capacity: 200)
        let logger = Logger(label: "c") { LogLineHandler(label: $0, output: output) }
        for index in 0..<20 { logger.info("line \(index) \(String(repeating: "x", count: 40))") }
        #expect(written.all.count >= 5)
        for write in written.all { #expect(write.hasSuffix("\n")) }
        output.flush()
        #expect(written.text.split(separator: "\n").count == 20)
    }

    @Test("a quiet log is written once the interval has passed")
    func interval() async throws {
        let written = WrittenLog()
        let output = written.output(flushInterval: .milliseconds(20))
        let logger = Logger(label: "i") { LogLineHandler(label: $0, output: output) }
        logger.info("alone")
        let deadline = ContinuousClock.now + .seconds(60)
        while written.all.isEmpty, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(written.text.hasSuffix("] alone\n"))
    }
}
