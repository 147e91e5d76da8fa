import Foundation
import Gateway
import Logging
import RequestTracing

/// Sets up swift-log once per process: to standard error, at `LOG_LEVEL` or the command's default, as text
/// lines or JSON objects (`LOG_FORMAT`), through a buffer written every `LOG_FLUSH_INTERVAL_MS`
/// (``LogLineHandler``, ``LogOutput``) and at exit. Every line made in a traced request, event delivery or job
/// carries its `trace_id` and `span_id` (``TraceParent/metadataProvider``; docs/logs-and-traces.md).
enum LogSetup {
    /// The process's log buffer, written at exit by the handler `bootstrap` registers.
    static let output = LogOutput(
        standardErrorWithFlushInterval: .milliseconds(
            flushIntervalMilliseconds(ProcessInfo.processInfo.environment["LOG_FLUSH_INTERVAL_MS"])))

    /// How long a log line may wait in memory unless `LOG_FLUSH_INTERVAL_MS` says otherwise.
    static let defaultFlushIntervalMilliseconds = 250

    /// `LOG_FLUSH_INTERVAL_MS` read: whole milliseconds from 0 (every line at once) up; the default when unset
    /// or not a number.
    static func flushIntervalMilliseconds(_ text: String?) -> Int {
        guard let text, let value = Int(text.trimmingCharacters(in: .whitespaces)), value >= 0 else {
            return defaultFlushIntervalMilliseconds
        }
        return value
    }

    /// `LOG_FORMAT` read: `text` (the default, also when unset or empty) or `json`; anything else is refused
    /// with a message naming the variable.
    static func format(_ text: String?) throws -> LogFormat {
        guard let text, !text.isEmpty else { return .text }
        guard let format = LogFormat(setting: text) else {
            throw LogFormatError(value: text)
        }
        return format
    }

    static func bootstrap(defaultLevel: Logger.Level) -> Logger {
        let environment = ProcessInfo.processInfo.environment
        let level = environment["LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0.lowercased()) } ?? defaultLevel
        let output = Self.output
        let format: LogFormat
        do {
            format = try Self.format(environment["LOG_FORMAT"])
        } catch {
            // Before any log line: a log store must not receive text lines it cannot read.
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            exit(64)
        }
        LoggingSystem.bootstrap(
            { label, provider in
                var handler = LogLineHandler(label: label, output: output, format: format, metadataProvider: provider)
                handler.logLevel = level
                return handler
            }, metadataProvider: TraceParent.metadataProvider)
        // Returning from main and `exit` (ArgumentParser's errors, a clean stop after SIGTERM) run this.
        atexit { LogSetup.output.flush() }
        var logger = Logger(label: "stedenband")
        logger.logLevel = level
        return logger
    }
}

/// A `LOG_FORMAT` that is neither `text` nor `json`.
struct LogFormatError: Error, CustomStringConvertible {
    var value: String
    var description: String { "LOG_FORMAT must be text or json, not \(value.debugDescription)" }
}

/// Writes to standard error, for messages that are not the command's output; after the log lines before it.
func printError(_ message: String) {
    LogSetup.output.flush()
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Writes a line to standard output at once, unbuffered, for output that scripts and people wait for.
func printOutput(_ message: String) {
    FileHandle.standardOutput.write(Data((message + "\n").utf8))
}
