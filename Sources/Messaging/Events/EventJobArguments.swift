import Foundation

/// The arguments of an event-delivery job.
struct EventJobArguments: Codable {
    var eventID: UUID
    var event: String
}
