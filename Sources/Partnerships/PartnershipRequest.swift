import Foundation
import Gateway
import Hummingbird

/// What the JSON routes and the pages read alike from a request: the partnership's (or a member's) id.
enum PartnershipRequest {
    /// The id in the path parameter `name`; 404 when it is not one.
    static func pathID(_ context: GatewayRequestContext, _ name: String = "id") throws -> UUID {
        guard let text = context.parameters.get(name), let id = UUID(uuidString: text) else {
            throw Problem.notFound("no such partnership")
        }
        return id
    }
}
