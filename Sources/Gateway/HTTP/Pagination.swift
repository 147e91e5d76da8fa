import Encodings
import Foundation
import Hummingbird

/// `?limit=` (default 50, at most 200) and an opaque `cursor`, answered as `{"items", "nextCursor"}`.
public enum Pagination {
    /// The default page size.
    public static let defaultLimit = 50
    /// The largest page.
    public static let maximumLimit = 200

    /// Reads `limit` and `cursor`; a bad limit is a 422, a cursor we did not make a 400.
    public static func read(_ request: Request) throws -> (limit: Int, after: (date: Date, id: UUID)?) {
        let query = request.queryParameters
        var limit = defaultLimit
        if let text = query.get("limit") {
            guard let value = Int(text), (1...maximumLimit).contains(value) else {
                throw Problem.validation([
                    .init(field: "limit", message: "must be a whole number from 1 to \(maximumLimit)")
                ])
            }
            limit = value
        }
        guard let cursor = query.get("cursor") else { return (limit, nil) }
        guard let decoded = decode(cursor) else { throw Problem.badRequest("the cursor is not one this server made") }
        return (limit, decoded)
    }

    /// An opaque cursor after `(date, id)`.
    public static func cursor(date: Date, id: UUID) -> String {
        let text = "\(date.timeIntervalSince1970)|\(id.uuidString.lowercased())"
        return Base64URL.encode(Array(text.utf8))
    }

    static func decode(_ cursor: String) -> (Date, UUID)? {
        guard let bytes = Base64URL.decode(cursor), let text = String(data: Data(bytes), encoding: .utf8) else {
            return nil
        }
        let parts = text.split(separator: "|")
        guard parts.count == 2, let seconds = Double(parts[0]), let id = UUID(uuidString: String(parts[1])) else {
            return nil
        }
        return (Date(timeIntervalSince1970: seconds), id)
    }
}
