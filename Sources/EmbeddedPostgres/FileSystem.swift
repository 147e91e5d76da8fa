import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The file-system steps of preparing a cluster folder: ownership, modes and traversal for the server user.
enum FileSystem {
    /// Creates `path` and its missing parents (mode 0755), leaving existing folders as they are.
    static func makeFolder(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(
                atPath: path,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o755]
            )
        } catch {
            throw EmbeddedPostgresError(.directoryFailed, "Could not create the folder \(path): \(error)")
        }
    }

    /// Creates `path` if missing as a private folder (mode 0700) owned by `owner` (or this process's user).
    ///
    /// An existing entry must be a real folder (not a link) owned by that user or by this process's user,
    /// which matters for folders under the world-writable `/tmp`, where anyone could have made it first.
    static func makePrivateFolder(_ path: String, owner: ServerUser?) throws {
        var status = stat()
        if lstat(path, &status) != 0 {
            guard errno == ENOENT else { throw failure("inspect", path) }
            guard mkdir(path, 0o700) == 0 || errno == EEXIST else { throw failure("create", path) }
            guard lstat(path, &status) == 0 else { throw failure("inspect", path) }
        }
        guard status.st_mode & S_IFMT == S_IFDIR else {
            throw EmbeddedPostgresError(.directoryFailed, "\(path) exists but is not a folder")
        }
        let expectedOwner = owner?.uid ?? geteuid()
        guard status.st_uid == expectedOwner || status.st_uid == geteuid() else {
            throw EmbeddedPostgresError(
                .directoryFailed,
                "\(path) belongs to user id \(status.st_uid), not to the user that runs PostgreSQL; remove it"
            )
        }
        try setOwner(path, owner)
        guard chmod(path, 0o700) == 0 else { throw failure("set the mode of", path) }
    }

    /// Creates the file `path` if missing (mode 0600) and gives it to `owner` when set.
    static func makeFile(_ path: String, owner: ServerUser?) throws {
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
            else { throw failure("create", path) }
        }
        try setOwner(path, owner)
    }

    /// Replaces the contents of the file `path` and gives it to `owner` when set.
    static func write(_ contents: String, to path: String, owner: ServerUser?) throws {
        do {
            try Data(contents.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw EmbeddedPostgresError(.directoryFailed, "Could not write \(path): \(error)")
        }
        try setOwner(path, owner)
    }

    /// Gives `path` to `owner`; does nothing when `owner` is nil (the server runs as this process's user).
    static func setOwner(_ path: String, _ owner: ServerUser?) throws {
        guard let owner else { return }
        guard chown(path, owner.uid, owner.gid) == 0 else { throw failure("change the owner of", path) }
    }

    /// Makes sure `user` can enter `path` and every folder above it, adding only the missing execute
    /// bit of the permission class `user` falls in (owner, group or other), and logging each change.
    ///
    /// Needed as root: folders made by `mktemp -d` are 0700 root, and postgres runs as another user.
    static func makeTraversable(_ path: String, for user: ServerUser, logger: Logger) throws {
        var prefixes: [String] = ["/"]
        var current = ""
        for component in path.split(separator: "/") {
            current += "/" + component
            prefixes.append(current)
        }
        for folder in prefixes {
            var status = stat()
            guard stat(folder, &status) == 0 else { throw failure("inspect", folder) }
            let bit: mode_t
            if status.st_uid == user.uid {
                bit = S_IXUSR
            } else if user.groups.contains(status.st_gid) {
                bit = S_IXGRP
            } else {
                bit = S_IXOTH
            }
            if status.st_mode & bit != 0 {
                continue
            }
            let mode = (status.st_mode & 0o7777) | bit
            guard chmod(folder, mode) == 0 else { throw failure("make traversable", folder) }
            logger.notice(
                "Made a folder traversable for the PostgreSQL user",
                metadata: ["postgres.folder": "\(folder)", "postgres.mode": "\(String(mode, radix: 8))"]
            )
        }
    }

    /// The error for a failed system call on `path`, with errno's text.
    static func failure(_ verb: String, _ path: String) -> EmbeddedPostgresError {
        EmbeddedPostgresError(.directoryFailed, "Could not \(verb) \(path): \(String(cString: strerror(errno)))")
    }
}
