import Encodings
import Foundation

/// One migration file: `migrations/NNNN_<module>_<what>.sql`.
public struct Migration: Sendable, Hashable {
    /// The number the file name starts with; files apply in this order.
    public let version: Int
    /// The rest of the file name without `.sql`, e.g. `platform_foundation`.
    public let name: String
    /// The file name, e.g. `0001_platform_foundation.sql`.
    public let fileName: String
    /// The SQL text, with CRLF line endings turned into LF.
    public let sql: String
    /// SHA-256 over ``sql`` in lowercase hex, so a file checked out with CRLF endings is not "changed".
    public let checksum: String
    /// False when the first line is `-- stedenband:no-transaction` (for `CREATE INDEX CONCURRENTLY`).
    public let runsInTransaction: Bool

    /// The marker that makes a file run outside a transaction, statement by statement.
    public static let noTransactionMarker = "-- stedenband:no-transaction"

    /// Reads a migration from its file name and contents; `nil` when the name does not follow the pattern.
    public init?(fileName: String, contents: String) {
        guard let (version, name) = Migration.parse(fileName: fileName) else { return nil }
        self.version = version
        self.name = name
        self.fileName = fileName
        let normalised = contents.replacingOccurrences(of: "\r\n", with: "\n")
        self.sql = normalised
        self.checksum = Hex.sha256(normalised)
        let firstLine = normalised.prefix { $0 != "\n" }.trimmingCharacters(in: .whitespaces)
        self.runsInTransaction = firstLine != Migration.noTransactionMarker
    }

    /// Splits `0007_activities_add_budget.sql` into `(7, "activities_add_budget")`.
    static func parse(fileName: String) -> (Int, String)? {
        guard fileName.hasSuffix(".sql") else { return nil }
        let stem = fileName.dropLast(4)
        let parts = stem.split(separator: "_", maxSplits: 1)
        guard parts.count == 2, parts[0].count == 4, parts[0].allSatisfy(\.isASCIIDigit),
            let version = Int(parts[0]), version > 0
        else { return nil }
        let name = parts[1]
        let nameParts = name.split(separator: "_", omittingEmptySubsequences: false)
        guard nameParts.count >= 2, nameParts.allSatisfy({ !$0.isEmpty }),
            name.allSatisfy({ $0.isASCIIDigit || ("a"..."z").contains($0) || $0 == "_" })
        else { return nil }
        return (version, String(name))
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
