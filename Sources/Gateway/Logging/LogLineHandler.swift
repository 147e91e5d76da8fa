import Foundation
import Logging

/// swift-log's handler for the server's logs: the same line, byte for byte, as swift-log's
/// `StreamLogHandler` prints (`<timestamp> <level> <label>: <key=value …> [<source>] <message>`, metadata
/// sorted by key), but with the timestamp made by hand in UTC (``LogTimestamp``) and the line buffered in a
/// ``LogOutput`` instead of flushed on its own. With ``LogFormat/json`` the line is one JSON object instead
/// (``LogLineHandler+JSON``).
public struct LogLineHandler: LogHandler {
    /// The level at and above which a line is written at once, with everything before it: rare lines that
    /// must not be lost if the process dies next.
    public static let urgentLevel: Logger.Level = .warning

    let label: String
    let output: LogOutput
    let now: @Sendable () -> Int
    /// Text lines or JSON objects.
    public let format: LogFormat

    /// Lines below this level are dropped.
    public var logLevel: Logger.Level = .info
    /// Adds metadata from the task's context to every line, as `StreamLogHandler`'s does.
    public var metadataProvider: Logger.MetadataProvider?

    /// The logger's own metadata. Written out only when a line is logged: a request's logger is given its
    /// request id, user and municipality one by one and logs one line, so formatting it at each change cost more.
    public var metadata = Logger.Metadata()

    /// Makes the handler for a logger labelled `label`; `now` gives the seconds since 1970 (injected so tests
    /// control the timestamp).
    public init(
        label: String,
        output: LogOutput,
        format: LogFormat = .text,
        metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider,
        now: @escaping @Sendable () -> Int = { Int(Date().timeIntervalSince1970) }
    ) {
        self.label = label
        self.output = output
        self.format = format
        self.metadataProvider = metadataProvider
        self.now = now
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        if format == .json {
            logJSON(event: event)
            return
        }
        let pretty = Self.prettify(
            Self.effectiveMetadata(
                base: metadata, provider: metadataProvider, explicit: event.metadata, error: event.error
            ) ?? metadata)
        let level = event.level
        let source = event.source
        let message = event.message.description
        output.append(
            timestampSeconds: now(),
            line: { line in
                line.append(UInt8(ascii: " "))
                line.append(contentsOf: level.rawValue.utf8)
                if !label.isEmpty { line.append(UInt8(ascii: " ")) }
                line.append(contentsOf: label.utf8)
                line.append(UInt8(ascii: ":"))
                if let pretty, !pretty.isEmpty {
                    line.append(UInt8(ascii: " "))
                    line.append(contentsOf: pretty)
                }
                line.append(contentsOf: " [".utf8)
                line.append(contentsOf: source.utf8)
                line.append(contentsOf: "] ".utf8)
                line.append(contentsOf: message.utf8)
                line.append(UInt8(ascii: "\n"))
            },
            urgent: level >= Self.urgentLevel)
    }

    /// The line's metadata, merged as `StreamLogHandler` merges it: the logger's, the provider's, the
    /// statement's, then the error's; `nil` when the statement adds nothing to the logger's own.
    static func effectiveMetadata(
        base: Logger.Metadata,
        provider: Logger.MetadataProvider?,
        explicit: Logger.Metadata?,
        error: (any Error)?
    ) -> Logger.Metadata? {
        let provided = provider?.get() ?? [:]
        guard !provided.isEmpty || !(explicit ?? [:]).isEmpty || error != nil else { return nil }
        var metadata = base
        if !provided.isEmpty { metadata.merge(provided) { _, provided in provided } }
        if let explicit, !explicit.isEmpty { metadata.merge(explicit) { _, explicit in explicit } }
        if let error {
            metadata["error.message"] = "\(error)"
            metadata["error.type"] = "\(String(reflecting: type(of: error)))"
        }
        return metadata
    }

    /// `key=value` pairs sorted by key, separated by spaces; `nil` for none.
    private static func prettify(_ metadata: Logger.Metadata) -> [UInt8]? {
        guard !metadata.isEmpty else { return nil }
        var text: [UInt8] = []
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            if !text.isEmpty { text.append(UInt8(ascii: " ")) }
            text.append(contentsOf: key.utf8)
            text.append(UInt8(ascii: "="))
            text.append(contentsOf: value.description.utf8)
        }
        return text
    }
}
