import Foundation

/// A digest as the API lists it: its window, how it went, and through which channels.
struct DigestRecord: Codable, Sendable {
    var id: UUID
    var windowStart: Date
    var windowEnd: Date
    var frequency: String
    var status: String
    var itemCount: Int
    var subject: String
    var channels: [String]
    var sentAt: Date?
    var error: String?
}
