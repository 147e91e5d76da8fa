import Foundation

/// Where everything of one embedded cluster lives, all derived from its folder.
///
/// ```
/// <folder>/data/           the cluster (mode 0700, owned by the user running postgres)
/// <folder>/run/            the unix socket directory, unless its path is too long (see socketDirectory)
/// <folder>/postgres.log    the server log
/// <folder>/control.lock    held exclusively around every create/start/stop decision
/// <folder>/leases/         one exclusively locked file per live lease (see LeaseFile)
/// ```
struct ClusterLayout: Sendable, Equatable {
    /// The folder, absolute and standardized.
    let directory: String

    /// The one port number; the server listens on no TCP address, so it only names the socket file.
    static let port = 5432
    /// The longest socket file path a `sockaddr_un` holds (108 bytes with the terminating NUL).
    static let maximumSocketPathLength = 107
    /// The file postgres's `postgresql.conf` includes; rewritten before every start.
    static let settingsFileName = "stedenband.conf"

    /// The layout of `directory`, made absolute against `currentDirectory` when relative.
    init(directory: String, currentDirectory: String = FileManager.default.currentDirectoryPath) {
        let absolute = directory.hasPrefix("/") ? directory : currentDirectory + "/" + directory
        var standardized = URL(fileURLWithPath: absolute).standardizedFileURL.path
        while standardized.count > 1 && standardized.hasSuffix("/") {
            standardized.removeLast()
        }
        self.directory = standardized
    }

    /// The cluster's data directory.
    var dataDirectory: String { directory + "/data" }
    /// The socket directory inside the folder.
    var runDirectory: String { directory + "/run" }
    /// The server log.
    var logFile: String { directory + "/postgres.log" }
    /// Held exclusively around every create/start/stop decision.
    var controlLockFile: String { directory + "/control.lock" }
    /// Holds one locked file per live lease, in any process.
    var leasesDirectory: String { directory + "/leases" }
    /// The settings file included by `postgresql.conf`.
    var settingsFile: String { dataDirectory + "/" + Self.settingsFileName }
    /// The file postgres writes while running and removes on a clean stop.
    var postmasterPIDFile: String { dataDirectory + "/postmaster.pid" }

    /// Where postgres puts its socket: `run/` in the folder, or, when the socket file's path would not fit
    /// in a `sockaddr_un`, a short folder under `/tmp` named after a hash of the folder's path.
    var socketDirectory: String {
        let socketFile = runDirectory + "/" + Self.socketFileName
        if socketFile.utf8.count <= Self.maximumSocketPathLength {
            return runDirectory
        }
        return fallbackSocketDirectory
    }

    /// Whether the socket lives outside the folder, under `/tmp`.
    var usesFallbackSocketDirectory: Bool { socketDirectory != runDirectory }

    /// The short socket folder for this folder: `/tmp/stedenband-pg-<8 hex digits>`.
    var fallbackSocketDirectory: String {
        "/tmp/stedenband-pg-" + Self.hexFNV1a(directory)
    }

    /// The socket file's name for `port`.
    static var socketFileName: String { ".s.PGSQL.\(port)" }
    /// The socket file.
    var socketFile: String { socketDirectory + "/" + Self.socketFileName }
    /// The lock file postgres keeps beside its socket.
    var socketLockFile: String { socketFile + ".lock" }

    /// The 32-bit FNV-1a hash of `text`'s UTF-8 bytes as 8 hex digits: stable across runs and machines,
    /// unlike `Hasher`, which is seeded per process.
    static func hexFNV1a(_ text: String) -> String {
        var hash: UInt32 = 2_166_136_261
        for byte in text.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}
