import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Vocabulary

/// Encodes every JSON answer of the gateway's routes: a ``JSONWritable`` value by hand, anything else with one
/// `JSONEncoder` made once, instead of a new encoder for every response.
///
/// The encoder is Hummingbird's default one (`.iso8601` dates, slashes escaped) with ids in lower case (a
/// ``LowercaseUUIDJSONEncoder``; either case is accepted on input) and sorted keys: without
/// them, swift-foundation's `JSONEncoder` writes an object's keys in its dictionary's order, which changes
/// from one response to the next, so no client could rely on it and no hand-written encoder could match it.
/// Sorted, every answer has one text, and the hand-written ones are tested against it byte for byte. The
/// headers are what Hummingbird's default encoder gave.
public struct GatewayResponseEncoder: ResponseEncoder, Sendable {
    /// The encoder of the answers that are not written by hand; configured once, never changed (it is
    /// `Sendable` and safe to share).
    public static let shared: LowercaseUUIDJSONEncoder = {
        let encoder = LowercaseUUIDJSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    /// The media type of every answer it makes.
    static let contentType = "application/json; charset=utf-8"

    /// Makes the encoder.
    public init() {}

    /// The JSON bytes of `value`, as the answer's body would carry them.
    public static func bytes(of value: some Encodable) throws -> [UInt8] {
        if let writable = value as? any JSONWritable {
            var writer = JSONWriter()
            writable.writeJSON(to: &writer)
            return writer.bytes
        }
        return Array(try shared.encode(value))
    }

    public func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws
        -> Response
    {
        let bytes = try Self.bytes(of: value)
        var headers = HTTPFields()
        headers.reserveCapacity(4)
        headers.append(.init(name: .contentType, value: Self.contentType))
        headers.append(.init(name: .contentLength, value: String(bytes.count)))
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
