import Foundation

/// A typed id: a UUID that says what it identifies, so a partnership's id cannot be passed for an activity's.
///
/// ```swift
/// public enum PartnershipTag {}
/// public typealias PartnershipID = Identifier<PartnershipTag>
/// ```
/// It encodes as the bare UUID.
public struct Identifier<Tag>: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// The UUID.
    public var rawValue: UUID

    /// Wraps a UUID.
    public init(rawValue: UUID) { self.rawValue = rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(UUID.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// The lowercase UUID.
    public var description: String { rawValue.uuidString.lowercased() }
}
