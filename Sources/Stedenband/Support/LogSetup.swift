import Foundation
import Gateway
import Logging

/// Sets up swift-log once per process: to standard error, at `LOG_LEVEL` or the command's default, through a
/// buffer written every `LOG_FLUSH_INTERVAL_MS` (``LogLineHandler``, ``LogOutput``) and at exit.
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

    static func bootstrap(defaultLevel: Logger.Level) -> Logger {
        let environment = ProcessInfo.processInfo.environment
        let level = environment["LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0.lowercased()) } ?? defaultLevel
        let output = Self.output
        LoggingSystem.bootstrap { label in
            var handler = LogLineHandler(label: label, output: output)
            handler.logLevel = level
            return handler
        }
        // Returning from main and `exit` (ArgumentParser's errors, a clean stop after SIGTERM) run this.
        atexit { LogSetup.output.flush() }
        var logger = Logger(label: "stedenband")
        logger.logLevel = level
        return logger
    }
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
