import Foundation
import Logging

/// Sets up swift-log once per process: to standard error, at `LOG_LEVEL` or the command's default.
enum LogSetup {
    static func bootstrap(defaultLevel: Logger.Level) -> Logger {
        let environment = ProcessInfo.processInfo.environment
        let level = environment["LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0.lowercased()) } ?? defaultLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "stedenband")
        logger.logLevel = level
        return logger
    }
}

/// Writes to standard error, for messages that are not the command's output.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Writes a line to standard output at once, unbuffered, for output that scripts and people wait for.
func printOutput(_ message: String) {
    FileHandle.standardOutput.write(Data((message + "\n").utf8))
}
