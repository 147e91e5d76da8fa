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

@Suite("405 with Allow")
struct MethodNotAllowedTests {
    @Test("a method a route does not have answers 405 with Allow naming the route's methods, for every path")
    func methodNotAllowed() async throws {
        let surface = try await Surface.make("methods")
        let admin = try await TestTenant.create(in: surface.database, slug: "leuven")
        let paths = (try surface.document()["paths"] as! [String: [String: Any]]).mapValues { Set($0.keys) }
        try await Application(router: surface.router).test(.router) { client in
            for (path, operations) in paths.sorted(by: { $0.key < $1.key }) {
                let allowed = operations.map { $0.uppercased() }.sorted().joined(separator: ", ")
                let concrete = path.replacingOccurrences(
                    of: #"\{[^}]+\}"#, with: UUID().uuidString.lowercased(), options: .regularExpression)
                for method in [HTTPRequest.Method("TRACE")!, .options, .put, .delete]
                where !operations.contains(method.rawValue.lowercased()) {
                    try await client.execute(
                        uri: concrete, method: method, headers: [.authorization: admin.authorization]
                    ) { response in
                        #expect(response.status == .methodNotAllowed, "\(method) \(path)")
                        #expect(response.headers[.allow] == allowed, "\(method) \(path)")
                        #expect(response.headers[.contentType] == "application/problem+json")
                        #expect(json(response.body)["status"] as? Int == 405)
                    }
                }
            }
            // Without a token too: the method is wrong whoever asks.
            try await client.execute(uri: "/api/v1/sdgs", method: .delete) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "GET")
            }
            // A plugin's route: the literal segment is chosen before a parameter, as the router does.
            try await client.execute(
                uri: "/api/v1/example/greeting", method: .post, headers: [.authorization: admin.authorization]
            ) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "GET")
            }
            try await client.execute(uri: "/healthz", method: .head) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "GET")
            }
        }
        await surface.pool.close()
    }

    @Test("a path no route has stays 404, and a route's own 404 stays one")
    func notFoundStays() async throws {
        let surface = try await Surface.make("methods404")
        let admin = try await TestTenant.create(in: surface.database, slug: "leuven")
        try await Application(router: surface.router).test(.router) { client in
            for (uri, method) in [
                ("/api/v1/nowhere", HTTPRequest.Method.get), ("/api/v1/nowhere", .delete), ("/nowhere", .get),
                ("/api/v1/users/\(UUID().uuidString.lowercased())/nothing", .get),
            ] {
                try await client.execute(uri: uri, method: method, headers: [.authorization: admin.authorization]) {
                    response in
                    #expect(response.status == .notFound, "\(method) \(uri)")
                    #expect(response.headers[.allow] == nil)
                }
            }
            try await client.execute(
                uri: "/api/v1/users/\(UUID().uuidString.lowercased())", method: .get,
                headers: [.authorization: admin.authorization]
            ) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.allow] == nil)
            }
        }
        await surface.pool.close()
    }
}
