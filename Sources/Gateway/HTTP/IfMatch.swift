import Foundation
import Hummingbird

/// `If-Match: "3"`: the version the client last saw.
public enum IfMatch {
    /// The version named by `If-Match`, `nil` without the header; an unreadable one is a 400.
    public static func version(_ request: Request) throws -> Int? {
        guard let header = request.headers[.ifMatch] else { return nil }
        let trimmed = header.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "W/", with: "")
            .trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        guard let version = Int(trimmed) else { throw Problem.badRequest("If-Match must be an ETag this server sent") }
        return version
    }
}
