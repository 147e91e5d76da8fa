import Foundation
import Gateway
import Logging
import Testing

@Suite("LOG_FORMAT=json: one JSON object per line")
struct LogLineJSONTests {
    /// A JSON logger writing into `written` at 2025-12-04T15:13:56Z.
    static func logger(_ written: WrittenLog, metadata: Logger.Metadata = [:]) -> (Logger, LogOutput) {
        let output = written.output(flushInterval: .zero)
        var logger = Logger(label: "stedenband.gateway") { label in
            LogLineHandler(label: label, output: output, format: .json, metadataProvider: nil, now: { 1_764_861_236 })
        }
        for (key, value) in metadata { logger[metadataKey: key] = value }
        return (logger, output)
    }

    static func object(_ line: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
    }

    @Test("a line has the timestamp in RFC 3339 UTC, the level, label, message, source and every metadata key")
    func fields() throws {
        let written = WrittenLog()
        let (logger, _) = Self.logger(written, metadata: ["request.id": "r-1", "tenant.id": "t-1"])
        logger.info(
            "request", metadata: ["http.status": "200", "http.duration_ms": "1.25", "trace_id": "4bf92f3577b34da6"])
        let text = written.text
        #expect(text.hasSuffix("}\n") && text.filter { $0 == "\n" }.count == 1)
        let line = try Self.object(String(text.dropLast()))
        #expect(line["timestamp"] as? String == "2025-12-04T15:13:56Z")
        #expect(line["level"] as? String == "info")
        #expect(line["label"] as? String == "stedenband.gateway")
        #expect(line["message"] as? String == "request")
        #expect(line["source"] as? String == "GatewayTests")
        #expect(line["request.id"] as? String == "r-1")
        #expect(line["tenant.id"] as? String == "t-1")
        #expect(line["http.status"] as? String == "200")
        #expect(line["http.duration_ms"] as? String == "1.25")
        #expect(line["trace_id"] as? String == "4bf92f3577b34da6")
    }

    @Test("quotes, backslashes, line breaks and control characters are escaped: no value ends a line or adds a field")
    func escaping() throws {
        let written = WrittenLog()
        let (logger, _) = Self.logger(written)
        let hostile = "a\"b\\c\nd\re\tf\u{0}g\u{1F}h é 🌍 \u{2028}\",\"level\":\"error"
        logger.warning(
            "\(hostile)",
            metadata: [
                "error": "\(hostile)", "message": "a metadata key named like a field",
                "list": ["x", "y\"z"], "nested": ["k": "v\n", "a": ["1"]],
            ])
        let text = written.text
        #expect(text.filter { $0 == "\n" }.count == 1, "one line, whatever the values hold")
        let line = try Self.object(String(text.dropLast()))
        #expect(line["message"] as? String == hostile)
        #expect(line["error"] as? String == hostile)
        #expect(line["level"] as? String == "warning")
        #expect(line["metadata.message"] as? String == "a metadata key named like a field")
        #expect(line["list"] as? [String] == ["x", "y\"z"])
        let nested = try #require(line["nested"] as? [String: Any])
        #expect(nested["k"] as? String == "v\n" && nested["a"] as? [String] == ["1"])
        #expect(text.contains(#"\u0000"#) && text.contains(#"\u001f"#))
    }

    @Test("an error's message and type are fields; the text format stays StreamLogHandler's")
    func errorsAndText() throws {
        struct Broken: Error, CustomStringConvertible { var description: String { "broken \"pipe\"" } }
        let written = WrittenLog()
        let (logger, _) = Self.logger(written)
        logger.error("failed", error: Broken())
        let line = try Self.object(String(written.text.dropLast()))
        #expect(line["error.message"] as? String == "broken \"pipe\"")
        #expect((line["error.type"] as? String)?.hasSuffix("Broken") == true)

        let text = WrittenLog()
        let output = text.output(flushInterval: .zero)
        var plain = Logger(label: "s") { label in
            LogLineHandler(label: label, output: output, metadataProvider: nil, now: { 1_764_861_236 })
        }
        plain[metadataKey: "b"] = "2"
        plain.info("hello", metadata: ["a": "1"])
        #expect(text.text == "2025-12-04T15:13:56+0000 info s: a=1 b=2 [GatewayTests] hello\n")
    }

    @Test("LOG_FORMAT reads text and json in any case, and nothing else")
    func setting() {
        #expect(LogFormat(setting: "json") == .json)
        #expect(LogFormat(setting: " JSON ") == .json)
        #expect(LogFormat(setting: "Text") == .text)
        #expect(LogFormat(setting: "logfmt") == nil)
        #expect(LogFormat(setting: "") == nil)
    }
}
