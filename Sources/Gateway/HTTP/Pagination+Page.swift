import Foundation

extension Pagination {
    /// A page from rows read with `LIMIT limit + 1`: the first `limit` rows, and the cursor after the last of
    /// them when there was one more row; `key` gives a row's `(date, id)`, the order the rows were read in.
    public static func page<Row>(
        _ rows: [Row],
        limit: Int,
        key: (Row) -> (date: Date, id: UUID)
    ) -> (items: [Row], nextCursor: String?) {
        let items = Array(rows.prefix(limit))
        let next = rows.count > limit ? items.last.map { cursor(date: key($0).date, id: key($0).id) } : nil
        return (items, next)
    }
}
