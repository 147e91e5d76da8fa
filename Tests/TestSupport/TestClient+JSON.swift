import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Postgres

extension TestClientProtocol {
    /// Sends a request as `user` (their bearer token), with a JSON body when given.
    public func send(
        _ method: HTTPRequest.Method,
        _ uri: String,
        as user: TestTenant,
        json: String? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers: HTTPFields = [.authorization: user.authorization, .contentType: "application/json"]
        headers.append(contentsOf: extra)
        return try await execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }
}

/// The answer's JSON body as `type`.
public func decode<T: Decodable>(_ type: T.Type, _ response: TestResponse) throws -> T {
    try JSONDecoder().decode(type, from: Data(response.body.readableBytesView))
}

/// What a test reads of a created resource: its id and version.
public struct Created: Decodable, Sendable {
    public var id: UUID
    public var version: Int
}

extension TestDatabase {
    /// Rows read (or written) as the database's administrator, who sees every municipality: for asserting what a
    /// plugin's own tables hold.
    public func rows(_ query: PostgresQuery) async throws -> PostgresRows {
        let admin = try await connectAsAdmin()
        do {
            let rows = try await admin.query(query)
            await admin.close()
            return rows
        } catch {
            await admin.close()
            throw error
        }
    }
}
