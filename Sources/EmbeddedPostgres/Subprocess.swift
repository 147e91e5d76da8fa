import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs one program with posix_spawn(3): no shell, standard input from /dev/null, standard output
/// and error captured through pipes, every other descriptor closed in the child.
///
/// Not Foundation's `Process`: on Linux it learns that a child exited when a socket it leaks into the
/// child closes (swift-corelibs-foundation issue #4795). `pg_ctl start` passes that socket on to the
/// daemonised postmaster, so the exit of `pg_ctl` (or `runuser`) is never noticed and the caller hangs
/// for as long as the server runs. Here the child is reaped with waitpid(2) instead.
package enum Subprocess {
    /// How a finished program ended and what it wrote.
    package struct Outcome: Sendable {
        /// The exit status, or the signal number when `killedBySignal`.
        package var status: Int32
        /// Whether a signal ended the program.
        package var killedBySignal: Bool
        /// Everything written to standard output.
        package var standardOutput: Data
        /// Everything written to standard error.
        package var standardError: Data
    }

    /// Starts `executable` with `arguments` and `environment` in `directory` (by default `/`), then, on a
    /// dedicated thread, reads both pipes to their end and reaps the program.
    ///
    /// - Throws: `EmbeddedPostgresError` with code `commandFailed` when the program cannot be started
    ///   or reaped; a program that runs and fails is an `Outcome` with a non-zero status.
    package static func run(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String],
        directory: String = "/"
    ) async throws -> Outcome {
        let (pid, output, errors) = try spawn(executable, arguments, environment: environment, directory: directory)
        return try await DedicatedThread.run(named: "postgres-command") {
            let (standardOutput, standardError) = drain(output, errors)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 {
                guard errno == EINTR else {
                    throw EmbeddedPostgresError(
                        .commandFailed,
                        "Could not wait for \(executable) (pid \(pid)): \(String(cString: strerror(errno)))"
                    )
                }
            }
            let signal = status & 0x7f
            return Outcome(
                status: signal == 0 ? (status >> 8) & 0xff : signal,
                killedBySignal: signal != 0,
                standardOutput: standardOutput,
                standardError: standardError
            )
        }
    }

    /// Spawns the program; returns its process id and the read ends of its output and error pipes.
    private static func spawn(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String],
        directory: String
    ) throws -> (pid_t, Int32, Int32) {
        func failure(_ step: String, _ code: Int32) -> EmbeddedPostgresError {
            EmbeddedPostgresError(
                .commandFailed, "Could not start \(executable) (\(step)): \(String(cString: strerror(code)))")
        }
        var output: [Int32] = [-1, -1]
        var errors: [Int32] = [-1, -1]
        guard pipe(&output) == 0 else { throw failure("pipe", errno) }
        guard pipe(&errors) == 0 else {
            let code = errno
            for descriptor in output {
                _ = close(descriptor)
            }
            throw failure("pipe", code)
        }
        // pipe2(O_CLOEXEC) is hidden too; programs spawned here close all inherited descriptors anyway.
        for descriptor in output + errors {
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        }
        defer {
            _ = close(output[1])
            _ = close(errors[1])
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, output[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errors[1], 2)
        closeInheritedDescriptors(&actions)
        // The server user may not be allowed into this process's working folder (e.g. /root).
        if let addChangeDirectory = GNUExtensions.addChangeDirectory {
            _ = addChangeDirectory(&actions, directory)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        // Dispositions this process ignores (SIGPIPE, often) would otherwise stay ignored in the child.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGCHLD, SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGUSR1, SIGUSR2, SIGALRM] {
            sigaddset(&defaults, signal)
        }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv + envp {
                free(pointer)
            }
        }
        var pid: pid_t = 0
        var result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        // A program written a moment ago can be "busy" while another thread's fork still holds the writer's
        // descriptor: that passes within milliseconds, so try again a few times before giving up.
        var attempts = 1
        while result == ETXTBSY && attempts < 20 {
            usleep(5_000)
            result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
            attempts += 1
        }
        guard result == 0 else {
            _ = close(output[0])
            _ = close(errors[0])
            throw failure("posix_spawn", result)
        }
        return (pid, output[0], errors[0])
    }

    /// Makes the child close every descriptor above standard error, so that neither it nor a daemon it
    /// starts keeps this process's files, sockets or locks open.
    private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        if let addCloseFrom = GNUExtensions.addCloseFrom {
            _ = addCloseFrom(&actions, 3)
            return
        }
        // Without closefrom: close what is open now; later ones opened by other threads are rarer.
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for descriptor in open.compactMap({ Int32($0) }) where descriptor > 2 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
    }

    /// Reads both descriptors until both reach end of file (or poll fails), then closes them.
    private static func drain(_ output: Int32, _ errors: Int32) -> (Data, Data) {
        var collected = [Data(), Data()]
        var descriptors = [
            pollfd(fd: output, events: Int16(POLLIN), revents: 0),
            pollfd(fd: errors, events: Int16(POLLIN), revents: 0),
        ]
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while descriptors.contains(where: { $0.fd >= 0 }) {
            guard poll(&descriptors, nfds_t(descriptors.count), -1) >= 0 else {
                if errno == EINTR { continue }
                break
            }
            for index in descriptors.indices where descriptors[index].fd >= 0 && descriptors[index].revents != 0 {
                let count = read(descriptors[index].fd, &buffer, buffer.count)
                if count > 0 {
                    collected[index].append(contentsOf: buffer[0..<count])
                } else if count == 0 || errno != EINTR {
                    _ = close(descriptors[index].fd)
                    // A negative descriptor is skipped by poll(2).
                    descriptors[index].fd = -1
                }
            }
        }
        for descriptor in descriptors where descriptor.fd >= 0 {
            _ = close(descriptor.fd)
        }
        return (collected[0], collected[1])
    }
}

/// glibc's posix_spawn extensions that Swift's Glibc module hides (they need `_GNU_SOURCE`), looked up
/// at run time: `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34) and `..._addchdir_np` (2.29).
private enum GNUExtensions {
    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    typealias AddChangeDirectory =
        @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    static let addCloseFrom: AddCloseFrom? = symbol("posix_spawn_file_actions_addclosefrom_np")
    static let addChangeDirectory: AddChangeDirectory? = symbol("posix_spawn_file_actions_addchdir_np")

    private static func symbol<Function>(_ name: String) -> Function? {
        // A null handle is RTLD_DEFAULT: search the libraries already loaded.
        guard let address = dlsym(nil, name) else { return nil }
        return unsafeBitCast(address, to: Function.self)
    }
}
