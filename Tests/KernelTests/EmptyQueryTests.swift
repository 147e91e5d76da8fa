import Activities
import Catalogue
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kernel
import Messaging
import NIOCore
import Partnerships
import Postgres
import TestSupport
import Testing

@Suite("Empty query parameters")
struct EmptyQueryTests {
    @Test("an empty query parameter is an absent one: the filter, the cursor, the limit")
    func emptyQueryParameters() async throws {
        let surface = try await Surface.make("emptyquery")
        let admin = try await TestTenant.create(in: surface.database, slug: "leuven")
        try await Application(router: surface.router).test(.router) { client in
            for uri in [
                "/api/v1/partnerships?country=&status=&sdg=&cursor=&limit=",
                "/api/v1/activities?target=&cursor=&partnershipId=&status=&kind=&sdg=&theme=&direction=&year=&q=",
                "/api/v1/users?cursor=&limit=", "/api/v1/tokens?cursor=",
                "/api/v1/users/\(admin.userID.uuidString.lowercased())/tokens?cursor=",
            ] {
                try await client.execute(uri: uri, method: .get, headers: [.authorization: admin.authorization]) {
                    response in
                    #expect(response.status == .ok, "\(uri): \(String(buffer: response.body))")
                    #expect(json(response.body)["items"] is [Any], "\(uri)")
                }
            }
            try await client.execute(
                uri: "/api/v1/sdgs?lang=", method: .get, headers: [.authorization: admin.authorization]
            ) { response in
                #expect(response.status == .ok)
                #expect(json(response.body)["language"] as? String == "en")
            }
            // A value that is there is still checked.
            try await client.execute(
                uri: "/api/v1/activities?target=3.zz&cursor=x", method: .get,
                headers: [.authorization: admin.authorization]
            ) { response in
                #expect(response.status == .unprocessableContent)
            }
        }
        await surface.pool.close()
    }
}
