import Foundation
import Logging

/// The outcome of one finished command.
struct CommandResult: Sendable {
    /// The command as an operator would type it, for logs and errors.
    var command: String
    /// The exit status, or the signal number when the command was killed by a signal.
    var exitStatus: Int32
    /// Whether the command was killed by a signal.
    var killedBySignal: Bool
    /// Everything the command wrote to standard output.
    var standardOutput: String
    /// Everything the command wrote to standard error.
    var standardError: String

    /// Whether the command exited normally with status 0.
    var succeeded: Bool { !killedBySignal && exitStatus == 0 }

    /// The last `count` non-empty lines of standard error, or of standard output when standard error is empty.
    func outputTail(lines count: Int = 15) -> String {
        let text = standardError.contains(where: { !$0.isWhitespace }) ? standardError : standardOutput
        return Self.tail(of: text, lines: count)
    }

    /// The last `count` non-empty lines of `text`.
    static func tail(of text: String, lines count: Int) -> String {
        text.split(whereSeparator: \.isNewline).suffix(count).joined(separator: "\n")
    }

    /// The error for this result: the command, how it ended, the output tail and any `extra` context.
    func error(_ code: EmbeddedPostgresError.Code, _ what: String, extra: String = "") -> EmbeddedPostgresError {
        let ending = killedBySignal ? "was killed by signal \(exitStatus)" : "exited with status \(exitStatus)"
        var message = "\(what): `\(command)` \(ending)"
        let tail = outputTail()
        if !tail.isEmpty {
            message += "\n\(tail)"
        }
        if !extra.isEmpty {
            message += "\n\(extra)"
        }
        return EmbeddedPostgresError(code, message)
    }

    /// Returns `self` when the command succeeded, and throws `error(code, what)` otherwise.
    @discardableResult
    func check(_ code: EmbeddedPostgresError.Code, _ what: String) throws -> Self {
        guard succeeded else { throw error(code, what) }
        return self
    }
}

/// Runs PostgreSQL programs through `Subprocess`: no shell, explicit arguments, output captured through pipes.
///
/// As root, the server programs run as the `postgres` system user through `runuser`, because PostgreSQL
/// refuses to run as root; otherwise they run as the current user.
struct CommandRunner: Sendable {
    /// The system user the server programs run as, when this process is root; `nil` runs them directly.
    var serverUser: ServerUser?
    /// The environment given to every command.
    var environment: [String: String]
    /// Where each command is logged at debug level.
    var logger: Logger

    /// A runner whose commands inherit this process's environment, minus the libpq and server
    /// variables (`PGPORT`, `PGHOST`, `PGDATA`, ...) that would point them at another server.
    init(serverUser: ServerUser?, logger: Logger, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.serverUser = serverUser
        self.environment = environment.filter { !$0.key.hasPrefix("PG") }
        self.logger = logger
    }

    /// Runs `executable` with `arguments`, as the server user when `asServerUser` and this process is root.
    ///
    /// Both pipes are read to their end together, off the concurrency pool, before the program is
    /// reaped, so a command that fills one pipe while the other is read never deadlocks.
    ///
    /// - Throws: `EmbeddedPostgresError` with code `commandFailed` when the command cannot be launched.
    ///   A command that runs and fails is not thrown: its result says so.
    func run(_ executable: String, _ arguments: [String], asServerUser: Bool = true) async throws -> CommandResult {
        var launchPath = executable
        var launchArguments = arguments
        var display = ([executable] + arguments).map(Self.quoted).joined(separator: " ")
        if asServerUser, let serverUser {
            launchPath = serverUser.runuserPath
            launchArguments = ["-u", serverUser.name, "--", executable] + arguments
            display = "runuser -u \(serverUser.name) -- " + display
        }
        logger.debug("Running a command", metadata: ["postgres.command": "\(display)"])
        let outcome = try await Subprocess.run(launchPath, launchArguments, environment: environment)
        let result = CommandResult(
            command: display,
            exitStatus: outcome.status,
            killedBySignal: outcome.killedBySignal,
            standardOutput: String(decoding: outcome.standardOutput, as: UTF8.self),
            standardError: String(decoding: outcome.standardError, as: UTF8.self)
        )
        if !result.succeeded {
            logger.debug(
                "Command failed",
                metadata: ["postgres.command": "\(display)", "postgres.exit_status": "\(result.exitStatus)"]
            )
        }
        return result
    }

    /// `argument`, single-quoted for display when it holds anything a shell would split or expand.
    static func quoted(_ argument: String) -> String {
        let plain = argument.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:,@%+".contains($0) }
        if plain && !argument.isEmpty {
            return argument
        }
        return "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
