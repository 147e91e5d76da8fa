/// Why a migration command refused or failed; the description is written for the admin who runs it.
public enum MigrationError: Error, Sendable, CustomStringConvertible {
    /// The migrations folder cannot be listed.
    case unreadableDirectory(directory: String, reason: String)
    /// A file in the folder is not a valid migration.
    case invalidFile(fileName: String, reason: String)
    /// The database's history disagrees with the files: nothing was applied.
    case historyMismatch([MigrationProblem])
    /// Another runner held the migration lock for longer than the lock timeout.
    case lockTimeout(seconds: Int)
    /// A file failed: it was rolled back (unless it runs outside a transaction) and later files were not run.
    case failed(fileName: String, sqlState: String?, message: String, location: String?)

    public var description: String {
        switch self {
        case .unreadableDirectory(let directory, let reason):
            return "cannot read the migrations folder \(directory): \(reason)"
        case .invalidFile(let fileName, let reason):
            return "\(fileName): \(reason)"
        case .historyMismatch(let problems):
            return "refusing to migrate, nothing was applied:\n"
                + problems.map { "  - \($0.description)" }.joined(separator: "\n")
        case .lockTimeout(let seconds):
            return "another migration run held the lock for more than \(seconds) s; nothing was applied"
        case .failed(let fileName, let sqlState, let message, let location):
            var text = "\(fileName) failed"
            if let location { text += " at \(location)" }
            text += ": \(message)"
            if let sqlState { text += " (SQLSTATE \(sqlState))" }
            return text + "\nEarlier files stay applied; fix the file and run `stedenband migrate up` again."
        }
    }
}

/// A disagreement between the applied history and the files on disk.
public enum MigrationProblem: Sendable, Hashable, CustomStringConvertible, Encodable {
    /// An applied file's contents changed since it was applied.
    case changed(fileName: String, appliedChecksum: String, fileChecksum: String)
    /// An applied file is no longer among the files (the built-in ones or the folder's).
    case missing(version: Int, name: String)
    /// A pending file sorts before the last applied one, so it would run out of order.
    case outOfOrder(fileName: String, lastAppliedVersion: Int)

    /// The file (or recorded name) the problem is about.
    public var fileName: String {
        switch self {
        case .changed(let fileName, _, _), .outOfOrder(let fileName, _): return fileName
        case .missing(let version, let name):
            let digits = String(version)
            return String(repeating: "0", count: max(0, 4 - digits.count)) + digits + "_\(name).sql"
        }
    }

    public var description: String {
        switch self {
        case .changed(let fileName, _, _):
            return "\(fileName) was changed after it was applied (checksum differs); "
                + "restore it and put the change in a new file"
        case .missing(let version, let name):
            return "\(fileName) (version \(version), \(name)) was applied but is gone from the migration files"
        case .outOfOrder(let fileName, let last):
            return "\(fileName) is pending but sorts before version \(last), which is already applied; "
                + "renumber it after the last applied file"
        }
    }

    private enum CodingKeys: String, CodingKey {
        case kind, file, message
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        let kind: String
        switch self {
        case .changed: kind = "changed"
        case .missing: kind = "missing"
        case .outOfOrder: kind = "outOfOrder"
        }
        try container.encode(kind, forKey: .kind)
        try container.encode(fileName, forKey: .file)
        try container.encode(description, forKey: .message)
    }
}
