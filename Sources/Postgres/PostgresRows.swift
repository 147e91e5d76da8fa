/// The rows a statement returned, copied out of libpq's result so they can cross threads freely.
public struct PostgresRows: Sendable, RandomAccessCollection {
    /// The result's columns, in order.
    public let columns: [PostgresColumn]
    /// The command tag, such as `SELECT 3` or `INSERT 0 1`.
    public let commandTag: String
    let storage: Storage

    final class Storage: Sendable {
        let bytes: [UInt8]
        /// Per cell, row-major: where its text starts in `bytes`, and its length (-1 for NULL).
        let starts: [Int32]
        let lengths: [Int32]
        let columnIndex: [String: Int]
        let rowCount: Int

        init(bytes: [UInt8], starts: [Int32], lengths: [Int32], columnIndex: [String: Int], rowCount: Int) {
            self.bytes = bytes
            self.starts = starts
            self.lengths = lengths
            self.columnIndex = columnIndex
            self.rowCount = rowCount
        }
    }

    init(columns: [PostgresColumn], commandTag: String, storage: Storage) {
        self.columns = columns
        self.commandTag = commandTag
        self.storage = storage
    }

    /// The number of rows an `INSERT`, `UPDATE`, `DELETE`, `MERGE`, `SELECT` or `COPY` touched, from the tag.
    public var affectedRows: Int {
        guard let last = commandTag.split(separator: " ").last else { return 0 }
        return Int(last) ?? 0
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { storage.rowCount }

    public subscript(position: Int) -> PostgresRow {
        precondition(position >= 0 && position < storage.rowCount, "row index out of range")
        return PostgresRow(rows: self, index: position)
    }
}
