import Logging

extension LogLineHandler {
    /// Fields a line has of its own; metadata with one of these keys is written as `metadata.<key>`.
    static let jsonOwnKeys: Set<String> = ["timestamp", "level", "label", "message", "source"]

    /// Writes `event` as one JSON object on one line: `{"timestamp":"2026-12-04T15:13:56Z","level":"info",
    /// "label":…,"message":…,"source":…,<metadata>}`, the metadata's keys as they are (`request.id`,
    /// `trace_id`), sorted; nested metadata as JSON arrays and objects. Every string is escaped as JSON requires
    /// (quotes, backslashes and control characters), so no value can end the line or forge a field.
    func logJSON(event: LogEvent) {
        let metadata =
            Self.effectiveMetadata(
                base: self.metadata, provider: metadataProvider, explicit: event.metadata, error: event.error)
            ?? self.metadata
        let level = event.level
        let source = event.source
        let message = event.message.description
        let label = self.label
        output.append(
            timestampSeconds: now(),
            format: .json,
            line: { line in
                line.append(contentsOf: ",\"level\":\"".utf8)
                line.append(contentsOf: level.rawValue.utf8)
                line.append(contentsOf: "\",\"label\":".utf8)
                JSONText.appendString(label, to: &line)
                line.append(contentsOf: ",\"message\":".utf8)
                JSONText.appendString(message, to: &line)
                line.append(contentsOf: ",\"source\":".utf8)
                JSONText.appendString(source, to: &line)
                for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
                    line.append(UInt8(ascii: ","))
                    JSONText.appendString(Self.jsonOwnKeys.contains(key) ? "metadata." + key : key, to: &line)
                    line.append(UInt8(ascii: ":"))
                    JSONText.appendValue(value, to: &line)
                }
                line.append(contentsOf: "}\n".utf8)
            },
            urgent: level >= Self.urgentLevel)
    }
}

/// JSON text written straight into a line's bytes, without an encoder.
enum JSONText {
    /// `text` as a JSON string, quotes included, escaped as the API's JSON is (``JSONWriter``), `/` as it is.
    static func appendString(_ text: String, to bytes: inout [UInt8]) {
        JSONWriter.appendString(text, escapingSlashes: false, to: &bytes)
    }

    /// A metadata value: a string, an array or an object.
    static func appendValue(_ value: Logger.MetadataValue, to bytes: inout [UInt8]) {
        switch value {
        case .string(let text): appendString(text, to: &bytes)
        case .stringConvertible(let convertible): appendString(convertible.description, to: &bytes)
        case .array(let values):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in values.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                appendValue(element, to: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        case .dictionary(let entries):
            bytes.append(UInt8(ascii: "{"))
            for (index, entry) in entries.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                appendString(entry.key, to: &bytes)
                bytes.append(UInt8(ascii: ":"))
                appendValue(entry.value, to: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }
}
