import Foundation

/// The folder holding the PostgreSQL server binaries, and the client tools used beside them.
struct PostgresBinaries: Sendable, Equatable {
    /// The folder with `postgres`, `initdb` and `pg_ctl`.
    var directory: String
    /// `initdb`: creates the cluster.
    var initdb: String
    /// `pg_ctl`: starts, stops and queries the server.
    var pgCtl: String
    /// `psql`: runs the database-exists query.
    var psql: String
    /// `createdb`: creates the application database.
    var createdb: String
    /// `pg_isready`: waits for a server started by another process to accept connections.
    var pgIsReady: String

    /// The server programs that must sit together in one folder.
    static let serverPrograms = ["postgres", "initdb", "pg_ctl"]
    /// The client programs, looked for beside the server programs first and on `PATH` after.
    static let clientPrograms = ["psql", "createdb", "pg_isready"]
}

/// Where to look for the PostgreSQL binaries: `pg_config --bindir` first, then the newest
/// `<root>/<version>/bin` (Debian and Ubuntu install every major version under `/usr/lib/postgresql`).
struct PostgresBinaryLocator: Sendable {
    /// Where `pg_config` may be; `nil` searches `PATH`.
    var pgConfigPath: String?
    /// Folders holding one sub-folder per major version, each with a `bin/`.
    var versionedRoots: [String]
    /// The `PATH` searched for `pg_config` and the client programs.
    var searchPath: [String]

    /// The locator used outside tests.
    static func system(environment: [String: String] = ProcessInfo.processInfo.environment) -> Self {
        let path = environment["PATH"].map { $0.split(separator: ":").map(String.init) } ?? []
        return Self(
            pgConfigPath: nil,
            versionedRoots: ["/usr/lib/postgresql"],
            searchPath: path + ["/usr/local/bin", "/usr/bin", "/bin"]
        )
    }

    /// The message of `binariesNotFound`, naming the package to install.
    static let installHint =
        "PostgreSQL server binaries not found: install them with `apt-get install -y postgresql` (Debian/Ubuntu)"

    /// Finds the binaries.
    ///
    /// - Throws: `EmbeddedPostgresError` with code `binariesNotFound` when no folder holds all server programs.
    func locate(runner: CommandRunner) async throws -> PostgresBinaries {
        var looked: [String] = []
        if let pgConfig = pgConfigPath ?? Self.findExecutable("pg_config", in: searchPath) {
            looked.append("`\(pgConfig) --bindir`")
            let result = try? await runner.run(pgConfig, ["--bindir"], asServerUser: false)
            if let result, result.exitStatus == 0 {
                let directory = result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
                if let binaries = binaries(in: directory) {
                    return binaries
                }
            }
        }
        for root in versionedRoots {
            looked.append("\(root)/*/bin")
            for directory in Self.versionDirectories(under: root) {
                if let binaries = binaries(in: directory) {
                    return binaries
                }
            }
        }
        throw EmbeddedPostgresError(
            .binariesNotFound,
            "\(Self.installHint). Looked in: \(looked.joined(separator: ", "))."
        )
    }

    /// The binaries in `directory`, if the server programs are all there and the client programs are found.
    func binaries(in directory: String) -> PostgresBinaries? {
        guard !directory.isEmpty,
            PostgresBinaries.serverPrograms.allSatisfy({ Self.isExecutable("\(directory)/\($0)") })
        else { return nil }
        func client(_ name: String) -> String? {
            let beside = "\(directory)/\(name)"
            return Self.isExecutable(beside) ? beside : Self.findExecutable(name, in: searchPath)
        }
        guard let psql = client("psql"), let createdb = client("createdb"), let pgIsReady = client("pg_isready")
        else { return nil }
        return PostgresBinaries(
            directory: directory,
            initdb: "\(directory)/initdb",
            pgCtl: "\(directory)/pg_ctl",
            psql: psql,
            createdb: createdb,
            pgIsReady: pgIsReady
        )
    }

    /// The `<root>/<version>/bin` folders, newest version first (`16` before `9.6`).
    static func versionDirectories(under root: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        let versions: [(name: String, parts: [Int])] = names.compactMap { name in
            let parts = name.split(separator: ".").map { Int($0) }
            guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { return nil }
            return (name, parts.compactMap { $0 })
        }
        return
            versions
            .sorted { $0.parts.lexicographicallyPrecedes($1.parts) }
            .reversed()
            .map { "\(root)/\($0.name)/bin" }
    }

    /// The first executable file called `name` in `directories`.
    static func findExecutable(_ name: String, in directories: [String]) -> String? {
        directories.lazy.map { "\($0)/\(name)" }.first(where: isExecutable)
    }

    /// Whether `path` is an executable regular file (or a link to one).
    static func isExecutable(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            && !isDirectory.boolValue
            && FileManager.default.isExecutableFile(atPath: path)
    }
}
